//===--- ThreadEntries.h - what runs on which thread ------------*- C++ -*-===//
//
// Thread entry points and the code they reach in the translation unit.
//
// A spawn site is a std::thread / std::jthread construction (including
// emplace_back of a callable into a container of threads), or a call of a
// spawner function (std::async, pthread_create, the shim's go,
// ThreadSpawners) — both recognised through MapModel. Its entry is the
// lambda, function, function pointer or member function given to it.
//
// From an entry (thread side), or from the spawning function's code between
// the spawn and the join (main side), a bounded walk follows calls to
// functions defined in the TU (member functions through `this`, lambdas
// written in the body, virtual calls to the overriders the TU shows, see
// VirtualTargets) and resolves map objects to ObjectKeys: a global or
// static, a local of the spawning function captured by reference or pointer,
// a field of a shared object. Locals of the thread's own functions,
// thread_local variables, copies, elements of a container or an array of
// maps and what an iterator designates resolve to nothing: they are not one
// shared object. Calls inside std::call_once and static-local initialisers
// are marked (runsOnce): every other caller waits for them.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADENTRIES_H
#define MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADENTRIES_H

#include "analysis/core/FunctionParents.h"
#include "analysis/core/MapModel.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <optional>

namespace clang::tidy::mapguard {

class VirtualTargets;

/// The identity of a possibly shared object: the innermost named container
/// (a variable, a field, or the class record standing for the spawning
/// function's `this`) and the field of it, if any.
struct ObjectKey {
  const Decl *Root = nullptr;
  const Decl *Field = nullptr;
  bool operator==(const ObjectKey &O) const {
    return Root == O.Root && Field == O.Field;
  }
  /// The declaration that names the object (for messages).
  const NamedDecl *named() const;
};

/// What `this` and the parameters stand for in a function being walked.
struct CallContext {
  /// The object `this` designates, or null when it is not shared (a copy,
  /// or unknown).
  const Decl *ThisRoot = nullptr;
  /// Reference and pointer parameters bound to shared objects.
  llvm::SmallVector<std::pair<const ParmVarDecl *, ObjectKey>, 2> Params;
};

/// How a spawned thread is waited for.
enum class HandleKind {
  None,       ///< no handle (go, a spawner's result dropped): see JoinObjects
  Variable,   ///< a thread / future / pthread_t variable or field
  Container,  ///< a container of threads or futures
  Temporary,  ///< a discarded std::async future: joined at once
  Detached,   ///< .detach(): never joined
};

/// One place where a thread is started.
struct SpawnSite {
  const Expr *Spawn = nullptr;             ///< for "thread started here"
  const FunctionDecl *Spawner = nullptr;   ///< the function that spawns
  const FunctionDecl *Entry = nullptr;     ///< what runs on the thread
  CallContext EntryContext;
  HandleKind Handle = HandleKind::None;
  const Decl *HandleDecl = nullptr;
  bool JoinsAtScopeEnd = false;            ///< std::jthread
  /// For a thread type inferred from the TU whose constructor only stores
  /// the callable: the first call on the handle of a method that starts the
  /// thread (`t.start()`), where the thread really begins.
  const Expr *StartCall = nullptr;
  /// Objects whose wait()/join() waits for handle-less threads (the pool of
  /// a ThreadSpawner, a WaitGroup, a latch).
  llvm::SmallVector<const Decl *, 2> JoinObjects;
};

/// What the user of a walk carries down a call chain (Races: the locks held
/// at the calls that led there), interned as a number; 0 at the root.
using ChainState = unsigned;

/// One step of a walk: a function reached with a context, and the call
/// sites that led there from the root (each in its caller).
struct Frame {
  const FunctionDecl *FD = nullptr;
  CallContext Ctx;
  bool ThreadSide = false;
  llvm::SmallVector<std::pair<const FunctionDecl *, const Stmt *>, 4> Chain;
  ChainState State = 0;
};

/// The state of a callee's frame, from its caller's frame and the call.
using ChainStep =
    llvm::function_ref<ChainState(const Frame &Caller, const Stmt *Call)>;

/// A map access in a function: the call, how it accesses the map, and the
/// expression naming the map (or a pointer to it).
struct MapAccessSite {
  const Expr *Call = nullptr;
  MapAccessKind Kind = MapAccessKind::None;
  const Expr *Object = nullptr;
  bool ThroughPointer = false;
};

/// Budgets of the walk.
struct ThreadEntriesOptions {
  /// Functions visited per walk.
  unsigned MaxFunctions = 200;
  /// Call depth below the root.
  unsigned MaxDepth = 8;
};

/// Spawn sites of a TU and the walks from them. One per check instance.
class ThreadEntries {
public:
  ThreadEntries(const MapModel &Model, ThreadEntriesOptions Opts,
                VirtualTargets &Virtuals);
  ~ThreadEntries();

