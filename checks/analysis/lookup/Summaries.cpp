//===--- Summaries.cpp - what a function of the TU does, for its callers --===//

#include "analysis/lookup/Summaries.h"
#include "analysis/calls/VirtualTargets.h"
#include "analysis/core/Dataflow.h"
#include "analysis/core/ExprUtils.h"
#include "analysis/core/HandleUses.h"
#include "analysis/index/FactKeys.h"
#include "analysis/lookup/LookupMiss.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"

namespace clang::tidy::mapguard {


/// One function: its facts (plain data, published to the store when
/// computed) and, in this TU, the AST nodes they point at.
struct FunctionSummaries::Entry {
  bool InProgress = false;
  FunctionFacts Facts;
  /// The lookup of Facts.ReturnedMiss.
  const Expr *ReturnedLookup = nullptr;
  /// Per parameter: the use of Facts.ParamUses, or null.
  llvm::SmallVector<const Stmt *, 4> Uses;
  /// The field of Facts.Membership.
  const FieldDecl *MemberField = nullptr;
};

std::string FunctionSummaries::usrOf(const FunctionDecl *FD) {
  return mapguard::usrOf(FD);
}

SourceSpot FunctionSummaries::spotOf(const Stmt *S, const SourceManager &SM) {
  return S ? mapguard::spotOf(S->getBeginLoc(), SM) : SourceSpot();
}

FunctionSummaries::FunctionSummaries(MapGuardAnalyses &A, const MapModel &Model,
                                     AnalysisBudget Budget)
    : A(A), Model(Model), Budget(Budget) {}

FunctionSummaries::~FunctionSummaries() = default;

FunctionSummaries::Entry &FunctionSummaries::entry(const FunctionDecl *FD) {
  std::unique_ptr<Entry> &Slot = Entries[FD];
  if (!Slot) {
    Slot = std::make_unique<Entry>();
    Slot->Facts.USR = usrOf(FD);
    Slot->Facts.Name = FD->getQualifiedNameAsString();
  }
  return *Slot;
}

void FunctionSummaries::publish(const Entry &E) {
  Store.at(E.Facts.USR) = E.Facts;
}

bool FunctionSummaries::enter(Entry &E) {
  if (E.InProgress || Depth >= MaxSummaryDepth)
    return false;
  E.InProgress = true;
  ++Depth;
  return true;
}

void FunctionSummaries::leave(Entry &E) {
  E.InProgress = false;
  --Depth;
}

const FunctionDecl *FunctionSummaries::definitionCalled(const CallExpr *C) {
  const FunctionDecl *Callee = C ? C->getDirectCallee() : nullptr;
  if (!Callee)
    return nullptr;
  // A virtual call may dispatch to an override this TU does not show,
  // unless the method or its class is final or the call names the class.
  if (!isDevirtualisedCall(C))
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!Callee->hasBody(Def) || !Def || Def->isDependentContext())
    return nullptr;
  // The standard library's bodies are not summarised (std::map::at has one).
  if (Def->getASTContext().getSourceManager().isInSystemHeader(
          Def->getLocation()))
    return nullptr;
  return Def;
}

std::optional<FunctionSummaries::ReturnedMiss>
FunctionSummaries::returnedMiss(const FunctionDecl *FD) {
  if (!FD || !FD->hasBody())
    return std::nullopt;
  QualType RT = FD->getReturnType();
  if (RT->isVoidType() || RT->isBooleanType())
    return std::nullopt;
  Entry &E = entry(FD);
  if (!E.Facts.knows(FunctionFacts::KnowsReturnedMiss)) {
    if (!enter(E))
      return std::nullopt; // recursion or too deep: no summary, not cached
    const LookupMissAnalysis *R = A.lookupMisses(FD, Model, Budget);
    Entry &After = entry(FD); // the map may have grown
    if (R && R->returnedMiss()) {
      After.Facts.ReturnedMiss = ReturnedMissFact{
          R->returnedMiss()->IsIterator,
          spotOf(R->returnedMiss()->Lookup,
                 FD->getASTContext().getSourceManager())};
      After.ReturnedLookup = R->returnedMiss()->Lookup;
    }
    After.Facts.Known |= FunctionFacts::KnowsReturnedMiss;
    publish(After);
    leave(After);
  }
  const Entry &Done = entry(FD);
  if (!Done.Facts.ReturnedMiss)
    return std::nullopt;
  return ReturnedMiss{Done.ReturnedLookup, Done.Facts.ReturnedMiss->IsIterator};
}

