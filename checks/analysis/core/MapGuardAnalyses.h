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
//   - the TU's call index (who calls a function), built on first request;
//   - the skips: each analysis that gave up on a function over a budget;
//   - the project index the checks were given (the ProjectIndex option) and
//     the facts of this TU's own functions (unitFacts), which replace the
//     index's for this TU (indexView). A host that builds the index
//     (`mapguard index`) sets extractFacts(): the checks then only record
//     facts into unitFacts, they report nothing.
// Results are keyed by AST nodes of the current TU. A new TU (a new
// preprocessor or ASTContext) forgets them; the models stay (checks keep
// pointers to them in their matchers) with their caches cleared.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CORE_MAPGUARDANALYSES_H
#define MAPGUARD_CHECKS_ANALYSIS_CORE_MAPGUARDANALYSES_H

#include "analysis/index/ProjectIndex.h"
#include "analysis/lookup/AssertionMacros.h"
#include "analysis/core/FunctionCFG.h"
#include "analysis/core/MapModel.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace clang {
class Preprocessor;
namespace tidy {
class ClangTidyContext;
namespace mapguard {

class CallIndex;
class VirtualTargets;
class DeferredCleanupFinder;
class FunctionSummaries;
class LockState;
class LookupMissAnalysis;
class ThreadEntries;
class ThreadOrdering;
struct ThreadEntriesOptions;

/// The budgets every flow-sensitive analysis obeys; one default each, read
/// by every check as options of the same names (docs/checks/*.md). A
/// function over budget is skipped (no finding, never a guess), and the
/// skip is recorded (MapGuardAnalyses::skipped, the ReportSkipped option).
struct AnalysisBudget {
  /// Functions whose CFG has more blocks are skipped.
  unsigned MaxBlocks = 3000;
  /// Fixpoint visits allowed per block of the CFG (in total over the run)
  /// before the function is skipped.
  unsigned MaxBlockVisits = 40;
  /// Lookups (slots) one state of the lookup-miss analysis may track at
  /// once; more and the function is skipped.
  unsigned MaxTrackedSlots = 256;
  bool operator<(const AnalysisBudget &O) const {
    return std::tie(MaxBlocks, MaxBlockVisits, MaxTrackedSlots) <
           std::tie(O.MaxBlocks, O.MaxBlockVisits, O.MaxTrackedSlots);
  }
  bool operator==(const AnalysisBudget &O) const {
    return std::tie(MaxBlocks, MaxBlockVisits, MaxTrackedSlots) ==
           std::tie(O.MaxBlocks, O.MaxBlockVisits, O.MaxTrackedSlots);
  }
};

/// The analyses that can give up on a function (a bit each).
enum SkippedAnalysis : unsigned {
  SkipLookupMiss = 1,   ///< LookupMiss: no lookup finding in the function
  SkipSummaries = 2,    ///< Summaries: calls of the function are opaque
  SkipCleanupPaths = 4, ///< CleanupPaths: no cleanup finding
  SkipLocks = 8,        ///< LockState: every access counts as guarded
  SkipOrdering = 16,    ///< ThreadOrdering: source order only
  SkipThreadWalk = 32,  ///< ThreadEntries: the walk stopped (MaxFunctions)
  SkipRaces = 64,       ///< Races: pairs of accesses not all compared
};

/// An analysis that gave up on a function: which one, and the budget (an
/// option name) with the limit it reached.
struct SkipRecord {
  const FunctionDecl *Function = nullptr;
  unsigned Analysis = 0; ///< one SkippedAnalysis bit
  std::string Budget;
  unsigned Limit = 0;
  /// The budgets the analysis ran under: the checks with these budgets read
  /// its results, so the skip is theirs. None for a budget of one check
  /// alone (the thread walk's MaxFunctions).
  std::optional<AnalysisBudget> RanUnder;
};

/// A skip as a check reports it (MapGuardCheck::reportSkipped): the check,
/// and the function and budget of a SkipRecord of an analysis it reads.
struct CheckSkip {
  std::string Check;
  const FunctionDecl *Function = nullptr;
  std::string Budget;
  unsigned Limit = 0;
};

class MapGuardAnalyses {
public:
  /// The context of the checks created for \p Ctx (one per clang-tidy run
  /// or clangd parse); created on first request, freed with the last check.
  static std::shared_ptr<MapGuardAnalyses> get(ClangTidyContext *Ctx);
  /// Forgets the context of \p Ctx, for a host whose checks of \p Ctx were
  /// leaked by a crash (they still hold it): a ClangTidyContext created
  /// later at the same address must get a fresh context, not the crashed
  /// one's (with its index, its extract mode).
  static void forget(ClangTidyContext *Ctx);

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
  /// \p FD's CFG, or null when it has none or is over \p B's block budget
  /// (recorded as a skip of \p Asker, a SkippedAnalysis bit, when not 0).
  const FunctionCFG *cfgOf(const FunctionDecl *FD, const AnalysisBudget &B,
                           unsigned Asker = 0);

