//===--- ThreadEntries.cpp - what runs on which thread --------------------===//

#include "analysis/threads/ThreadEntries.h"
#include "analysis/calls/VirtualTargets.h"
#include "analysis/threads/SpawnRecognition.h"
#include "analysis/core/ExprUtils.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

namespace clang::tidy::mapguard {

namespace {

/// How deep alias chains (references, pointers initialised from `&x`) are
/// followed.
constexpr unsigned MaxAliasDepth = 6;

/// The first node above \p E that is not an implicit wrapper, a copy or a
/// move of it; \p Child is set to the node just below.
DynTypedNode consumerOf(const Expr *E, const FunctionParents &Parents,
                        const Stmt *&Child) {
  Child = E;
  for (unsigned I = 0; I < 16; ++I) {
    DynTypedNode N = Parents.parentNode(Child);
    const auto *S = N.get<Stmt>();
    if (!S)
      return N;
    const auto *PE = dyn_cast<Expr>(S);
    // `new std::thread(...)`: the owning pointer is the handle.
    if (PE && (isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                   CXXBindTemporaryExpr, ExprWithCleanups, ParenExpr,
                   CXXFunctionalCastExpr, CXXNewExpr>(PE) ||
               (isa<CXXConstructExpr>(PE) &&
                cast<CXXConstructExpr>(PE)->getNumArgs() == 1 &&
                !isa<CXXTemporaryObjectExpr>(PE)) ||
               (isa<CallExpr>(PE) && cast<CallExpr>(PE)->isCallToStdMove()))) {
      Child = S;
      continue;
    }
    return N;
  }
  return {};
}

} // namespace

const NamedDecl *ObjectKey::named() const {
  if (const auto *N = dyn_cast_or_null<NamedDecl>(Field))
    return N;
  return dyn_cast_or_null<NamedDecl>(Root);
}

struct ThreadEntries::FunctionFacts {
  llvm::SmallVector<MapAccessSite, 8> Accesses;
  /// Calls of functions defined in the TU (outside system headers), and
  /// lambdas written in the body (called where they are written, as far as
  /// this walk goes).
  llvm::SmallVector<std::pair<const Stmt *, const FunctionDecl *>, 8> Calls;
};

ThreadEntries::ThreadEntries(const MapModel &Model, ThreadEntriesOptions Opts,
                             VirtualTargets &Virtuals)
    : Model(Model), Opts(Opts), Virtuals(Virtuals) {}
ThreadEntries::~ThreadEntries() = default;

const Decl *ThreadEntries::ownThisRoot(const FunctionDecl *FD) {
  const DeclContext *DC = FD;
  while (DC) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(DC)) {
      if (!MD->getParent()->isLambda())
        return MD->isInstance() ? MD->getParent()->getCanonicalDecl()
                                : nullptr;
      DC = MD->getParent()->getParent();
      continue;
    }
    if (isa<FunctionDecl>(DC) || isa<TranslationUnitDecl>(DC))
      return nullptr;
    DC = DC->getParent();
  }
  return nullptr;
}

bool ThreadEntries::addSpawn(const Expr *E, const FunctionDecl *Spawner,
                             const FunctionParents &Parents, ASTContext &Ctx) {
  std::optional<SpawnSite> S = siteOf(E, Spawner, Parents, Ctx);
  if (!S || !S->Entry->hasBody())
    return false;
  Sites.push_back(std::move(*S));
  return true;
}