namespace {

/// The first thing a function does with each handle parameter, on every
/// path: bit 2i is "nothing yet" on some path, bit 2i+1 "something other
/// than a use came first" on some path.
struct FirstUse {
  using Lattice = uint32_t;
  FunctionSummaries &Summaries;
  const FunctionCFG &G;
  const MapModel &Model;
  llvm::ArrayRef<const ParmVarDecl *> Params; ///< tracked, at most 16
  llvm::SmallVectorImpl<const Stmt *> &Uses;

  uint32_t initial() {
    uint32_t S = 0;
    for (unsigned I = 0; I < Params.size(); ++I)
      if (Params[I])
        S |= 1u << (2 * I);
    return S;
  }
  bool reachable(const uint32_t &) { return true; }
  void join(uint32_t &Into, const uint32_t &From) { Into |= From; }
  void transferEdge(const CFGBlock &, unsigned, uint32_t &) {}
  void transfer(const CFGElement &E, CFGPoint, uint32_t &S) {
    auto CS = E.getAs<CFGStmt>();
    const auto *DRE = CS ? dyn_cast<DeclRefExpr>(CS->getStmt()) : nullptr;
    if (!DRE)
      return;
    for (unsigned I = 0; I < Params.size(); ++I) {
      if (!Params[I] || DRE->getDecl() != Params[I] ||
          !(S & (1u << (2 * I))))
        continue;
      S &= ~(1u << (2 * I));
      if (const Stmt *Use = useBy(DRE, I)) {
        if (!Uses[I])
          Uses[I] = Use;
      } else {
        S |= 1u << (2 * I + 1);
      }
    }
  }

  /// The statement that consumes \p DRE, when it uses the handle as live.
  const Stmt *useBy(const DeclRefExpr *DRE, unsigned I) {
    const Stmt *Child = DRE;
    const Stmt *P = G.parentOf(DRE);
    while (P && isa<ImplicitCastExpr, ParenExpr>(P)) {
      Child = P;
      P = G.parentOf(P);
    }
    if (!P)
      return nullptr;
    if (std::optional<HandleUse> U = handleUseOf(P, Model);
        U && U->Kind != HandleUseKind::Close && refersTo(U->Handle, Params[I]))
      return P;
    // Handed on to a callee that uses it on every path.
    if (const auto *C = dyn_cast<CallExpr>(P))
      for (unsigned J = implicitObjectArgs(C); J < C->getNumArgs(); ++J)
        if (C->getArg(J) == Child &&
            Summaries.unconditionalUseOf(C, J - implicitObjectArgs(C),
                                         nullptr))
          return P;
    return nullptr;
  }
};

} // namespace

const Stmt *FunctionSummaries::unconditionalUse(const FunctionDecl *FD,
                                                unsigned Param) {
  if (!FD || !FD->hasBody() || Param >= FD->getNumParams())
    return nullptr;
  Entry &E = entry(FD);
  if (!E.Facts.knows(FunctionFacts::KnowsParamUses)) {
    if (!enter(E))
      return nullptr;
    llvm::SmallVector<const ParmVarDecl *, 4> Params;
    llvm::SmallVector<const Stmt *, 4> Uses;
    bool Any = false;
    for (unsigned I = 0; I < FD->getNumParams() && I < 16; ++I) {
      const ParmVarDecl *P = FD->getParamDecl(I);
      bool Tracked = Model.isHandleType(P->getType());
      Params.push_back(Tracked ? P : nullptr);
      Any |= Tracked;
    }
    Uses.assign(Params.size(), nullptr);
    const FunctionCFG *G = Any ? A.cfgOf(FD, Budget, SkipSummaries) : nullptr;
    llvm::SmallVector<const Stmt *, 4> Result(FD->getNumParams(), nullptr);
    if (G) {
      FirstUse P{*this, *G, Model, Params, Uses};
      ForwardDataflow<FirstUse> Engine(G->cfg(), P);
      if (!Engine.run(Budget.MaxBlockVisits))
        A.recordSkip(FD, SkipSummaries, "MaxBlockVisits",
                     Budget.MaxBlockVisits, Budget);
      else if (std::optional<uint32_t> AtExit =
                   Engine.entryOf(G->cfg().getExit()))
        for (unsigned I = 0; I < Params.size(); ++I)
          if (Params[I] && !(*AtExit & (3u << (2 * I))))
            Result[I] = Uses[I];
    }
    Entry &After = entry(FD);
    const SourceManager &SM = FD->getASTContext().getSourceManager();
    for (unsigned I = 0; I < Result.size(); ++I)
      if (Result[I])
        After.Facts.ParamUses.push_back(ParamUseFact{I, spotOf(Result[I], SM)});
    After.Uses = std::move(Result);
    After.Facts.Known |= FunctionFacts::KnowsParamUses;
    publish(After);
    leave(After);
  }
  Entry &Done = entry(FD);
  return Param < Done.Uses.size() ? Done.Uses[Param] : nullptr;
}

