//===--- MapModel.h - what the mapguard checks know about types -----------===//
//
// The one place that answers "is this a map / a handle / a lock guard / a
// scope guard / a thread spawner / a map lookup" and that reads the options
// naming more of them (MapTypes, HandleTypes, LockTypes, ...). Every check and
// every analysis asks here; none keeps its own list.
//
// A MapModel is created per check instance, and clang-tidy creates check
// instances per translation unit, so its caches keyed by Decl are safe.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CORE_MAPMODEL_H
#define MAPGUARD_CHECKS_ANALYSIS_CORE_MAPMODEL_H

#include "clang-tidy/ClangTidyCheck.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

/// The options of the map model. Each list adds to the built-in names, except
/// NoReturnFunctions and CloseFunctions, whose defaults the user replaces.
/// Names follow hasName(): "::a::B" is fully qualified, "a::B" or "B" match
/// any enclosing scope; inline namespaces (std::__1, std::__cxx11) are
/// skipped.
struct MapModelOptions {
  /// Which options a check reads and stores; a check names the ones it uses.
  enum Group : unsigned {
    MapTypes = 1u << 0,          ///< more map class (template) names
    IgnoredTypes = 1u << 1,      ///< thread-safe maps, never reported
    HandleTypes = 1u << 2,       ///< more nullable handle types
    LockTypes = 1u << 3,         ///< more RAII lock guard types
    ScopeGuardTypes = 1u << 4,   ///< more deferred-cleanup types
    ThreadSpawners = 1u << 5,    ///< functions that run a callable on a thread
    LookupFunctions = 1u << 6,   ///< functions returning a maybe-null handle
    NoReturnFunctions = 1u << 7, ///< functions that never return
    CloseFunctions = 1u << 8,    ///< functions/methods that close a handle
  };

  std::vector<std::string> ExtraMapTypes;
  std::vector<std::string> Ignored;
  std::vector<std::string> ExtraHandleTypes;
  std::vector<std::string> ExtraLockTypes;
  std::vector<std::string> ExtraScopeGuardTypes;
  std::vector<std::string> ExtraThreadSpawners;
  std::vector<std::string> ExtraLookupFunctions;
  std::vector<std::string> NoReturn;
  std::vector<std::string> Close;
  unsigned Used = 0;

  /// Reads the groups in \p Used (local option first, then global).
  static MapModelOptions read(const ClangTidyCheck::OptionsView &Options,
                              unsigned Used);
  /// Writes back the groups this object was read with.
  void store(ClangTidyCheck::OptionsView &Options,
             ClangTidyOptions::OptionMap &Opts) const;
  /// The content of every list, serialized: two option sets with the same
  /// fingerprint make the same model (which groups were read does not
  /// matter, only what the lists hold).
  std::string fingerprint() const;
};

/// How a call on a map changes or reads it.
enum class MapAccessKind {
  None,  ///< not an access of a map
  Read,  ///< find, at, count, contains, iteration, size, ...
  Write, ///< operator[], insert*, emplace*, erase, clear, assignment, ...
};

/// How a value came out of a map.
enum class LookupKind {
  Subscript,      ///< m[k]: a miss inserts and returns a default value
  FindIterator,   ///< m.find(k): the iterator may be end()
  ShimLookup,     ///< shim Map::lookup: {default, false} on a miss
  LookupFunction, ///< a function named in LookupFunctions
};

class MapModel {
public:
  explicit MapModel(MapModelOptions Opts);

  const MapModelOptions &options() const { return Opts; }
  /// Forgets the per-declaration caches (a new translation unit).
  void clearCaches();

