//===--- CleanupPaths.h - deferred cleanups on missing or closed values ---===//
//
// The query of mapguard-cleanup-on-missing, on one function:
//  1. a cleanup (analysis/DeferredCleanup) whose body uses a captured value
//     that may be missing after a map lookup where the cleanup is registered
//     (LookupMiss::stateBefore), and does not test it first (HandleUses);
//     by reference, only when no write may fill it in before scope exit;
//  2. a handle closed twice: explicitly and by a cleanup (either order), or
//     by two cleanups that both run with the same value.
// Paths are searches over the shared CFG, each a forward problem on the
// shared engine whose transfer is a table: for each event (registration,
// scope exit, close, write) and armed state, continue, arm, stop or found.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CLEANUP_CLEANUPPATHS_H
#define MAPGUARD_CHECKS_ANALYSIS_CLEANUP_CLEANUPPATHS_H

#include "analysis/cleanup/DeferredCleanup.h"
#include "analysis/core/MapGuardAnalyses.h"
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

struct CleanupFinding {
  enum KindTy {
    MayBeMissing,            ///< the cleanup uses a value that may be missing
    ClosedAgainByCleanup,    ///< closed, then closed again by a cleanup
    ClosedAgainAfterCleanup, ///< closed by a cleanup, then explicitly
  } Kind;
  /// Where to warn: the registration, or the second close.
  SourceLocation Loc;
  /// The value or handle.
  std::string Name;
  /// MayBeMissing: the lookup.
  SourceLocation Lookup;
  /// MayBeMissing: the use in the body; a double close: the first close.
  SourceLocation Other;
};

/// The findings of \p FD (a definition) under \p Model, in the order found.
std::vector<CleanupFinding> findCleanupProblems(const FunctionDecl *FD,
                                                MapGuardAnalyses &A,
                                                const MapModel &Model,
                                                const AnalysisBudget &Budget);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_CLEANUP_CLEANUPPATHS_H