std::optional<SpawnSite> ThreadEntries::siteOf(const Expr *E,
                                               const FunctionDecl *Spawner,
                                               const FunctionParents &Parents,
                                               ASTContext &Ctx) {
  if (!E || !Spawner)
    return std::nullopt;
  SpawnSite S;
  S.Spawn = E;
  S.Spawner = Spawner;
  // What the spawn hands to its thread (SpawnRecognition: the one
  // definition of a spawn and of its callable).
  std::optional<SpawnArguments> SA = spawnArguments(E, Model);
  if (!SA)
    return std::nullopt;
  auto &Args = SA->Args;
  const Expr *PoolObject = SA->PoolObject;
  bool IsPthread = SA->IsPthread;
  QualType Built = SA->Built;
  S.JoinsAtScopeEnd = SA->JoinsAtScopeEnd;
  S.Handle = SA->Handle;
  S.HandleDecl = SA->HandleDecl;
  S.JoinObjects = SA->JoinObjects;
  std::optional<Callable> &Fn = SA->Fn;
  unsigned FnIndex = SA->FnIndex;
  if (!Fn || !Fn->Entry)
    return std::nullopt;
  const FunctionDecl *Def = nullptr;
  S.Entry = Fn->Entry->hasBody(Def) ? Def : Fn->Entry;
  if (PoolObject)
    if (const Decl *D = containerDeclOf(PoolObject))
      S.JoinObjects.push_back(D);

  Frame SpawnerFrame;
  SpawnerFrame.FD = Spawner;
  SpawnerFrame.Ctx.ThisRoot = ownThisRoot(Spawner);
  SpawnerFrame.Chain.push_back({Spawner, nullptr});

  // `this` and the parameters of the entry.
  unsigned Next = FnIndex + 1;
  if (Fn->Lambda) {
    SpawnedLambdas.insert(Fn->Entry);
    for (const LambdaCapture &Cap : Fn->Lambda->captures())
      if (Cap.capturesThis())
        S.EntryContext.ThisRoot = SpawnerFrame.Ctx.ThisRoot;
  } else if (Fn->IsMemberPointer) {
    if (Next < Args.size()) {
      const Expr *Obj = Args[Next++];
      std::optional<ObjectKey> K;
      if (isa<CXXThisExpr>(ignoreMoves(Obj)))
        S.EntryContext.ThisRoot = SpawnerFrame.Ctx.ThisRoot;
      else if (const Expr *R = unwrapRef(Obj))
        K = object(R, SpawnerFrame, 0);
      else if (ignoreMoves(Obj)->getType()->isPointerType())
        K = pointee(Obj, SpawnerFrame, 0);
      if (K)
        S.EntryContext.ThisRoot = K->Field ? K->Field : K->Root;
    }
  }
  if (IsPthread) {
    if (Args.size() > 3 && S.Entry->getNumParams() == 1)
      if (auto K = pointee(Args[3], SpawnerFrame, 0))
        S.EntryContext.Params.push_back({S.Entry->getParamDecl(0), *K});
  } else if (!Fn->Lambda) {
    // std::thread copies its arguments: only std::ref and pointers share.
    for (unsigned P = 0; Next < Args.size() && P < S.Entry->getNumParams();
         ++P, ++Next) {
      std::optional<ObjectKey> K;
      if (const Expr *R = unwrapRef(Args[Next]))
        K = object(R, SpawnerFrame, 0);
      else if (ignoreMoves(Args[Next])->getType()->isPointerType())
        K = pointee(Args[Next], SpawnerFrame, 0);
      if (K)
        S.EntryContext.Params.push_back({S.Entry->getParamDecl(P), *K});
    }
  }

  // Where the handle goes, unless already known (container, pthread_t).
  if (S.Handle == HandleKind::None && !IsPthread) {
    const Stmt *Child = nullptr;
    DynTypedNode N = consumerOf(E, Parents, Child);
    // `spawn(...).get()`: the member expression's parent is the call.
    if (const auto *ME = N.get<MemberExpr>())
      if (DynTypedNode Call = Parents.parentNode(ME);
          Call.get<CXXMemberCallExpr>())
        N = Call;
    if (const auto *VD = N.get<VarDecl>()) {
      S.Handle = HandleKind::Variable;
      S.HandleDecl = VD->getCanonicalDecl();
    } else if (const auto *CI = N.get<CXXCtorInitializer>();
               CI && CI->getMember()) {
      // A member initialiser: `worker_([this] { run(); })`.
      S.Handle = HandleKind::Variable;
      S.HandleDecl = CI->getMember()->getCanonicalDecl();
    } else if (const auto *OC = N.get<CXXOperatorCallExpr>();
               OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
      S.Handle = HandleKind::Variable;
      S.HandleDecl = containerDeclOf(OC->getArg(0));
    } else if (const auto *BO = N.get<BinaryOperator>();
               BO && BO->getOpcode() == BO_Assign) {
      // `m_Thread = new std::thread(...)`: a raw owning pointer.
      S.Handle = HandleKind::Variable;
      S.HandleDecl = containerDeclOf(BO->getLHS());
    } else if (const auto *MC = N.get<CXXMemberCallExpr>();
               MC && isa<CXXNewExpr>(Child) && MC->getMethodDecl() &&
               MC->getMethodDecl()->getDeclName().isIdentifier() &&
               MC->getMethodDecl()->getName() == "reset") {
      // `m_Thread.reset(new std::thread(...))`: the smart pointer owns it.
      S.Handle = HandleKind::Variable;
      S.HandleDecl = containerDeclOf(MC->getImplicitObjectArgument());
    } else if (const auto *MC = N.get<CXXMemberCallExpr>()) {
      const auto *MD = MC->getMethodDecl();
      const auto *ChildE = dyn_cast<Expr>(Child);
      bool OnSpawn =
          ChildE && MC->getImplicitObjectArgument()->IgnoreImplicit() ==
                        ChildE->IgnoreImplicit();
      StringRef Name = MD && MD->getDeclName().isIdentifier() ? MD->getName()
                                                              : "";
      if (OnSpawn && Name == "detach") {
        S.Handle = HandleKind::Detached;
      } else if (OnSpawn && (Name == "get" || Name == "wait" ||
                             Name == "join")) {
        // std::async(...).get(): waited for at once.
        S.Handle = HandleKind::Temporary;
      } else {
        S.Handle = HandleKind::Container; // futures.push_back(std::async(...))
        S.HandleDecl = containerDeclOf(MC->getImplicitObjectArgument());
      }
    } else if (N.get<Stmt>() && !N.get<Expr>() && isa<CXXConstructExpr>(E)) {
      S.Handle = HandleKind::Detached; // a thread temporary
    } else if (E->getType()->getAsCXXRecordDecl() &&
               E->getType()->getAsCXXRecordDecl()->getName() == "future" &&
               ((N.get<Stmt>() && !N.get<Expr>()) ||
                (N.get<CStyleCastExpr>() &&
                 N.get<CStyleCastExpr>()->getType()->isVoidType()))) {
      S.Handle = HandleKind::Temporary; // a dropped future: ~future() waits
    }
  }
  // Thread(func) + start(): the thread begins at the start call.
  bool CtorStarts = false;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    CtorStarts = Model.startsStdThread(CE->getConstructor());
  else if (const CXXRecordDecl *RD = Built.isNull() ? nullptr
                                                    : Built->getAsCXXRecordDecl())
    CtorStarts = llvm::any_of(RD->ctors(), [&](const CXXConstructorDecl *C) {
      return Model.startsStdThread(C);
    });
  if (!Built.isNull() && S.HandleDecl && Model.isInferredThreadType(Built) &&
      !CtorStarts) {
    llvm::SmallVector<const Stmt *, 32> Work{Spawner->getBody()};
    const SourceManager &SM = Ctx.getSourceManager();
    while (!Work.empty()) {
      const Stmt *St = Work.pop_back_val();
      if (!St || isa<LambdaExpr>(St))
        continue;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St);
          MC && SM.isBeforeInTranslationUnit(E->getEndLoc(), MC->getBeginLoc()) &&
          containerDeclOf(MC->getImplicitObjectArgument()) == S.HandleDecl &&
          Model.startsStdThread(MC->getMethodDecl()) &&
          (!S.StartCall || SM.isBeforeInTranslationUnit(MC->getBeginLoc(),
                                                        S.StartCall->getBeginLoc())))
        S.StartCall = MC;
      for (const Stmt *Child : St->children())
        Work.push_back(Child);
    }
  }
  return S;
}

