//===--- LookupMiss.cpp - may this value be the default of a map miss? ----===//
//
// The entry points of the analysis and the replay that collects findings.
// The model is in the files beside this one: the lattice (MissLattice.h), the
// slots (MissSlots), the conditions (MissConditions), the transfer table
// (MissTransfer), the liveness of variable slots (MissLiveness) and the
// diagnosis (MissDiagnosis).
//
//===----------------------------------------------------------------------===//

#include "analysis/lookup/LookupMiss.h"
#include "Compat.h"
#include "analysis/core/Dataflow.h"
#include "analysis/core/ExprUtils.h"
#include "analysis/lookup/MissDiagnosis.h"
#include "analysis/lookup/MissTransfer.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/PointerUnion.h"

namespace clang::tidy::mapguard {

using namespace lookupmiss;

/// The analysis of one function: the model, run by the engine to a
/// fixpoint, then replayed to collect findings.
class LookupMissAnalysis::Impl {
public:
  Impl(const FunctionCFG &G, ASTContext &Ctx, const MapModel &Model,
       const LookupMissOptions &Opts)
      : FD(G.function()), G(G), Ctx(Ctx), Opts(Opts),
        Transfer(G, Ctx, Model, Opts), Engine(G.cfg(), Transfer) {}

  /// Runs to a fixpoint; false when over budget (\p Budget names it).
  bool run(const char *&Budget, unsigned &Limit) {
    if (!Engine.run(Opts.Budget.MaxBlockVisits)) {
      Budget = "MaxBlockVisits";
      Limit = Opts.Budget.MaxBlockVisits;
      return false;
    }
    if (Transfer.tooManySlots()) {
      Budget = "MaxTrackedSlots";
      Limit = Opts.Budget.MaxTrackedSlots;
      return false;
    }
    return true;
  }

  /// Replays every block once more, collecting the raw findings and the
  /// returned miss; reports the ones the diagnosis keeps in \p Out.
  void replay(std::vector<LookupMissFinding> &Out) {
    std::vector<LookupMissFinding> Raw;
    Transfer.collectInto(&Raw);
    Engine.forEachElement([&](const CFGElement &El, unsigned, const State &S) {
      if (auto CS = El.getAs<CFGStmt>())
        if (const auto *RS = dyn_cast<ReturnStmt>(CS->getStmt()))
          Transfer.noteReturn(RS, S);
    });
    Transfer.collectInto(nullptr);
    Out = diagnose(std::move(Raw), FD, Ctx, Opts.Asserts);
  }

  std::optional<LookupMissState>
  stateBefore(const Stmt *Point,
              llvm::PointerUnion<const ValueDecl *, const Expr *> What) const;

  const FunctionDecl *FD;
  const FunctionCFG &G;
  ASTContext &Ctx;
  LookupMissOptions Opts;
  MissTransfer Transfer;
  ForwardDataflow<MissTransfer> Engine;
};

std::optional<LookupMissState> LookupMissAnalysis::Impl::stateBefore(
    const Stmt *Point,
    llvm::PointerUnion<const ValueDecl *, const Expr *> What) const {
  MissSlots &Slots = const_cast<Impl *>(this)->Transfer.slots();
  // A lookup written in place: its key slot (absent means Unchecked).
  SlotKey Key = nullptr;
  const Expr *InPlace = compat::dynCastIfPresent<const Expr *>(What);
  if (InPlace) {
    auto K = Slots.classify(ignoreTruthWrappers(InPlace));
    if (!K || (*K != LookupKind::Subscript && *K != LookupKind::FindIterator))
      return std::nullopt;
    Key = Slots.keySlotOf(InPlace);
    if (!Key)
      return std::nullopt;
  }
  std::optional<CFGPoint> At = G.elementOf(Point);
  if (!At)
    return std::nullopt;
  std::optional<State> Before = Engine.stateBefore(*At->Block, At->Index);
  if (!Before)
    return std::nullopt;
  {
    const State &S = *Before;
    LookupMissState R;
    if (InPlace) {
      auto It = S.Slots.find(Key);
      R.MayBeUnchecked = It == S.Slots.end() || (It->second.Ways & Unchecked);
      R.MayBeNoticed = It != S.Slots.end() && (It->second.Ways & Noticed);
      R.Lookup = ignoreTruthWrappers(InPlace);
      return R;
    }
    auto It = S.Slots.find(cast<const ValueDecl *>(What));
    if (It == S.Slots.end())
      return std::nullopt;
    R.MayBeUnchecked = It->second.Ways & Unchecked;
    R.MayBeNoticed = It->second.Ways & Noticed;
    R.Lookup = It->second.Lookup;
    return R;
  }
  return std::nullopt;
}

// --- Entry points ----------------------------------------------------------

LookupMissAnalysis::~LookupMissAnalysis() = default;

bool LookupMissAnalysis::mayHaveLookup(const FunctionDecl *FD,
                                       const MapModel &Model,
                                       FunctionSummaries *Summaries) {
  // A worklist, not recursion: generated code nests expressions deeply.
  llvm::SmallVector<const Stmt *, 64> Work{FD->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *C = dyn_cast<CallExpr>(S)) {
      if (Model.classifyLookup(C))
        return true;
      // A helper (of this TU, or of the project index) that may return a
      // missing value.
      if (Summaries && Summaries->returnedMissOf(C, FD))
        return true;
    }
    if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
      // The body is analysed as its own function; init-captures run here.
      for (const Expr *Init : LE->capture_inits())
        Work.push_back(Init);
      continue;
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return false;
}

std::unique_ptr<LookupMissAnalysis> LookupMissAnalysis::compute(
    const FunctionCFG &G, ASTContext &Ctx, const MapModel &Model,
    const LookupMissOptions &Opts, std::string *OverBudget, unsigned *Limit) {
  std::unique_ptr<LookupMissAnalysis> A(new LookupMissAnalysis());
  A->P = std::make_unique<Impl>(G, Ctx, Model, Opts);
  const char *Budget = nullptr;
  unsigned Reached = 0;
  if (!A->P->run(Budget, Reached)) {
    if (OverBudget)
      *OverBudget = Budget;
    if (Limit)
      *Limit = Reached;
    return nullptr;
  }
  A->P->replay(A->Findings);
  A->Returned = A->P->Transfer.returned();
  return A;
}

std::optional<LookupMissState>
LookupMissAnalysis::stateBefore(const Stmt *Point, const ValueDecl *Var) const {
  return P->stateBefore(Point, Var);
}

std::optional<LookupMissState>
LookupMissAnalysis::stateBefore(const Stmt *Point, const Expr *Lookup) const {
  return P->stateBefore(Point, Lookup);
}

} // namespace clang::tidy::mapguard
