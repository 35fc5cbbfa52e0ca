//===--- LookupMiss.cpp - may this value be the default of a map miss? ----===//

#include "analysis/lookup/LookupMiss.h"
#include "Compat.h"
#include "analysis/core/Dataflow.h"
#include "analysis/cleanup/DeferredCleanup.h"
#include "analysis/core/ExprUtils.h"
#include "analysis/core/HandleUses.h"
#include "analysis/lookup/Summaries.h"
#include "analysis/threads/ThreadEntries.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtVisitor.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/Builtins.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/PointerUnion.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/SparseBitVector.h"
#include "llvm/ADT/StringMap.h"
#include <algorithm>

namespace clang::tidy::mapguard {

namespace {

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

Says flip(Says S) {
  return S == Says::Found     ? Says::Missing
         : S == Says::Missing ? Says::Found
                              : Says::Nothing;
}

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

/// \p CE builds a logger at FATAL severity (googletest's
/// `GTestLog(GTEST_FATAL, ...)`, glog's and absl's `LogMessageFatal`): the
/// statement it is in ends the program when the temporary dies.
bool isFatalLog(const CXXConstructExpr *CE) {
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!Ctor)
    return false;
  // A [[noreturn]] destructor ends the path in the CFG itself (temporary
  // and implicit destructors are elements, see FunctionCFG); this is for
  // loggers whose destructor aborts only at FATAL severity.
  const CXXRecordDecl *RD = Ctor->getParent();
  if (!RD->getDeclName().isIdentifier() ||
      !RD->getName().contains_insensitive("log"))
    return false;
  if (compat::endsWithInsensitive(RD->getName(), "LogMessageFatal"))
    return true;
  for (const Expr *Arg : CE->arguments())
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts()))
      if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl());
          EC && compat::endsWithInsensitive(EC->getName(), "fatal"))
        return true;
  return false;
}

} // namespace

/// The analysis model: the lattice (State), the transfer table and the edge
/// transfer, run by ForwardDataflow; the findings are collected in a replay.
class LookupMissAnalysis::Impl {
public:
  using Lattice = State;

  Impl(const FunctionCFG &G, ASTContext &Ctx, const MapModel &Model,
       const LookupMissOptions &Opts)
      : FD(G.function()), G(G), Ctx(Ctx), Model(Model), Opts(Opts),
        Engine(G.cfg(), *this) {}

  // --- The dataflow problem (see Dataflow.h) ---------------------------
  State initial() {
    State S;
    S.Reachable = true;
    return S;
  }
  /// Over MaxTrackedSlots, no path goes on: the engine stops at once.
  bool reachable(const State &S) { return S.Reachable && !TooManySlots; }
  void join(State &Into, const State &From) { Into.join(From); }
  void transfer(const CFGElement &El, CFGPoint, State &S) {
    if (auto CS = El.getAs<CFGStmt>())
      transferStmt(S, CS->getStmt());
    // The budget on what one state tracks (key slots are never dropped:
    // absent means Unchecked for them): over it, every path ends and the
    // function is skipped.
    if (S.Slots.size() + S.Flags.size() > Opts.Budget.MaxTrackedSlots) {
      TooManySlots = true;
      S.Reachable = false;
    }
  }
  void transferEdge(const CFGBlock &From, unsigned SuccIndex, State &S);

