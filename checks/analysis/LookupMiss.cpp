//===--- LookupMiss.cpp - may this value be the default of a map miss? ----===//

#include "analysis/LookupMiss.h"
#include "analysis/DeferredCleanup.h"
#include "analysis/HandleUses.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtVisitor.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/Builtins.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/PointerUnion.h"
#include "llvm/ADT/PostOrderIterator.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include <algorithm>
#include <deque>

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
};

/// What a branch condition says about a slot on each of its edges.
enum class Says : uint8_t { Nothing, Found, Missing };
struct Fact {
  SlotKey Slot;
  bool IsKey;
  Says OnTrue;
  Says OnFalse;
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
          It->second.MissConds != S.MissConds)
        return false;
    }
    for (const auto &[K, F] : Flags)
      if (!O.Flags.count(K))
        return false;
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
      if (It == O.Flags.end() || It->second.size() != F.size())
        Drop.push_back(K);
    }
    for (const ValueDecl *K : Drop)
      Flags.erase(K);
  }
};

/// Branch hints and assertion helpers that return their first argument's
/// truth: `__builtin_expect(c, 1)` (LIKELY/UNLIKELY, glog's CHECK),
/// googletest's `IsTrue(c)` (GTEST_CHECK_).
bool isPassThrough(const CallExpr *C) {
  if (C->getNumArgs() < 1)
    return false;
  unsigned Builtin = C->getBuiltinCallee();
  if (Builtin == Builtin::BI__builtin_expect ||
      Builtin == Builtin::BI__builtin_expect_with_probability)
    return true;
  const FunctionDecl *FD = C->getDirectCallee();
  return FD && C->getNumArgs() == 1 && FD->getDeclName().isIdentifier() &&
         FD->getName() == "IsTrue" && FD->getReturnType()->isBooleanType() &&
         FD->getParamDecl(0)->getType()->isBooleanType();
}

/// \p CE builds a logger at FATAL severity (googletest's
/// `GTestLog(GTEST_FATAL, ...)`, glog's and absl's `LogMessageFatal`): the
/// statement it is in ends the program when the temporary dies.
bool isFatalLog(const CXXConstructExpr *CE) {
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!Ctor)
    return false;
  const CXXRecordDecl *RD = Ctor->getParent();
  if (const CXXDestructorDecl *D = RD->getDestructor())
    if (D->isNoReturn())
      return true;
  if (!RD->getDeclName().isIdentifier() ||
      !RD->getName().contains_insensitive("log"))
    return false;
  if (RD->getName().ends_with_insensitive("LogMessageFatal"))
    return true;
  for (const Expr *Arg : CE->arguments())
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts()))
      if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl());
          EC && EC->getName().ends_with_insensitive("fatal"))
        return true;
  return false;
}

const Expr *strip(const Expr *E) {
  while (E) {
    const Expr *N = E->IgnoreParens()->IgnoreImplicit();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(N))
      if (CE->getNumArgs() == 1 && CE->getConstructor() &&
          CE->getConstructor()->isCopyOrMoveConstructor())
        N = CE->getArg(0);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(N))
      if (isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
        N = MC->getImplicitObjectArgument();
    if (const auto *Cast = dyn_cast<CXXStaticCastExpr>(N))
      if (Cast->getType()->isBooleanType())
        N = Cast->getSubExpr();
    if (const auto *C = dyn_cast<CallExpr>(N); C && isPassThrough(C))
      N = C->getArg(0);
    if (N == E)
      return E;
    E = N;
  }
  return E;
}

const ValueDecl *declOf(const Expr *E) {
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(strip(E)))
    return DRE->getDecl();
  return nullptr;
}

bool isNullConstant(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  return isa<CXXNullPtrLiteralExpr>(E) ||
         E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) !=
             Expr::NPCK_NotNull;
}

StringRef calleeName(const CallExpr *C) {
  if (const auto *FD = C->getDirectCallee())
    if (FD->getDeclName().isIdentifier())
      return FD->getName();
  return "";
}

} // namespace

