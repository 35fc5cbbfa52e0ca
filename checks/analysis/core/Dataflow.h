//===--- Dataflow.h - the forward dataflow engine of mapguard ---*- C++ -*-===//
//
// Every flow-sensitive analysis of mapguard -- LookupMiss, LockState, the
// cleanup paths, thread ordering -- is a forward problem on a clang CFG, run
// by this one engine. A problem supplies the model; the engine owns the
// fixpoint, the budget and the replay the diagnosers read:
//
//   struct Problem {
//     using Lattice = ...;                  // copyable, operator==
//     Lattice initial();                    // on function entry
//     bool reachable(const Lattice &);      // false: the path has ended
//     void join(Lattice &Into, const Lattice &From);
//     void transfer(const CFGElement &, CFGPoint At, Lattice &);
//     void transferEdge(const CFGBlock &From, unsigned SuccIndex, Lattice &);
//   };
//
// The engine keeps one state per block: the state after its last element,
// before the edge (the successors' entries are recomputed from it through
// transferEdge, as clang's own framework does). Blocks are visited in reverse
// post-order from clang's ForwardDataflowWorklist; more than MaxBlockVisits
// visits per block of the CFG in total end the run (the budget) and the
// caller skips the function. The budget is on the whole run, not on each
// block: a block with many predecessors (a label every goto jumps to) is
// visited once per change of each, and that alone must not end the run. A
// lattice whose join is not monotone is still bounded by it, in time linear
// in the CFG.
//
// Why not clang's DataflowAnalysis (FlowSensitive/DataflowAnalysis.h) run
// lattice-only: its Environment is built and joined for every block even
// with BuiltinOpts off, its AdornedCFG builds a CFG of its own (mapguard
// shares one CFG per function between all analyses, see MapGuardAnalyses),
// and its API differs between LLVM 14, 16, 19 and 22, which mapguard all
// builds against. The worklist and the CFG are clang's.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CORE_DATAFLOW_H
#define MAPGUARD_CHECKS_ANALYSIS_CORE_DATAFLOW_H

#include "analysis/core/FunctionCFG.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Analysis/CFG.h"
#include "clang/Analysis/FlowSensitive/DataflowWorklist.h"
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace clang::tidy::mapguard {

template <typename ProblemT> class ForwardDataflow {
public:
  using Lattice = typename ProblemT::Lattice;

  ForwardDataflow(const CFG &G, ProblemT &P)
      : G(G), P(P), Out(G.getNumBlockIDs()) {}

  /// Runs to a fixpoint; false when it needed more than \p MaxBlockVisits
  /// visits per block of the CFG (the results are then not to be used).
  bool run(unsigned MaxBlockVisits) {
    PostOrderCFGView POV(&G);
    ForwardDataflowWorklist Work(G, &POV);
    Work.enqueueBlock(&G.getEntry());
    const uint64_t Budget =
        uint64_t(MaxBlockVisits) * std::max(1u, G.getNumBlockIDs());
    uint64_t Visits = 0;
    while (const CFGBlock *B = Work.dequeue()) {
      if (++Visits > Budget)
        return false;
      std::optional<Lattice> S = entryOf(*B);
      if (!S)
        continue;
      runBlock(*B, *S, [](const CFGElement &, unsigned, const Lattice &) {});
      std::optional<Lattice> &Slot = Out[B->getBlockID()];
      if (Slot && *Slot == *S)
        continue;
      Slot = std::move(*S);
      Work.enqueueSuccessors(B);
    }
    return true;
  }

  /// The state on entry to \p B: the join of what its predecessors send it,
  /// or nothing when no path reaches it.
  std::optional<Lattice> entryOf(const CFGBlock &B) const {
    if (&B == &G.getEntry())
      return P.initial();
    std::optional<Lattice> In;
    for (auto I = B.pred_begin(), E = B.pred_end(); I != E; ++I) {
      const CFGBlock *Pred = *I;
      if (!Pred)
        continue;
      const std::optional<Lattice> &PredOut = Out[Pred->getBlockID()];
      if (!PredOut || !P.reachable(*PredOut))
        continue;
      unsigned Index = 0;
      for (const CFGBlock *Succ : Pred->succs()) {
        if (Succ == &B) {
          Lattice Edge = *PredOut;
          P.transferEdge(*Pred, Index, Edge);
          if (!In)
            In = std::move(Edge);
          else
            P.join(*In, Edge);
        }
        ++Index;
      }
    }
    return In;
  }

  /// Calls \p Before(Element, Index, State) with the state just before each
  /// element of every reachable block (blocks in CFG order), then transfers.
  template <typename FnT> void forEachElement(FnT &&Before) const {
    for (const CFGBlock *B : G) {
      std::optional<Lattice> S = entryOf(*B);
      if (S)
        runBlock(*B, *S, Before);
    }
  }

  /// The state just before element \p Index of \p B (nothing when no path
  /// reaches it).
  std::optional<Lattice> stateBefore(const CFGBlock &B, unsigned Index) const {
    std::optional<Lattice> S = entryOf(B);
    if (!S)
      return S;
    for (unsigned I = 0; I < Index && I < B.size(); ++I) {
      if (!P.reachable(*S))
        return std::nullopt;
      P.transfer(B[I], CFGPoint{&B, I}, *S);
    }
    if (!P.reachable(*S))
      return std::nullopt;
    return S;
  }

  const CFG &cfg() const { return G; }

private:
  template <typename FnT>
  void runBlock(const CFGBlock &B, Lattice &S, FnT &&Before) const {
    unsigned I = 0;
    for (const CFGElement &El : B) {
      if (!P.reachable(S))
        return;
      Before(El, I, S);
      P.transfer(El, CFGPoint{&B, I}, S);
      ++I;
    }
  }

  const CFG &G;
  ProblemT &P;
  /// Per block ID: the state after the block's last element.
  std::vector<std::optional<Lattice>> Out;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_CORE_DATAFLOW_H