  /// Runs to a fixpoint; false when over budget (\p Budget names it).
  bool run(const char *&Budget, unsigned &Limit) {
    computeLiveness();
    if (!Engine.run(Opts.Budget.MaxBlockVisits)) {
      Budget = "MaxBlockVisits";
      Limit = Opts.Budget.MaxBlockVisits;
      return false;
    }
    if (TooManySlots) {
      Budget = "MaxTrackedSlots";
      Limit = Opts.Budget.MaxTrackedSlots;
      return false;
    }
    return true;
  }
  /// Replays every block once more, collecting findings.
  void report(std::vector<LookupMissFinding> &Out);
  /// A default-use finding that survives the filters below.
  bool worthDefaultUse(const LookupMissFinding &F);
  std::optional<LookupMissState>
  stateBefore(const Stmt *Point,
              llvm::PointerUnion<const ValueDecl *, const Expr *> What) const;

private:
  // --- Liveness of variable slots ---------------------------------------
  // A variable slot or flag is kept only while some path may still read
  // the variable, so a state holds the live lookups, not every lookup of the
  // function (memory linear in the function, not lookups x blocks). Block
  // granularity: a variable read anywhere in a block (a DeclRefExpr element,
  // a declaration) is live through the whole block and its edges; it is
  // dropped on an edge into a block where it is not live. Dropping a
  // variable slot is making it Safe, which no later read can tell apart
  // once none follows. Variables a lambda captures are never dropped (the
  // body reads them where the CFG does not show it).
  void computeLiveness() {
    const CFG &C = G.cfg();
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
  void dropDead(State &S, const CFGBlock *Succ) {
    if (!Succ || LiveIn.empty())
      return;
    const llvm::SparseBitVector<> &Live = LiveIn[Succ->getBlockID()];
    auto Dead = [&](const ValueDecl *D) {
      auto It = VarIds.find(D);
      return It != VarIds.end() && !Live.test(It->second) &&
             !Pinned.contains(D);
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

  /// Per block ID: the variables some path from its entry may read.
  std::vector<llvm::SparseBitVector<>> LiveIn;
  llvm::DenseMap<const ValueDecl *, unsigned> VarIds;
  llvm::DenseSet<const ValueDecl *> Pinned;

public:
  /// A state went over MaxTrackedSlots.
  bool TooManySlots = false;

private:
  // --- Slots -----------------------------------------------------------
  /// The identity of the map \p Map designates: a field is the field of
  /// its object (`this`, written or not, or the object expression), so a
  /// predicate helper's `table_` and the caller's `table_` agree.
  void addMapIdentity(llvm::FoldingSetNodeID &ID, const Expr *Map) {
    Map = Map->IgnoreParenImpCasts();
    // `(*p)[k]` and `p->count(k)` name the same map; `fill(&m)` names m.
    if (const auto *U = dyn_cast<UnaryOperator>(Map);
        U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf))
      Map = U->getSubExpr()->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(Map)) {
      addObjectIdentity(ID, ME->getBase());
      ID.AddPointer(ME->getMemberDecl()->getCanonicalDecl());
      return;
    }
    // `obj.map(false)`: a getter returning a reference to a field of obj.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Map); MC && Opts.Summaries)
      if (const FieldDecl *F = Opts.Summaries->returnedField(MC)) {
        addObjectIdentity(ID, MC->getImplicitObjectArgument());
        ID.AddPointer(F->getCanonicalDecl());
        return;
      }
    Map->Profile(ID, Ctx, /*Canonical=*/true);
  }
  void addObjectIdentity(llvm::FoldingSetNodeID &ID, const Expr *Obj) {
    Obj = Obj ? Obj->IgnoreParenImpCasts() : nullptr;
    if (!Obj || isa<CXXThisExpr>(Obj))
      ID.AddInteger(0x7415); // `this`
    else
      Obj->Profile(ID, Ctx, /*Canonical=*/true);
  }

  SlotKey keySlot(const Expr *Map, const Expr *Key) {
    llvm::FoldingSetNodeID ID;
    addMapIdentity(ID, Map);
    return keySlotFor(ID, Key);
  }

  /// The slot of key \p Key in the map whose identity \p ID holds.
  SlotKey keySlotFor(llvm::FoldingSetNodeID ID, const Expr *Key) {
    // Look through converting constructors (the shim's KeyAt<K>, a
    // std::string built from a literal) so `m.contains(k)` and `m[k]` agree.
    Key = ignoreTruthWrappers(Key);
    while (const auto *CE = dyn_cast<CXXConstructExpr>(Key)) {
      if (CE->getNumArgs() == 0 ||
          !llvm::all_of(llvm::drop_begin(CE->arguments()),
                        [](const Expr *A) { return isa<CXXDefaultArgExpr>(A); }))
        break;
      Key = ignoreTruthWrappers(CE->getArg(0));
    }
    Key->IgnoreParenImpCasts()->Profile(ID, Ctx, /*Canonical=*/true);
    std::string S;
    llvm::raw_string_ostream(S) << ID.ComputeHash();
    return &*KeyNames.try_emplace(S).first;
  }

  /// The key slot of a lookup or test written in place: m[k], m.find(k),
  /// m.contains(k), m.count(k), a call of a function that may return the
  /// default of a miss (`node(id)`, keyed by the call as written); null
  /// otherwise.
  SlotKey keySlotOf(const Expr *E) {
    const Expr *Map = nullptr;
    if (const Expr *Key = Model.keyOfAccess(ignoreConvertingConstruction(E), Map))
      return keySlot(Map, Key);
    if (const auto *C = dyn_cast_or_null<CallExpr>(ignoreTruthWrappers(E));
        C && returnedMiss(C)) {
      llvm::FoldingSetNodeID ID;
      C->Profile(ID, Ctx, /*Canonical=*/true);
      std::string S;
      llvm::raw_string_ostream(S) << "call:" << ID.ComputeHash();
      return &*KeyNames.try_emplace(S).first;
    }
    return nullptr;
  }

  // --- Keys that come from the map itself ------------------------------
  /// Keys taken from the map they look up cannot miss: `for (auto &p : m)
  /// m[p.first]`, `for (auto &[k, v] : m) m.find(k)`, and a local container
  /// filled only with them (`for (auto &p : m) ids.push_back(p.first); ...
  /// for (auto i : ids) m[i]`, rocksdb's lock manager). Not for a map the
  /// function erases from, clears, swaps, assigns or hands out by non-const
  /// reference.
  struct OwnKeyFacts {
    /// Range-for variables over a map, by the map's identity.
    llvm::DenseMap<const VarDecl *, unsigned> EntryVars;
    /// Range-for variables over a local container of a map's own keys.
    llvm::DenseMap<const VarDecl *, unsigned> KeyVars;
    /// Maps the function may remove keys from.
    llvm::DenseSet<unsigned> Shrunk;
  };
  std::optional<OwnKeyFacts> OwnKeys;

  unsigned mapHash(const Expr *Map) {
    llvm::FoldingSetNodeID ID;
    addMapIdentity(ID, Map);
    return ID.ComputeHash();
  }

  /// The identity of the map whose entry \p Key is the key of (`p.first`
  /// or `k` of `[k, v]` for a range-for over the map; an element of a
  /// container of its keys).
  std::optional<unsigned> ownKeyOf(const Expr *Key) {
    Key = ignoreCopies(Key)->IgnoreParenImpCasts();
    auto Find = [](const llvm::DenseMap<const VarDecl *, unsigned> &In,
                   const ValueDecl *D) -> std::optional<unsigned> {
      const auto *V = dyn_cast_or_null<VarDecl>(D);
      auto It = V ? In.find(V) : In.end();
      if (It == In.end())
        return std::nullopt;
      return It->second;
    };
    // p.first
    if (const auto *ME = dyn_cast<MemberExpr>(Key)) {
      const auto *DRE = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
      const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!DRE || !F || !F->getDeclName().isIdentifier() || F->getName() != "first")
        return std::nullopt;
      return Find(OwnKeys->EntryVars, DRE->getDecl());
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(Key);
    if (!DRE)
      return std::nullopt;
    // k of `[k, v]`
    if (const auto *B = dyn_cast<BindingDecl>(DRE->getDecl())) {
      const auto *DD = dyn_cast_or_null<DecompositionDecl>(B->getDecomposedDecl());
      if (!DD || DD->bindings().empty() || DD->bindings().front() != B)
        return std::nullopt;
      return Find(OwnKeys->EntryVars, DD);
    }
    // i of `for (auto i : ids)`
    return Find(OwnKeys->KeyVars, DRE->getDecl());
  }

  /// \p E looks up one of the map's own keys in it.
  bool isOwnKeyLookup(const Expr *E) {
    const Expr *Map = nullptr;
    const Expr *Key = Model.keyOfAccess(ignoreConvertingConstruction(E), Map);
    if (!Key || !Map)
      return false;
    if (!OwnKeys)
      collectOwnKeys();
    if (OwnKeys->EntryVars.empty())
      return false;
    std::optional<unsigned> Of = ownKeyOf(Key);
    return Of && *Of == mapHash(Map) && !OwnKeys->Shrunk.contains(*Of);
  }

  /// One walk of the body for OwnKeyFacts.
  void collectOwnKeys() {
    OwnKeys.emplace();
    OwnKeyFacts &O = *OwnKeys;
    // Candidate containers: the range-for variables over them, and whether
    // every use fills them with own keys of one map (or only reads them).
    struct Container {
      llvm::SmallVector<const VarDecl *, 1> LoopVars;
      std::optional<unsigned> KeysOf;
      bool Other = false;
    };
    llvm::DenseMap<const VarDecl *, Container> Containers;
    llvm::SmallVector<std::pair<const CXXMemberCallExpr *, const VarDecl *>, 4> Fills;
    llvm::DenseSet<const DeclRefExpr *> Accounted;
    auto LocalContainer = [&](const Expr *E) -> const VarDecl * {
      const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
      const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (!V || !V->isLocalVarDecl() || V->getType()->isReferenceType() ||
          Model.isMapType(V->getType()) || !V->getType()->getAsCXXRecordDecl())
        return nullptr;
      Accounted.insert(DRE);
      return V;
    };
    llvm::SmallVector<const DeclRefExpr *, 16> Refs;
    forEachStmtOf(FD, [&](const Stmt *St) {
      if (const auto *FR = dyn_cast<CXXForRangeStmt>(St)) {
        const Expr *Range = FR->getRangeInit();
        if (Range && Model.isMapType(Range->getType()))
          O.EntryVars[FR->getLoopVariable()] = mapHash(Range);
        else if (const VarDecl *C = LocalContainer(Range))
          Containers[C].LoopVars.push_back(FR->getLoopVariable());
      } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
        const Expr *Obj = MC->getImplicitObjectArgument();
        const CXXMethodDecl *M = MC->getMethodDecl();
        llvm::StringRef Name =
            M && M->getDeclName().isIdentifier() ? M->getName() : "";
        if (Obj && Model.isMapObject(Obj)) {
          if (llvm::is_contained({"erase", "clear", "extract", "swap"}, Name))
            O.Shrunk.insert(mapHash(Obj));
        } else if (const VarDecl *C = LocalContainer(Obj)) {
          if (llvm::is_contained({"push_back", "emplace_back", "push_front",
                                  "emplace_front", "insert", "emplace"},
                                 Name))
            Fills.push_back({MC, C});
          else if (!llvm::is_contained({"begin", "end", "cbegin", "cend",
                                        "rbegin", "rend", "size", "empty",
                                        "reserve", "clear", "pop_back",
                                        "pop_front", "erase", "shrink_to_fit"},
                                       Name))
            Containers[C].Other = true;
        }
      } else if (const auto *DRE = dyn_cast<DeclRefExpr>(St)) {
        Refs.push_back(DRE);
      }
      // m = other; std::swap(m, x); reset(m); other.swap(m)
      if (const auto *C = dyn_cast<CallExpr>(St)) {
        const auto *OC = dyn_cast<CXXOperatorCallExpr>(C);
        for (unsigned I = implicitObjectArgs(C), N = C->getNumArgs(); I < N; ++I)
          if (Model.isMapType(C->getArg(I)->getType()) && passesByMutableRef(C, I))
            O.Shrunk.insert(mapHash(C->getArg(I)));
        if (OC && OC->isAssignmentOp() && OC->getNumArgs() > 0 &&
            Model.isMapType(OC->getArg(0)->getType()))
          O.Shrunk.insert(mapHash(OC->getArg(0)));
      }
      return true;
    });
    if (O.EntryVars.empty())
      return;
    for (const auto &[MC, C] : Fills) {
      Container &K = Containers[C];
      std::optional<unsigned> Of =
          MC->getNumArgs() == 1 ? ownKeyOf(MC->getArg(0)) : std::nullopt;
      if (!Of || (K.KeysOf && *K.KeysOf != *Of))
        K.Other = true;
      else
        K.KeysOf = Of;
    }
    // Any other use (an index, an assignment, a call taking it) may put
    // other values in.
    for (const DeclRefExpr *DRE : Refs)
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
          V && !Accounted.contains(DRE) && Containers.count(V))
        Containers[V].Other = true;
    for (const auto &[C, K] : Containers) {
      const Expr *Init = C->getInit();
      const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
          Init ? Init->IgnoreImplicit() : nullptr);
      bool Empty = !Init || (CE && CE->getNumArgs() == 0);
      if (K.Other || !K.KeysOf || !Empty)
        continue;
      for (const VarDecl *L : K.LoopVars)
        O.KeyVars[L] = *K.KeysOf;
    }
  }

  /// What the summaries say \p C returns, when it may be a missing value.
  std::optional<FunctionSummaries::ReturnedMiss>
  returnedMiss(const CallExpr *C) {
    if (!Opts.Summaries)
      return std::nullopt;
    const FunctionDecl *Def = FunctionSummaries::definitionCalled(C);
    if (!Def || Def == FD)
      return std::nullopt;
    return Opts.Summaries->returnedMiss(Def);
  }

  /// How \p E came out of a map, if it did: a lookup MapModel knows, or a
  /// call of a function of the TU that may return a missing value (as a
  /// subscript does, or as find() does when it returns the iterator).
  std::optional<LookupKind> classify(const Expr *E) {
    if (auto K = Model.classifyLookup(E))
      return isOwnKeyLookup(E) ? std::nullopt : K;
    // `std::map<K, V>::const_iterator it = m.find(k);` on a non-const map:
    // the iterator is converted by a constructor first.
    if (const Expr *From = ignoreConvertingConstruction(E); From != ignoreTruthWrappers(E))
      if (Model.classifyLookup(From) == LookupKind::FindIterator)
        return LookupKind::FindIterator;
    if (const auto *C = dyn_cast_or_null<CallExpr>(ignoreCopies(E)))
      if (auto R = returnedMiss(C))
        return R->IsIterator ? LookupKind::FindIterator : LookupKind::Subscript;
    return std::nullopt;
  }

  /// The slot that \p E denotes in state \p S: a tracked variable, or a
  /// lookup written in place (whose slot need not exist yet).
  std::pair<SlotKey, bool> slotOf(const Expr *E, const State &S) {
    if (const ValueDecl *D = referencedDecl(E))
      if (S.Slots.count(D))
        return {D, false};
    E = ignoreTruthWrappers(E);
    if (auto K = classify(E)) {
      if (*K == LookupKind::Subscript || *K == LookupKind::FindIterator)
        return {keySlotOf(E), true};
    }
    return {nullptr, false};
  }

  // --- Conditions ------------------------------------------------------
  /// What calling a predicate helper says about the key it tests.
  std::optional<Fact> membershipFact(const CallExpr *C) {
    if (!Opts.Summaries)
      return std::nullopt;
    const FunctionDecl *Def = FunctionSummaries::definitionCalled(C);
    if (!Def || Def == FD)
      return std::nullopt;
    std::optional<FunctionSummaries::Membership> M =
        Opts.Summaries->membership(Def);
    if (!M)
      return std::nullopt;
    unsigned Offset = implicitObjectArgs(C);
    auto Arg = [&](unsigned P) -> const Expr * {
      return P + Offset < C->getNumArgs() ? C->getArg(P + Offset) : nullptr;
    };
    const Expr *Key = Arg(M->KeyParam);
    if (!Key)
      return std::nullopt;
    llvm::FoldingSetNodeID ID;
    if (M->Field) {
      // The field of the object the helper is called on.
      const Expr *Obj = nullptr;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
        Obj = MC->getImplicitObjectArgument();
      else if (isa<CXXOperatorCallExpr>(C) && C->getNumArgs() > 0)
        Obj = C->getArg(0);
      else
        return std::nullopt;
      addObjectIdentity(ID, Obj);
      ID.AddPointer(M->Field->getCanonicalDecl());
    } else if (const Expr *Map = Arg(M->MapParam)) {
      addMapIdentity(ID, Map);
    } else {
      return std::nullopt;
    }
    SlotKey K = keySlotFor(ID, Key);
    return M->TrueMeansFound ? Fact{K, true, Says::Found, Says::Missing}
                             : Fact{K, true, Says::Missing, Says::Found};
  }

  void addTest(Facts &Out, const Expr *E, const State &S, bool FoundWhenTrue) {
    // `it == m.cend()`: libstdc++ converts `it` to a const_iterator through a
    // constructor first; the test is of `it`.
    E = ignoreConvertingConstruction(E);
    auto [Slot, IsKey] = slotOf(E, S);
    if (!Slot)
      return;
    Out.push_back({Slot, IsKey, FoundWhenTrue ? Says::Found : Says::Missing,
                   FoundWhenTrue ? Says::Missing : Says::Found});
  }

  /// `m.count(k) OP N` (either way round) for a constant N: what each edge
  /// says about the key, knowing a count is never negative. Found when no
  /// count satisfying that edge is 0; Missing when only 0 does.
  std::optional<std::pair<Says, Says>>
  countComparison(BinaryOperatorKind Op, const Expr *L, const Expr *R,
                  const Expr *&CountCall) {
    auto IsCount = [&](const Expr *E) { return Model.asCountCall(E); };
    auto Constant = [&](const Expr *E) -> std::optional<int64_t> {
      Expr::EvalResult Res;
      if (E->isValueDependent() ||
          !E->IgnoreParenImpCasts()->EvaluateAsInt(Res, Ctx))
        return std::nullopt;
      return Res.Val.getInt().getExtValue();
    };
    if (!BinaryOperator::isComparisonOp(Op))
      return std::nullopt;
    const CXXMemberCallExpr *MC = IsCount(L);
    std::optional<int64_t> N = MC ? Constant(R) : std::nullopt;
    if (!MC || !N) {
      // N OP count(k) is count(k) OP' N.
      MC = IsCount(R);
      N = MC ? Constant(L) : std::nullopt;
      if (!MC || !N)
        return std::nullopt;
      Op = BinaryOperator::reverseComparisonOp(Op);
    }
    CountCall = MC;
    int64_t V = *N;
    auto Holds = [&](BinaryOperatorKind O, int64_t C) {
      switch (O) {
      case BO_EQ: return C == V;
      case BO_NE: return C != V;
      case BO_LT: return C < V;
      case BO_LE: return C <= V;
      case BO_GT: return C > V;
      case BO_GE: return C >= V;
      default: return false;
      }
    };
    // Counts 0, 1 and one past V decide every comparison's shape.
    auto Edge = [&](BinaryOperatorKind O) {
      bool Zero = Holds(O, 0);
      bool Some = Holds(O, 1) || Holds(O, std::max<int64_t>(V, 1) + 1) ||
                  (V > 1 && Holds(O, V));
      if (!Zero && Some)
        return Says::Found;
      if (Zero && !Some)
        return Says::Missing;
      return Says::Nothing;
    };
    return std::make_pair(Edge(Op), Edge(BinaryOperator::negateComparisonOp(Op)));
  }

  Facts factsOf(const Expr *E, const State &S, unsigned Depth = 0) {
    Facts Out;
    if (!E || Depth > 8)
      return Out;
    E = ignoreTruthWrappers(E);
    // !X: the facts of X with the edges swapped.
    if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_LNot) {
      for (Fact F : factsOf(U->getSubExpr(), S, Depth + 1))
        Out.push_back({F.Slot, F.IsKey, F.OnFalse, F.OnTrue});
      return Out;
    }
    // known(id), has_key(m, k): a helper whose result is a membership test.
    if (const auto *C = dyn_cast<CallExpr>(E))
      if (std::optional<Fact> F = membershipFact(C)) {
        Out.push_back(*F);
        return Out;
      }
    BinaryOperatorKind Op;
    const Expr *L = nullptr, *R = nullptr;
    if (const auto *B = dyn_cast<BinaryOperator>(E)) {
      Op = B->getOpcode();
      L = B->getLHS();
      R = B->getRHS();
    } else if (const auto *RB = dyn_cast<CXXRewrittenBinaryOperator>(E)) {
      // C++20: `it != end` rewritten to `!(it == end)`.
      CXXRewrittenBinaryOperator::DecomposedForm DF = RB->getDecomposedForm();
      Op = DF.Opcode;
      L = DF.LHS;
      R = DF.RHS;
    } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
               OC && OC->getNumArgs() == 2 && OC->isComparisonOp()) {
      Op = BinaryOperator::getOverloadedOpcode(OC->getOperator());
      L = OC->getArg(0);
      R = OC->getArg(1);
    }
    if (L && R) {
      // A && B: both hold on the true edge; A || B: neither on the false.
      if (Op == BO_LAnd || Op == BO_LOr) {
        for (const Expr *Side : {L, R})
          for (Fact F : factsOf(Side, S, Depth + 1)) {
            if (Op == BO_LAnd)
              Out.push_back({F.Slot, F.IsKey, F.OnTrue, Says::Nothing});
            else
              Out.push_back({F.Slot, F.IsKey, Says::Nothing, F.OnFalse});
          }
        return Out;
      }
      if (Op == BO_EQ || Op == BO_NE) {
        bool FoundWhenTrue = Op == BO_NE;
        // p == nullptr, it == m.end(), either way round.
        if (isNullConstant(R, Ctx) || Model.isMapEnd(R))
          addTest(Out, L, S, FoundWhenTrue);
        else if (isNullConstant(L, Ctx) || Model.isMapEnd(L))
          addTest(Out, R, S, FoundWhenTrue);
      }
      const Expr *CountCall = nullptr;
      if (auto Edges = countComparison(Op, L, R, CountCall))
        if (SlotKey K = keySlotOf(CountCall);
            K && (Edges->first != Says::Nothing ||
                  Edges->second != Says::Nothing))
          Out.push_back({K, true, Edges->first, Edges->second});
      return Out;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      StringRef N = MD && MD->getDeclName().isIdentifier() ? MD->getName() : "";
      const Expr *Obj = MC->getImplicitObjectArgument();
      // m.contains(k), m.count(k) as a truth value.
      if (Model.asMembershipTest(MC)) {
        if (SlotKey K = keySlotOf(MC))
          Out.push_back({K, true, Says::Found, Says::Missing});
        return Out;
      }
      // p.has_value(), p.get(), ch.is_nil().
      if (N == "has_value" || N == "get" || N == "is_nil") {
        addTest(Out, Obj, S, N != "is_nil");
        return Out;
      }
      // Any other call is tested as a value below (`if (node(id))`).
    }
    // A bool holding a check.
    if (const ValueDecl *D = referencedDecl(E)) {
      auto It = S.Flags.find(D);
      if (It != S.Flags.end())
        return It->second;
    }
    // The value itself as a truth value: if (p), if (m[k]).
    addTest(Out, E, S, /*FoundWhenTrue=*/true);
    return Out;
  }

  /// The condition a block with two successors branches on.
  /// A condition with temporaries (`it == m.end() && c`, wrapped in
  /// ExprWithCleanups) is computed as a value: the block of its last operand
  /// falls through to a block that holds `a && b` as an element and branches
  /// on it, joined from the paths that skipped the last operand. Returns that
  /// operator for such a block, null otherwise.
  const BinaryOperator *materializedLogical(const CFGBlock *B) {
    if (B->succ_size() != 2 || B->empty())
      return nullptr;
    const auto *C = dyn_cast_or_null<Expr>(B->getTerminatorCondition(true));
    if (!C)
      return nullptr;
    const Expr *E = C->IgnoreParens();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr()->IgnoreParens();
    const auto *BO = dyn_cast<BinaryOperator>(E);
    if (!BO || !BO->isLogicalOp())
      return nullptr;
    for (const CFGElement &El : *B)
      if (auto CS = El.getAs<CFGStmt>(); CS && CS->getStmt() == BO)
        return BO;
    return nullptr;
  }

  const Expr *branchCondition(const CFGBlock *B) {
    if (B->succ_size() != 2)
      return nullptr;
    const Stmt *T = B->getTerminatorStmt();
    if (!T)
      return nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(T); BO && BO->isLogicalOp())
      return BO->getLHS();
    const auto *C = dyn_cast_or_null<Expr>(
        B->getTerminatorCondition(/*StripParens=*/true));
    if (!C)
      return nullptr;
    // The value of `a && b` computed in this block (see materializedLogical):
    // the branch is on the whole condition.
    if (materializedLogical(B))
      return C;
    // The last block of `a && b` evaluates b.
    while (true) {
      const auto *BO = dyn_cast<BinaryOperator>(C->IgnoreParens());
      if (!BO || !BO->isLogicalOp())
        break;
      C = BO->getRHS();
    }
    return C;
  }

  void applyFacts(State &S, const Facts &Fs, bool Edge, const Expr *Cond) {
    for (const Fact &F : Fs) {
      Says What = Edge ? F.OnTrue : F.OnFalse;
      if (What == Says::Nothing)
        continue;
      auto It = S.Slots.find(F.Slot);
      if (What == Says::Found) {
        if (It != S.Slots.end()) {
          It->second.Ways = Safe;
          It->second.MayMiss = false;
        } else if (F.IsKey)
          S.Slots[F.Slot] = SlotState{Safe, true, nullptr, nullptr};
        continue;
      }
      // Missing: the value is the default here, unless the path already
      // made it safe (assigned, or found by an earlier check).
      if (It == S.Slots.end()) {
        if (F.IsKey)
          S.Slots[F.Slot] = SlotState{Noticed, true, nullptr, Cond};
        continue;
      }
      if ((It->second.Ways & (Unchecked | Noticed)) || It->second.MayMiss) {
        It->second.Ways = Noticed;
        It->second.Check = Cond;
        It->second.MayMiss = false;
      }
    }
  }

  // --- Transfer --------------------------------------------------------
  /// Binds \p D to the value of \p Init (a lookup, a tracked variable, a
  /// check), or stops tracking it.
  void bind(State &S, const ValueDecl *D, const Expr *Init) {
    forgetConds(S, D);
    S.Flags.erase(D);
    if (!Init) {
      S.Slots.erase(D);
      return;
    }
    const Expr *E = ignoreTruthWrappers(Init);
    // `const_iterator it = m.find(k)`: the lookup is the find().
    if (const Expr *From = ignoreConvertingConstruction(E);
        From != E && Model.classifyLookup(From) == LookupKind::FindIterator)
      E = From;
    QualType T = D->getType().getNonReferenceType();
    if (auto K = classify(E)) {
      bool Tracks = *K == LookupKind::FindIterator ? !T->isBooleanType()
                                                   : Model.isHandleType(T);
      if (Tracks && *K != LookupKind::ShimLookup) {
        // m[k] or m.find(k) checked earlier in place (`if (m.contains(k))`)
        // or inserted (`m[k] = v`, `m.emplace(k, v)`) stays so.
        if (*K == LookupKind::Subscript || *K == LookupKind::FindIterator) {
          auto KS = S.Slots.find(keySlotOf(E));
          if (KS != S.Slots.end() && KS->second.Ways == Safe) {
            if (!KS->second.MayMiss) {
              S.Slots.erase(D);
              return;
            }
            // Filled by a call it cannot see: a later test still counts.
            SlotState V{Safe, false, E, nullptr};
            V.MayMiss = true;
            S.Slots[D] = V;
            return;
          }
        }
        S.Slots[D] = SlotState{Unchecked, false, E, nullptr};
        return;
      }
    }
    if (const ValueDecl *From = referencedDecl(E)) {
      auto It = S.Slots.find(From);
      if (It != S.Slots.end() && Model.isHandleType(T)) {
        SlotState Copy = It->second;
        S.Slots[D] = Copy;
        return;
      }
    }
    S.Slots.erase(D);
    if (T->isBooleanType()) {
      Facts F = factsOf(E, S);
      if (!F.empty())
        S.Flags[D] = F;
    }
  }

  /// `auto [v, ok] = m.lookup(k)`: v is the value, ok says whether found.
  void bindDecomposition(State &S, const DecompositionDecl *DD) {
    for (const BindingDecl *B : DD->bindings()) {
      S.Slots.erase(B);
      S.Flags.erase(B);
    }
    const Expr *Init = DD->getInit() ? ignoreTruthWrappers(DD->getInit()) : nullptr;
    auto K = Init ? Model.classifyLookup(Init) : std::nullopt;
    if (K != LookupKind::ShimLookup || DD->bindings().size() != 2)
      return;
    const BindingDecl *Value = DD->bindings()[0];
    const BindingDecl *Ok = DD->bindings()[1];
    if (!Model.isHandleType(Value->getType()))
      return;
    S.Slots[Value] = SlotState{Unchecked, false, Init, nullptr};
    S.Flags[Ok] = Facts{{Value, false, Says::Found, Says::Missing}};
  }

  /// A use of the slot \p Base denotes: report (when \p Out) and mark safe.
  void use(State &S, const Expr *Base, const Expr *Use,
           std::vector<LookupMissFinding> *Out) {
    auto [Slot, IsKey] = slotOf(Base, S);
    if (!Slot)
      return;
    std::string Name;
    if (const ValueDecl *D = referencedDecl(Base))
      Name = D->getNameAsString();
    else
      Name = Lexer::getSourceText(
                 CharSourceRange::getTokenRange(ignoreTruthWrappers(Base)->getSourceRange()),
                 Ctx.getSourceManager(), Ctx.getLangOpts())
                 .str();
    useSlot(S, Slot, IsKey, IsKey ? ignoreTruthWrappers(Base) : nullptr, Use, std::move(Name),
            Out);
  }

  /// For a use made by a callee (a maybe-missing argument the callee
  /// dereferences on every path): that use, for the note.
  const Stmt *CalleeUse = nullptr;

  /// A use of \p Slot (a lookup written as \p InPlace when \p IsKey).
  void useSlot(State &S, SlotKey Slot, bool IsKey, const Expr *InPlace,
               const Expr *Use, std::string Name,
               std::vector<LookupMissFinding> *Out) {
    auto It = S.Slots.find(Slot);
    if (It == S.Slots.end()) {
      if (!IsKey)
        return;
      It = S.Slots.try_emplace(Slot, SlotState{Unchecked, true, nullptr, nullptr})
               .first;
    }
    SlotState &St = It->second;
    if (!St.Lookup && IsKey)
      St.Lookup = InPlace;
    if (Out && (St.Ways & (Unchecked | Noticed))) {
      LookupMissFinding F;
      F.Kind = (St.Ways & Unchecked) ? LookupMissFinding::DefaultUse
                                     : LookupMissFinding::UnhandledMiss;
      F.Use = Use;
      F.Lookup = St.Lookup;
      F.Check = F.Kind == LookupMissFinding::UnhandledMiss ? St.Check : nullptr;
      F.Name = std::move(Name);
      F.InPlace = IsKey;
      F.IsIterator =
          St.Lookup && classify(St.Lookup) == LookupKind::FindIterator;
      // A lookup behind helpers: the calls down to the lookup itself.
      for (unsigned Depth = 0; F.Lookup && Depth <= FunctionSummaries::MaxSummaryDepth;
           ++Depth) {
        const auto *C = dyn_cast<CallExpr>(ignoreCopies(F.Lookup));
        auto R = C && !Model.classifyLookup(C) ? returnedMiss(C) : std::nullopt;
        if (!R)
          break;
        F.Via.push_back(C);
        F.Lookup = R->Lookup;
      }
      F.CalleeUse = CalleeUse;
      Out->push_back(std::move(F));
    }
    // Past a use the value was live (or the program is gone).
    St.Ways = Safe;
    St.MissConds.clear();
    St.MayMiss = false;
  }

  /// The key slot that an insertion into a map makes present: the key of
  /// `insert(pair/make_pair/{k, v})`, `emplace(k, ...)`, `try_emplace(k, ...)`,
  /// `insert_or_assign(k, v)`; null otherwise.
  SlotKey insertedKeySlot(const CXXMemberCallExpr *MC) {
    const Expr *Map = nullptr;
    const Expr *Key = Model.insertedKey(MC, Map);
    return Key ? keySlot(Map, Key) : nullptr;
  }

  // --- Transfer --------------------------------------------------------
  // The transfer table: the statement kinds that change the state, one rule
  // each. A use of a handle is what HandleUses says it is (handleUseOf),
  // closes excepted; every other statement leaves the state alone.
  using Rule = void (Impl::*)(State &, const Stmt *);
  struct TransferRule {
    Stmt::StmtClass Class;
    Rule Apply;
  };
  static const TransferRule Rules[];
  void transferStmt(State &S, const Stmt *St);

  /// A use of a handle (`*p`, `p->`, `p()`, a nil Chan's operations).
  bool useIn(State &S, const Stmt *St) {
    std::optional<HandleUse> U = handleUseOf(St, Model);
    if (!U || U->Kind == HandleUseKind::Close)
      return false;
    use(S, U->Handle, cast<Expr>(St), Collect);
    return true;
  }

  void onDecl(State &S, const Stmt *St) {
    for (const Decl *D : cast<DeclStmt>(St)->decls()) {
      if (const auto *DD = dyn_cast<DecompositionDecl>(D))
        bindDecomposition(S, DD);
      else if (const auto *VD = dyn_cast<VarDecl>(D))
        bind(S, VD, VD->getInit());
    }
  }

  void onUnary(State &S, const Stmt *St) {
    const auto *U = cast<UnaryOperator>(St);
    if (useIn(S, St))
      return;
    if (U->getOpcode() == UO_AddrOf)
      escape(S, U->getSubExpr());
    else if (U->isIncrementDecrementOp())
      forgetConds(S, referencedDecl(U->getSubExpr()));
  }

  void onUse(State &S, const Stmt *St) { useIn(S, St); }

  void onOperatorCall(State &S, const Stmt *St) {
    const auto *OC = cast<CXXOperatorCallExpr>(St);
    if (useIn(S, St))
      return;
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
      assign(S, OC->getArg(0), OC->getArg(1));
      return;
    }
    escapeArgs(S, OC);
  }

  void onBinary(State &S, const Stmt *St) {
    const auto *BO = cast<BinaryOperator>(St);
    if (BO->getOpcode() == BO_Assign)
      assign(S, BO->getLHS(), BO->getRHS());
    else if (BO->isCompoundAssignmentOp())
      forgetConds(S, referencedDecl(BO->getLHS()));
  }

  void onMemberCall(State &S, const Stmt *St) {
    const auto *MC = cast<CXXMemberCallExpr>(St);
    if (useIn(S, St))
      return;
    const Expr *Obj = MC->getImplicitObjectArgument();
    // m.insert({k, v}), m.emplace(k, v), m.try_emplace(k, ...): k is in.
    if (SlotKey K = insertedKeySlot(MC))
      S.Slots[K] = SlotState{Safe, true, nullptr, nullptr};
    const CXXMethodDecl *MD = MC->getMethodDecl();
    bool MapErase = MD && MD->getDeclName().isIdentifier() &&
                    MD->getName() == "erase" && MC->getNumArgs() == 1 && Obj &&
                    Model.isMapObject(Obj);
    // m.erase(k) (the overload that returns a count): k is out, whatever
    // an earlier test or insertion said.
    if (MapErase && MD->getReturnType()->isIntegerType())
      if (SlotKey K = keySlot(Obj, MC->getArg(0)))
        S.Slots[K] = SlotState{Unchecked, true, nullptr, nullptr};
    bool NonConst = MD && !MD->isConst();
    // A non-const member call may change what conditions on it read, and
    // may (re)initialise the object: reset(), emplace(), swap(), operator=
    // are how a missing value gets filled.
    if (NonConst) {
      forgetConds(S, referencedDecl(Obj));
      if (const ValueDecl *D = referencedDecl(Obj))
        S.Slots.erase(D);
    }
    usesInCallee(S, MC);
    fillsKeys(S, MC);
    // m.erase(it) with it == end() is undefined behaviour: a use.
    if (MapErase)
      if (const ValueDecl *It = referencedDecl(MC->getArg(0)))
        if (auto SI = S.Slots.find(It);
            SI != S.Slots.end() && SI->second.Lookup &&
            classify(SI->second.Lookup) == LookupKind::FindIterator)
          use(S, MC->getArg(0), MC, Collect);
    escapeArgs(S, MC);
    killIfNoReturn(S, MC);
  }

  void onCall(State &S, const Stmt *St) {
    const auto *C = cast<CallExpr>(St);
    useIn(S, St);
    usesInCallee(S, C);
    fillsKeys(S, C);
    escapeArgs(S, C);
    killIfNoReturn(S, C);
  }

  /// A function handed a map by non-const reference or pointer together
  /// with other arguments, that this TU cannot see or that inserts into
  /// that parameter (`build_client(loop, addr, clients)`, defined in another
  /// TU, then `clients.find(addr)->second`): it may have put those keys in,
  /// so they are not taken as missing. Not for std functions.
  void fillsKeys(State &S, const CallExpr *C) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (!Callee || Callee->isInStdNamespace() || C->getNumArgs() < 2)
      return;
    const FunctionDecl *Def = nullptr;
    bool Visible = Callee->hasBody(Def);
    unsigned First = implicitObjectArgs(C);
    for (unsigned I = First, N = C->getNumArgs(); I < N; ++I) {
      const Expr *A = C->getArg(I);
      QualType T = A->getType();
      bool ByPointer = T->isPointerType() &&
                       Model.isMapType(T->getPointeeType()) &&
                       !T->getPointeeType().isConstQualified();
      if (!ByPointer && !(Model.isMapType(T) && passesByMutableRef(C, I)))
        continue;
      unsigned Param = I - First;
      if (Visible && (Param >= Def->getNumParams() ||
                      !insertsInto(Def, Def->getParamDecl(Param))))
        continue;
      for (unsigned J = First; J < N; ++J)
        if (J != I)
          if (SlotKey K = keySlot(A, C->getArg(J))) {
            SlotState Filled{Safe, true, nullptr, nullptr};
            Filled.MayMiss = true;
            S.Slots[K] = Filled;
          }
    }
  }

  /// \p Def may insert into its map parameter \p P: an insertion or a
  /// subscript on it, or \p P handed on by non-const reference or pointer.
  bool insertsInto(const FunctionDecl *Def, const ParmVarDecl *P) {
    // Asked at each visit of the call's block: one walk per parameter.
    auto [Cached, New] = InsertsInto.try_emplace(P, false);
    if (!New)
      return Cached->second;
    bool Inserts = false;
    auto IsP = [&](const Expr *E) {
      E = E ? E->IgnoreParenImpCasts() : nullptr;
      if (const auto *U = dyn_cast_or_null<UnaryOperator>(E);
          U && U->getOpcode() == UO_Deref)
        E = U->getSubExpr()->IgnoreParenImpCasts();
      return E && referencedDecl(E) == P;
    };
    forEachStmtOf(Def, [&](const Stmt *St) {
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
        const Expr *Map = nullptr;
        if (Model.insertedKey(MC, Map) && IsP(Map))
          Inserts = true;
      }
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(St);
          OC && OC->getOperator() == OO_Subscript && OC->getNumArgs() > 0 &&
          IsP(OC->getArg(0)))
        Inserts = true;
      if (const auto *C = dyn_cast<CallExpr>(St))
        for (unsigned I = implicitObjectArgs(C), N = C->getNumArgs(); I < N; ++I)
          if (IsP(C->getArg(I)) &&
              (passesByMutableRef(C, I) || C->getArg(I)->getType()->isPointerType()))
            Inserts = true;
      return !Inserts;
    });
    InsertsInto[P] = Inserts;
    return Inserts;
  }
  llvm::DenseMap<const ParmVarDecl *, bool> InsertsInto;

  /// A maybe-missing value handed to a function of the TU that uses that
  /// parameter on every path before anything else (`flush_to(peers_[id])`
  /// where flush_to does `p->write(buf)`): the call is a use.
  void usesInCallee(State &S, const CallExpr *C) {
    if (!Opts.Summaries)
      return;
    const FunctionDecl *Def = nullptr;
    for (unsigned I = implicitObjectArgs(C), N = C->getNumArgs(); I < N; ++I) {
      auto [Slot, IsKey] = slotOf(C->getArg(I), S);
      if (!Slot)
        continue;
      auto It = S.Slots.find(Slot);
      bool Missing = It == S.Slots.end()
                         ? IsKey
                         : (It->second.Ways & (Unchecked | Noticed)) != 0;
      if (!Missing)
        continue;
      if (!Def && !(Def = FunctionSummaries::definitionCalled(C)))
        return;
      if (Def == FD)
        return;
      if (const Stmt *U =
              Opts.Summaries->unconditionalUse(Def, I - implicitObjectArgs(C))) {
        CalleeUse = U;
        use(S, C->getArg(I), C, Collect);
        CalleeUse = nullptr;
      }
    }
  }

  void onConstruct(State &S, const Stmt *St) {
    const auto *CE = cast<CXXConstructExpr>(St);
    if (isFatalLog(CE)) {
      S.Reachable = false;
      return;
    }
    for (unsigned I = 0, N = CE->getNumArgs(); I < N; ++I)
      if (passesByMutableRef(CE, I))
        escape(S, CE->getArg(I));
  }

  void onLambda(State &S, const Stmt *St) {
    const auto *LE = cast<LambdaExpr>(St);
    // A thread body gets the value as it is now: a use there that does not
    // test it first is a use of the lookup (Go's `go func() { ch <- 1 }()`).
    if (capturesMissing(S, LE) && isThreadLambda(LE))
      useInThread(S, LE, Collect);
    // A lambda that holds a variable by reference may fill it in -- unless
    // it is a deferred cleanup, which runs only at scope exit.
    for (const LambdaCapture &C : LE->captures())
      if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef &&
          S.Slots.count(C.getCapturedVar()) && !isCleanupLambda(LE))
        S.Slots.erase(C.getCapturedVar());
  }

  /// \p LE captures a slot that may be missing here.
  static bool capturesMissing(const State &S, const LambdaExpr *LE) {
    return llvm::any_of(LE->captures(), [&](const LambdaCapture &C) {
      if (!C.capturesVariable())
        return false;
      auto It = S.Slots.find(C.getCapturedVar());
      return It != S.Slots.end() && (It->second.Ways & (Unchecked | Noticed));
    });
  }

  /// Uses in the body of thread lambda \p LE of the slots it captures.
  void useInThread(State &S, const LambdaExpr *LE,
                   std::vector<LookupMissFinding> *Out) {
    for (const LambdaCapture &C : LE->captures()) {
      if (!C.capturesVariable())
        continue;
      const ValueDecl *V = C.getCapturedVar();
      auto It = S.Slots.find(V);
      if (It == S.Slots.end() || !(It->second.Ways & (Unchecked | Noticed)))
        continue;
      BodyFacts F = scanBody(LE->getBody(), V, Model);
      if (const auto *UseE = dyn_cast_or_null<Expr>(F.UnguardedUse))
        useSlot(S, V, /*IsKey=*/false, nullptr, UseE, V->getNameAsString(),
                Out);
    }
  }

  /// \p LE is handed directly to a thread: a spawner (`std::async`, the
  /// shim's `go`, ThreadSpawners) or a thread's constructor.
  bool isThreadLambda(const LambdaExpr *LE) {
    if (!ThreadLambdas) {
      ThreadLambdas.emplace();
      spawnedLambdasIn(FD->getBody(), Model, *ThreadLambdas);
    }
    return ThreadLambdas->contains(LE);
  }

  /// \p LE is the body of a deferred cleanup registered in this function.
  bool isCleanupLambda(const LambdaExpr *LE) {
    if (!CleanupLambdas) {
      CleanupLambdas.emplace();
      if (Opts.Cleanups)
        for (const DeferredCleanup &C : Opts.Cleanups->cleanupsIn(FD->getBody()))
          if (C.Lambda)
            CleanupLambdas->insert(C.Lambda);
    }
    return CleanupLambdas->contains(LE);
  }

  void assign(State &S, const Expr *LHS, const Expr *RHS) {
    forgetConds(S, referencedDecl(LHS));
    if (const ValueDecl *D = referencedDecl(LHS)) {
      if (S.Slots.count(D) || S.Flags.count(D) ||
          classify(ignoreTruthWrappers(RHS)))
        bind(S, D, RHS);
      return;
    }
    // m[k] = v: the key is now in the map (whatever its mapped type).
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(ignoreTruthWrappers(LHS));
        OC && OC->getOperator() == OO_Subscript)
      if (SlotKey K = keySlotOf(OC))
        S.Slots[K] = SlotState{Safe, true, nullptr, nullptr};
  }

  void escape(State &S, const Expr *E) {
    forgetConds(S, referencedDecl(E));
    if (const ValueDecl *D = referencedDecl(E)) {
      S.Slots.erase(D);
      S.Flags.erase(D);
    }
  }

  void escapeArgs(State &S, const CallExpr *C) {
    const FunctionDecl *Callee = C->getDirectCallee();
    // BOOST_SCOPE_EXIT copies its captures through this identity function.
    if (Callee && Model.nameMatches(Callee, llvm::ArrayRef<llvm::StringRef>{
                                               "::boost::scope_exit::detail::deref"}))
      return;
    for (unsigned I = implicitObjectArgs(C), N = C->getNumArgs(); I < N; ++I)
      if (referencedDecl(C->getArg(I)) && passesByMutableRef(C, I))
        escape(S, C->getArg(I));
  }

  /// Functions the options call noreturn that the CFG does not know about.
  void killIfNoReturn(State &S, const CallExpr *C) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (Callee && !Callee->isNoReturn() && Model.isNoReturnFunction(Callee))
      S.Reachable = false;
    // A helper of this TU whose every path throws or aborts.
    else if (Opts.Summaries && S.Reachable)
      if (const FunctionDecl *Def = FunctionSummaries::definitionCalled(C);
          Def && Def != FD && Opts.Summaries->neverReturns(Def))
        S.Reachable = false;
  }

  /// Records that the paths in \p S took edge \p Outcome of \p Cond, when
  /// the condition is stable (reads only local variables, their members and
  /// const methods); drops the missing ways of slots whose missing paths took
  /// the other edge of the same condition.
  void correlate(State &S, const Expr *Cond, bool Outcome,
                 llvm::function_ref<bool(SlotKey)> Only = nullptr) {
    llvm::SmallVector<const ValueDecl *, 2> Vars;
    if (!stableCondition(Cond, Vars, 0) || Vars.empty())
      return;
    llvm::FoldingSetNodeID ID;
    Cond->IgnoreParenImpCasts()->Profile(ID, Ctx, /*Canonical=*/true);
    CondFact F{ID.ComputeHash(), Outcome, Vars};
    CondFact Opposite{F.Hash, !Outcome, {}};
    for (auto &[K, St] : S.Slots) {
      if (!(St.Ways & (Unchecked | Noticed)) || (Only && !Only(K)))
        continue;
      if (llvm::is_contained(St.MissConds, Opposite)) {
        St.Ways &= ~(Unchecked | Noticed);
        if (!St.Ways)
          St.Ways = Safe;
        St.MissConds.clear();
        continue;
      }
      if (!llvm::is_contained(St.MissConds, F) && St.MissConds.size() < 8)
        St.MissConds.push_back(F);
    }
  }

  /// The operands' outcomes on an edge of a materialized `a && b` (or
  /// `a || b`): on the edge both decide (true for &&), each had it. On the
  /// other edge one of them had it: for a slot that one operand's outcome
  /// finds, a missing path had the other's (`it == m.end() && c` false: a
  /// miss had c false; `c && it == m.end()` false: a miss had c false).
  void correlateOperands(State &S, const BinaryOperator *BO, bool Outcome) {
    bool IsAnd = BO->getOpcode() == BO_LAnd;
    if (Outcome == IsAnd) {
      correlate(S, BO->getLHS(), Outcome);
      correlate(S, BO->getRHS(), Outcome);
      return;
    }
    auto FoundBy = [&](const Expr *Operand) {
      Facts Fs = factsOf(Operand, S);
      return [this, Fs, Outcome](SlotKey K) {
        return llvm::any_of(Fs, [&](const Fact &F) {
          return F.Slot == K && (Outcome ? F.OnTrue : F.OnFalse) == Says::Found;
        });
      };
    };
    correlate(S, BO->getRHS(), Outcome, FoundBy(BO->getLHS()));
    correlate(S, BO->getLHS(), Outcome, FoundBy(BO->getRHS()));
  }

  /// \p E reads only local variables and parameters, members through them,
  /// const methods of them, and constants; collects the variables.
  bool stableCondition(const Expr *E, llvm::SmallVectorImpl<const ValueDecl *> &Vars,
                       unsigned Depth) {
    if (!E || Depth > 6)
      return false;
    E = E->IgnoreParenImpCasts();
    if (isa<IntegerLiteral, CXXBoolLiteralExpr, CXXNullPtrLiteralExpr,
            CharacterLiteral>(E))
      return true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (isa<EnumConstantDecl>(DRE->getDecl()))
        return true;
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD || !VD->hasLocalStorage())
        return false;
      if (!llvm::is_contained(Vars, VD))
        Vars.push_back(VD);
      return true;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return isa<FieldDecl>(ME->getMemberDecl()) &&
             stableCondition(ME->getBase(), Vars, Depth + 1);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (!MD || !MD->isConst() || !MC->getImplicitObjectArgument() ||
          !stableCondition(MC->getImplicitObjectArgument(), Vars, Depth + 1))
        return false;
      return llvm::all_of(MC->arguments(), [&](const Expr *A) {
        return stableCondition(A, Vars, Depth + 1);
      });
    }
    if (const auto *U = dyn_cast<UnaryOperator>(E))
      return (U->getOpcode() == UO_LNot || U->getOpcode() == UO_Minus) &&
             stableCondition(U->getSubExpr(), Vars, Depth + 1);
    if (const auto *B = dyn_cast<BinaryOperator>(E))
      return (B->isComparisonOp() || B->isLogicalOp() ||
              B->isAdditiveOp() || B->isBitwiseOp()) &&
             stableCondition(B->getLHS(), Vars, Depth + 1) &&
             stableCondition(B->getRHS(), Vars, Depth + 1);
    return false;
  }

  /// \p D may have changed: forget the conditions that read it.
  static void forgetConds(State &S, const ValueDecl *D) {
    if (!D)
      return;
    for (auto &[K, St] : S.Slots)
      llvm::erase_if(St.MissConds, [&](const CondFact &C) {
        return llvm::is_contained(C.Vars, D);
      });
  }

  const FunctionDecl *FD;
  const FunctionCFG &G;
  ASTContext &Ctx;
  const MapModel &Model;
  LookupMissOptions Opts;
  ForwardDataflow<Impl> Engine;
  /// Where the replay collects findings (null during the fixpoint).
  std::vector<LookupMissFinding> *Collect = nullptr;
  /// A return of a value that may be missing (the function's summary).
