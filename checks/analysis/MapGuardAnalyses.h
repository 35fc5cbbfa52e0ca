//===--- MapGuardAnalyses.h - the per-TU analysis context -------*- C++ -*-===//
//
// One object per translation unit shared by every mapguard check that runs on
// it (they find it through their ClangTidyContext). It owns what the checks
// have in common and computes each piece once:
//   - the map models, one per distinct set of MapModel options: two checks
//     configured alike share one model and every result computed with it; a
//     check with its own options gets its own model and its own results;
//   - the assertion macros, recorded once from the preprocessor;
//   - one CFG per function (FunctionCFG);
//   - per model: the lookup-miss results of each function (per budget), the
//     deferred cleanups of each body, the lock states, the thread entries;
//   - the thread ordering of the spawning functions;
//   - the TU's call index (who calls a function), built on first request.
// Results are keyed by AST nodes of the current TU. A new TU (a new
// preprocessor or ASTContext) forgets them; the models stay (checks keep
// pointers to them in their matchers) with their caches cleared.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_MAPGUARDANALYSES_H
#define MAPGUARD_CHECKS_ANALYSIS_MAPGUARDANALYSES_H

#include "analysis/AssertionMacros.h"
#include "analysis/FunctionCFG.h"
#include "analysis/MapModel.h"
#include "llvm/ADT/DenseMap.h"
#include <map>
#include <memory>
#include <string>
#include <tuple>

namespace clang {
class Preprocessor;
namespace tidy {
class ClangTidyContext;
namespace mapguard {

class CallIndex;
class DeferredCleanupFinder;
class FunctionSummaries;
class LockState;
class LookupMissAnalysis;
class ThreadEntries;
class ThreadOrdering;
struct ThreadEntriesOptions;

/// The budgets every flow-sensitive analysis obeys; one default each, read
/// by every check as the options MaxBlocks and MaxBlockVisits. A function
/// over budget is skipped (no finding, never a guess).
struct AnalysisBudget {
  /// Functions whose CFG has more blocks are skipped.
  unsigned MaxBlocks = 3000;
  /// Fixpoint visits allowed per block before the function is skipped.
  unsigned MaxBlockVisits = 40;
  bool operator<(const AnalysisBudget &O) const {
    return std::tie(MaxBlocks, MaxBlockVisits) <
           std::tie(O.MaxBlocks, O.MaxBlockVisits);
  }
};

class MapGuardAnalyses {
public:
  /// The context of the checks created for \p Ctx (one per clang-tidy run
  /// or clangd parse); created on first request, freed with the last check.
  static std::shared_ptr<MapGuardAnalyses> get(ClangTidyContext *Ctx);

  MapGuardAnalyses();
  ~MapGuardAnalyses();
  MapGuardAnalyses(const MapGuardAnalyses &) = delete;
  MapGuardAnalyses &operator=(const MapGuardAnalyses &) = delete;

  /// Records the assertion macros \p PP expands; a new preprocessor starts a
  /// new translation unit. Idempotent per preprocessor.
  void attachPreprocessor(Preprocessor &PP);
  /// The TU being analysed is \p Ctx; a different one than before forgets
  /// the previous TU's results.
  void beginTranslationUnit(ASTContext &Ctx);

  const AssertionMacros &assertions() const { return Asserts; }

  /// The model for \p O (compared by content), shared by the checks that
  /// read the same options. Lives as long as this context.
  const MapModel &model(const MapModelOptions &O);

  /// Where the statements of \p FD sit (never the TU-wide parent map).
  const FunctionParents &parents(const FunctionDecl *FD);
  /// \p FD's CFG, or null when it has none or is over \p B's block budget.
  const FunctionCFG *cfgOf(const FunctionDecl *FD, const AnalysisBudget &B);

  /// The lookup-miss results of \p FD under \p M, or null when the function
  /// has no lookup that may miss, is dependent, or went over budget.
  const LookupMissAnalysis *lookupMisses(const FunctionDecl *FD,
                                         const MapModel &M,
                                         const AnalysisBudget &B);
  /// Function summaries under \p M (for lookups across calls).
  FunctionSummaries &summaries(const MapModel &M, const AnalysisBudget &B);
  /// The deferred-cleanup finder of \p M (results cached per body).
  DeferredCleanupFinder &cleanups(const MapModel &M);
  /// Lock states under \p M.
  LockState &locks(const MapModel &M, const AnalysisBudget &B);
  /// Thread entries under \p M (spawn sites are added by the caller).
  ThreadEntries &threads(const MapModel &M, const ThreadEntriesOptions &O);
  /// When spawned threads run relative to their spawning function.
  ThreadOrdering &ordering(const AnalysisBudget &B);
  /// The calls of each function of the TU (built on first request).
  const CallIndex &calls();

  ASTContext *astContext() const { return Ctx; }

private:
  void reset();
  struct PerModel;
  PerModel &scope(const MapModel &M);

  ASTContext *Ctx = nullptr;
  const Preprocessor *PP = nullptr;
  AssertionMacros Asserts;
  /// Models by the serialized options that shaped them.
  std::map<std::string, std::unique_ptr<MapModel>> Models;
  std::map<const MapModel *, std::unique_ptr<PerModel>> Scopes;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionParents>>
      Parents;
  /// Per function: its CFG, or null when clang builds none.
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionCFG>> CFGs;
  std::map<AnalysisBudget, std::unique_ptr<ThreadOrdering>> Orderings;
  std::unique_ptr<CallIndex> Calls;
};

} // namespace mapguard
} // namespace tidy
} // namespace clang

#endif // MAPGUARD_CHECKS_ANALYSIS_MAPGUARDANALYSES_H
