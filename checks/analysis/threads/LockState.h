//===--- LockState.h - which locks are held at a statement ------*- C++ -*-===//
//
// A forward dataflow analysis on a function's CFG: the set of locks that may
// be held before each statement. A lock is held
//  - while an RAII guard (MapModel::isLockGuardType, or a class annotated
//    SCOPED_CAPABILITY) constructed on it is alive and not released
//    (unique_lock::unlock() releases, lock() re-acquires, release() keeps the
//    mutex locked but unties it from the guard);
//  - between mu.lock() and mu.unlock() on a mutex (MapModel::isMutexType),
//    std::lock(a, b, ...), and calls of functions annotated ACQUIRE/RELEASE;
//  - in a function annotated REQUIRES / EXCLUSIVE_LOCKS_REQUIRED (and the
//    shared forms), for its whole body.
// Paths merge by union: a lock held on some path into a statement counts as
// held there. mapguard prefers silence to a false alarm, so a lock taken only
// conditionally still protects what follows.
//
// Mutexes are named by their declaration (objectDeclOf: a variable or a field, whatever
// object it belongs to). A mutex that cannot be named (returned by a call,
// a guard with no mutex argument, an annotation argument) is "unknown" and
// protects everything.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_THREADS_LOCKSTATE_H
#define MAPGUARD_CHECKS_ANALYSIS_THREADS_LOCKSTATE_H

#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/core/MapModel.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <optional>

namespace clang::tidy::mapguard {

/// One lock that is held.
struct HeldLock {
  /// The mutex's declaration (VarDecl or FieldDecl), or null when unknown:
  /// an unknown lock protects everything.
  const Decl *Mutex = nullptr;
  /// Taken shared (shared_lock, lock_shared, ReaderMutexLock): it only
  /// protects reads against writes taken exclusively.
  bool Shared = false;

  bool operator==(const HeldLock &O) const {
    return Mutex == O.Mutex && Shared == O.Shared;
  }
};
using LockSet = llvm::SmallVector<HeldLock, 2>;

/// Two accesses, holding \p A and \p B, exclude each other: some lock is held
/// by both and at least one of them holds it exclusively.
bool locksExclude(llvm::ArrayRef<HeldLock> A, llvm::ArrayRef<HeldLock> B);

/// Locks held at each statement of a function, computed once per function
/// on the shared CFG with the shared engine. A function over budget is
/// skipped: every statement then counts as guarded.
class LockState {
public:
  LockState(const MapModel &Model, MapGuardAnalyses &Analyses,
            AnalysisBudget Budget);
  ~LockState();

  /// The locks that may be held just before \p S runs in \p FD, or nullopt
  /// when the function was skipped (over budget, no CFG) or \p S is not one
  /// of its statements: callers treat that as guarded.
  std::optional<LockSet> heldAt(const FunctionDecl *FD, const Stmt *S);

private:
  struct FunctionLocks;
  const FunctionLocks &analyse(const FunctionDecl *FD);

  const MapModel &Model;
  MapGuardAnalyses &Analyses;
  AnalysisBudget Budget;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionLocks>> Cache;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_THREADS_LOCKSTATE_H