const ThreadEntries::FunctionFacts &
ThreadEntries::factsOf(const FunctionDecl *FD) {
  auto &Slot = Facts[FD];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<FunctionFacts>();
  FunctionFacts &F = *Slot;
  const ASTContext &Ctx = FD->getASTContext();
  // InOnce: inside std::call_once's callable or a static local's
  // initialiser, which run once with every other caller waiting. Pre-order,
  // on an explicit stack (generated code nests expressions deeply).
  llvm::SmallVector<std::pair<const Stmt *, bool>, 64> Work{
      {FD->getBody(), false}};
  auto PushChildren = [&](const Stmt *S, bool InOnce) {
    size_t First = Work.size();
    for (const Stmt *Child : S->children())
      Work.push_back({Child, InOnce});
    std::reverse(Work.begin() + First, Work.end());
  };
  while (!Work.empty()) {
    auto [S, InOnce] = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
      F.Calls.push_back({LE, LE->getCallOperator()});
      if (InOnce)
        OnceSites.insert(LE);
      continue;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      size_t First = Work.size();
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          bool Magic = VD->isStaticLocal() &&
                       VD->getTLSKind() == VarDecl::TLS_None;
          if (VD->getInit())
            Work.push_back({VD->getInit(), InOnce || Magic});
        }
      std::reverse(Work.begin() + First, Work.end());
      continue;
    }
    if (const auto *C = dyn_cast<CallExpr>(S);
        C && MapModel::isOnceFunction(C->getDirectCallee())) {
      PushChildren(S, true);
      continue;
    }
    if (const auto *C = dyn_cast<CallExpr>(S)) {
      MapAccessKind K = Model.classifyAccess(C);
      if (K != MapAccessKind::None) {
        if (const Expr *Obj = Model.mapObjectOf(C))
          F.Accesses.push_back({C, K, Obj, false});
        else if (const Expr *Ptr = Model.mapPointerOf(C))
          F.Accesses.push_back({C, K, Ptr, true});
      } else if (llvm::SmallVector<const FunctionDecl *, 2> Targets;
                 Virtuals.targets(C, Targets)) {
        // A virtual call: every overrider the TU shows for the object.
        for (const FunctionDecl *Def : Targets)
          F.Calls.push_back({C, Def});
        if (InOnce && !Targets.empty())
          OnceSites.insert(C);
      } else if (const FunctionDecl *Callee = C->getDirectCallee()) {
        const FunctionDecl *Def = nullptr;
        if (Callee->hasBody(Def) &&
            !Ctx.getSourceManager().isInSystemHeader(Def->getLocation())) {
          F.Calls.push_back({C, Def});
          if (InOnce)
            OnceSites.insert(C);
        }
      }
      if (InOnce && F.Accesses.size() && F.Accesses.back().Call == C)
        OnceSites.insert(C);
    }
    PushChildren(S, InOnce);
  }
  return F;
}