public:
  std::optional<FunctionSummaries::ReturnedMiss> Returned;
  void noteReturn(const ReturnStmt *RS, const State &S);
private:
  llvm::StringMap<char> KeyNames;
  /// Lambdas registered as deferred cleanups here; computed on first need.
  std::optional<llvm::SmallPtrSet<const LambdaExpr *, 4>> CleanupLambdas;
  /// Lambdas handed directly to a thread; computed on first need.
  std::optional<llvm::SmallPtrSet<const LambdaExpr *, 4>> ThreadLambdas;
};

const LookupMissAnalysis::Impl::TransferRule LookupMissAnalysis::Impl::Rules[] = {
    // T v = m[k]; auto it = m.find(k); bool ok = it != m.end(); auto [v, ok]
    {Stmt::DeclStmtClass, &Impl::onDecl},
    // *p; &v escapes; ++v changes what conditions on v read
    {Stmt::UnaryOperatorClass, &Impl::onUnary},
    // p->x on a raw pointer
    {Stmt::MemberExprClass, &Impl::onUse},
    // p->f(), *p, f(), v = w on class types; other operators may write args
    {Stmt::CXXOperatorCallExprClass, &Impl::onOperatorCall},
    // v = w; v += n
    {Stmt::BinaryOperatorClass, &Impl::onBinary},
    {Stmt::CompoundAssignOperatorClass, &Impl::onBinary},
    // ch.send(x) on a nil Chan; m.emplace(k, v); p.reset(q); escapes
    {Stmt::CXXMemberCallExprClass, &Impl::onMemberCall},
    // fp() through a null function pointer; escapes; noreturn callees
    {Stmt::CallExprClass, &Impl::onCall},
    // a fatal logger; non-const reference arguments
    {Stmt::CXXConstructExprClass, &Impl::onConstruct},
    {Stmt::CXXTemporaryObjectExprClass, &Impl::onConstruct},
    // a thread body using a captured value; by-reference captures
    {Stmt::LambdaExprClass, &Impl::onLambda},
};