  /// Records that \p Analysis (a SkippedAnalysis bit) gave up on \p FD:
  /// \p Budget (an option name) reached \p Limit, running under
  /// \p RanUnder (none for a budget of one check alone). Once per function,
  /// analysis, budget and budgets run under.
  void recordSkip(const FunctionDecl *FD, unsigned Analysis,
                  llvm::StringRef Budget, unsigned Limit,
                  std::optional<AnalysisBudget> RanUnder);
  /// The skips of the current translation unit, in the order they happened
  /// (for the ReportSkipped option and the scanner's notifications).
  llvm::ArrayRef<SkipRecord> skipped() const { return Skips; }

  /// For a host that reports skips itself (the scanner): from now on each
  /// check hands its skips to addCheckSkip() instead of warning about them,
  /// whatever its ReportSkipped option says. Set before the checks run.
  void collectCheckSkips() { CollectCheckSkips = true; }
  bool collectsCheckSkips() const { return CollectCheckSkips; }
  /// A check's skip, when collectsCheckSkips().
  void addCheckSkip(CheckSkip S) { CheckSkips.push_back(std::move(S)); }
  /// The checks' skips of the current translation unit, in the order they
  /// were reported; valid as long as its AST.
  llvm::ArrayRef<CheckSkip> checkSkips() const { return CheckSkips; }

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
  /// What virtual calls may run, as far as the TU shows (index built on
  /// first request).
  VirtualTargets &virtualTargets();

  ASTContext *astContext() const { return Ctx; }

  /// For a host building the project index: the checks of every TU from now
  /// on record the facts of its functions in unitFacts() and report nothing.
  /// Set before the checks run.
  void extractFacts() { ExtractFacts = true; }
  bool extractsFacts() const { return ExtractFacts; }
  /// The facts of this TU's functions recorded so far (units() holds the
  /// main file once something was recorded); forgotten with the TU.
  ProjectIndex &unitFacts() { return UnitFacts; }
  /// The record of \p FD in unitFacts(), created with its USR, name,
  /// definition and unit (and the unit added) on first request.
  IndexedFunction &recordFunction(const FunctionDecl *FD);
  /// The TU's main file, absolute, as index records name their unit.
  std::string mainFile() const;
  /// \p FD's body is in this TU's main file or one of its own headers (not a
  /// system header): its facts belong in unitFacts().
  bool isProjectFunction(const FunctionDecl *FD) const;

  /// The project index given to the checks (ProjectIndex option), or null.
  /// Loading it is the checks' business (they report a bad one); the
  /// context keeps the first one given.
  void setProjectIndex(std::shared_ptr<const ProjectIndex> Index) {
    if (!Project)
      Project = std::move(Index);
  }
  const ProjectIndex *projectIndex() const { return Project.get(); }
  /// True the first time \p Path is asked for: that caller loads it.
  bool tryProjectIndex(llvm::StringRef Path) {
    return TriedIndexes.insert(Path.str()).second;
  }
  /// The facts this TU is analysed with: its own, then the index's records
  /// of other units. Empty without an index.
  IndexView indexView();

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
  std::unique_ptr<VirtualTargets> Virtuals;
  std::vector<SkipRecord> Skips;
  std::set<std::tuple<const FunctionDecl *, unsigned, std::string, unsigned,
                        std::optional<AnalysisBudget>>>
      SkipKeys;
  bool CollectCheckSkips = false;
  std::vector<CheckSkip> CheckSkips;
  bool ExtractFacts = false;
  ProjectIndex UnitFacts;
  std::shared_ptr<const ProjectIndex> Project;
  std::set<std::string> TriedIndexes;
};

} // namespace mapguard
} // namespace tidy
} // namespace clang

#endif // MAPGUARD_CHECKS_ANALYSIS_CORE_MAPGUARDANALYSES_H
