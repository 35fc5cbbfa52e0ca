//===--- MissLiveness.cpp - which lookup variables a path may still read
//---===//

#include "analysis/lookup/MissLiveness.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::mapguard::lookupmiss {

void SlotLiveness::compute(const CFG &C) {
  unsigned NB = C.getNumBlockIDs();
  std::vector<llvm::SparseBitVector<>> Upward(NB), Kill(NB);
  LiveIn.assign(NB, {});
  auto Id = [&](const ValueDecl *D) {
    return VarIds.try_emplace(D, VarIds.size()).first->second;
  };
  for (const CFGBlock *B : C) {
    unsigned BID = B->getBlockID();
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *St = CS->getStmt();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(St)) {
        // Read before any declaration of it in this block: live on entry.
        unsigned V = Id(DRE->getDecl());
        if (!Kill[BID].test(V))
          Upward[BID].set(V);
      } else if (const auto *DS = dyn_cast<DeclStmt>(St)) {
        for (const Decl *D : DS->decls()) {
          if (const auto *VD = dyn_cast<ValueDecl>(D))
            Kill[BID].set(Id(VD));
          if (const auto *DD = dyn_cast<DecompositionDecl>(D))
            for (const BindingDecl *BD : DD->bindings())
              Kill[BID].set(Id(BD));
        }
      } else if (const auto *LE = dyn_cast<LambdaExpr>(St)) {
        for (const LambdaCapture &Cap : LE->captures())
          if (Cap.capturesVariable())
            Pinned.insert(Cap.getCapturedVar());
      }
    }
  }
  // LiveIn = Upward | (LiveOut - Kill), LiveOut = the successors' LiveIn.
  llvm::SmallVector<const CFGBlock *, 64> Work(C.begin(), C.end());
  std::vector<bool> Queued(NB, true);
  while (!Work.empty()) {
    const CFGBlock *B = Work.pop_back_val();
    unsigned BID = B->getBlockID();
    Queued[BID] = false;
    llvm::SparseBitVector<> In;
    for (const CFGBlock *Succ : B->succs())
      if (Succ)
        In |= LiveIn[Succ->getBlockID()];
    In.intersectWithComplement(Kill[BID]);
    In |= Upward[BID];
    if (In == LiveIn[BID])
      continue;
    LiveIn[BID] = std::move(In);
    for (const CFGBlock *Pred : B->preds())
      if (Pred && !Queued[Pred->getBlockID()]) {
        Queued[Pred->getBlockID()] = true;
        Work.push_back(Pred);
      }
  }
}

/// Drops the variable slots and flags of \p S that no path from the
/// entry of \p Succ reads.
void SlotLiveness::dropDead(State &S, const CFGBlock *Succ) const {
  if (!Succ || LiveIn.empty())
    return;
  const llvm::SparseBitVector<> &Live = LiveIn[Succ->getBlockID()];
  auto Dead = [&](const ValueDecl *D) {
    auto It = VarIds.find(D);
    return It != VarIds.end() && !Live.test(It->second) && !Pinned.contains(D);
  };
  llvm::SmallVector<SlotKey, 8> DeadSlots;
  for (const auto &[K, St] : S.Slots)
    if (!St.IsKey && Dead(static_cast<const ValueDecl *>(K)))
      DeadSlots.push_back(K);
  for (SlotKey K : DeadSlots)
    S.Slots.erase(K);
  llvm::SmallVector<const ValueDecl *, 4> DeadFlags;
  for (const auto &[D, F] : S.Flags)
    if (Dead(D))
      DeadFlags.push_back(D);
  for (const ValueDecl *D : DeadFlags)
    S.Flags.erase(D);
}

} // namespace clang::tidy::mapguard::lookupmiss
