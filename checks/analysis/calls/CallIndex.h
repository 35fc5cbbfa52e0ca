//===--- CallIndex.h - who calls a function in this TU ----------*- C++ -*-===//
//
// The reverse call graph of the translation unit: for each function defined
// outside system headers, the calls of it written in the TU's own code
// (function bodies, lambda bodies, constructor initialisers), each with the
// function it is written in (a lambda's call operator for a call in a lambda).
// Built once, on the first question, by explicit worklists over the
// declarations and statements; only the concurrent-write query asks, and only
// in a TU with a thread that outlives its spawning function.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CALLS_CALLINDEX_H
#define MAPGUARD_CHECKS_ANALYSIS_CALLS_CALLINDEX_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::mapguard {

/// A call of a function, and the function it is written in.
struct CallSite {
  const CallExpr *Call = nullptr;
  const FunctionDecl *Caller = nullptr;
};

/// Appends every function definition of the TU outside system headers:
/// namespaces, classes, templates' instantiations, walked with explicit stacks
/// (declarations only, no statement).
void collectFunctionDefinitions(
    ASTContext &Ctx, llvm::SmallVectorImpl<const FunctionDecl *> &Functions);

class CallIndex {
public:
  explicit CallIndex(ASTContext &Ctx);

  /// The calls of \p Callee (any redeclaration) in the TU's own code.
  llvm::ArrayRef<CallSite> callersOf(const FunctionDecl *Callee) const;
  /// Every function body the index was built from.
  llvm::ArrayRef<const FunctionDecl *> functions() const { return Functions; }

private:
  llvm::SmallVector<const FunctionDecl *, 64> Functions;
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<CallSite, 2>> Sites;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_CALLS_CALLINDEX_H