std::optional<FunctionSummaries::Membership>
FunctionSummaries::membership(const FunctionDecl *FD) {
  if (!FD || !FD->hasBody() || !FD->getReturnType()->isBooleanType())
    return std::nullopt;
  Entry &E = entry(FD);
  if (E.Facts.knows(FunctionFacts::KnowsMembership)) {
    if (!E.Facts.Membership)
      return std::nullopt;
    const MembershipFact &M = *E.Facts.Membership;
    return Membership{E.MemberField, M.MapParam, M.KeyParam, M.TrueMeansFound};
  }
  E.Facts.Known |= FunctionFacts::KnowsMembership;
  publish(E);
  // One statement: `return <test>;`.
  const auto *Body = dyn_cast<CompoundStmt>(FD->getBody());
  const auto *Ret = Body && Body->size() == 1
                        ? dyn_cast<ReturnStmt>(Body->body_front())
                        : nullptr;
  const Expr *Test = Ret ? Ret->getRetValue() : nullptr;
  bool Found = true;
  const Expr *Map = nullptr, *Key = nullptr;
  std::optional<Membership> Composed;
  for (unsigned Depth = 0; Test && Depth < 8 && !Map; ++Depth) {
    Test = ignoreTruthWrappers(Test);
    if (const auto *U = dyn_cast<UnaryOperator>(Test);
        U && U->getOpcode() == UO_LNot) {
      Found = !Found;
      Test = U->getSubExpr();
      continue;
    }
    if (const CXXMemberCallExpr *MC = Model.asMembershipTest(Test)) {
      Map = MC->getImplicitObjectArgument();
      Key = MC->getArg(0);
      break;
    }
    // `return contains(k);`: a predicate helper (of this TU or of the
    // project index) on this object's map or a map parameter.
    if (const auto *C = dyn_cast<CallExpr>(Test);
        C && !isa<CXXOperatorCallExpr>(C)) {
      if ((Composed = composedMembership(C, FD)))
        Found = Found == Composed->TrueMeansFound;
      break;
    }
    // m.find(k) != m.end(), m.count(k) > 0 / != 0 / == 0, either way round.
    std::optional<BinaryForm> BF = binaryFormOf(Test);
    BinaryOperatorKind Op = BF ? BF->Op : BO_Comma;
    const Expr *L = BF ? BF->LHS : nullptr, *R = BF ? BF->RHS : nullptr;
    if (!L || (Op != BO_EQ && Op != BO_NE && Op != BO_GT))
      break;
    if (Model.isMapEnd(L))
      std::swap(L, R);
    const Expr *M = nullptr;
    const Expr *K = Model.keyOfAccess(L, M);
    const auto *LC = dyn_cast<CXXMemberCallExpr>(ignoreTruthWrappers(L));
    if (!K || !LC)
      break;
    StringRef Name = LC->getMethodDecl()->getName();
    Expr::EvalResult Zero;
    bool RIsZero = R->EvaluateAsInt(Zero, FD->getASTContext()) &&
                   Zero.Val.getInt() == 0;
    if (Name == "find" && Model.isMapEnd(R) && Op != BO_GT)
      Found = Found == (Op == BO_NE);
    else if (Name == "count" && RIsZero)
      Found = Found == (Op != BO_EQ);
    else
      break;
    Map = M;
    Key = K;
  }
  Membership Mem;
  if (Composed) {
    Mem = *Composed;
    Mem.TrueMeansFound = Found;
  } else if (!membershipOfTest(Map, Key, Found, Mem)) {
    return std::nullopt;
  }
  MembershipFact Fact;
  if (Mem.Field) {
    Fact.FieldUSR = mapguard::usrOf(Mem.Field);
    Fact.FieldName = Mem.Field->getNameAsString();
  }
  Fact.MapParam = Mem.MapParam;
  Fact.KeyParam = Mem.KeyParam;
  Fact.TrueMeansFound = Mem.TrueMeansFound;
  Entry &After = entry(FD);
  After.Facts.Membership = std::move(Fact);
  After.MemberField = Mem.Field;
  publish(After);
  return Mem;
}