  /// Records \p E (a thread construction, a container emplace of a callable
  /// into threads, or a spawner call) found in \p Spawner, whose statements
  /// sit as \p Parents says; returns false when it is not a spawn whose
  /// entry can be found.
  bool addSpawn(const Expr *E, const FunctionDecl *Spawner,
                const FunctionParents &Parents, ASTContext &Ctx);
  /// The site \p E would add, not added, also when its entry has no body
  /// in this TU (Entry is then its declaration): for the facts of the
  /// project index, whose entries may be defined in another TU.
  std::optional<SpawnSite> siteOf(const Expr *E, const FunctionDecl *Spawner,
                                  const FunctionParents &Parents,
                                  ASTContext &Ctx);
  llvm::ArrayRef<SpawnSite> sites() const { return Sites; }
  const ThreadEntriesOptions &options() const { return Opts; }

  /// Walks what runs on the thread of \p S. Each walk visits a function once
  /// per context and state (\p Step gives a callee's state; without it every
  /// frame has state 0), at the smallest depth it is reached at, so a
  /// function reached along many call chains costs one visit of the
  /// MaxFunctions budget, not one per chain.
  void walkThread(const SpawnSite &S,
                  llvm::function_ref<void(const Frame &)> Visit,
                  ChainStep Step = nullptr);
  /// Walks the spawning function's code for which \p InWindow holds (a
  /// source range test on top-level statements) and what it calls.
  void walkMainSide(const SpawnSite &S,
                    llvm::function_ref<bool(const Stmt *)> InWindow,
                    llvm::function_ref<void(const Frame &)> Visit,
                    ChainStep Step = nullptr);

  /// Walks the code of \p FD for which \p InWindow holds (on top-level
  /// statements) and what it calls, with `this` standing for \p ThisRoot, on
  /// the spawning side of a thread that outlives its spawner (a caller of
  /// the spawner, a public method of the thread's class). Calls of \p Skip
  /// are not followed.
  void walkFrom(const FunctionDecl *FD, const Decl *ThisRoot,
                llvm::function_ref<bool(const Stmt *)> InWindow,
                const FunctionDecl *Skip,
                llvm::function_ref<void(const Frame &)> Visit,
                ChainStep Step = nullptr);

  /// What `this` of \p Callee designates at \p Call, written in \p Caller
  /// (its own variables, fields of its `this`): the declaration of the
  /// object, or null when it cannot be named.
  const Decl *thisAt(const CallExpr *Call, const FunctionDecl *Callee,
                     const FunctionDecl *Caller);

  /// Map accesses written in \p FD (not in nested lambdas).
  llvm::ArrayRef<MapAccessSite> accessesOf(const FunctionDecl *FD);

  /// \p CallSite (a call, a lambda or a map access of a function whose
  /// accesses were collected) runs inside std::call_once / pthread_once or a
  /// static local's initialiser: once, while every other caller waits.
  bool runsOnce(const Stmt *CallSite) const;

  /// The shared object that \p A accesses in \p F, or nullopt when it is not
  /// shared or cannot be named.
  std::optional<ObjectKey> objectOf(const MapAccessSite &A, const Frame &F);

  /// The mutex that the lock declaration \p Mutex (as LockState names it)
  /// designates in \p F: a reference or pointer parameter bound to a shared
  /// mutex stands for that mutex, a local reference for what it refers to.
  /// Returns null (an unknown mutex, which protects everything) for a
  /// reference or pointer parameter bound to nothing this walk can name.
  const Decl *lockIdentity(const Decl *Mutex, const Frame &F);

  /// The roots of the walks that stopped at MaxFunctions (in order, one
  /// entry per walk cut).
  llvm::ArrayRef<const FunctionDecl *> cutWalks() const { return Cut; }

  /// `this` of \p FD as the spawning function sees it (its class; the
  /// enclosing method's class for a lambda), or null.
  static const Decl *ownThisRoot(const FunctionDecl *FD);

private:
  struct FunctionFacts;
  const FunctionFacts &factsOf(const FunctionDecl *FD);
  void walk(Frame Root, llvm::function_ref<bool(const Stmt *)> Filter,
            llvm::function_ref<void(const Frame &)> Visit,
            const FunctionDecl *Skip, ChainStep Step);

  std::optional<ObjectKey> object(const Expr *E, const Frame &F,
                                  unsigned Depth);
  std::optional<ObjectKey> pointee(const Expr *E, const Frame &F,
                                   unsigned Depth);
  std::optional<ObjectKey> variable(const VarDecl *V, bool Pointee,
                                    const Frame &F, unsigned Depth);
  std::optional<CallContext> calleeContext(const Expr *Call,
                                           const FunctionDecl *Callee,
                                           const Frame &F);

  const MapModel &Model;
  ThreadEntriesOptions Opts;
  VirtualTargets &Virtuals;
  llvm::SmallVector<SpawnSite, 8> Sites;
  llvm::DenseSet<const FunctionDecl *> SpawnedLambdas;
  llvm::DenseSet<const Stmt *> OnceSites;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionFacts>> Facts;
  llvm::SmallVector<const FunctionDecl *, 2> Cut;
};

/// Adds to \p Out the lambdas that \p Body (not its nested lambdas) hands
/// directly to a thread: arguments of a spawner call (std::async, the shim's
/// go, ThreadSpawners) or of a thread's construction.
void spawnedLambdasIn(const Stmt *Body, const MapModel &Model,
                      llvm::SmallPtrSetImpl<const LambdaExpr *> &Out);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADENTRIES_H