bool ThreadEntries::runsOnce(const Stmt *CallSite) const {
  return OnceSites.contains(CallSite);
}

llvm::ArrayRef<MapAccessSite>
ThreadEntries::accessesOf(const FunctionDecl *FD) {
  return factsOf(FD).Accesses;
}

std::optional<ObjectKey> ThreadEntries::variable(const VarDecl *V,
                                                 bool Pointee, const Frame &F,
                                                 unsigned Depth) {
  if (const auto *P = dyn_cast<ParmVarDecl>(V))
    for (const auto &[Parm, Key] : F.Ctx.Params)
      if (Parm == P)
        return Key;
  if (V->getTLSKind() != VarDecl::TLS_None)
    return std::nullopt;
  // What an iterator designates changes as it moves (`*__begin1` of a
  // range-for over a container of maps): a different object per element.
  // Raw pointers and smart pointers keep designating one object.
  if (Pointee) {
    QualType T = V->getType().getNonReferenceType();
    if (!T->isPointerType() && !Model.isHandleType(T))
      return std::nullopt;
  }
  if (V->hasGlobalStorage())
    return ObjectKey{V->getCanonicalDecl(), nullptr};
  // A local: an alias of something else, a local of a function of this
  // walk, or a local of an outer function captured by the thread.
  bool Alias = V->getType()->isReferenceType() ||
               (Pointee && V->getType()->isPointerType());
  if (Alias && !isa<ParmVarDecl>(V) && V->getInit() && Depth < MaxAliasDepth)
    return V->getType()->isReferenceType()
               ? (Pointee ? pointee(V->getInit(), F, Depth + 1)
                          : object(V->getInit(), F, Depth + 1))
               : pointee(V->getInit(), F, Depth + 1);
  const auto *Owner = dyn_cast_or_null<FunctionDecl>(
      V->getParentFunctionOrMethod());
  bool Own = false;
  for (const auto &Step : F.Chain)
    if (Step.first == Owner)
      Own = true;
  if (!F.ThreadSide) {
    // Main side: only the spawning function's own variables are shared.
    if (!F.Chain.empty() && F.Chain.front().first == Owner)
      return ObjectKey{V->getCanonicalDecl(), nullptr};
    if (Own)
      return std::nullopt;
    return ObjectKey{V->getCanonicalDecl(), nullptr};
  }
  if (Own)
    return std::nullopt;
  // Captured from outside: every lambda on the way must capture it by
  // reference, or copy a pointer to it.
  for (const auto &Step : F.Chain) {
    const auto *MD = dyn_cast<CXXMethodDecl>(Step.first);
    if (!MD || !MD->getParent()->isLambda())
      continue;
    for (const LambdaCapture &Cap : MD->getParent()->captures())
      if (Cap.capturesVariable() && Cap.getCapturedVar() == V &&
          Cap.getCaptureKind() == LCK_ByCopy && !Pointee)
        return std::nullopt;
  }
  return ObjectKey{V->getCanonicalDecl(), nullptr};
}

