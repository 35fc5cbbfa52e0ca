//===--- FunctionCFG.h - one CFG per function, shared by every analysis ---===//
//
// The CFG every flow-sensitive analysis of a function runs on, built once per
// function per translation unit by MapGuardAnalyses:
//  - every statement is an element (setAllAlwaysAdd), so an analysis sees
//    subexpressions in evaluation order;
//  - implicit destructors are elements (a scope guard's cleanup, a lock
//    guard's release);
//  - temporary destructors are elements too, so a temporary whose destructor
//    is [[noreturn]] (a fatal logger) ends its path, as in clang-tidy's
//    bugprone-use-after-move.
// It also answers "which element is this statement" (the state before a
// statement is the state before its element).
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CORE_FUNCTIONCFG_H
#define MAPGUARD_CHECKS_ANALYSIS_CORE_FUNCTIONCFG_H

#include "analysis/core/FunctionParents.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>

namespace clang::tidy::mapguard {

/// A position in a CFG: element \p Index of \p Block.
struct CFGPoint {
  const CFGBlock *Block = nullptr;
  unsigned Index = 0;
  bool operator==(const CFGPoint &O) const {
    return Block == O.Block && Index == O.Index;
  }
};

class FunctionCFG {
public:
  /// Builds the CFG of \p FD's body; null when clang builds none.
  /// \p Parents (of \p FD) must outlive it.
  static std::unique_ptr<FunctionCFG> build(const FunctionDecl *FD,
                                            ASTContext &Ctx,
                                            const FunctionParents &Parents);

  const CFG &cfg() const { return *Graph; }
  const FunctionDecl *function() const { return FD; }
  unsigned size() const { return Graph->getNumBlockIDs(); }

  /// The element that evaluates \p S: \p S itself, the CFG's one-variable
  /// copy of a `T a, b;` declaration, or the nearest enclosing statement
  /// that is an element. Nothing when \p S is not in this function's CFG.
  std::optional<CFGPoint> elementOf(const Stmt *S) const;

  /// The statement that contains \p S in the function's body, or null.
  const Stmt *parentOf(const Stmt *S) const { return Parents->parentOf(S); }

  /// \p S itself is an element (not only inside one).
  bool hasElement(const Stmt *S) const { return Elements.count(S); }

  /// \p S is the statement of the element at \p P (or the CFG's copy of it).
  bool isElement(CFGPoint P, const Stmt *S) const;

private:
  FunctionCFG() = default;
  const FunctionDecl *FD = nullptr;
  std::unique_ptr<CFG> Graph;
  llvm::DenseMap<const Stmt *, CFGPoint> Elements;
  /// Variables declared by a synthesized one-variable DeclStmt.
  llvm::DenseMap<const Decl *, CFGPoint> DeclElements;
  const FunctionParents *Parents = nullptr;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_CORE_FUNCTIONCFG_H