void LookupMissAnalysis::Impl::transferStmt(State &S, const Stmt *St) {
  for (const TransferRule &R : Rules)
    if (R.Class == St->getStmtClass()) {
      (this->*R.Apply)(S, St);
      return;
    }
}

void LookupMissAnalysis::Impl::noteReturn(const ReturnStmt *RS,
                                          const State &S) {
  const Expr *V = RS->getRetValue();
  if (!V || Returned)
    return;
  auto [Slot, IsKey] = slotOf(V, S);
  if (!Slot)
    return;
  auto It = S.Slots.find(Slot);
  bool Missing = It == S.Slots.end()
                     ? IsKey
                     : (It->second.Ways & (Unchecked | Noticed)) != 0;
  const Expr *Lookup = It != S.Slots.end() && It->second.Lookup
                           ? It->second.Lookup
                           : (IsKey ? ignoreTruthWrappers(V) : nullptr);
  if (!Missing || !Lookup)
    return;
  bool IsIterator = classify(Lookup) == LookupKind::FindIterator;
  // A missing value returned as a handle, or an iterator that may be end().
  QualType RT = FD->getReturnType();
  if (IsIterator ? RT->isBooleanType() : !Model.isHandleType(RT))
    return;
  Returned = FunctionSummaries::ReturnedMiss{Lookup, IsIterator};
}