std::optional<ObjectKey> ThreadEntries::object(const Expr *E, const Frame &F,
                                               unsigned Depth) {
  if (!E || Depth > MaxAliasDepth)
    return std::nullopt;
  E = ignoreMoves(E);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      return variable(V, false, F, Depth);
    return std::nullopt;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *V = dyn_cast<VarDecl>(ME->getMemberDecl()))
      return variable(V, false, F, Depth); // a static member
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD)
      return std::nullopt;
    std::optional<ObjectKey> Base;
    const Expr *B = ME->getBase()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(B))
      Base = F.Ctx.ThisRoot ? std::optional<ObjectKey>({F.Ctx.ThisRoot, nullptr})
                            : std::nullopt;
    else if (ME->isArrow())
      Base = pointee(B, F, Depth + 1);
    else
      Base = object(B, F, Depth + 1);
    if (!Base)
      return std::nullopt;
    return ObjectKey{Base->Field ? Base->Field : Base->Root,
                     FD->getCanonicalDecl()};
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Deref)
      return pointee(UO->getSubExpr(), F, Depth + 1);
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E))
    if ((OC->getOperator() == OO_Star || OC->getOperator() == OO_Arrow) &&
        OC->getNumArgs() == 1)
      return pointee(OC->getArg(0), F, Depth + 1);
  return std::nullopt;
}

std::optional<ObjectKey> ThreadEntries::pointee(const Expr *E, const Frame &F,
                                                unsigned Depth) {
  if (!E || Depth > MaxAliasDepth)
    return std::nullopt;
  // An array decayed to a pointer points at its elements, not at one object
  // (`for (auto &M : Maps)` over an array of maps).
  if (const auto *IC = dyn_cast<ImplicitCastExpr>(E->IgnoreParens());
      IC && IC->getCastKind() == CK_ArrayToPointerDecay)
    return std::nullopt;
  E = ignoreMoves(E);
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E))
    return pointee(Cast->getSubExpr(), F, Depth + 1);
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf)
      return object(UO->getSubExpr(), F, Depth + 1);
  if (isa<CXXThisExpr>(E))
    return F.Ctx.ThisRoot ? std::optional<ObjectKey>({F.Ctx.ThisRoot, nullptr})
                          : std::nullopt;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      return variable(V, true, F, Depth);
  // A pointer stored in a shared object: the object names it.
  if (isa<MemberExpr>(E))
    return object(E, F, Depth + 1);
  return std::nullopt;
}

