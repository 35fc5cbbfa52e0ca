//===--- MissTransfer.cpp - the transfer table of the lookup-miss analysis
//-===//

#include "analysis/lookup/MissTransfer.h"
#include "Compat.h"
#include "analysis/cleanup/DeferredCleanup.h"
#include "analysis/core/ExprUtils.h"
#include "analysis/core/HandleUses.h"
#include "analysis/threads/ThreadEntries.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::mapguard::lookupmiss {

namespace {

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

MissTransfer::MissTransfer(const FunctionCFG &G, ASTContext &Ctx,
                           const MapModel &Model, const LookupMissOptions &Opts)
    : FD(G.function()), Ctx(Ctx), Model(Model), Opts(Opts),
      Slots(FD, Ctx, Model, Opts.Summaries),
      Conds(Slots, FD, Ctx, Model, Opts.Summaries) {
  Live.compute(G.cfg());
}

void MissTransfer::transfer(const CFGElement &El, CFGPoint, State &S) {
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

void MissTransfer::transferEdge(const CFGBlock &From, unsigned SuccIndex,
                                State &S) {
  if (const Expr *Cond = Conds.branchCondition(&From)) {
    Facts Fs = Conds.factsOf(Cond, S);
    if (!Fs.empty())
      Conds.applyFacts(S, Fs, /*Edge=*/SuccIndex == 0, Cond);
    Conds.correlate(S, Cond, /*Outcome=*/SuccIndex == 0);
    if (const BinaryOperator *BO = Conds.materializedLogical(&From))
      Conds.correlateOperands(S, BO, /*Outcome=*/SuccIndex == 0);
  }
  // After the edge's facts (which may read a flag for the last time).
  if (SuccIndex < From.succ_size())
    Live.dropDead(S, *(From.succ_begin() + SuccIndex));
}

const MissTransfer::TransferRule MissTransfer::Rules[] = {
    // T v = m[k]; auto it = m.find(k); bool ok = it != m.end(); auto [v, ok]
    {Stmt::DeclStmtClass, &MissTransfer::onDecl},
    // *p; &v escapes; ++v changes what conditions on v read
    {Stmt::UnaryOperatorClass, &MissTransfer::onUnary},
    // p->x on a raw pointer
    {Stmt::MemberExprClass, &MissTransfer::onUse},
    // p->f(), *p, f(), v = w on class types; other operators may write args
    {Stmt::CXXOperatorCallExprClass, &MissTransfer::onOperatorCall},
    // v = w; v += n
    {Stmt::BinaryOperatorClass, &MissTransfer::onBinary},
    {Stmt::CompoundAssignOperatorClass, &MissTransfer::onBinary},
    // ch.send(x) on a nil Chan; m.emplace(k, v); p.reset(q); escapes
    {Stmt::CXXMemberCallExprClass, &MissTransfer::onMemberCall},
    // fp() through a null function pointer; escapes; noreturn callees
    {Stmt::CallExprClass, &MissTransfer::onCall},
    // a fatal logger; non-const reference arguments
    {Stmt::CXXConstructExprClass, &MissTransfer::onConstruct},
    {Stmt::CXXTemporaryObjectExprClass, &MissTransfer::onConstruct},
    // a thread body using a captured value; by-reference captures
    {Stmt::LambdaExprClass, &MissTransfer::onLambda},
};

void MissTransfer::transferStmt(State &S, const Stmt *St) {
  for (const TransferRule &R : Rules)
    if (R.Class == St->getStmtClass()) {
      (this->*R.Apply)(S, St);
      return;
    }
}

void MissTransfer::noteReturn(const ReturnStmt *RS, const State &S) {
  const Expr *V = RS->getRetValue();
  if (!V || Returned)
    return;
  auto [Slot, IsKey] = Slots.slotOf(V, S);
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
  bool IsIterator = Slots.classify(Lookup) == LookupKind::FindIterator;
  // A missing value returned as a handle, or an iterator that may be end().
  QualType RT = FD->getReturnType();
  if (IsIterator ? RT->isBooleanType() : !Model.isHandleType(RT))
    return;
  Returned = FunctionSummaries::ReturnedMiss{Lookup, IsIterator};
}

/// Binds \p D to the value of \p Init (a lookup, a tracked variable, a
/// check), or stops tracking it.
void MissTransfer::bind(State &S, const ValueDecl *D, const Expr *Init) {
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
  if (auto K = Slots.classify(E)) {
    bool Tracks = *K == LookupKind::FindIterator ? !T->isBooleanType()
                                                 : Model.isHandleType(T);
    if (Tracks && *K != LookupKind::ShimLookup) {
      // m[k] or m.find(k) checked earlier in place (`if (m.contains(k))`)
      // or inserted (`m[k] = v`, `m.emplace(k, v)`) stays so.
      if (*K == LookupKind::Subscript || *K == LookupKind::FindIterator) {
        auto KS = S.Slots.find(Slots.keySlotOf(E));
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
    Facts F = Conds.factsOf(E, S);
    if (!F.empty())
      S.Flags[D] = F;
  }
}

/// `auto [v, ok] = m.lookup(k)`: v is the value, ok says whether found.
void MissTransfer::bindDecomposition(State &S, const DecompositionDecl *DD) {
  for (const BindingDecl *B : DD->bindings()) {
    S.Slots.erase(B);
    S.Flags.erase(B);
  }
  const Expr *Init =
      DD->getInit() ? ignoreTruthWrappers(DD->getInit()) : nullptr;
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
void MissTransfer::use(State &S, const Expr *Base, const Expr *Use,
                       std::vector<LookupMissFinding> *Out) {
  auto [Slot, IsKey] = Slots.slotOf(Base, S);
  if (!Slot)
    return;
  std::string Name;
  if (const ValueDecl *D = referencedDecl(Base))
    Name = D->getNameAsString();
  else
    Name =
        Lexer::getSourceText(CharSourceRange::getTokenRange(
                                 ignoreTruthWrappers(Base)->getSourceRange()),
                             Ctx.getSourceManager(), Ctx.getLangOpts())
            .str();
  useSlot(S, Slot, IsKey, IsKey ? ignoreTruthWrappers(Base) : nullptr, Use,
          std::move(Name), Out);
}

/// A use of \p Slot (a lookup written as \p InPlace when \p IsKey).
void MissTransfer::useSlot(State &S, SlotKey Slot, bool IsKey,
                           const Expr *InPlace, const Expr *Use,
                           std::string Name,
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
        St.Lookup && Slots.classify(St.Lookup) == LookupKind::FindIterator;
    // A lookup behind helpers: the calls down to the lookup itself.
    for (unsigned Depth = 0;
         F.Lookup && Depth <= FunctionSummaries::MaxSummaryDepth; ++Depth) {
      const auto *C = dyn_cast<CallExpr>(ignoreCopies(F.Lookup));
      auto R =
          C && !Model.classifyLookup(C) ? Slots.returnedMiss(C) : std::nullopt;
      if (!R)
        break;
      F.Via.push_back(C);
      F.Lookup = R->Lookup;
      F.RemoteLookup = R->Remote;
    }
    F.CalleeUse = CalleeUse;
    F.RemoteCalleeUse = RemoteCalleeUse;
    Out->push_back(std::move(F));
  }
  // Past a use the value was live (or the program is gone).
  St.Ways = Safe;
  St.MissConds.clear();
  St.MayMiss = false;
}

/// A use of a handle (`*p`, `p->`, `p()`, a nil Chan's operations).
bool MissTransfer::useIn(State &S, const Stmt *St) {
  std::optional<HandleUse> U = handleUseOf(St, Model);
  if (!U || U->Kind == HandleUseKind::Close)
    return false;
  use(S, U->Handle, cast<Expr>(St), Collect);
  return true;
}

void MissTransfer::onDecl(State &S, const Stmt *St) {
  for (const Decl *D : cast<DeclStmt>(St)->decls()) {
    if (const auto *DD = dyn_cast<DecompositionDecl>(D))
      bindDecomposition(S, DD);
    else if (const auto *VD = dyn_cast<VarDecl>(D))
      bind(S, VD, VD->getInit());
  }
}

void MissTransfer::onUnary(State &S, const Stmt *St) {
  const auto *U = cast<UnaryOperator>(St);
  if (useIn(S, St))
    return;
  if (U->getOpcode() == UO_AddrOf)
    escape(S, U->getSubExpr());
  else if (U->isIncrementDecrementOp())
    forgetConds(S, referencedDecl(U->getSubExpr()));
}

void MissTransfer::onUse(State &S, const Stmt *St) { useIn(S, St); }

void MissTransfer::onOperatorCall(State &S, const Stmt *St) {
  const auto *OC = cast<CXXOperatorCallExpr>(St);
  if (useIn(S, St))
    return;
  if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
    assign(S, OC->getArg(0), OC->getArg(1));
    return;
  }
  escapeArgs(S, OC);
}

void MissTransfer::onBinary(State &S, const Stmt *St) {
  const auto *BO = cast<BinaryOperator>(St);
  if (BO->getOpcode() == BO_Assign)
    assign(S, BO->getLHS(), BO->getRHS());
  else if (BO->isCompoundAssignmentOp())
    forgetConds(S, referencedDecl(BO->getLHS()));
}

void MissTransfer::onMemberCall(State &S, const Stmt *St) {
  const auto *MC = cast<CXXMemberCallExpr>(St);
  if (useIn(S, St))
    return;
  const Expr *Obj = MC->getImplicitObjectArgument();
  // m.insert({k, v}), m.emplace(k, v), m.try_emplace(k, ...): k is in.
  if (SlotKey K = Slots.insertedKeySlot(MC))
    S.Slots[K] = SlotState{Safe, true, nullptr, nullptr};
  const CXXMethodDecl *MD = MC->getMethodDecl();
  bool MapErase = MD && MD->getDeclName().isIdentifier() &&
                  MD->getName() == "erase" && MC->getNumArgs() == 1 && Obj &&
                  Model.isMapObject(Obj);
  // m.erase(k) (the overload that returns a count): k is out, whatever
  // an earlier test or insertion said.
  if (MapErase && MD->getReturnType()->isIntegerType())
    if (SlotKey K = Slots.keySlot(Obj, MC->getArg(0)))
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
          Slots.classify(SI->second.Lookup) == LookupKind::FindIterator)
        use(S, MC->getArg(0), MC, Collect);
  escapeArgs(S, MC);
  killIfNoReturn(S, MC);
}

void MissTransfer::onCall(State &S, const Stmt *St) {
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
void MissTransfer::fillsKeys(State &S, const CallExpr *C) {
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
        if (SlotKey K = Slots.keySlot(A, C->getArg(J))) {
          SlotState Filled{Safe, true, nullptr, nullptr};
          Filled.MayMiss = true;
          S.Slots[K] = Filled;
        }
  }
}

/// \p Def may insert into its map parameter \p P: an insertion or a
/// subscript on it, or \p P handed on by non-const reference or pointer.
bool MissTransfer::insertsInto(const FunctionDecl *Def, const ParmVarDecl *P) {
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
        if (IsP(C->getArg(I)) && (passesByMutableRef(C, I) ||
                                  C->getArg(I)->getType()->isPointerType()))
          Inserts = true;
    return !Inserts;
  });
  InsertsInto[P] = Inserts;
  return Inserts;
}