void LookupMissAnalysis::Impl::transferEdge(const CFGBlock &From,
                                            unsigned SuccIndex, State &S) {
  if (const Expr *Cond = branchCondition(&From)) {
    Facts Fs = factsOf(Cond, S);
    if (!Fs.empty())
      applyFacts(S, Fs, /*Edge=*/SuccIndex == 0, Cond);
    correlate(S, Cond, /*Outcome=*/SuccIndex == 0);
    if (const BinaryOperator *BO = materializedLogical(&From))
      correlateOperands(S, BO, /*Outcome=*/SuccIndex == 0);
  }
  // After the edge's facts (which may read a flag for the last time).
  if (SuccIndex < From.succ_size())
    dropDead(S, *(From.succ_begin() + SuccIndex));
}

bool LookupMissAnalysis::Impl::worthDefaultUse(const LookupMissFinding &F) {
  // The lookup as this function wrote it: the call of the helper when the
  // lookup is behind one. (A find() iterator is reported whatever the mapped
  // type: dereferencing end() is undefined behaviour for any map.)
  const Expr *Lookup = !F.Via.empty() ? F.Via.front()
                       : F.Lookup     ? ignoreTruthWrappers(F.Lookup)
                                      : nullptr;
  if (!Lookup)
    return true;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Lookup);
  // An assertion compiled away under NDEBUG that mentions the variable, or
  // both the map and the key of a lookup written in place (`m[k]->f()`),
  // which may be asserted anywhere before it in the function.
  if (Opts.Asserts) {
    const SourceManager &SM = Ctx.getSourceManager();
    auto Text = [&](const Expr *E) {
      return Lexer::getSourceText(CharSourceRange::getTokenRange(
                                      E->IgnoreParenImpCasts()->getSourceRange()),
                                  SM, Ctx.getLangOpts())
          .str();
    };
    bool InPlace = F.InPlace;
    llvm::SmallVector<std::string, 2> Words;
    if (!InPlace)
      Words.push_back(F.Name);
    else if (!F.Via.empty())
      Words = {Text(Lookup)};
    else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Lookup);
             OC && OC->getNumArgs() == 2)
      Words = {Text(OC->getArg(0)), Text(OC->getArg(1))};
    else if (MC && MC->getNumArgs() > 0 && MC->getImplicitObjectArgument())
      Words = {Text(MC->getImplicitObjectArgument()), Text(MC->getArg(0))};
    SourceLocation After = InPlace ? FD->getBody()->getBeginLoc()
                                   : Lookup->getBeginLoc();
    if (Opts.Asserts->asserts(SM, FD->getBody()->getSourceRange(), After,
                              F.Use->getBeginLoc(), Words))
      return false;
  }
  return true;
}