class LookupMissAnalysis::Impl {
public:
  Impl(const FunctionDecl *FD, ASTContext &Ctx, const MapModel &Model,
       const LookupMissOptions &Opts)
      : FD(FD), Ctx(Ctx), Model(Model), Opts(Opts) {}

  /// Builds the CFG and runs to a fixpoint; false when over budget.
  bool run();
  /// Replays every block once more, collecting findings.
  void report(std::vector<LookupMissFinding> &Out);
  /// A default-use finding that survives the filters below.
  bool worthDefaultUse(const LookupMissFinding &F);
  std::optional<LookupMissState>
  stateBefore(const Stmt *Point,
              llvm::PointerUnion<const ValueDecl *, const Expr *> What) const;

private:
  // --- Slots -----------------------------------------------------------
  SlotKey keySlot(const Expr *Map, const Expr *Key) {
    llvm::FoldingSetNodeID ID;
    Map->IgnoreParenImpCasts()->Profile(ID, Ctx, /*Canonical=*/true);
    // Look through converting constructors (the shim's KeyAt<K>, a
    // std::string built from a literal) so `m.contains(k)` and `m[k]` agree.
    Key = strip(Key);
    while (const auto *CE = dyn_cast<CXXConstructExpr>(Key)) {
      if (CE->getNumArgs() == 0 ||
          !llvm::all_of(llvm::drop_begin(CE->arguments()),
                        [](const Expr *A) { return isa<CXXDefaultArgExpr>(A); }))
        break;
      Key = strip(CE->getArg(0));
    }
    Key->IgnoreParenImpCasts()->Profile(ID, Ctx, /*Canonical=*/true);
    std::string S;
    llvm::raw_string_ostream(S) << ID.ComputeHash();
    return &*KeyNames.try_emplace(S).first;
  }

