//===--- LookupMiss.h - may this value be the default of a map miss? ------===//
//
// A forward, flow-sensitive analysis on the clang CFG of one function. It
// tracks "slots" — a variable bound to a lookup (`auto p = m[k]`,
// `auto it = m.find(k)`, `auto [v, ok] = m.lookup(k)`, `p = FindOrNull(m, k)`)
// or a lookup expression used in place (`m[k]->f()`, keyed by map and key) —
// and for each slot the set of ways a path can reach a point:
//
//   Unchecked  the lookup may have missed and nothing on the path asked;
//   Noticed    the path went through the miss branch of a check
//              (`it == m.end()`, `!p`, `!m.count(k)`, a bool holding one)
//              that neither initialised the value nor left;
//   Safe       the path asked and found it, assigned a value, or lost track.
//
// A use (`*p`, `p->`, `p()`, `it->second`, a nil shim Chan's send/recv/close)
// of a slot whose set holds Unchecked is a miss-default-use finding; one whose
// set holds Noticed but not Unchecked is an unhandled-miss finding. Each
// lookup is reported at its first use only.
//
// The model (lattice, transfer table, edge transfer) runs on the shared
// engine (Dataflow.h) over the function's shared CFG (FunctionCFG); the
// checks only format the findings. Results are computed once per function,
// model and budget by the per-TU context (MapGuardAnalyses::lookupMisses),
// so checks configured alike share one run.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_LOOKUP_LOOKUPMISS_H
#define MAPGUARD_CHECKS_ANALYSIS_LOOKUP_LOOKUPMISS_H

#include "analysis/lookup/AssertionMacros.h"
#include "analysis/core/FunctionCFG.h"
#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/core/MapModel.h"
#include "analysis/lookup/Summaries.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

class DeferredCleanupFinder;

/// Budgets and inputs of the analysis.
struct LookupMissOptions {
  AnalysisBudget Budget;
  /// Lambdas registered as deferred cleanups run at scope exit, not where
  /// they are written. Null: none known.
  DeferredCleanupFinder *Cleanups = nullptr;
  /// What functions of the TU return, use and test (lookups behind
  /// helpers). Null: calls are opaque.
  FunctionSummaries *Summaries = nullptr;
  /// Assertions the preprocessor may have compiled away (NDEBUG): a
  /// default-use finding is dropped when one between the lookup and the use
  /// mentions the value (`assert(it != m.end())`). Null: none known.
  const AssertionMacros *Asserts = nullptr;
};

/// One finding of the analysis.
struct LookupMissFinding {
  enum KindTy {
    DefaultUse,    ///< used and nothing on some path asked
    UnhandledMiss, ///< the miss was noticed, not handled, and the use follows
  } Kind;
  /// The use: the dereference, call or member access.
  const Expr *Use = nullptr;
  /// The lookup whose miss may reach the use.
  const Expr *Lookup = nullptr;
  /// For UnhandledMiss: the check whose miss branch falls through.
  const Expr *Check = nullptr;
  /// The variable's name, or the lookup as written (`m[k]`).
  std::string Name;
  /// The lookup is `find()`: the value is an iterator that may be end(),
  /// rather than a default-constructed handle.
  bool IsIterator = false;
  /// The lookup is written in place (`m[k]->f()`), not bound to a variable.
  bool InPlace = false;
  /// The lookup is behind helpers: the calls from this function down to the
  /// one whose body holds Lookup (outermost first).
  llvm::SmallVector<const CallExpr *, 2> Via;
  /// Use is a call handing the value to a function that uses it on every
  /// path: that use, in the callee.
  const Stmt *CalleeUse = nullptr;
  /// The last call of Via runs a function of another TU (the project
  /// index's record, which says where its lookup is); Lookup is then null.
  const IndexedFunction *RemoteLookup = nullptr;
  /// Use hands the value to a function of another TU that uses it on every
  /// path: where, in that TU.
  std::optional<SourceSpot> RemoteCalleeUse;
};

/// What the analysis knows of a slot at one point.
struct LookupMissState {
  bool MayBeUnchecked = false;
  bool MayBeNoticed = false;
  const Expr *Lookup = nullptr;
  /// True when the value may be missing there (Unchecked or Noticed).
  bool mayBeMissing() const { return MayBeUnchecked || MayBeNoticed; }
};

class LookupMissAnalysis {
public:
  ~LookupMissAnalysis();

  /// Runs the analysis on \p G; null when it went over budget, then with
  /// the budget's option name in \p OverBudget and its value in \p Limit.
  /// Callers go through MapGuardAnalyses::lookupMisses, which caches the
  /// results and records the skips.
  static std::unique_ptr<LookupMissAnalysis>
  compute(const FunctionCFG &G, ASTContext &Ctx, const MapModel &Model,
          const LookupMissOptions &Opts, std::string *OverBudget = nullptr,
          unsigned *Limit = nullptr);
  /// A cheap scan: does \p FD's body look anything up that may miss (with
  /// \p Summaries, also through a helper)?
  static bool mayHaveLookup(const FunctionDecl *FD, const MapModel &Model,
                            FunctionSummaries *Summaries = nullptr);

  /// The function may return the value of a lookup that may have missed
  /// (its summary for callers).
  const std::optional<FunctionSummaries::ReturnedMiss> &returnedMiss() const {
    return Returned;
  }

  /// The findings, in source order.
  const std::vector<LookupMissFinding> &findings() const { return Findings; }

  /// May \p Var hold a value defaulted by a map miss just before \p Point (a
  /// statement of the function, e.g. where a deferred cleanup is registered)?
  /// Returns the state with the lookup as origin, or nothing when \p Var is
  /// not bound to a lookup there.
  std::optional<LookupMissState> stateBefore(const Stmt *Point,
                                             const ValueDecl *Var) const;
  /// The same for a lookup written in place (`[f = m[k]]`, `m.find(k)`):
  /// may it miss just before \p Point? Nothing when \p Lookup is not one.
  std::optional<LookupMissState> stateBefore(const Stmt *Point,
                                             const Expr *Lookup) const;

  class Impl;

private:
  LookupMissAnalysis() = default;
  std::unique_ptr<Impl> P;
  std::vector<LookupMissFinding> Findings;
  std::optional<FunctionSummaries::ReturnedMiss> Returned;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_LOOKUP_LOOKUPMISS_H
