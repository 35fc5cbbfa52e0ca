//===--- ThreadOrdering.h - when a thread runs beside its spawner -*- C++ -*-===//
//
// For a spawn site (ThreadEntries), which part of the spawning function runs
// while the thread may run: from the spawn to the first join of its handle
// (join/get/wait, pthread_join, the handle handed to a function that may
// join it), to the end of the handle's scope for a std::jthread, or to the
// end of the function when the thread escapes (detached, stored, never
// joined here). A spawn in a loop that is not joined in the same iteration
// overlaps itself. On top of the source-range window, a CFG reachability
// question: may this statement run after the spawn on some path (the branch
// that calls the work directly instead of spawning it does not)? It is a
// forward problem on the shared CFG, run by the shared engine.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADORDERING_H
#define MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADORDERING_H

#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/threads/ThreadEntries.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <map>
#include <optional>
#include <tuple>
#include <vector>

namespace clang::tidy::mapguard {

/// The part of the spawning function that runs while the thread may run,
/// as a source range [Begin, End).
struct ThreadWindow {
  SourceLocation Begin, End;
  /// The same spawn site starts threads that overlap (a loop without a join
  /// in the same iteration).
  bool SelfConcurrent = false;
  /// Not joined in the spawning function (detached, stored in a field).
  bool Escapes = false;
};

class ThreadOrdering {
public:
  ThreadOrdering(ASTContext &Ctx, MapGuardAnalyses &Analyses,
                 AnalysisBudget Budget);

  ThreadWindow windowOf(const SpawnSite &S);

  /// May \p St (a statement of \p S's spawning function) run after the
  /// spawn on some CFG path? Statements the CFG does not show, and
  /// functions over budget, keep the source-order answer (true).
  bool mayFollow(const SpawnSite &S, const Stmt *St);
  /// The same question for any function of the TU: may \p St run after
  /// \p Anchor (a statement of \p FD, e.g. the call that started a thread)?
  bool mayFollow(const FunctionDecl *FD, const Stmt *Anchor, const Stmt *St);

  /// The first call in \p FD's body after \p After (anywhere when invalid)
  /// that joins \p S's thread: join/get/wait on its handle (a field when the
  /// thread escapes into a member), pthread_join, wait() on its pool, or the
  /// handle handed to a function that may join it. Null when there is none.
  const CallExpr *joinIn(const SpawnSite &S, const FunctionDecl *FD,
                         SourceLocation After);

  /// Source order of expansion locations.
  bool before(SourceLocation A, SourceLocation B) const;
  bool within(SourceLocation L, const ThreadWindow &W) const;
  /// \p Inner's start lies within \p Outer's source range.
  bool contains(const Stmt *Outer, const Stmt *Inner) const;

private:
  const CallExpr *findJoin(const SpawnSite &S, const FunctionDecl *In,
                           SourceLocation After, const Stmt *&JoinLoop);
  /// Where the code after a spawn may run: the blocks entered after it (a
  /// bit per block, so a function with many spawns keeps blocks x spawns
  /// bits, not statements x spawns pointers) and the spawn's own element.
  struct After {
    llvm::BitVector Entered;
    CFGPoint Spawn;
    bool SpawnReached = false;
  };
  /// What may run after \p Spawn in \p G; nothing when the spawn is not
  /// one of its elements or the run went over budget.
  std::optional<After> reachableAfter(const FunctionCFG &G, const Stmt *Spawn);
  /// The calls in \p Body that may join \p S's thread, in the pre-order of
  /// findJoin, wherever they are (computed once per body and handle).
  const std::vector<const CallExpr *> &joinCandidates(const SpawnSite &S,
                                                      const Stmt *Body);

  ASTContext &Ctx;
  MapGuardAnalyses &Analyses;
  AnalysisBudget Budget;
  llvm::DenseMap<const Stmt *, std::optional<After>> Reachable;
  /// Per body and handle (kind, declaration, join objects).
  std::map<std::tuple<const Stmt *, bool, const Decl *,
                      std::vector<const Decl *>>,
           std::vector<const CallExpr *>>
      Joins;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADORDERING_H