/// A maybe-missing value handed to a function of the TU that uses that
/// parameter on every path before anything else (`flush_to(peers_[id])`
/// where flush_to does `p->write(buf)`): the call is a use.
void MissTransfer::usesInCallee(State &S, const CallExpr *C) {
  if (!Opts.Summaries)
    return;
  for (unsigned I = implicitObjectArgs(C), N = C->getNumArgs(); I < N; ++I) {
    auto [Slot, IsKey] = Slots.slotOf(C->getArg(I), S);
    if (!Slot)
      continue;
    auto It = S.Slots.find(Slot);
    bool Missing = It == S.Slots.end()
                       ? IsKey
                       : (It->second.Ways & (Unchecked | Noticed)) != 0;
    if (!Missing)
      continue;
    if (auto U = Opts.Summaries->unconditionalUseOf(
            C, I - implicitObjectArgs(C), FD)) {
      CalleeUse = U->Use;
      RemoteCalleeUse = U->Remote;
      use(S, C->getArg(I), C, Collect);
      CalleeUse = nullptr;
      RemoteCalleeUse.reset();
    }
  }
}

void MissTransfer::onConstruct(State &S, const Stmt *St) {
  const auto *CE = cast<CXXConstructExpr>(St);
  if (isFatalLog(CE)) {
    S.Reachable = false;
    return;
  }
  for (unsigned I = 0, N = CE->getNumArgs(); I < N; ++I)
    if (passesByMutableRef(CE, I))
      escape(S, CE->getArg(I));
}

