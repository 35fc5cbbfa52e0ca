//===--- Races.h - unguarded map accesses on concurrent threads -*- C++ -*-===//
//
// The race query of mapguard-concurrent-write. For every spawn site of the
// TU (ThreadEntries): the map accesses on the thread side and on the
// spawning side while the thread runs (ThreadOrdering), resolved to the
// shared object they touch, with the locks held there and at the call sites
// that led there (LockState). Two accesses of one object race when their
// sides run at the same time, at least one writes (or, with CheckReads, one
// reads and one writes), neither is ordered (std::call_once, a static
// initialiser, a function over budget) and no common lock excludes them.
// GUARDED_BY members are left to clang's -Wthread-safety.
//
// One finding per site: at the unguarded write if there is one, else at the
// unguarded read, else at the write; write/write races first.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_THREADS_RACES_H
#define MAPGUARD_CHECKS_ANALYSIS_THREADS_RACES_H

#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/threads/ThreadEntries.h"
#include <vector>

namespace clang::tidy::mapguard {

struct RaceOptions {
  AnalysisBudget Budget;
  /// Report a read racing a write, not only two writes.
  bool CheckReads = true;
};

/// One race, ready to be diagnosed.
struct RaceFinding {
  /// The map (a variable or a field).
  const NamedDecl *Map = nullptr;
  /// Both accesses write.
  bool BothWrites = false;
  /// Where to warn, and the other access (invalid when it is the same
  /// site racing itself).
  SourceLocation At, Other;
  /// The thread whose start makes them concurrent.
  const SpawnSite *Thread = nullptr;
};

std::vector<RaceFinding> findRaces(MapGuardAnalyses &Analyses,
                                   const MapModel &Model,
                                   ThreadEntries &Entries,
                                   const RaceOptions &Opts);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_THREADS_RACES_H
