//===--- CrossUnitRaces.h - races whose story spans TUs ---------*- C++ -*-===//
//
// The program-level concurrent-write query, over the facts a translation
// unit is analysed with (IndexView: its own fresh facts, then the project
// index's). Roots, each a set of functions that run on one thread:
//  (a) the entry of each thread a SpawnFact starts (in any unit), and each
//      callable handed to a project function that hands its parameter to a
//      spawner (SpawnerParam);
//  (b) the spawning side: the spawner's calls and accesses after the spawn
//      (up to JoinedAt when it joins; when it does not, also the code after
//      each call of the spawner in its callers, one level up);
//  (c) a callable handed to code outside the project's view (ToLibrary, the
//      callee not defined in the index): it runs on a thread other than the
//      threads the program starts -- concurrent with the roots (a), not with
//      other callbacks nor with the spawning side (b) (the library's thread
//      is typically the one that runs the event loop). A callable handed to
//      a project function is a synchronous call of that function.
// Concurrent roots: (a) with its own (b); (a) with (c); two (a) of one
// spawner when one starts inside the other's window, of two spawners when
// neither is joined. Never a root with itself (loops and pools are the
// per-TU analysis').
//
// Reach follows CallFacts across units (a virtual call: also every function
// whose Overrides, transitively, contain the callee) with the locks that
// must be held on entry (the intersection over paths of the locks at the
// calls), at most MaxFunctions functions per root. Two accesses of one map
// (class-level: a field of any object) race when their roots are
// concurrent, one writes (CheckReads: or one reads), neither is Guarded, and
// their lock sets (own and inherited) share no mutex held exclusively by one
// of them and hold no lock that cannot be named.
//
// Precision: only races whose story needs another TU (some function on
// either path, a root's entry or spawner, is not this TU's fresh record) are
// returned; the per-TU analysis, which knows objects and ordering, keeps the
// rest. Each race is reported at one access chosen the same way in every TU
// (the unguarded write; among equals the one that is not the thread's own
// routine, then the first in file order), and only by a TU that has that
// access's function fresh.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_THREADS_CROSSUNITRACES_H
#define MAPGUARD_CHECKS_ANALYSIS_THREADS_CROSSUNITRACES_H

#include "analysis/index/ProjectIndex.h"
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

struct CrossUnitOptions {
  /// Report a read racing a write, not only two writes.
  bool CheckReads = true;
  /// Functions reached per root.
  unsigned MaxFunctions = 500;
};

/// How a root runs.
enum class CrossUnitRootKind {
  Thread,   ///< (a): on a thread the program starts
  Spawner,  ///< (b): beside the thread it started
  Callback, ///< (c): on the library's thread
};

/// One call on the path from a root to an access.
struct CrossUnitCall {
  std::string Caller; ///< qualified name
  SourceSpot At;      ///< the call, in the caller
};

/// One side of a race: the access and how its code comes to run.
struct CrossUnitAccess {
  SourceSpot At;
  bool Write = false;
  /// The function the access is in (qualified name, USR).
  std::string Function, FunctionUSR;
  CrossUnitRootKind Kind = CrossUnitRootKind::Thread;
  /// The root function (a thread's entry, the spawner or its caller, the
  /// callback) and where the root starts: the spawn, or for a callback the
  /// call that hands it over (in StartedIn).
  std::string Root;
  /// The thread's entry (Thread, Spawner) or the callable (Callback).
  std::string Entry;
  SourceSpot Start;
  std::string StartedIn;
  /// For a callback: the function it is handed to.
  std::string HandedTo;
  /// The calls from the root down to Function, outermost first.
  std::vector<CrossUnitCall> Path;
};

struct CrossUnitRace {
  std::string Map, MapName;
  bool BothWrites = false;
  /// Where to warn (a fresh function's access), and the other side.
  CrossUnitAccess At, Other;
};

/// The races of \p View whose story needs another TU than \p Fresh's (the
/// facts of the TU being analysed), reported at accesses of \p Fresh's
/// functions, one per access, write/write races first. \p Cut, when given,
/// receives the USRs of \p Fresh's root functions whose reach stopped at
/// MaxFunctions (each TU says the cuts of its own roots).
std::vector<CrossUnitRace>
findCrossUnitRaces(const IndexView &View, const ProjectIndex &Fresh,
                   const CrossUnitOptions &Opts,
                   std::vector<std::string> *Cut = nullptr);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_THREADS_CROSSUNITRACES_H
