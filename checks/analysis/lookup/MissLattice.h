//===--- MissLattice.h - the state of the lookup-miss analysis ------------===//
//
// The lattice of LookupMiss (see LookupMiss.h): per slot -- a variable bound
// to a lookup, or a map and key written in place -- the set of ways a path
// can reach a point (Unchecked, Noticed, Safe), the stable conditions every
// missing path took, and the bool variables that hold a check. The join is
// set union of the ways, intersection of the conditions and agreement of the
// flags. Private to analysis/lookup/.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSLATTICE_H
#define MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSLATTICE_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>

namespace clang::tidy::mapguard::lookupmiss {

/// The ways a path can reach a point, per slot (see the header).
enum Way : uint8_t {
  Unchecked = 1,
  Noticed = 2,
  Safe = 4,
};

/// A slot: a variable (ValueDecl *) or a map+key pair (an interned string).
using SlotKey = const void *;

/// A branch condition a path took: its profile, the edge, and the variables
/// it reads (a write of one of them forgets it).
struct CondFact {
  unsigned Hash;
  bool Outcome;
  llvm::SmallVector<const ValueDecl *, 2> Vars;
  bool operator==(const CondFact &O) const {
    return Hash == O.Hash && Outcome == O.Outcome;
  }
};

struct SlotState {
  uint8_t Ways = 0;
  /// Keyed by map and key (`m[k]`, `m.find(k)` used in place), rather than by
  /// a variable. Absent from a path means Unchecked for these, Safe for
  /// variables (a variable is only tracked once bound to a lookup).
  bool IsKey = false;
  const Expr *Lookup = nullptr;
  const Expr *Check = nullptr;
  /// Stable conditions that held on every path that brought a missing way
  /// (Unchecked or Noticed) here. Reaching the opposite edge of one of them
  /// later means those paths cannot: `if (c) refill;` ... `if (c) use;`.
  llvm::SmallVector<CondFact, 2> MissConds = {};
  /// Safe only because a call the analysis cannot see into may have filled
  /// it (fillsKeys): a later test that says missing still counts.
  bool MayMiss = false;
};

/// What a branch condition says about a slot on each of its edges.
enum class Says : uint8_t { Nothing, Found, Missing };
struct Fact {
  SlotKey Slot;
  bool IsKey;
  Says OnTrue;
  Says OnFalse;
  bool operator==(const Fact &O) const {
    return Slot == O.Slot && IsKey == O.IsKey && OnTrue == O.OnTrue &&
           OnFalse == O.OnFalse;
  }
  bool operator!=(const Fact &O) const { return !(*this == O); }
};
using Facts = llvm::SmallVector<Fact, 2>;

struct State {
  bool Reachable = false;
  llvm::SmallDenseMap<SlotKey, SlotState, 4> Slots;
  /// Bool variables that hold a check: `bool found = it != m.end();`.
  llvm::SmallDenseMap<const ValueDecl *, Facts, 2> Flags;

  bool operator==(const State &O) const {
    if (Reachable != O.Reachable || Slots.size() != O.Slots.size() ||
        Flags.size() != O.Flags.size())
      return false;
    for (const auto &[K, S] : Slots) {
      auto It = O.Slots.find(K);
      if (It == O.Slots.end() || It->second.Ways != S.Ways ||
          It->second.MissConds != S.MissConds ||
          It->second.MayMiss != S.MayMiss)
        return false;
    }
    for (const auto &[K, F] : Flags) {
      auto It = O.Flags.find(K);
      if (It == O.Flags.end() || It->second != F)
        return false;
    }
    return true;
  }

  /// Joins \p O (another path) into this state.
  void join(const State &O) {
    if (!O.Reachable)
      return;
    if (!Reachable) {
      *this = O;
      return;
    }
    constexpr uint8_t Missing = Unchecked | Noticed;
    for (auto &[K, S] : Slots) {
      auto It = O.Slots.find(K);
      if (It == O.Slots.end()) {
        // A key slot absent there is Unchecked under no condition.
        if (S.IsKey)
          S.MissConds.clear();
        S.Ways |= S.IsKey ? Unchecked : Safe;
        continue;
      }
      // The conditions every missing path took: those of both sides.
      if ((S.Ways & Missing) && (It->second.Ways & Missing))
        llvm::erase_if(S.MissConds, [&](const CondFact &C) {
          return !llvm::is_contained(It->second.MissConds, C);
        });
      else if (It->second.Ways & Missing)
        S.MissConds = It->second.MissConds;
      S.Ways |= It->second.Ways;
      S.MayMiss |= It->second.MayMiss;
      if (!S.Lookup)
        S.Lookup = It->second.Lookup;
      if (!S.Check)
        S.Check = It->second.Check;
    }
    for (const auto &[K, S] : O.Slots)
      if (!Slots.count(K)) {
        SlotState N = S;
        if (S.IsKey)
          N.MissConds.clear();
        N.Ways |= S.IsKey ? Unchecked : Safe;
        Slots[K] = N;
      }
    // A flag is known only when every path set it to the same check.
    llvm::SmallVector<const ValueDecl *, 2> Drop;
    for (const auto &[K, F] : Flags) {
      auto It = O.Flags.find(K);
      if (It == O.Flags.end() || It->second != F)
        Drop.push_back(K);
    }
    for (const ValueDecl *K : Drop)
      Flags.erase(K);
  }
};

/// \p D may have changed: forget the conditions that read it.
inline void forgetConds(State &S, const ValueDecl *D) {
  if (!D)
    return;
  for (auto &[K, St] : S.Slots)
    llvm::erase_if(St.MissConds, [&](const CondFact &C) {
      return llvm::is_contained(C.Vars, D);
    });
}

} // namespace clang::tidy::mapguard::lookupmiss

#endif // MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSLATTICE_H
