//===--- ThreadFactsExtractor.cpp - the thread facts of a TU --------------===//

#include "analysis/threads/ThreadFactsExtractor.h"
#include "analysis/calls/CallIndex.h"
#include "analysis/calls/VirtualTargets.h"
#include "analysis/core/ExprUtils.h"
#include "analysis/index/FactKeys.h"
#include "analysis/threads/LockState.h"
#include "analysis/threads/SpawnRecognition.h"
#include "analysis/threads/ThreadEntries.h"
#include "analysis/threads/ThreadOrdering.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseSet.h"
#include <algorithm>

namespace clang::tidy::mapguard {

namespace {

/// How deep wrappers of a callable (std::function, std::bind, copies) are
/// looked through.
constexpr unsigned MaxWrapperDepth = 6;

/// std functions that wrap or forward a callable without calling it: the
/// call that receives the wrapper decides.
bool isCallableWrapper(const FunctionDecl *FD) {
  return isStdFunctionNamed(FD, {"bind", "bind_front", "bind_back", "ref",
                                 "cref", "move", "forward", "mem_fn",
                                 "make_shared", "make_unique", "not_fn",
                                 "function", "packaged_task"});
}

/// The callable \p E hands over: through std::bind (its first argument),
/// std::function and other one-argument constructions, copies and moves.
std::optional<Callable> callbackOf(const Expr *E) {
  for (unsigned I = 0; E && I < MaxWrapperDepth; ++I) {
    E = ignoreMoves(E);
    if (const auto *C = dyn_cast<CallExpr>(E);
        C && C->getNumArgs() > 0 &&
        isStdFunctionNamed(C->getDirectCallee(),
                           {"bind", "bind_front", "bind_back", "mem_fn"})) {
      E = C->getArg(0);
      continue;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
        CE && CE->getNumArgs() == 1 && !isa<LambdaExpr>(E)) {
      E = CE->getArg(0);
      continue;
    }
    break;
  }
  return E ? callableOf(E) : std::nullopt;
}

/// The identity of the map \p Object (an expression naming the map itself)
/// across TUs: a field of whichever object, a global or static variable.
/// Null for what is not shared or cannot be named (locals, references).
const NamedDecl *mapIdentity(const Expr *Object) {
  const Expr *E = ignoreMoves(Object);
  const ValueDecl *D = nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    D = ME->getMemberDecl();
  else if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    D = DRE->getDecl();
  if (const auto *FD = dyn_cast_or_null<FieldDecl>(D))
    return FD->getType()->isReferenceType() ? nullptr : FD;
  if (const auto *VD = dyn_cast_or_null<VarDecl>(D))
    if (VD->hasGlobalStorage() && VD->getTLSKind() == VarDecl::TLS_None &&
        !VD->getType()->isReferenceType())
      return VD;
  return nullptr;
}

/// A mutex as the index names it: the USR of its field or variable; "" (a
/// lock that cannot be named, which protects everything) for none, a
/// reference or a pointer (what it designates is another TU's business).
std::string mutexName(const Decl *Mutex) {
  if (!Mutex)
    return std::string();
  if (const auto *VD = dyn_cast<ValueDecl>(Mutex)) {
    QualType T = VD->getType();
    if (T->isReferenceType() || T->isPointerType())
      return std::string();
  }
  return usrOf(Mutex);
}

/// Something in the body may take a lock, so the locks at a call are worth
/// computing (a superset of what LockState recognises).
bool mayLock(const Stmt *S, const MapModel &Model) {
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
    if (Model.isLockGuardType(CE->getType()))
      return true;
    const auto *RD = CE->getType()->getAsCXXRecordDecl();
    return RD && RD->hasAttr<ScopedLockableAttr>();
  }
  const auto *C = dyn_cast<CallExpr>(S);
  if (!C)
    return false;
  const FunctionDecl *Callee = C->getDirectCallee();
  if (Callee && (Callee->hasAttr<AcquireCapabilityAttr>() ||
                 Callee->hasAttr<TryAcquireCapabilityAttr>() ||
                 isStdFunctionNamed(Callee, {"lock"})))
    return true;
  if (const Expr *Obj = memberCallObject(C)) {
    QualType T = Obj->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    return Model.isMutexType(T) || Model.isLockGuardType(T);
  }
  return false;
}

class Extractor {
public:
  Extractor(MapGuardAnalyses &A, const MapModel &Model, ThreadEntries &Entries,
            const AnalysisBudget &Budget)
      : A(A), Model(Model), Entries(Entries), Budget(Budget),
        Ctx(*A.astContext()), SM(Ctx.getSourceManager()) {}

  unsigned run() {
    llvm::SmallVector<const FunctionDecl *, 64> Work;
    collectFunctionDefinitions(Ctx, Work);
    std::reverse(Work.begin(), Work.end());
    llvm::DenseSet<const FunctionDecl *> Done;
    unsigned N = 0;
    while (!Work.empty()) {
      const FunctionDecl *FD = Work.pop_back_val();
      if (!FD || FD->isDependentContext() || !FD->getBody() ||
          !Done.insert(FD).second || !A.isProjectFunction(FD))
        continue;
      extract(FD, Work);
      ++N;
    }
    return N;
  }

private:
  /// A call, a callback or a spawn found by the walk, waiting for the locks.
  struct PendingCall {
    const Stmt *At;
    CallFact Fact;
  };

