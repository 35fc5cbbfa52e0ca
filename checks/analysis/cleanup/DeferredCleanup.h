//===--- DeferredCleanup.h - scope guards and the code they run -----------===//
//
// Recognises a deferred cleanup registered in a function -- code that runs
// when a local object dies at scope exit -- and tells what that code is and
// which values of the enclosing function it uses:
//   - the scope-guard types MapModel knows (gsl::final_action from
//     gsl::finally, absl::Cleanup, std::experimental::scope_exit/scope_fail,
//     folly's ScopeGuard / SCOPE_EXIT, the shim's MAPGUARD_DEFER,
//     ScopeGuardTypes);
//   - any class whose destructor invokes a callable it stores (hand-written
//     ScopeExit classes, DEFER(...) macros, boost::scope_exit::aux::guard of
//     BOOST_SCOPE_EXIT_ALL, which is registered by assigning the lambda);
//   - BOOST_SCOPE_EXIT(...) { ... } BOOST_SCOPE_EXIT_END, recognised by its
//     expansion: a local struct whose destructor calls its static body with
//     the captured values, which come from a local "params" struct.
// The body is the lambda (or local named lambda, or function) handed to the
// guard, or the static body of BOOST_SCOPE_EXIT.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CLEANUP_DEFERREDCLEANUP_H
#define MAPGUARD_CHECKS_ANALYSIS_CLEANUP_DEFERREDCLEANUP_H

#include "analysis/core/MapModel.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <optional>
#include <vector>

namespace clang::tidy::mapguard {

/// A value of the enclosing function that a cleanup body uses.
struct CleanupCapture {
  /// The declaration the body refers to: the outer variable itself for a
  /// simple lambda capture, the init-capture variable for `[p = expr]`, the
  /// parameter of BOOST_SCOPE_EXIT's static body.
  const ValueDecl *Inner = nullptr;
  /// The variable (or structured binding) of the enclosing function whose
  /// value is captured, or null when the capture is initialised from a more
  /// complex expression.
  const ValueDecl *Outer = nullptr;
  /// The initialiser of an init-capture (null otherwise).
  const Expr *Init = nullptr;
  /// Captured by reference: the body sees the variable's value at scope exit,
  /// not at registration.
  bool ByRef = false;
};

/// One deferred cleanup registered in a function.
struct DeferredCleanup {
  /// The local guard object whose destruction runs the body.
  const VarDecl *Guard = nullptr;
  /// The statement that registers the body: the guard's DeclStmt, or the
  /// assignment of the callable to a default-constructed guard.
  const Stmt *Registration = nullptr;
  /// Where to report the registration (the macro's expansion for macros).
  SourceLocation Loc;
  /// The statements that run at scope exit.
  const Stmt *Body = nullptr;
  /// The lambda whose body runs, if the body is a lambda.
  const LambdaExpr *Lambda = nullptr;
  /// The guard is named after its registration (`std::move(c).Cancel()`,
  /// `g.dismiss()`, moved away): its body may never run.
  bool MayBeCancelled = false;
  /// The values of the enclosing function the body refers to.
  llvm::SmallVector<CleanupCapture, 4> Captures;

  /// The capture that \p Inner (a declaration referenced in Body) stands
  /// for, or null when it is not a value of the enclosing function.
  const CleanupCapture *captureFor(const ValueDecl *Inner) const;
};

/// Finds deferred cleanups; one per check instance (per TU), results cached.
class DeferredCleanupFinder {
public:
  explicit DeferredCleanupFinder(const MapModel &Model) : Model(Model) {}

  /// The cleanups registered directly in \p FunctionBody (not in lambdas or
  /// local classes nested in it), in source order. Cheap when there are
  /// none: only local variables of class type are looked at.
  llvm::ArrayRef<DeferredCleanup> cleanupsIn(const Stmt *FunctionBody);

  /// \p VD, a local variable, is a deferred cleanup: returns it with its
  /// body, or nothing. A guard that is default-constructed and assigned its
  /// callable later is found by cleanupsIn, which sees the assignment.
  std::optional<DeferredCleanup> classify(const VarDecl *VD);

  /// Objects of \p RD run a deferred cleanup when they die: a known
  /// scope-guard type, or a class whose destructor invokes a callable it
  /// stores (directly, through one of its own methods, or through a member
  /// that is itself such a guard).
  bool isCleanupClass(const CXXRecordDecl *RD);

  /// Forgets every cached result; call at the start of a translation unit.
  void clear() {
    CleanupClasses.clear();
    PerFunction.clear();
    BoostParams.clear();
  }

private:
  bool destructorInvokesStoredCallable(const CXXRecordDecl *RD,
                                       unsigned Depth);
  std::optional<DeferredCleanup> classifyBoostScopeExit(const VarDecl *VD);
  bool fillFromCallable(DeferredCleanup &C, const Expr *E);

  const MapModel &Model;
  llvm::DenseMap<const CXXRecordDecl *, bool> CleanupClasses;
  /// Classes being looked into below the current one (isCleanupClass).
  unsigned MemberDepth = 0;
  llvm::DenseMap<const Stmt *, std::unique_ptr<std::vector<DeferredCleanup>>>
      PerFunction;
  /// BOOST_SCOPE_EXIT's params struct -> the variable that holds the
  /// captured values; filled by cleanupsIn.
  llvm::DenseMap<const CXXRecordDecl *, const VarDecl *> BoostParams;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_CLEANUP_DEFERREDCLEANUP_H