void MissTransfer::onLambda(State &S, const Stmt *St) {
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
bool MissTransfer::capturesMissing(const State &S, const LambdaExpr *LE) {
  return llvm::any_of(LE->captures(), [&](const LambdaCapture &C) {
    if (!C.capturesVariable())
      return false;
    auto It = S.Slots.find(C.getCapturedVar());
    return It != S.Slots.end() && (It->second.Ways & (Unchecked | Noticed));
  });
}

/// Uses in the body of thread lambda \p LE of the slots it captures.
void MissTransfer::useInThread(State &S, const LambdaExpr *LE,
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
      useSlot(S, V, /*IsKey=*/false, nullptr, UseE, V->getNameAsString(), Out);
  }
}

/// \p LE is handed directly to a thread: a spawner (`std::async`, the
/// shim's `go`, ThreadSpawners) or a thread's constructor.
bool MissTransfer::isThreadLambda(const LambdaExpr *LE) {
  if (!ThreadLambdas) {
    ThreadLambdas.emplace();
    spawnedLambdasIn(FD->getBody(), Model, *ThreadLambdas);
  }
  return ThreadLambdas->contains(LE);
}

/// \p LE is the body of a deferred cleanup registered in this function.
bool MissTransfer::isCleanupLambda(const LambdaExpr *LE) {
  if (!CleanupLambdas) {
    CleanupLambdas.emplace();
    if (Opts.Cleanups)
      for (const DeferredCleanup &C : Opts.Cleanups->cleanupsIn(FD->getBody()))
        if (C.Lambda)
          CleanupLambdas->insert(C.Lambda);
  }
  return CleanupLambdas->contains(LE);
}

