//===--- MissLiveness.h - which lookup variables a path may still read ----===//
//
// Liveness of the variable slots of LookupMiss. A variable slot or flag is
// kept only while some path may still read the variable, so a state holds
// the live lookups, not every lookup of the function (memory linear in the
// function, not lookups x blocks). Block granularity: a variable read
// anywhere in a block (a DeclRefExpr element, a declaration) is live through
// the whole block and its edges; it is dropped on an edge into a block where
// it is not live. Dropping a variable slot is making it Safe, which no later
// read can tell apart once none follows. Variables a lambda captures are
// never dropped (the body reads them where the CFG does not show it).
// Private to analysis/lookup/.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSLIVENESS_H
#define MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSLIVENESS_H

#include "analysis/lookup/MissLattice.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SparseBitVector.h"
#include <vector>

namespace clang::tidy::mapguard::lookupmiss {

class SlotLiveness {
public:
  /// Computes the live variables of each block of \p C (a backward
  /// worklist).
  void compute(const CFG &C);
  /// Drops the variable slots and flags of \p S that no path from the
  /// entry of \p Succ reads.
  void dropDead(State &S, const CFGBlock *Succ) const;

private:
  /// Per block ID: the variables some path from its entry may read.
  std::vector<llvm::SparseBitVector<>> LiveIn;
  llvm::DenseMap<const ValueDecl *, unsigned> VarIds;
  llvm::DenseSet<const ValueDecl *> Pinned;
};

} // namespace clang::tidy::mapguard::lookupmiss

#endif // MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSLIVENESS_H
