//===--- ExprUtils.h - expression helpers shared by every analysis -*- C++ -*-===//
//
// The one place for "look through the wrappers of this expression" and "which
// declaration does this expression name". Each helper says exactly what it
// looks through; analyses pick the one whose meaning they need instead of
// keeping a private copy.
//
//   ignoreWrappers   parens, implicit casts, temporaries, cleanups, functional
//                    casts: the expression as written
//   ignoreCopies     + copy and move constructors: the value's origin
//   ignoreMoves      + std::move / std::forward / static_cast<T&&>
//   ignoreTruthWrappers
//                    + conversion operators, static_cast<bool>, branch hints
//                    (__builtin_expect) and IsTrue(c): what a condition tests
//
//   referencedDecl   the variable / binding a DeclRefExpr names
//   handleDeclOf     a variable, a binding, or a field of `this`
//   objectDeclOf     a variable or field (any object), through & and *
//   containerDeclOf  objectDeclOf through subscripts, at/front/back, -> and *
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CORE_EXPRUTILS_H
#define MAPGUARD_CHECKS_ANALYSIS_CORE_EXPRUTILS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <initializer_list>
#include <optional>

namespace clang::tidy::mapguard {

const Expr *ignoreWrappers(const Expr *E);
const Expr *ignoreCopies(const Expr *E);
const Expr *ignoreMoves(const Expr *E);
const Expr *ignoreTruthWrappers(const Expr *E);

/// \p E (through truth wrappers) if it is not a one-argument constructor
/// call from another class type; else that argument: an iterator converted
/// to a const_iterator (`const_iterator it = m.find(k)`, `it == m.cend()`).
const Expr *ignoreConvertingConstruction(const Expr *E);

/// The declaration \p E (looking through truth wrappers) refers to by name.
const ValueDecl *referencedDecl(const Expr *E);
/// The variable, structured binding, or field of `this` that \p E names
/// (parens and implicit casts looked through), or null.
const ValueDecl *handleDeclOf(const Expr *E);
/// \p E names \p D (as handleDeclOf).
bool refersTo(const Expr *E, const ValueDecl *D);
/// The canonical declaration of the variable or field \p E designates: `mu`,
/// `this->mu_`, `obj.mu_`, `&mu`, `*p`. Null for anything else.
const Decl *objectDeclOf(const Expr *E);
/// As objectDeclOf, also through element access of a container or array
/// (`ts[i]`, `ts.at(i)`, `ts.back()`, `*it`, `p->x`) and copies and moves.
const Decl *containerDeclOf(const Expr *E);

/// The name of \p C's direct callee, or "" (operators, indirect calls).
llvm::StringRef calleeName(const CallExpr *C);
/// \p FD is declared in namespace std and named one of \p Names.
bool isStdFunctionNamed(const FunctionDecl *FD,
                        std::initializer_list<llvm::StringRef> Names);
/// A null pointer constant (`nullptr`, `NULL`, `0`).
bool isNullConstant(const Expr *E, ASTContext &Ctx);
/// Branch hints and assertion helpers that return their first argument's
/// truth: `__builtin_expect(c, 1)`, googletest's `IsTrue(c)`.
bool isPassThrough(const CallExpr *C);

/// \p T is a reference to non-const.
bool isMutableRef(QualType T);
/// Argument \p Arg of call \p C (argument numbering of the call; the object
/// of a member operator call is argument 0) binds to a reference to
/// non-const, so the callee may change it. Arguments of unknown callees and
/// variadic arguments count when they are lvalues.
bool passesByMutableRef(const CallExpr *C, unsigned Arg);
/// Argument \p Arg of call \p C binds to a reference to const: the callee
/// can neither change nor consume it.
bool passesByConstRef(const CallExpr *C, unsigned Arg);
/// The same as passesByMutableRef for a constructor call.
bool passesByMutableRef(const CXXConstructExpr *C, unsigned Arg);
/// The number of leading arguments of \p C that are not the callee's
/// parameters (1 for a member operator call's object, else 0).
unsigned implicitObjectArgs(const CallExpr *C);
/// The object a member call is made on: the implicit object of `o.f()` /
/// `p->f()` (the pointer for the latter), or the first argument of a member
/// operator call (`pool << task`). Null for other calls.
const Expr *memberCallObject(const CallExpr *C);

/// A binary operator as the source wrote it: its operator and operands.
struct BinaryForm {
  BinaryOperatorKind Op;
  const Expr *LHS;
  const Expr *RHS;
};
/// \p E as a binary operator: a built-in one, a C++20 comparison rewritten
/// by the compiler (`it != end` as `!(it == end)`), or an overloaded
/// comparison operator; nothing otherwise.
std::optional<BinaryForm> binaryFormOf(const Expr *E);

/// Visits the statements of \p FD's definition (its body and, for a
/// constructor, its member initialisers) in pre-order, on an explicit
/// stack, until \p Visit returns false; below a lambda only when
/// \p IntoLambdas. Nothing when \p FD has no definition.
void forEachStmtOf(const FunctionDecl *FD,
                   llvm::function_ref<bool(const Stmt *)> Visit,
                   bool IntoLambdas = true);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_CORE_EXPRUTILS_H