  /// The key slot of a lookup or test written in place: m[k], m.find(k),
  /// m.contains(k), m.count(k); null otherwise.
  SlotKey keySlotOf(const Expr *E) {
    E = strip(E);
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2 &&
          Model.isMapType(OC->getArg(0)->getType()))
        return keySlot(OC->getArg(0), OC->getArg(1));
      return nullptr;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (!Obj || !MD || !MD->getDeclName().isIdentifier() ||
          MC->getNumArgs() < 1 || !Model.isMapType(Obj->getType()))
        return nullptr;
      StringRef N = MD->getName();
      if (N == "find" || N == "contains" || N == "count")
        return keySlot(Obj, MC->getArg(0));
    }
    return nullptr;
  }

  /// The slot that \p E denotes in state \p S: a tracked variable, or a
  /// lookup written in place (whose slot need not exist yet).
  std::pair<SlotKey, bool> slotOf(const Expr *E, const State &S) {
    if (const ValueDecl *D = declOf(E))
      if (S.Slots.count(D))
        return {D, false};
    E = strip(E);
    if (auto K = Model.classifyLookup(E)) {
      if (*K == LookupKind::Subscript || *K == LookupKind::FindIterator)
        return {keySlotOf(E), true};
    }
    return {nullptr, false};
  }

  // --- Conditions ------------------------------------------------------
  /// `X.end()`, `X.cend()`, `std::end(X)` on a map.
  bool isMapEnd(const Expr *E) {
    E = strip(E);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      return MD && MD->getDeclName().isIdentifier() &&
             (MD->getName() == "end" || MD->getName() == "cend") &&
             Model.isMapType(MC->getImplicitObjectArgument()->getType());
    }
    if (const auto *C = dyn_cast<CallExpr>(E))
      return (calleeName(C) == "end" || calleeName(C) == "cend") &&
             C->getNumArgs() == 1 && Model.isMapType(C->getArg(0)->getType());
    return false;
  }

  void addTest(Facts &Out, const Expr *E, const State &S, bool FoundWhenTrue) {
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
    auto IsCount = [&](const Expr *E) -> const CXXMemberCallExpr * {
      const auto *MC = dyn_cast<CXXMemberCallExpr>(strip(E));
      if (MC && MC->getMethodDecl() &&
          MC->getMethodDecl()->getDeclName().isIdentifier() &&
          MC->getMethodDecl()->getName() == "count")
        return MC;
      return nullptr;
    };
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
    E = strip(E);
    // !X: the facts of X with the edges swapped.
    if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_LNot) {
      for (Fact F : factsOf(U->getSubExpr(), S, Depth + 1))
        Out.push_back({F.Slot, F.IsKey, F.OnFalse, F.OnTrue});
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
        if (isNullConstant(R, Ctx) || isMapEnd(R))
          addTest(Out, L, S, FoundWhenTrue);
        else if (isNullConstant(L, Ctx) || isMapEnd(L))
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
      if ((N == "contains" || N == "count") && Obj &&
          Model.isMapType(Obj->getType())) {
        if (SlotKey K = keySlotOf(MC))
          Out.push_back({K, true, Says::Found, Says::Missing});
        return Out;
      }
      // p.has_value(), p.get(), ch.is_nil().
      if (N == "has_value" || N == "get" || N == "is_nil")
        addTest(Out, Obj, S, N != "is_nil");
      return Out;
    }
    // A bool holding a check.
    if (const ValueDecl *D = declOf(E)) {
      auto It = S.Flags.find(D);
      if (It != S.Flags.end())
        return It->second;
    }
    // The value itself as a truth value: if (p), if (m[k]).
    addTest(Out, E, S, /*FoundWhenTrue=*/true);
    return Out;
  }

  /// The condition a block with two successors branches on.
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
        if (It != S.Slots.end())
          It->second.Ways = Safe;
        else if (F.IsKey)
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
      if (It->second.Ways & (Unchecked | Noticed)) {
        It->second.Ways = Noticed;
        It->second.Check = Cond;
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
    const Expr *E = strip(Init);
    QualType T = D->getType().getNonReferenceType();
    if (auto K = Model.classifyLookup(E)) {
      bool Tracks = *K == LookupKind::FindIterator ? !T->isBooleanType()
                                                   : Model.isHandleType(T);
      if (Tracks && *K != LookupKind::ShimLookup) {
        // m[k] or m.find(k) checked earlier in place (`if (m.contains(k))`)
        // or inserted (`m[k] = v`, `m.emplace(k, v)`) stays so.
        if (*K == LookupKind::Subscript || *K == LookupKind::FindIterator) {
          auto KS = S.Slots.find(keySlotOf(E));
          if (KS != S.Slots.end() && KS->second.Ways == Safe) {
            S.Slots.erase(D);
            return;
          }
        }
        S.Slots[D] = SlotState{Unchecked, false, E, nullptr};
        return;
      }
    }
    if (const ValueDecl *From = declOf(E)) {
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
    const Expr *Init = DD->getInit() ? strip(DD->getInit()) : nullptr;
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
    if (const ValueDecl *D = declOf(Base))
      Name = D->getNameAsString();
    else
      Name = Lexer::getSourceText(
                 CharSourceRange::getTokenRange(strip(Base)->getSourceRange()),
                 Ctx.getSourceManager(), Ctx.getLangOpts())
                 .str();
    useSlot(S, Slot, IsKey, IsKey ? strip(Base) : nullptr, Use, std::move(Name),
            Out);
  }

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
      F.IsIterator = St.Lookup && Model.classifyLookup(St.Lookup) ==
                                      LookupKind::FindIterator;
      Out->push_back(std::move(F));
    }
    // Past a use the value was live (or the program is gone).
    St.Ways = Safe;
    St.MissConds.clear();
  }

  /// The key slot that an insertion into a map makes present: the key of
  /// `insert(pair/make_pair/{k, v})`, `emplace(k, ...)`, `try_emplace(k, ...)`,
  /// `insert_or_assign(k, v)`; null otherwise.
  SlotKey insertedKeySlot(const CXXMemberCallExpr *MC) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!Obj || !MD || !MD->getDeclName().isIdentifier() ||
        MC->getNumArgs() == 0 || !Model.isMapType(Obj->getType()))
      return nullptr;
    StringRef N = MD->getName();
    const Expr *Key = nullptr;
    if (N == "try_emplace" || N == "insert_or_assign" ||
        (N == "emplace" && MC->getNumArgs() >= 2))
      Key = MC->getArg(0);
    else if (N == "insert" || N == "emplace") {
      // The first element of a pair built in the call.
      const Expr *A = strip(MC->getArg(0));
      if (const auto *ILE = dyn_cast<InitListExpr>(A); ILE && ILE->getNumInits() >= 1)
        Key = ILE->getInit(0);
      else if (const auto *CE = dyn_cast<CXXConstructExpr>(A); CE && CE->getNumArgs() >= 1)
        Key = CE->getArg(0);
      else if (const auto *C = dyn_cast<CallExpr>(A);
               C && calleeName(C) == "make_pair" && C->getNumArgs() >= 1)
        Key = C->getArg(0);
    }
    if (!Key)
      return nullptr;
    return keySlot(Obj, Key);
  }


  /// The statement \p St as a CFG element: uses, bindings, escapes.
  void transfer(State &S, const Stmt *St, std::vector<LookupMissFinding> *Out) {
    if (const auto *DS = dyn_cast<DeclStmt>(St)) {
      for (const Decl *D : DS->decls()) {
        if (const auto *DD = dyn_cast<DecompositionDecl>(D))
          bindDecomposition(S, DD);
        else if (const auto *VD = dyn_cast<VarDecl>(D))
          bind(S, VD, VD->getInit());
      }
      return;
    }
    const auto *E = dyn_cast<Expr>(St);
    if (!E)
      return;

    // Uses: *p, p->x, p(...), it->second, (*it).second, a nil Chan's ops.
    if (const auto *U = dyn_cast<UnaryOperator>(E)) {
      if (U->getOpcode() == UO_Deref)
        use(S, U->getSubExpr(), E, Out);
      else if (U->getOpcode() == UO_AddrOf)
        escape(S, U->getSubExpr());
      else if (U->isIncrementDecrementOp())
        forgetConds(S, declOf(U->getSubExpr()));
      return;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      // p->x on a raw pointer; smart pointers go through operator-> below.
      const auto *Op = dyn_cast<CXXOperatorCallExpr>(ME->getBase()->IgnoreImplicit());
      if (ME->isArrow() && !(Op && Op->getOperator() == OO_Arrow))
        use(S, ME->getBase(), E, Out);
      return;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      OverloadedOperatorKind K = OC->getOperator();
      if ((K == OO_Arrow || (K == OO_Star && OC->getNumArgs() == 1) ||
           K == OO_Call) &&
          OC->getNumArgs() >= 1) {
        use(S, OC->getArg(0), E, Out);
        return;
      }
      if (K == OO_Equal && OC->getNumArgs() == 2) {
        assign(S, OC->getArg(0), OC->getArg(1));
        return;
      }
      escapeArgs(S, OC);
      return;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->getOpcode() == BO_Assign)
        assign(S, BO->getLHS(), BO->getRHS());
      else if (BO->isCompoundAssignmentOp())
        forgetConds(S, declOf(BO->getLHS()));
      return;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (Model.isChanOperation(MC)) {
        use(S, Obj, E, Out);
        return;
      }
      // m.insert({k, v}), m.emplace(k, v), m.try_emplace(k, ...): k is in.
      if (SlotKey K = insertedKeySlot(MC))
        S.Slots[K] = SlotState{Safe, true, nullptr, nullptr};
      // A non-const member call may change what conditions on it read.
      if (MC->getMethodDecl() && !MC->getMethodDecl()->isConst())
        forgetConds(S, declOf(Obj));
      // A non-const member call may (re)initialise the object: reset(),
      // emplace(), swap(), operator= are how a missing value gets filled.
      if (const ValueDecl *D = declOf(Obj))
        if (S.Slots.count(D) && MC->getMethodDecl() &&
            !MC->getMethodDecl()->isConst())
          S.Slots.erase(D);
      escapeArgs(S, MC);
      killIfNoReturn(S, MC);
      return;
    }
    if (const auto *C = dyn_cast<CallExpr>(E)) {
      // A call through a function pointer that may be null.
      if (!C->getDirectCallee() && C->getCallee() &&
          C->getCallee()->getType()->isPointerType())
        use(S, C->getCallee(), E, Out);
      escapeArgs(S, C);
      killIfNoReturn(S, C);
      return;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      if (isFatalLog(CE)) {
        S.Reachable = false;
        return;
      }
      for (unsigned I = 0, N = CE->getNumArgs(); I < N; ++I)
        if (const CXXConstructorDecl *Ctor = CE->getConstructor())
          if (I < Ctor->getNumParams() && isMutableRef(Ctor->getParamDecl(I)->getType()))
            escape(S, CE->getArg(I));
      return;
    }
    if (const auto *LE = dyn_cast<LambdaExpr>(E)) {
      // A thread body gets the value as it is now: a use there that does not
      // test it first is a use of the lookup (Go's `go func() { ch <- 1 }()`).
      if (capturesMissing(S, LE) && isThreadLambda(LE))
        useInThread(S, LE, Out);
      // A lambda that holds a variable by reference may fill it in -- unless
      // it is a deferred cleanup, which runs only at scope exit.
      for (const LambdaCapture &C : LE->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef &&
            S.Slots.count(C.getCapturedVar()) && !isCleanupLambda(LE))
          S.Slots.erase(C.getCapturedVar());
      return;
    }
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
      llvm::SmallVector<const Stmt *, 32> Work{FD->getBody()};
      auto Add = [&](llvm::ArrayRef<const Expr *> Args) {
        for (const Expr *A : Args)
          if (const auto *L = dyn_cast_or_null<LambdaExpr>(
                  A ? A->IgnoreImplicit()->IgnoreParens()->IgnoreImplicit()
                    : nullptr))
            ThreadLambdas->insert(L);
      };
      while (!Work.empty()) {
        const Stmt *St = Work.pop_back_val();
        if (!St)
          continue;
        if (const auto *C = dyn_cast<CallExpr>(St);
            C && Model.isSpawnerFunction(C->getDirectCallee()))
          Add({C->getArgs(), C->getNumArgs()});
        if (const auto *CE = dyn_cast<CXXConstructExpr>(St);
            CE && Model.isThreadType(CE->getType()))
          Add({CE->getArgs(), CE->getNumArgs()});
        if (isa<LambdaExpr>(St))
          continue; // nested bodies are functions of their own
        for (const Stmt *Child : St->children())
          Work.push_back(Child);
      }
    }
    return ThreadLambdas->contains(LE);
  }

  /// \p LE is the body of a deferred cleanup registered in this function.
  bool isCleanupLambda(const LambdaExpr *LE) {
    if (!CleanupLambdas) {
      CleanupLambdas.emplace();
      DeferredCleanupFinder Finder(Model);
      for (const DeferredCleanup &C : Finder.cleanupsIn(FD->getBody()))
        if (C.Lambda)
          CleanupLambdas->insert(C.Lambda);
    }
    return CleanupLambdas->contains(LE);
  }

  void assign(State &S, const Expr *LHS, const Expr *RHS) {
    forgetConds(S, declOf(LHS));
    if (const ValueDecl *D = declOf(LHS)) {
      if (S.Slots.count(D) || S.Flags.count(D) ||
          Model.classifyLookup(strip(RHS)))
        bind(S, D, RHS);
      return;
    }
    // m[k] = v: the key is now in the map (whatever its mapped type).
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(strip(LHS));
        OC && OC->getOperator() == OO_Subscript)
      if (SlotKey K = keySlotOf(OC))
        S.Slots[K] = SlotState{Safe, true, nullptr, nullptr};
  }

  static bool isMutableRef(QualType T) {
    if (const auto *R = T->getAs<ReferenceType>())
      return !R->getPointeeType().isConstQualified();
    return false;
  }

  void escape(State &S, const Expr *E) {
    forgetConds(S, declOf(E));
    if (const ValueDecl *D = declOf(E)) {
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
    unsigned Offset = isa<CXXOperatorCallExpr>(C) && Callee &&
                              isa<CXXMethodDecl>(Callee)
                          ? 1
                          : 0;
    for (unsigned I = Offset, N = C->getNumArgs(); I < N; ++I) {
      const Expr *Arg = C->getArg(I);
      if (!declOf(Arg))
        continue;
      unsigned P = I - Offset;
      bool Mutable = !Callee || P >= Callee->getNumParams()
                         ? Arg->isGLValue()
                         : isMutableRef(Callee->getParamDecl(P)->getType());
      if (Mutable)
        escape(S, Arg);
    }
  }

  /// Functions the options call noreturn that the CFG does not know about.
  void killIfNoReturn(State &S, const CallExpr *C) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (Callee && !Callee->isNoReturn() && Model.isNoReturnFunction(Callee))
      S.Reachable = false;
  }

  /// Records that the paths in \p S took edge \p Outcome of \p Cond, when
  /// the condition is stable (reads only local variables, their members and
  /// const methods); drops the missing ways of slots whose missing paths took
  /// the other edge of the same condition.
  void correlate(State &S, const Expr *Cond, bool Outcome) {
    llvm::SmallVector<const ValueDecl *, 2> Vars;
    if (!stableCondition(Cond, Vars, 0) || Vars.empty())
      return;
    llvm::FoldingSetNodeID ID;
    Cond->IgnoreParenImpCasts()->Profile(ID, Ctx, /*Canonical=*/true);
    CondFact F{ID.ComputeHash(), Outcome, Vars};
    CondFact Opposite{F.Hash, !Outcome, {}};
    for (auto &[K, St] : S.Slots) {
      if (!(St.Ways & (Unchecked | Noticed)))
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

  /// Entry state of \p B: the join of what its predecessors send it.
  State flowIn(const CFGBlock *B) const;
  void flowOut(const CFGBlock *B, State S,
               llvm::SmallVectorImpl<std::pair<const CFGBlock *, State>> &Out);

  const FunctionDecl *FD;
  ASTContext &Ctx;
  const MapModel &Model;
  LookupMissOptions Opts;
  std::unique_ptr<CFG> Graph;
  /// What each edge carries: (from, to) -> state.
  llvm::DenseMap<std::pair<const CFGBlock *, const CFGBlock *>, State> Edges;
  llvm::StringMap<char> KeyNames;
  /// Lambdas registered as deferred cleanups here; computed on first need.
  std::optional<llvm::SmallPtrSet<const LambdaExpr *, 4>> CleanupLambdas;
  /// Lambdas handed directly to a thread; computed on first need.
  std::optional<llvm::SmallPtrSet<const LambdaExpr *, 4>> ThreadLambdas;
};

State LookupMissAnalysis::Impl::flowIn(const CFGBlock *B) const {
  State S;
  if (B == &Graph->getEntry()) {
    S.Reachable = true;
    return S;
  }
  for (const CFGBlock *Pred : B->preds()) {
    if (!Pred)
      continue;
    auto It = Edges.find({Pred, B});
    if (It != Edges.end())
      S.join(It->second);
  }
  return S;
}

void LookupMissAnalysis::Impl::flowOut(
    const CFGBlock *B, State S,
    llvm::SmallVectorImpl<std::pair<const CFGBlock *, State>> &Out) {
  const Expr *Cond = S.Reachable ? branchCondition(B) : nullptr;
  Facts Fs = Cond ? factsOf(Cond, S) : Facts();
  unsigned Index = 0;
  for (const CFGBlock *Succ : B->succs()) {
    unsigned Edge = Index++;
    if (!Succ)
      continue;
    State Next = S;
    if (!Fs.empty())
      applyFacts(Next, Fs, /*Edge=*/Edge == 0, Cond);
    if (Cond && B->succ_size() == 2)
      correlate(Next, Cond, /*Outcome=*/Edge == 0);
    Out.push_back({Succ, std::move(Next)});
  }
}

bool LookupMissAnalysis::Impl::run() {
  if (!FD->hasBody())
    return false;
  CFG::BuildOptions BO;
  BO.setAllAlwaysAdd();
  BO.AddImplicitDtors = false;
  BO.AddTemporaryDtors = false;
  BO.AddCXXDefaultInitExprInCtors = false;
  Graph = CFG::buildCFG(FD, FD->getBody(), &Ctx, BO);
  if (!Graph || Graph->getNumBlockIDs() > Opts.MaxBlocks)
    return false;

  // Reverse post-order; PostOrderCFGView skips the null successors of pruned
  // edges, which llvm::ReversePostOrderTraversal would follow.
  PostOrderCFGView RPO(Graph.get());
  llvm::DenseMap<const CFGBlock *, unsigned> Order, Visits;
  unsigned N = 0;
  for (const CFGBlock *B : RPO)
    Order[B] = N++;
  auto Cmp = [&](const CFGBlock *A, const CFGBlock *B) {
    return Order.lookup(A) > Order.lookup(B);
  };
  std::vector<const CFGBlock *> Work(RPO.begin(), RPO.end());
  std::make_heap(Work.begin(), Work.end(), Cmp);
  llvm::DenseSet<const CFGBlock *> Queued(Work.begin(), Work.end());
  while (!Work.empty()) {
    std::pop_heap(Work.begin(), Work.end(), Cmp);
    const CFGBlock *B = Work.back();
    Work.pop_back();
    Queued.erase(B);
    if (++Visits[B] > Opts.MaxVisitsPerBlock)
      return false;
    State S = flowIn(B);
    if (S.Reachable)
      for (const CFGElement &El : *B)
        if (auto CS = El.getAs<CFGStmt>()) {
          transfer(S, CS->getStmt(), nullptr);
          if (!S.Reachable)
            break;
        }
    llvm::SmallVector<std::pair<const CFGBlock *, State>, 2> Outs;
    flowOut(B, std::move(S), Outs);
    for (auto &[Succ, Next] : Outs) {
      auto Key = std::make_pair(B, Succ);
      auto It = Edges.find(Key);
      if (It != Edges.end() && It->second == Next)
        continue;
      Edges[Key] = std::move(Next);
      if (Queued.insert(Succ).second) {
        Work.push_back(Succ);
        std::push_heap(Work.begin(), Work.end(), Cmp);
      }
    }
  }
  return true;
}

bool LookupMissAnalysis::Impl::worthDefaultUse(const LookupMissFinding &F) {
  const Expr *Lookup = F.Lookup ? strip(F.Lookup) : nullptr;
  if (!Lookup)
    return true;
  // A find() iterator into a map of plain values: dereferencing end() is
  // undefined, but no default-constructed handle is used; with nothing on
  // the path asking, this is code relying on an invariant, not pattern 2.
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Lookup);
  if (MC && Model.classifyLookup(Lookup) == LookupKind::FindIterator &&
      MC->getImplicitObjectArgument() &&
      !Model.isHandleType(
          Model.mappedType(MC->getImplicitObjectArgument()->getType())))
    return false;
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
  for (const CFGBlock *B : *Graph) {
    State S = flowIn(B);
    if (!S.Reachable)
      continue;
    for (const CFGElement &El : *B)
      if (auto CS = El.getAs<CFGStmt>()) {
        transfer(S, CS->getStmt(), &All);
        if (!S.Reachable)
          break;
      }
  }
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
  const Expr *InPlace = dyn_cast_if_present<const Expr *>(What);
  if (InPlace) {
    auto K = Model.classifyLookup(strip(InPlace));
    if (!K || (*K != LookupKind::Subscript && *K != LookupKind::FindIterator))
      return std::nullopt;
    Key = Self->keySlotOf(InPlace);
    if (!Key)
      return std::nullopt;
  }
  // The CFG splits `A a, b;` into one synthesized DeclStmt per variable.
  const auto *PointDecls = dyn_cast<DeclStmt>(Point);
  auto IsPoint = [&](const Stmt *St) {
    if (St == Point)
      return true;
    const auto *DS = dyn_cast<DeclStmt>(St);
    return PointDecls && DS && DS->isSingleDecl() &&
           llvm::is_contained(PointDecls->decls(), DS->getSingleDecl());
  };
  for (const CFGBlock *B : *Graph) {
    bool Found = false;
    for (const CFGElement &El : *B)
      if (auto CS = El.getAs<CFGStmt>())
        if (IsPoint(CS->getStmt())) {
          Found = true;
          break;
        }
    if (!Found)
      continue;
    State S = flowIn(B);
    for (const CFGElement &El : *B) {
      auto CS = El.getAs<CFGStmt>();
      if (!CS)
        continue;
      if (IsPoint(CS->getStmt()))
        break;
      Self->transfer(S, CS->getStmt(), nullptr);
    }
    if (!S.Reachable)
      return std::nullopt;
    LookupMissState R;
    if (InPlace) {
      auto It = S.Slots.find(Key);
      R.MayBeUnchecked = It == S.Slots.end() || (It->second.Ways & Unchecked);
      R.MayBeNoticed = It != S.Slots.end() && (It->second.Ways & Noticed);
      R.Lookup = strip(InPlace);
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

// --- Cache and entry points ----------------------------------------------

namespace {
/// Per thread (clangd parses files on several threads), per translation
/// unit (reset at its start): function -> results (null: skipped).
thread_local llvm::DenseMap<const FunctionDecl *,
                            std::unique_ptr<LookupMissAnalysis>> *Cache = nullptr;

/// A cheap scan: does the body look anything up that may miss?
bool hasLookup(const Stmt *S, const MapModel &Model, unsigned &Budget) {
  if (!S || Budget == 0)
    return false;
  --Budget;
  if (const auto *E = dyn_cast<Expr>(S))
    if (isa<CallExpr>(E) && Model.classifyLookup(E))
      return true;
  if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
    // The body is analysed as its own function; init-captures run here.
    for (const Expr *Init : LE->capture_inits())
      if (hasLookup(Init, Model, Budget))
        return true;
    return false;
  }
  for (const Stmt *Child : S->children())
    if (hasLookup(Child, Model, Budget))
      return true;
  return false;
}
} // namespace

LookupMissAnalysis::~LookupMissAnalysis() = default;

void LookupMissAnalysis::resetCache() {
  delete Cache;
  Cache = nullptr;
}

const LookupMissAnalysis *
LookupMissAnalysis::get(const FunctionDecl *FD, ASTContext &Ctx,
                        const MapModel &Model, const LookupMissOptions &Opts) {
  if (!FD || !FD->hasBody() || FD->isDependentContext())
    return nullptr;
  if (!Cache)
    Cache = new llvm::DenseMap<const FunctionDecl *,
                               std::unique_ptr<LookupMissAnalysis>>();
  auto [It, Inserted] = Cache->try_emplace(FD);
  if (!Inserted)
    return It->second.get();
  unsigned Budget = 200000;
  if (!hasLookup(FD->getBody(), Model, Budget))
    return nullptr;
  std::unique_ptr<LookupMissAnalysis> A(new LookupMissAnalysis());
  A->P = std::make_unique<Impl>(FD, Ctx, Model, Opts);
  if (!A->P->run())
    return nullptr;
  A->P->report(A->Findings);
  It->second = std::move(A);
  return It->second.get();
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