bool FunctionSummaries::membershipOfTest(const Expr *Map, const Expr *Key,
                                         bool Found, Membership &Mem) {
  if (!Map || !Key)
    return false;
  Mem.TrueMeansFound = Found;
  const Expr *MapE = Map->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(MapE);
      ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    Mem.Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
  else if (const auto *DRE = dyn_cast<DeclRefExpr>(MapE))
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
      Mem.MapParam = P->getFunctionScopeIndex();
  const auto *KeyRef = dyn_cast<DeclRefExpr>(ignoreTruthWrappers(Key));
  const auto *KeyParm =
      KeyRef ? dyn_cast<ParmVarDecl>(KeyRef->getDecl()) : nullptr;
  if ((!Mem.Field && Mem.MapParam < 0) || !KeyParm)
    return false;
  Mem.KeyParam = KeyParm->getFunctionScopeIndex();
  return true;
}

std::optional<FunctionSummaries::Membership>
FunctionSummaries::composedMembership(const CallExpr *C,
                                      const FunctionDecl *FD) {
  if (Depth >= MaxSummaryDepth)
    return std::nullopt;
  ++Depth;
  std::optional<Membership> Inner = membershipOf(C, FD);
  --Depth;
  if (!Inner)
    return std::nullopt;
  unsigned Offset = implicitObjectArgs(C);
  auto Arg = [&](int P) -> const Expr * {
    return P >= 0 && P + Offset < C->getNumArgs()
               ? C->getArg(P + Offset)->IgnoreParenImpCasts()
               : nullptr;
  };
  auto ParamOf = [&](const Expr *E) -> const ParmVarDecl * {
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
    const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    return P && P->getDeclContext() == FD ? P : nullptr;
  };
  auto IsThis = [](const Expr *E) {
    return E && isa<CXXThisExpr>(E->IgnoreParenImpCasts());
  };
  Membership Out;
  Out.TrueMeansFound = Inner->TrueMeansFound;
  const ParmVarDecl *Key = ParamOf(ignoreTruthWrappers(Arg(Inner->KeyParam)));
  if (!Key)
    return std::nullopt;
  Out.KeyParam = Key->getFunctionScopeIndex();
  if (Inner->Field) {
    // The helper's map is a field of the object it is called on: this one.
    const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
    if (!MC || !IsThis(MC->getImplicitObjectArgument()))
      return std::nullopt;
    Out.Field = Inner->Field;
    return Out;
  }
  const Expr *Map = Arg(Inner->MapParam);
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(Map);
      ME && IsThis(ME->getBase()))
    Out.Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
  else if (const ParmVarDecl *P = ParamOf(Map))
    Out.MapParam = P->getFunctionScopeIndex();
  if (!Out.Field && Out.MapParam < 0)
    return std::nullopt;
  return Out;
}

namespace {

/// "May this path still return normally?"
struct MayReturn {
  using Lattice = bool;
  FunctionSummaries &Summaries;
  const MapModel &Model;
  bool initial() { return true; }
  bool reachable(const bool &S) { return S; }
  void join(bool &Into, const bool &From) { Into = Into || From; }
  void transferEdge(const CFGBlock &, unsigned, bool &) {}
  void transfer(const CFGElement &E, CFGPoint, bool &S) {
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return;
    if (isa<CXXThrowExpr>(CS->getStmt())) {
      S = false;
      return;
    }
    const auto *C = dyn_cast<CallExpr>(CS->getStmt());
    const FunctionDecl *Callee = C ? C->getDirectCallee() : nullptr;
    if (!Callee)
      return;
    if (Callee->isNoReturn() || Model.isNoReturnFunction(Callee)) {
      S = false;
      return;
    }
    if (Summaries.neverReturnsOf(C, nullptr))
      S = false;
  }
};

bool hasTry(const Stmt *Body) {
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (isa<CXXTryStmt>(S) || isa<ObjCAtTryStmt>(S))
      return true;
    if (isa<LambdaExpr>(S))
      continue;
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return false;
}

} // namespace