std::optional<ObjectKey> ThreadEntries::objectOf(const MapAccessSite &A,
                                                 const Frame &F) {
  return A.ThroughPointer ? pointee(A.Object, F, 0) : object(A.Object, F, 0);
}

const Decl *ThreadEntries::lockIdentity(const Decl *Mutex, const Frame &F) {
  const auto *V = dyn_cast_or_null<VarDecl>(Mutex);
  if (!V)
    return Mutex; // a field: the same field of any object, or unknown
  QualType T = V->getType();
  bool Indirect = T->isReferenceType() || T->isPointerType();
  if (!Indirect)
    return Mutex;
  if (const auto *P = dyn_cast<ParmVarDecl>(V)) {
    for (const auto &[Parm, Key] : F.Ctx.Params)
      if (Parm == P)
        return Key.Field ? Key.Field : Key.Root;
    return nullptr;
  }
  if (!V->getInit())
    return nullptr;
  std::optional<ObjectKey> K = T->isReferenceType()
                                   ? object(V->getInit(), F, 0)
                                   : pointee(V->getInit(), F, 0);
  if (!K)
    return nullptr;
  return K->Field ? K->Field : K->Root;
}

std::optional<CallContext>
ThreadEntries::calleeContext(const Expr *Call, const FunctionDecl *Callee,
                             const Frame &F) {
  CallContext C;
  C.Params = F.Ctx.Params; // lambdas see their enclosing function's
  if (isa<LambdaExpr>(Call)) {
    C.ThisRoot = F.Ctx.ThisRoot;
    return C;
  }
  const auto *CE = cast<CallExpr>(Call);
  llvm::ArrayRef<const Expr *> Args(CE->getArgs(), CE->getNumArgs());
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
      MD && MD->isInstance()) {
    const Expr *Obj = memberCallObject(CE);
    Args = Args.drop_front(implicitObjectArgs(CE));
    if (Obj) {
      const Expr *O = ignoreMoves(Obj);
      std::optional<ObjectKey> K;
      if (isa<CXXThisExpr>(O))
        C.ThisRoot = F.Ctx.ThisRoot;
      else if (O->getType()->isPointerType())
        K = pointee(O, F, 0);
      else
        K = object(O, F, 0);
      if (K)
        C.ThisRoot = K->Field ? K->Field : K->Root;
      // Calling a lambda variable: its captures are what it shares.
      if (MD->getParent()->isLambda())
        C.ThisRoot = F.Ctx.ThisRoot;
    }
  }
  for (unsigned I = 0; I < Args.size() && I < Callee->getNumParams(); ++I) {
    const ParmVarDecl *P = Callee->getParamDecl(I);
    QualType T = P->getType();
    std::optional<ObjectKey> K;
    if (T->isReferenceType())
      K = object(Args[I], F, 0);
    else if (T->isPointerType())
      K = pointee(Args[I], F, 0);
    if (K)
      C.Params.push_back({P, *K});
  }
  return C;
}

