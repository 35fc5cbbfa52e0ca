//===--- FunctionParents.h - where a statement sits, without a TU parent map ===//
//
// ASTContext::getParents builds a parent map of the whole translation unit,
// standard headers and all, on its first use: on a TU that includes a thread
// pool it cost more than every mapguard analysis together. The analyses only
// ever ask about code inside one function, so they ask here instead:
//  - FunctionParents: the parents of the statements of one function (its
//    body, its lambdas, its constructor initialisers), built on the first
//    question by one walk on an explicit stack;
//  - enclosingFunctions: the function whose code contains each of a few
//    statements, by one traversal that enters only the declarations whose
//    source range covers one of them.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CORE_FUNCTIONPARENTS_H
#define MAPGUARD_CHECKS_ANALYSIS_CORE_FUNCTIONPARENTS_H

#include "clang/AST/ASTTypeTraits.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>

namespace clang {
class ASTContext;
class CXXCtorInitializer;
class DeclStmt;
class FunctionDecl;

namespace tidy::mapguard {

/// The parents of the statements of one function.
class FunctionParents {
public:
  explicit FunctionParents(const FunctionDecl *FD) : FD(FD) {}

  /// The statement directly above \p S; null at the top of the body or of a
  /// constructor initialiser, and for statements of other functions.
  const Stmt *parentOf(const Stmt *S) const;

  /// The node directly above \p S as ASTContext::getParents names it: a
  /// statement, the variable \p S initialises, or the constructor
  /// initialiser \p S is the initialiser of; empty at the top.
  DynTypedNode parentNode(const Stmt *S) const;

  /// The statement that declares \p D in this function, or null.
  const DeclStmt *declStmtOf(const Decl *D) const;

private:
  void build() const;
  const FunctionDecl *FD;
  mutable std::unique_ptr<llvm::DenseMap<const Stmt *, const Stmt *>> Map;
  mutable llvm::DenseMap<const Stmt *, const CXXCtorInitializer *> InitOf;
  mutable llvm::DenseMap<const Decl *, const DeclStmt *> DeclStmts;
};

/// For each of \p Stmts, the innermost function whose code contains it (for
/// code in a lambda's body, the lambda's call operator; template
/// instantiations are visited). A statement outside every function (a
/// default member initialiser) is absent from the result.
llvm::DenseMap<const Stmt *, const FunctionDecl *>
enclosingFunctions(llvm::ArrayRef<const Stmt *> Stmts, ASTContext &Ctx);

} // namespace tidy::mapguard
} // namespace clang

#endif // MAPGUARD_CHECKS_ANALYSIS_CORE_FUNCTIONPARENTS_H