  SourceSpot spot(const Stmt *S) const {
    return spotOf(S->getBeginLoc(), SM);
  }

  void extract(const FunctionDecl *FD,
               llvm::SmallVectorImpl<const FunctionDecl *> &Lambdas) {
    ThreadFacts T;
    T.Known = true;
    T.IsMain = FD->isMain();
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
      for (const CXXMethodDecl *O : MD->overridden_methods())
        T.Overrides.push_back(usrOf(O));
    std::vector<PendingCall> Calls;
    bool MayLock = FD->hasAttr<RequiresCapabilityAttr>();

    // One walk of the body (and of a constructor's initialisers); a lambda
    // is a function of its own.
    llvm::SmallVector<const Stmt *, 64> Stack{FD->getBody()};
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
      for (const CXXCtorInitializer *I : Ctor->inits())
        if (I->isWritten() && I->getInit()) {
          Stack.push_back(I->getInit());
          if (I->getMember())
            storedCallback(I->getMember()->getType(), I->getInit(), T);
        }
    std::reverse(Stack.begin(), Stack.end());
    while (!Stack.empty()) {
      const Stmt *S = Stack.pop_back_val();
      if (!S)
        continue;
      if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
        if (const CXXMethodDecl *Op = LE->getCallOperator();
            Op && !Op->isDependentContext())
          Lambdas.push_back(Op);
        continue;
      }
      MayLock = MayLock || mayLock(S, Model);
      if (const auto *E = dyn_cast<Expr>(S);
          E && !SM.isInSystemHeader(SM.getFileLoc(E->getBeginLoc())) &&
          isSpawn(E, Model))
        spawn(E, FD, T);
      else if (const auto *C = dyn_cast<CallExpr>(S))
        call(C, FD, T, Calls);
      else if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
        handed(CE->getConstructor(), {CE->getArgs(), CE->getNumArgs()}, CE,
               T, Calls);
      else if (const auto *DS = dyn_cast<DeclStmt>(S))
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit())
            storedCallback(VD->getType(), VD->getInit(), T);
      // Children in source order (facts come out in the order written).
      size_t First = Stack.size();
      for (const Stmt *Child : S->children())
        Stack.push_back(Child);
      std::reverse(Stack.begin() + First, Stack.end());
    }

    // The map accesses (shared with the per-TU analysis).
    std::vector<std::pair<const Expr *, MapAccessFact>> Accesses;
    for (const MapAccessSite &S : Entries.accessesOf(FD)) {
      if (S.ThroughPointer)
        continue; // what a pointer designates is not named across TUs
      const NamedDecl *Map = mapIdentity(S.Object);
      if (!Map)
        continue;
      MapAccessFact F;
      F.Map = usrOf(Map);
      F.MapName = Map->getNameAsString();
      F.Write = S.Kind == MapAccessKind::Write;
      F.At = spot(S.Call);
      Accesses.push_back({S.Call, std::move(F)});
    }

