//===--- MissConditions.cpp - what a branch condition says about a lookup -===//

#include "analysis/lookup/MissConditions.h"
#include "analysis/core/ExprUtils.h"
#include "clang/AST/ExprCXX.h"

namespace clang::tidy::mapguard::lookupmiss {

/// What calling a predicate helper says about the key it tests.
std::optional<Fact> MissConditions::membershipFact(const CallExpr *C) {
  if (!Summaries)
    return std::nullopt;
  std::optional<FunctionSummaries::Membership> M =
      Summaries->membershipOf(C, FD);
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
    Slots.addObjectIdentity(ID, Obj);
    ID.AddPointer(M->Field->getCanonicalDecl());
  } else if (const Expr *Map = Arg(M->MapParam)) {
    Slots.addMapIdentity(ID, Map);
  } else {
    return std::nullopt;
  }
  SlotKey K = Slots.keySlotFor(ID, Key);
  return M->TrueMeansFound ? Fact{K, true, Says::Found, Says::Missing}
                           : Fact{K, true, Says::Missing, Says::Found};
}

void MissConditions::addTest(Facts &Out, const Expr *E, const State &S,
                             bool FoundWhenTrue) {
  // `it == m.cend()`: libstdc++ converts `it` to a const_iterator through a
  // constructor first; the test is of `it`.
  E = ignoreConvertingConstruction(E);
  auto [Slot, IsKey] = Slots.slotOf(E, S);
  if (!Slot)
    return;
  Out.push_back({Slot, IsKey, FoundWhenTrue ? Says::Found : Says::Missing,
                 FoundWhenTrue ? Says::Missing : Says::Found});
}

/// `m.count(k) OP N` (either way round) for a constant N: what each edge
/// says about the key, knowing a count is never negative. Found when no
/// count satisfying that edge is 0; Missing when only 0 does.
std::optional<std::pair<Says, Says>>
MissConditions::countComparison(BinaryOperatorKind Op, const Expr *L,
                                const Expr *R, const Expr *&CountCall) {
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
    case BO_EQ:
      return C == V;
    case BO_NE:
      return C != V;
    case BO_LT:
      return C < V;
    case BO_LE:
      return C <= V;
    case BO_GT:
      return C > V;
    case BO_GE:
      return C >= V;
    default:
      return false;
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

Facts MissConditions::factsOf(const Expr *E, const State &S, unsigned Depth) {
  Facts Out;
  if (!E || Depth > 8)
    return Out;
  E = ignoreTruthWrappers(E);
  // !X: the facts of X with the edges swapped.
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_LNot) {
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
  // a OP b, a rewritten comparison (C++20: `it != end` as `!(it == end)`),
  // an overloaded comparison.
  std::optional<BinaryForm> BF = binaryFormOf(E);
  BinaryOperatorKind Op = BF ? BF->Op : BO_Comma;
  const Expr *L = BF ? BF->LHS : nullptr, *R = BF ? BF->RHS : nullptr;
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
      if (SlotKey K = Slots.keySlotOf(CountCall);
          K &&
          (Edges->first != Says::Nothing || Edges->second != Says::Nothing))
        Out.push_back({K, true, Edges->first, Edges->second});
    return Out;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    StringRef N = MD && MD->getDeclName().isIdentifier() ? MD->getName() : "";
    const Expr *Obj = MC->getImplicitObjectArgument();
    // m.contains(k), m.count(k) as a truth value.
    if (Model.asMembershipTest(MC)) {
      if (SlotKey K = Slots.keySlotOf(MC))
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
const BinaryOperator *MissConditions::materializedLogical(const CFGBlock *B) {
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

const Expr *MissConditions::branchCondition(const CFGBlock *B) {
  if (B->succ_size() != 2)
    return nullptr;
  const Stmt *T = B->getTerminatorStmt();
  if (!T)
    return nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(T); BO && BO->isLogicalOp())
    return BO->getLHS();
  const auto *C =
      dyn_cast_or_null<Expr>(B->getTerminatorCondition(/*StripParens=*/true));
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

void MissConditions::applyFacts(State &S, const Facts &Fs, bool Edge,
                                const Expr *Cond) {
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

/// Records that the paths in \p S took edge \p Outcome of \p Cond, when
/// the condition is stable (reads only local variables, their members and
/// const methods); drops the missing ways of slots whose missing paths took
/// the other edge of the same condition.
void MissConditions::correlate(State &S, const Expr *Cond, bool Outcome,
                               llvm::function_ref<bool(SlotKey)> Only) {
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
void MissConditions::correlateOperands(State &S, const BinaryOperator *BO,
                                       bool Outcome) {
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
bool MissConditions::stableCondition(
    const Expr *E, llvm::SmallVectorImpl<const ValueDecl *> &Vars,
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
    return (B->isComparisonOp() || B->isLogicalOp() || B->isAdditiveOp() ||
            B->isBitwiseOp()) &&
           stableCondition(B->getLHS(), Vars, Depth + 1) &&
           stableCondition(B->getRHS(), Vars, Depth + 1);
  return false;
}

} // namespace clang::tidy::mapguard::lookupmiss
