//===--- HandleUses.h - what code does with a handle ------------*- C++ -*-===//
//
// Shared by the checks that follow a handle (a pointer, smart pointer,
// callable, shim Chan/Ptr) into code that runs later -- a deferred cleanup
// body, a thread body: which declaration an expression names, which handle a
// statement closes or gives a new value, and whether a body uses a value
// before testing it.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CORE_HANDLEUSES_H
#define MAPGUARD_CHECKS_ANALYSIS_CORE_HANDLEUSES_H

#include "analysis/core/ExprUtils.h"
#include "analysis/core/MapModel.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include <optional>

namespace clang::tidy::mapguard {

/// How a statement uses a handle's value as a live handle.
enum class HandleUseKind {
  Deref,  ///< `*p`, `p->x`, `p->*m`, through a raw or a smart pointer
  Call,   ///< `f()` of a callable, a call through a function pointer
  ChanOp, ///< a shim Chan's send/recv/close, or a range-for over it
  Close,  ///< the handle handed to a close function (CloseFunctions)
};

/// One use: the expression that designates the handle, and how.
struct HandleUse {
  const Expr *Handle = nullptr;
  HandleUseKind Kind = HandleUseKind::Deref;
};

/// The use of a handle that \p S itself makes (not its subexpressions), the
/// one definition every analysis shares. A close counts as a use of the
/// value for code that runs later (a cleanup body closing a missing file);
/// the lookup-miss analysis leaves Close out, since close functions commonly
/// accept null (free, Release, shutdown) and CloseFunctions names them
/// loosely.
std::optional<HandleUse> handleUseOf(const Stmt *S, const MapModel &Model);

/// The handle that \p S closes: the first argument of a close function
/// (`fclose(f)`), or the object of a close method (`ch.close()`); null
/// otherwise. Members of standard classes are idempotent and never count.
const Expr *closedHandle(const Stmt *S, const MapModel &Model);

/// \p S may give \p H a new value: assignment, ++/--, its address taken,
/// reset/release/swap/emplace/assign/clear, a non-const reference argument,
/// a (re)declaration.
bool writesHandle(const Stmt *S, const ValueDecl *H, const MapModel &Model);

/// What a body (a cleanup, a thread) does with one value (the declaration it refers to).
struct BodyFacts {
  /// The first use (->, *, call, close) not preceded in the body by a
  /// condition that mentions the value or by a write of it.
  const Stmt *UnguardedUse = nullptr;
  /// The first close of the value.
  const CallExpr *Close = nullptr;
  /// That close runs only if some other condition holds (`if (!ok)`), so
  /// the cleanup may not close at all.
  bool CloseUnderOtherCondition = false;
  /// That close is guarded by a test of the value (`if (f) fclose(f)`).
  bool CloseUnderOwnTest = false;
  /// The body writes the value (`f = nullptr` after closing it).
  bool Writes = false;
};

/// Scans \p Body (not the lambdas nested in it) for what it does with \p D.
BodyFacts scanBody(const Stmt *Body, const ValueDecl *D, const MapModel &Model);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_CORE_HANDLEUSES_H