    // The locks, only where they can matter.
    LockState *Locks = nullptr;
    if (!Accesses.empty() || (MayLock && !Calls.empty()))
      Locks = &A.locks(Model, Budget);
    auto LocksAt = [&](const Stmt *At, std::vector<LockFact> &Out,
                       bool &Guarded) {
      if (!Locks)
        return;
      auto Held = Locks->heldAt(FD, At);
      if (!Held) {
        Guarded = true;
        return;
      }
      for (const HeldLock &H : *Held) {
        LockFact L{mutexName(H.Mutex), H.Shared};
        if (!llvm::is_contained(Out, L))
          Out.push_back(std::move(L));
      }
    };
    for (auto &[At, F] : Accesses) {
      LocksAt(At, F.Locks, F.Guarded);
      // Inside std::call_once or a static initialiser: every other caller
      // waits (as the per-TU analysis says).
      if (Entries.runsOnce(At))
        F.Guarded = true;
      T.Accesses.push_back(std::move(F));
    }
    for (PendingCall &P : Calls) {
      LocksAt(P.At, P.Fact.Locks, P.Fact.Guarded);
      T.Calls.push_back(std::move(P.Fact));
    }
    A.recordFunction(FD).Threads = std::move(T);
  }

  void spawn(const Expr *E, const FunctionDecl *FD, ThreadFacts &T) {
    std::optional<SpawnArguments> SA = spawnArguments(E, Model);
    if (!SA)
      return;
    if (!SA->Fn) {
      // The function hands its own callable parameter to the thread.
      for (const Expr *Arg : SA->Args) {
        const Expr *X = ignoreMoves(Arg);
        for (unsigned I = 0; I < MaxWrapperDepth; ++I) {
          const auto *CE = dyn_cast<CXXConstructExpr>(X);
          if (!CE || CE->getNumArgs() != 1)
            break;
          X = ignoreMoves(CE->getArg(0));
        }
        if (const auto *DRE = dyn_cast<DeclRefExpr>(X))
          if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl());
              P && P->getDeclContext() == FD && T.SpawnerParam < 0) {
            T.SpawnerParam = static_cast<int>(P->getFunctionScopeIndex());
            return;
          }
      }
      return;
    }
    std::optional<SpawnSite> Site =
        Entries.siteOf(E, FD, A.parents(FD), Ctx);
    if (!Site || !Site->Entry)
      return;
    SpawnFact F;
    F.Entry = usrOf(Site->Entry);
    F.At = spot(E);
    ThreadWindow W = A.ordering(Budget).windowOf(*Site);
    if (!W.Escapes && W.End.isValid())
      F.JoinedAt = spotOf(W.End, SM);
    T.Spawns.push_back(std::move(F));
  }

  void call(const CallExpr *C, const FunctionDecl *FD, ThreadFacts &T,
            std::vector<PendingCall> &Calls) {
    const FunctionDecl *Callee = C->getDirectCallee();
    if (!Callee)
      return; // a function pointer, a std::function: opaque
    if (Model.classifyAccess(C) != MapAccessKind::None)
      return; // a map access, not a call
    llvm::ArrayRef<const Expr *> Args(C->getArgs(), C->getNumArgs());
    bool System = SM.isInSystemHeader(SM.getFileLoc(Callee->getLocation()));
    if (!System) {
      CallFact F;
      F.Callee = usrOf(Callee);
      if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee))
        F.Virtual = MD->isVirtual() && !isDevirtualisedCall(C);
      F.At = spot(C);
      Calls.push_back({C, std::move(F)});
    }
    // `handler_ = std::bind(...)`: stored.
    if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
        MD && (MD->isCopyAssignmentOperator() || MD->isMoveAssignmentOperator() ||
               MD->getOverloadedOperator() == OO_Equal)) {
      if (Args.size() == 2)
        storedCallback(Args[0]->getType(), Args[1], T);
      return;
    }
    handed(Callee, Args.drop_front(implicitObjectArgs(C)), C, T, Calls);
  }

  /// The callables among \p Args, handed to \p Callee at \p At.
  void handed(const FunctionDecl *Callee, llvm::ArrayRef<const Expr *> Args,
              const Expr *At, ThreadFacts &T, std::vector<PendingCall> &Calls) {
    if (!Callee || isCallableWrapper(Callee) || Args.empty())
      return;
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Callee);
        Ctor && (Ctor->isCopyOrMoveConstructor() ||
                 Ctor->getParent()->isInStdNamespace()))
      return; // std::function<...>(f): a wrapper, its consumer decides
    const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
    bool StdMethod = MD && MD->getParent()->isInStdNamespace();
    bool StdFree = !MD && Callee->isInStdNamespace();
    for (const Expr *Arg : Args) {
      std::optional<Callable> CB = callbackOf(Arg);
      if (!CB || !CB->Entry)
        continue;
      if (StdFree) {
        // std::for_each, std::sort, std::invoke, std::call_once...: called
        // at once, on this thread.
        CallFact F;
        F.Callee = usrOf(CB->Entry);
        F.At = spot(At);
        Calls.push_back({At, std::move(F)});
        continue;
      }
      CallbackFact F;
      F.Callable = usrOf(CB->Entry);
      F.At = spot(At);
      if (!StdMethod) { // a std container's push_back: stored
        F.HandedTo = usrOf(Callee);
        F.HandedToName = Callee->getQualifiedNameAsString();
        F.ToLibrary = !A.isProjectFunction(Callee);
      }
      T.Callbacks.push_back(std::move(F));
    }
  }

  /// \p Init, stored into a variable or a field of type \p To, is a
  /// callable kept for later: \p To is a std callable holder
  /// (std::function, std::packaged_task), not a thread, or a function
  /// pointer.
  void storedCallback(QualType To, const Expr *Init, ThreadFacts &T) {
    To = To.getNonReferenceType();
    const auto *RD = To->getAsCXXRecordDecl();
    bool Holder = (RD && RD->isInStdNamespace() && !Model.isThreadType(To)) ||
                  To->isFunctionPointerType() ||
                  To->isMemberFunctionPointerType();
    if (!Holder)
      return;
    std::optional<Callable> CB = callbackOf(Init);
    if (!CB || !CB->Entry)
      return;
    CallbackFact F;
    F.Callable = usrOf(CB->Entry);
    F.At = spot(Init);
    T.Callbacks.push_back(std::move(F));
  }

  MapGuardAnalyses &A;
  const MapModel &Model;
  ThreadEntries &Entries;
  AnalysisBudget Budget;
  ASTContext &Ctx;
  const SourceManager &SM;
};

} // namespace

unsigned extractThreadFacts(MapGuardAnalyses &A, const MapModel &Model,
                            ThreadEntries &Entries,
                            const AnalysisBudget &Budget) {
  if (!A.astContext())
    return 0;
  return Extractor(A, Model, Entries, Budget).run();
}

} // namespace clang::tidy::mapguard