void LookupMissAnalysis::Impl::report(std::vector<LookupMissFinding> &Out) {
  std::vector<LookupMissFinding> All;
  Collect = &All;
  Engine.forEachElement([&](const CFGElement &El, unsigned, const State &S) {
    if (auto CS = El.getAs<CFGStmt>())
      if (const auto *RS = dyn_cast<ReturnStmt>(CS->getStmt()))
        noteReturn(RS, S);
  });
  Collect = nullptr;
  // One finding per lookup: the first use in source order; a default-use
  // finding wins over an unhandled-miss one for the same lookup.
  const SourceManager &SM = Ctx.getSourceManager();
  std::stable_sort(All.begin(), All.end(),
                   [&](const LookupMissFinding &A, const LookupMissFinding &B) {
                     return SM.isBeforeInTranslationUnit(A.Use->getBeginLoc(),
                                                         B.Use->getBeginLoc());
                   });
  llvm::erase_if(All, [&](const LookupMissFinding &F) {
    return F.Kind == LookupMissFinding::DefaultUse && !worthDefaultUse(F);
  });
  llvm::DenseSet<const Expr *> Seen;
  llvm::DenseSet<const Expr *> DefaultUse;
  for (const LookupMissFinding &F : All)
    if (F.Kind == LookupMissFinding::DefaultUse)
      DefaultUse.insert(F.Lookup);
  for (LookupMissFinding &F : All) {
    if (DefaultUse.count(F.Lookup) && F.Kind != LookupMissFinding::DefaultUse)
      continue;
    if (!Seen.insert(F.Lookup ? F.Lookup : F.Use).second)
      continue;
    Out.push_back(std::move(F));
  }
}