void MissTransfer::assign(State &S, const Expr *LHS, const Expr *RHS) {
  forgetConds(S, referencedDecl(LHS));
  if (const ValueDecl *D = referencedDecl(LHS)) {
    if (S.Slots.count(D) || S.Flags.count(D) ||
        Slots.classify(ignoreTruthWrappers(RHS)))
      bind(S, D, RHS);
    return;
  }
  // m[k] = v: the key is now in the map (whatever its mapped type).
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(ignoreTruthWrappers(LHS));
      OC && OC->getOperator() == OO_Subscript)
    if (SlotKey K = Slots.keySlotOf(OC))
      S.Slots[K] = SlotState{Safe, true, nullptr, nullptr};
}

void MissTransfer::escape(State &S, const Expr *E) {
  forgetConds(S, referencedDecl(E));
  if (const ValueDecl *D = referencedDecl(E)) {
    S.Slots.erase(D);
    S.Flags.erase(D);
  }
}

void MissTransfer::escapeArgs(State &S, const CallExpr *C) {
  const FunctionDecl *Callee = C->getDirectCallee();
  // BOOST_SCOPE_EXIT copies its captures through this identity function.
  if (Callee &&
      Model.nameMatches(Callee, llvm::ArrayRef<llvm::StringRef>{
                                    "::boost::scope_exit::detail::deref"}))
    return;
  for (unsigned I = implicitObjectArgs(C), N = C->getNumArgs(); I < N; ++I)
    if (referencedDecl(C->getArg(I)) && passesByMutableRef(C, I))
      escape(S, C->getArg(I));
}

/// Functions the options call noreturn that the CFG does not know about.
void MissTransfer::killIfNoReturn(State &S, const CallExpr *C) {
  const FunctionDecl *Callee = C->getDirectCallee();
  if (Callee && !Callee->isNoReturn() && Model.isNoReturnFunction(Callee))
    S.Reachable = false;
  // A helper (of this TU, or of the project index) whose every path throws
  // or aborts.
  else if (Opts.Summaries && S.Reachable &&
           Opts.Summaries->neverReturnsOf(C, FD))
    S.Reachable = false;
}

} // namespace clang::tidy::mapguard::lookupmiss