void ThreadEntries::walk(Frame Root,
                         llvm::function_ref<bool(const Stmt *)> Filter,
                         llvm::function_ref<void(const Frame &)> Visit,
                         const FunctionDecl *Skip, ChainStep Step) {
  unsigned Visited = 0;
  // Frames seen, by function, context and state: the depth they were
  // expanded at. One reached again is not visited again; it is expanded
  // again only when reached higher up (its callees were cut by MaxDepth).
  using ParamKey = std::tuple<const ParmVarDecl *, const Decl *, const Decl *>;
  using FrameKey = std::tuple<const FunctionDecl *, const Decl *,
                              std::vector<ParamKey>, ChainState>;
  std::map<FrameKey, size_t> Seen;
  auto Go = [&](auto &&Self, const Frame &F, bool IsRoot) -> void {
    FrameKey Key{F.FD->getCanonicalDecl(), F.Ctx.ThisRoot, {}, F.State};
    for (const auto &[P, K] : F.Ctx.Params)
      std::get<2>(Key).emplace_back(P, K.Root, K.Field);
    auto [It, New] = Seen.try_emplace(std::move(Key), F.Chain.size());
    if (!New) {
      if (It->second <= F.Chain.size())
        return;
      It->second = F.Chain.size(); // higher up: MaxDepth cuts fewer callees
    } else {
      if (++Visited > Opts.MaxFunctions) {
        if (Visited == Opts.MaxFunctions + 1)
          Cut.push_back(Root.FD); // the walk stops here: said, not silent
        return;
      }
      Visit(F);
    }
    if (F.Chain.size() > Opts.MaxDepth)
      return;
    for (const auto &[CallSite, Callee] : factsOf(F.FD).Calls) {
      if (IsRoot && !Filter(CallSite))
        continue;
      if (SpawnedLambdas.contains(Callee))
        continue; // another thread
      if (Skip && Callee->getCanonicalDecl() == Skip->getCanonicalDecl())
        continue;
      bool Recursive = false;
      for (const auto &Step : F.Chain)
        if (Step.first == Callee)
          Recursive = true;
      if (Recursive)
        continue;
      std::optional<CallContext> C =
          calleeContext(cast<Expr>(CallSite), Callee, F);
      if (!C)
        continue;
      Frame Next;
      Next.FD = Callee;
      Next.Ctx = std::move(*C);
      Next.ThreadSide = F.ThreadSide;
      Next.Chain = F.Chain;
      Next.Chain.back().second = CallSite;
      Next.Chain.push_back({Callee, nullptr});
      Next.State = Step ? Step(F, CallSite) : F.State;
      Self(Self, Next, false);
    }
  };
  Go(Go, Root, true);
}

void ThreadEntries::walkThread(const SpawnSite &S,
                               llvm::function_ref<void(const Frame &)> Visit,
                               ChainStep Step) {
  Frame Root;
  Root.FD = S.Entry;
  Root.Ctx = S.EntryContext;
  Root.ThreadSide = true;
  Root.Chain.push_back({S.Entry, nullptr});
  walk(std::move(Root), [](const Stmt *) { return true; }, Visit, nullptr,
       Step);
}

void ThreadEntries::walkMainSide(
    const SpawnSite &S, llvm::function_ref<bool(const Stmt *)> InWindow,
    llvm::function_ref<void(const Frame &)> Visit, ChainStep Step) {
  Frame Root;
  Root.FD = S.Spawner;
  Root.Ctx.ThisRoot = ownThisRoot(S.Spawner);
  Root.ThreadSide = false;
  Root.Chain.push_back({S.Spawner, nullptr});
  walk(std::move(Root), InWindow, Visit, nullptr, Step);
}

void ThreadEntries::walkFrom(const FunctionDecl *FD, const Decl *ThisRoot,
                             llvm::function_ref<bool(const Stmt *)> InWindow,
                             const FunctionDecl *Skip,
                             llvm::function_ref<void(const Frame &)> Visit,
                             ChainStep Step) {
  Frame Root;
  Root.FD = FD;
  Root.Ctx.ThisRoot = ThisRoot;
  Root.ThreadSide = false;
  Root.Chain.push_back({FD, nullptr});
  walk(std::move(Root), InWindow, Visit, Skip, Step);
}

const Decl *ThreadEntries::thisAt(const CallExpr *Call,
                                  const FunctionDecl *Callee,
                                  const FunctionDecl *Caller) {
  Frame F;
  F.FD = Caller;
  F.Ctx.ThisRoot = ownThisRoot(Caller);
  F.Chain.push_back({Caller, nullptr});
  std::optional<CallContext> C = calleeContext(Call, Callee, F);
  return C ? C->ThisRoot : nullptr;
}

void spawnedLambdasIn(const Stmt *Body, const MapModel &Model,
                      llvm::SmallPtrSetImpl<const LambdaExpr *> &Out) {
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  auto Add = [&](llvm::ArrayRef<const Expr *> Args) {
    for (const Expr *A : Args)
      if (const auto *L = dyn_cast_or_null<LambdaExpr>(ignoreMoves(A)))
        Out.insert(L);
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

} // namespace clang::tidy::mapguard