  // --- Types -------------------------------------------------------------
  /// A map container (std::map, unordered_map, absl hash/btree maps, the
  /// shim's Map, MapTypes) that is not in IgnoredTypes. References, cv and
  /// sugar are looked through; pointers are not.
  bool isMapType(QualType T) const;
  /// \p Obj, the object of a member call, is a map or a pointer to one
  /// (`m.find(k)`, `p->find(k)`).
  bool isMapObject(const Expr *Obj) const;
  /// The mapped_type of a map type, or a null type.
  QualType mappedType(QualType MapT) const;
  /// A value that a miss default-constructs into a dead handle: raw and
  /// function pointers, shared_ptr, unique_ptr, function, optional, the
  /// shim's Chan and Ptr, HandleTypes.
  bool isHandleType(QualType T) const;
  /// An RAII lock guard (lock_guard, unique_lock, scoped_lock, shared_lock,
  /// absl::MutexLock, LockTypes).
  bool isLockGuardType(QualType T) const;
  /// A guard that only takes the lock shared (std::shared_lock,
  /// absl::ReaderMutexLock, ...): it protects reads, not writes.
  bool isSharedLockGuardType(QualType T) const;
  /// A guard that can be released early (unique_lock::unlock()).
  bool isReleasableLockGuardType(QualType T) const;
  /// A type with lock() and unlock() (BasicLockable) or absl's Lock/Unlock.
  bool isMutexType(QualType T) const;
  /// A known deferred-cleanup type (gsl::final_action, absl::Cleanup,
  /// scope_exit, folly's guard, the shim's defer, ScopeGuardTypes). Classes
  /// whose destructor calls a stored callable are found by the cleanup
  /// analysis, not here.
  bool isScopeGuardType(QualType T) const;
  /// std::thread or std::jthread: constructing one starts a thread. Also a
  /// thread type inferred from the TU: a class (outside system headers)
  /// with a constructor taking a callable that runs threads itself (a
  /// std::thread or pthread_t member, or a method that starts one).
  bool isThreadType(QualType T) const;
  /// A scoped lock inferred from the TU: a class whose constructor calls
  /// lock()/Lock()/acquire()/lock_shared() (or test_and_set() on an
  /// atomic_flag) on a member and whose destructor calls unlock()/release()
  /// /clear() on one. isLockGuardType includes these.
  bool isInferredLockGuardType(QualType T) const;
  /// A class that runs threads: a thread member (std::thread, jthread,
  /// boost::thread, a container or smart pointer of one, a pthread_t) or a
  /// method that starts one.
  bool runsThreads(const CXXRecordDecl *RD) const;
  /// \p FD (a method, a constructor with its initialisers) itself constructs
  /// a std::thread / jthread / boost::thread or calls std::async,
  /// pthread_create, thrd_create.
  bool startsStdThread(const FunctionDecl *FD) const;
  /// A thread type inferred from the TU (see isThreadType), not a built-in.
  bool isInferredThreadType(QualType T) const;
  /// The thread type \p C builds when it is `std::make_unique<T>(args)`,
  /// `std::make_shared<T>(args)` or a project's make_unique of a thread type
  /// T (isThreadType): the call constructs T from its arguments. Null
  /// otherwise.
  QualType threadFactoryType(const CallExpr *C) const;
  /// A method of a class that runs threads, named like start/run/submit/
  /// post/enqueue/execute/schedule (PoolMethodNames) or an `operator<<`
  /// (`pool << task`), taking a callable: it
  /// runs the callable on one of its threads. isSpawnerFunction includes
  /// these.
  bool isInferredSpawnerMethod(const FunctionDecl *FD) const;

  // --- Functions ---------------------------------------------------------
  /// std::async, pthread_create, the shim's go, ThreadSpawners: calling one
  /// runs a callable argument on another thread.
  bool isSpawnerFunction(const FunctionDecl *FD) const;
  /// Never returns: [[noreturn]], abort/exit/terminate, NoReturnFunctions.
  bool isNoReturnFunction(const FunctionDecl *FD) const;
  /// Closes its argument or object: CloseFunctions.
  bool isCloseFunction(const FunctionDecl *FD) const;
  /// A shim Chan operation that blocks forever or panics on a nil channel:
  /// send, recv, close, and begin (a range-for over the channel).
  bool isChanOperation(const CXXMemberCallExpr *MC) const;
  /// Returns a handle that is null when a key is missing: LookupFunctions.
  bool isLookupFunction(const FunctionDecl *FD) const;

  // --- Expressions -------------------------------------------------------
  /// The map object that \p Call operates on (member call or operator call
  /// whose object is a map), or null.
  const Expr *mapObjectOf(const Expr *Call) const;
  /// The pointer through which \p Call, a member call, operates on a map
  /// (`p->insert(x)`), or null.
  const Expr *mapPointerOf(const Expr *Call) const;
  /// How \p Call (looking through implicit nodes: a CXXMemberCallExpr / CXXOperatorCallExpr on a map, or an
  /// assignment to one; member calls through a pointer to a map included)
  /// accesses the map.
  MapAccessKind classifyAccess(const Expr *Call) const;
  /// \p E (looking through parens, implicit nodes and copies) is a lookup whose result may
  /// be a miss; returns how. Subscripts count only when the mapped type is a
  /// handle: m[k]++ on a counter map is not a lookup miss.
  std::optional<LookupKind> classifyLookup(const Expr *E) const;

