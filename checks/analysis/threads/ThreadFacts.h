//===--- ThreadFacts.h - what a function does for threads, as data --------===//
//
// The thread facts of one function as plain data (no AST pointer; functions,
// maps and mutexes known by USR, places by file, line and column), so that
// the project index can carry them across translation units: the maps it
// accesses with the locks held there, the functions it calls with the locks
// held at the call, the threads it starts, and the callables it hands to
// other code. ThreadFactsExtractor (ThreadFactsExtractor.h) computes them from
// an AST; CrossUnitRaces (CrossUnitRaces.h) reads them.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADFACTS_H
#define MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADFACTS_H

#include "analysis/lookup/SummaryFacts.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

/// A lock held: the USR of the mutex (a field: every object's; a variable),
/// or empty for a mutex that cannot be named, which protects everything.
struct LockFact {
  std::string Mutex;
  bool Shared = false;
  bool operator==(const LockFact &O) const {
    return Mutex == O.Mutex && Shared == O.Shared;
  }
};

/// A map access written in the function.
struct MapAccessFact {
  /// The map: USR of the field (of whichever object of its class) or of the
  /// global or static variable; and its name, for messages.
  std::string Map;
  std::string MapName;
  bool Write = false;
  /// The locks that may be held there (as LockState says).
  std::vector<LockFact> Locks;
  /// The lock analysis skipped the function: the access counts as guarded.
  bool Guarded = false;
  SourceSpot At;
};

/// A call the function makes.
struct CallFact {
  /// The callee's USR; for a virtual call, the method named (its overriders
  /// in the project may run, see ThreadFacts::Overrides).
  std::string Callee;
  bool Virtual = false;
  /// The locks that may be held at the call.
  std::vector<LockFact> Locks;
  bool Guarded = false;
  SourceSpot At;
};

/// A thread the function starts.
struct SpawnFact {
  /// What runs on the thread (a function, a method, a lambda's operator()).
  std::string Entry;
  SourceSpot At;
  /// Where the function waits for it (join, a future's get), if it does:
  /// the thread runs beside the function's code between At and JoinedAt, or
  /// to the end of the function and beyond (its callers) when not joined.
  std::optional<SourceSpot> JoinedAt;
};

/// A callable the function hands to other code, stored, bound or passed
/// (`std::bind(&S::on_open, this, _1)`, a lambda, `&f`, a member-function
/// pointer), not to a spawner.
struct CallbackFact {
  /// The callable's USR (a function, a method, a lambda's operator()).
  std::string Callable;
  /// The function it is handed to (USR), or empty when it is stored in a
  /// variable or field (a std::function member).
  std::string HandedTo;
  /// Its qualified name, for messages (a library's function has no record).
  std::string HandedToName;
  /// Where it is handed to has no body the project shows (a library's
  /// `set_handler`): it runs where the library decides.
  bool ToLibrary = false;
  SourceSpot At;
};

/// What one function does for threads.
struct ThreadFacts {
  /// The facts below were computed (an empty list is then a "none").
  bool Known = false;
  std::vector<MapAccessFact> Accesses;
  std::vector<CallFact> Calls;
  std::vector<SpawnFact> Spawns;
  std::vector<CallbackFact> Callbacks;
  /// The virtual methods this method overrides (USRs).
  std::vector<std::string> Overrides;
  /// The function hands its parameter SpawnerParam to a spawner: it is a
  /// spawner itself (-1: it is not).
  int SpawnerParam = -1;
  /// The program's `main`.
  bool IsMain = false;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADFACTS_H