bool FunctionSummaries::neverReturns(const FunctionDecl *FD) {
  if (!FD || !FD->hasBody())
    return false;
  if (FD->isNoReturn())
    return true;
  Entry &E = entry(FD);
  if (E.Facts.knows(FunctionFacts::KnowsNeverReturns))
    return E.Facts.NeverReturns;
  if (!enter(E))
    return false;
  bool Result = false;
  // A throw caught in the function itself returns; those are left alone.
  if (!hasTry(FD->getBody()))
    if (const FunctionCFG *G = A.cfgOf(FD, Budget, SkipSummaries)) {
      MayReturn P{*this, Model};
      ForwardDataflow<MayReturn> Engine(G->cfg(), P);
      bool Ran = Engine.run(Budget.MaxBlockVisits);
      if (!Ran)
        A.recordSkip(FD, SkipSummaries, "MaxBlockVisits",
                     Budget.MaxBlockVisits, Budget);
      Result = Ran && !Engine.entryOf(G->cfg().getExit());
    }
  Entry &After = entry(FD);
  After.Facts.NeverReturns = Result;
  After.Facts.Known |= FunctionFacts::KnowsNeverReturns;
  publish(After);
  leave(After);
  return Result;
}

const FieldDecl *FunctionSummaries::returnedField(const CallExpr *Call) {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  const FunctionDecl *FD = MC ? definitionCalled(MC) : nullptr;
  if (!FD || !FD->getReturnType()->isReferenceType())
    return nullptr;
  const auto *Body = dyn_cast<CompoundStmt>(FD->getBody());
  const auto *Ret = Body && Body->size() == 1
                        ? dyn_cast<ReturnStmt>(Body->body_front())
                        : nullptr;
  const Expr *E = Ret && Ret->getRetValue()
                      ? Ret->getRetValue()->IgnoreParenImpCasts()
                      : nullptr;
  // `cond ? a_ : b_` with cond a parameter the call passes as a constant.
  if (const auto *CO = dyn_cast_or_null<ConditionalOperator>(E)) {
    const auto *P = dyn_cast<DeclRefExpr>(CO->getCond()->IgnoreParenImpCasts());
    const auto *Parm = P ? dyn_cast<ParmVarDecl>(P->getDecl()) : nullptr;
    if (!Parm || Parm->getFunctionScopeIndex() >= MC->getNumArgs())
      return nullptr;
    bool Value = false;
    const Expr *Arg = MC->getArg(Parm->getFunctionScopeIndex());
    if (Arg->isValueDependent() ||
        !Arg->EvaluateAsBooleanCondition(Value, FD->getASTContext()))
      return nullptr;
    E = (Value ? CO->getTrueExpr() : CO->getFalseExpr())->IgnoreParenImpCasts();
  }
  const auto *ME = dyn_cast_or_null<MemberExpr>(E);
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

namespace {

/// A throw, or a call of a function that never returns, written in \p Body
/// (not in its lambdas): the function may never return.
bool mayNeverReturn(const Stmt *Body, const MapModel &Model) {
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (isa<CXXThrowExpr>(S))
      return true;
    if (const auto *C = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = C->getDirectCallee();
          Callee && (Callee->isNoReturn() || Model.isNoReturnFunction(Callee)))
        return true;
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return false;
}

} // namespace

void FunctionSummaries::exportFacts(const FunctionDecl *FD) {
  // What other TUs can call and do not see: functions with external
  // linkage defined in the main file (a header's bodies are seen by every
  // TU that includes it; a template is instantiated where it is used).
  if (!FD || !FD->hasBody() || FD->isDependentContext())
    return;
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if ((MD && MD->getParent()->isLambda()) || !FD->isExternallyVisible() ||
      FD->isTemplateInstantiation() ||
      !FD->getASTContext().getSourceManager().isInMainFile(
          FD->getASTContext().getSourceManager().getFileLoc(
              FD->getLocation())))
    return;
  QualType RT = FD->getReturnType();
  if (!RT->isVoidType() && !RT->isBooleanType())
    (void)returnedMiss(FD);
  if (RT->isBooleanType())
    (void)membership(FD);
  if (llvm::any_of(FD->parameters(), [&](const ParmVarDecl *P) {
        return Model.isHandleType(P->getType());
      }))
    (void)unconditionalUse(FD, 0); // summarises every parameter
  if (mayNeverReturn(FD->getBody(), Model))
    (void)neverReturns(FD);
  const FunctionFacts *F = Store.find(usrOf(FD));
  // Only what a caller can use: no record says "nothing".
  if (!F || (!F->ReturnedMiss && F->ParamUses.empty() && !F->Membership &&
             !F->NeverReturns))
    return;
  IndexedFunction &R = A.recordFunction(FD);
  R.Lookup = *F;
  R.Lookup.USR = R.USR;
  R.Lookup.Name = R.Name;
}

// --- Calls, with the project index ----------------------------------------

const IndexedFunction *FunctionSummaries::indexedCallee(const CallExpr *C) {
  const FunctionDecl *Callee = C ? C->getDirectCallee() : nullptr;
  if (!Callee || !A.projectIndex())
    return nullptr;
  auto [It, New] = Indexed.try_emplace(Callee->getCanonicalDecl(), nullptr);
  if (!New)
    return It->second;
  // Only what no definition of this TU answers, and what cannot dispatch to
  // an override the index does not name.
  if (Callee->hasBody() || !isDevirtualisedCall(C) ||
      Callee->getASTContext().getSourceManager().isInSystemHeader(
          Callee->getLocation()))
    return nullptr;
  const IndexedFunction *F = A.indexView().find(mapguard::usrOf(Callee));
  Indexed[Callee->getCanonicalDecl()] = F;
  return F;
}

std::optional<FunctionSummaries::ReturnedMiss>
FunctionSummaries::returnedMissOf(const CallExpr *C,
                                  const FunctionDecl *Caller) {
  if (const FunctionDecl *Def = definitionCalled(C))
    return Def == Caller ? std::nullopt : returnedMiss(Def);
  const IndexedFunction *F = indexedCallee(C);
  if (!F || !F->Lookup.ReturnedMiss)
    return std::nullopt;
  return ReturnedMiss{nullptr, F->Lookup.ReturnedMiss->IsIterator, F};
}

std::optional<FunctionSummaries::CalleeUse>
FunctionSummaries::unconditionalUseOf(const CallExpr *C, unsigned Param,
                                      const FunctionDecl *Caller) {
  if (const FunctionDecl *Def = definitionCalled(C)) {
    if (Def == Caller)
      return std::nullopt;
    if (const Stmt *U = unconditionalUse(Def, Param))
      return CalleeUse{U, std::nullopt, Def};
    return std::nullopt;
  }
  const IndexedFunction *F = indexedCallee(C);
  if (!F)
    return std::nullopt;
  for (const ParamUseFact &U : F->Lookup.ParamUses)
    if (U.Param == Param)
      return CalleeUse{nullptr, U.Use, C->getDirectCallee()};
  return std::nullopt;
}

std::optional<FunctionSummaries::Membership>
FunctionSummaries::membershipOf(const CallExpr *C, const FunctionDecl *Caller) {
  if (const FunctionDecl *Def = definitionCalled(C))
    return Def == Caller ? std::nullopt : membership(Def);
  const IndexedFunction *F = indexedCallee(C);
  if (!F || !F->Lookup.Membership)
    return std::nullopt;
  const MembershipFact &M = *F->Lookup.Membership;
  Membership Mem;
  Mem.MapParam = M.MapParam;
  Mem.KeyParam = M.KeyParam;
  Mem.TrueMeansFound = M.TrueMeansFound;
  if (!M.FieldUSR.empty()) {
    // The field, in this TU's definition of the callee's class.
    const auto *MD = dyn_cast<CXXMethodDecl>(C->getDirectCallee());
    const CXXRecordDecl *RD = MD ? MD->getParent()->getDefinition() : nullptr;
    if (!RD)
      return std::nullopt;
    for (const FieldDecl *FD : RD->fields())
      if (FD->getName() == M.FieldName && mapguard::usrOf(FD) == M.FieldUSR)
        Mem.Field = FD;
    if (!Mem.Field)
      return std::nullopt;
  } else if (M.MapParam < 0) {
    return std::nullopt;
  }
  return Mem;
}

bool FunctionSummaries::neverReturnsOf(const CallExpr *C,
                                       const FunctionDecl *Caller) {
  if (const FunctionDecl *Def = definitionCalled(C))
    return Def != Caller && neverReturns(Def);
  const IndexedFunction *F = indexedCallee(C);
  return F && F->Lookup.NeverReturns;
}

} // namespace clang::tidy::mapguard