  // --- Lookups and tests of a key ----------------------------------------
  /// A lookup or a membership test written in place: `m[k]`, `m.find(k)`,
  /// `m.contains(k)`, `m.count(k)` on a map (any mapped type). Returns the
  /// key and sets \p Map; null otherwise.
  const Expr *keyOfAccess(const Expr *E, const Expr *&Map) const;
  /// `m.contains(k)` or `m.count(k)` on a map: true when found.
  const CXXMemberCallExpr *asMembershipTest(const Expr *E) const;
  /// `m.count(k)` on a map (comparable with a number).
  const CXXMemberCallExpr *asCountCall(const Expr *E) const;
  /// `X.end()`, `X.cend()`, `std::end(X)`, `std::cend(X)` on a map.
  bool isMapEnd(const Expr *E) const;
  /// The key an insertion makes present: `insert(pair/make_pair/{k, v})`,
  /// `emplace(k, ...)`, `try_emplace(k, ...)`, `insert_or_assign(k, v)`;
  /// sets \p Map. Null otherwise.
  const Expr *insertedKey(const CXXMemberCallExpr *MC, const Expr *&Map) const;

  // --- Threads: how they are waited for, run once, or launched ----------
  /// A method that waits for a thread or a task: join/get/wait on a handle,
  /// or join/wait/Wait/arrive_and_wait on an object that waits for
  /// handle-less tasks (\p HandleLess).
  static bool isJoinMethod(const FunctionDecl *FD, bool HandleLess);
  /// pthread_join, thrd_join: wait for the thread named by argument 0.
  static bool isJoinFunction(const FunctionDecl *FD);
  /// std::move, std::forward, std::ref, std::cref, std::addressof: pass a
  /// handle on without consuming it.
  static bool isHandleWrapper(const FunctionDecl *FD);
  /// A type that waits for handle-less tasks: a WaitGroup, a latch, a
  /// barrier.
  static bool isWaiterType(QualType T);
  /// std::call_once, absl::call_once, pthread_once: run a callable once with
  /// every concurrent caller waiting for it.
  static bool isOnceFunction(const FunctionDecl *FD);
  /// An argument of type std::launch.
  static bool isLaunchPolicy(const Expr *E);
  /// std::launch::deferred alone: the task runs on the thread that waits.
  static bool isDeferredLaunch(const Expr *E);
  /// std::jthread (or a container of them): joined when it dies.
  bool isJoiningThreadType(QualType T) const;

  /// The declaration's qualified name without inline namespaces, e.g.
  /// "std::unordered_map" (cached).
  StringRef qualifiedName(const NamedDecl *D) const;
  /// hasName()-style match of \p D against \p Names.
  bool nameMatches(const NamedDecl *D, llvm::ArrayRef<std::string> Names) const;
  bool nameMatches(const NamedDecl *D,
                   llvm::ArrayRef<llvm::StringRef> Names) const;

private:
  enum TypeKind : unsigned {
    TK_Map = 1, TK_Handle = 2, TK_Lock = 4, TK_SharedLock = 8,
    TK_ReleasableLock = 16, TK_Mutex = 32, TK_ScopeGuard = 64, TK_Thread = 128,
    TK_Ignored = 256,
    // inferredKinds: which of its two questions is answered.
    TK_InferredThreadKnown = 512, TK_InferredLockKnown = 1024,
  };
  unsigned classifyRecord(const CXXRecordDecl *RD) const;
  unsigned typeKinds(QualType T) const;
  /// TK_Thread / TK_Lock / TK_SharedLock inferred from a class's members
  /// (cached per record; only asked by the thread and lock questions).
  unsigned inferredKinds(const CXXRecordDecl *RD, unsigned Want) const;

  MapModelOptions Opts;
  mutable llvm::DenseMap<const Decl *, unsigned> RecordKinds;
  /// Bases being classified below the current class (bounds the recursion).
  mutable unsigned BaseDepth = 0;
  mutable llvm::DenseMap<const Decl *, unsigned> InferredKinds;
  mutable llvm::DenseMap<const Decl *, std::string> Names;
  mutable llvm::DenseMap<const Decl *, unsigned> FunctionKinds;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_CORE_MAPMODEL_H