std::optional<LookupMissState>
LookupMissAnalysis::Impl::stateBefore(const Stmt *Point,
                                      llvm::PointerUnion<const ValueDecl *,
                                                         const Expr *>
                                          What) const {
  auto *Self = const_cast<Impl *>(this);
  // A lookup written in place: its key slot (absent means Unchecked).
  SlotKey Key = nullptr;
  const Expr *InPlace = compat::dynCastIfPresent<const Expr *>(What);
  if (InPlace) {
    auto K = Self->classify(ignoreTruthWrappers(InPlace));
    if (!K || (*K != LookupKind::Subscript && *K != LookupKind::FindIterator))
      return std::nullopt;
    Key = Self->keySlotOf(InPlace);
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
      // A helper of this TU that may return a missing value.
      if (Summaries)
        if (const FunctionDecl *Def = FunctionSummaries::definitionCalled(C);
            Def && Def != FD && Summaries->returnedMiss(Def))
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

std::unique_ptr<LookupMissAnalysis>
LookupMissAnalysis::compute(const FunctionCFG &G, ASTContext &Ctx,
                            const MapModel &Model,
                            const LookupMissOptions &Opts,
                            std::string *OverBudget, unsigned *Limit) {
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
  A->P->report(A->Findings);
  A->Returned = A->P->Returned;
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
