//===--- VirtualTargets.h - what a virtual call may run -------*- C++ -*-===//
//
// The definitions a call of a virtual member function may dispatch to, as
// far as the translation unit shows: the overrider for the static type of
// the object, and the overriders of the classes the TU defines that derive
// from it (a class-hierarchy analysis restricted to the TU). An object whose
// dynamic type is its static type (a variable or field of class type, a
// temporary) runs only the first; a `final` method or class, or a call that
// names the class (`Base::f()`), runs exactly the method named. An override
// defined in another TU is not seen: such a call reaches only the
// overriders written here.
//
// The index of overriders is built on the first question, by one walk over
// the TU's declarations (no statement); only the concurrent-write analysis
// asks, and only in a TU that starts a thread. The same walk answers which
// methods the TU defines in classes derived from a given one (the public
// API of a subclass of a class that runs itself on a thread).
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CALLS_VIRTUALTARGETS_H
#define MAPGUARD_CHECKS_ANALYSIS_CALLS_VIRTUALTARGETS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::mapguard {

/// True when \p C calls exactly the method it names although that method is
/// virtual: the method or its class is final, or the call is qualified.
bool isDevirtualisedCall(const CallExpr *C);

class VirtualTargets {
public:
  explicit VirtualTargets(ASTContext &Ctx) : Ctx(Ctx) {}

  /// Appends to \p Out the definitions (with a body, outside system
  /// headers) \p C may run when it calls a virtual method that the call does
  /// not devirtualise; returns false, appending nothing, for any other call.
  bool targets(const CallExpr *C,
               llvm::SmallVectorImpl<const FunctionDecl *> &Out);

  /// Appends to \p Out the method definitions of the TU's classes derived
  /// (directly or not) from \p RD: code that runs on an object of \p RD.
  void methodsOfDerived(const CXXRecordDecl *RD,
                        llvm::SmallVectorImpl<const CXXMethodDecl *> &Out);

private:
  void build();

  ASTContext &Ctx;
  bool Built = false;
  /// Canonical virtual method -> the TU's definitions overriding it,
  /// directly or through intermediate overrides.
  llvm::DenseMap<const CXXMethodDecl *,
                 llvm::SmallVector<const CXXMethodDecl *, 2>>
      Overriders;
  /// Every method definition of a class with a base.
  llvm::SmallVector<const CXXMethodDecl *, 32> DerivedMethods;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_CALLS_VIRTUALTARGETS_H
