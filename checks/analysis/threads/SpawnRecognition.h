//===--- SpawnRecognition.h - is this a spawn, and of what ------*- C++ -*-===//
//
// The one definition of "this expression starts a thread" and of "this is
// the callable it runs", shared by the concurrent-write check's matchers,
// ThreadEntries::addSpawn (the per-TU walks) and ThreadFactsExtractor (the
// facts of the project index). A spawn is
//  - a std::thread / std::jthread (a thread type of MapModel) constructed
//    from a callable, not copied or moved;
//  - a call of a spawner function (std::async, pthread_create, the shim's
//    go, ThreadSpawners);
//  - std::make_unique<T>(callable, ...) of a thread type T;
//  - threads.emplace_back(callable, ...) on a container of threads.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_THREADS_SPAWNRECOGNITION_H
#define MAPGUARD_CHECKS_ANALYSIS_THREADS_SPAWNRECOGNITION_H

#include "analysis/core/MapModel.h"
#include "analysis/threads/ThreadEntries.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace clang::tidy::mapguard {

/// A std::thread / std::jthread constructed from a callable (not a copy or
/// a move of another thread).
bool startsThread(const CXXConstructExpr *E, const MapModel &Model);
/// std::async, pthread_create, the shim's go, ThreadSpawners.
bool callsSpawner(const CallExpr *E, const MapModel &Model);
/// std::make_unique<T>(callable, ...) of a thread type T (a project's worker
/// class whose constructor starts its thread).
bool makesThread(const CallExpr *E, const MapModel &Model);
/// threads.emplace_back(callable, ...) on a container of threads: the
/// thread is constructed inside the library.
bool emplacesThread(const CXXMemberCallExpr *E, const MapModel &Model);
/// Any of the four above.
bool isSpawn(const Expr *E, const MapModel &Model);

/// std::ref(x) / std::cref(x): x; null for anything else.
const Expr *unwrapRef(const Expr *E);

/// A callable: a lambda (directly or through a local variable initialised
/// with one), a function, a member function pointer.
struct Callable {
  const FunctionDecl *Entry = nullptr;
  const LambdaExpr *Lambda = nullptr;
  bool IsMemberPointer = false;
};
/// The callable \p E designates (through `&`, copies, moves, a
/// std::function built from it, a local initialised with it), or nullopt.
std::optional<Callable> callableOf(const Expr *E, unsigned Depth = 0);

/// What a spawn hands to its thread.
struct SpawnArguments {
  /// The arguments after the callable's position is found: a std::bind's
  /// arguments replace the bind.
  llvm::SmallVector<const Expr *, 4> Args;
  /// `pool.submit(task)`, `pool << task`: the pool.
  const Expr *PoolObject = nullptr;
  bool IsPthread = false;
  /// The thread type constructed (a construction or a factory call).
  QualType Built;
  bool JoinsAtScopeEnd = false;
  HandleKind Handle = HandleKind::None;
  const Decl *HandleDecl = nullptr;
  llvm::SmallVector<const Decl *, 2> JoinObjects;
  /// The callable, when found, and its position in Args.
  std::optional<Callable> Fn;
  unsigned FnIndex = 0;
};

/// The arguments of the spawn \p E, or nullopt when it is not a spawn or
/// never starts a thread (std::launch::deferred, a pthread_create with too
/// few arguments). Fn is unset when the callable cannot be named (a
/// parameter, a call's result).
std::optional<SpawnArguments> spawnArguments(const Expr *E,
                                             const MapModel &Model);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_THREADS_SPAWNRECOGNITION_H
