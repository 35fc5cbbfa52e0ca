//===--- SpawnRecognition.cpp - is this a spawn, and of what --------------===//

#include "analysis/threads/SpawnRecognition.h"
#include "Compat.h"
#include "analysis/core/ExprUtils.h"
#include "clang/AST/DeclTemplate.h"

namespace clang::tidy::mapguard {

namespace {

/// How deep a callable is looked for through locals and wrappers.
constexpr unsigned MaxCallableDepth = 6;

} // namespace

bool startsThread(const CXXConstructExpr *E, const MapModel &Model) {
  const CXXConstructorDecl *Ctor = E ? E->getConstructor() : nullptr;
  return Ctor && E->getNumArgs() > 0 && !Ctor->isCopyOrMoveConstructor() &&
         Model.isThreadType(E->getType());
}

bool callsSpawner(const CallExpr *E, const MapModel &Model) {
  return E && Model.isSpawnerFunction(E->getDirectCallee());
}

bool makesThread(const CallExpr *E, const MapModel &Model) {
  return E && !Model.threadFactoryType(E).isNull();
}

bool emplacesThread(const CXXMemberCallExpr *E, const MapModel &Model) {
  const CXXMethodDecl *MD = E ? E->getMethodDecl() : nullptr;
  if (!MD || !MD->getDeclName().isIdentifier() ||
      !compat::startsWith(MD->getName(), "emplace") || E->getNumArgs() == 0 ||
      Model.isThreadType(E->getArg(0)->getType()))
    return false;
  const auto *Spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(MD->getParent());
  return Spec && Spec->getTemplateArgs().size() > 0 &&
         Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
         Model.isThreadType(Spec->getTemplateArgs()[0].getAsType());
}

bool isSpawn(const Expr *E, const MapModel &Model) {
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E))
    return startsThread(CE, Model);
  const auto *C = dyn_cast_or_null<CallExpr>(E);
  if (!C)
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
      MC && emplacesThread(MC, Model))
    return true;
  return callsSpawner(C, Model) || makesThread(C, Model);
}

const Expr *unwrapRef(const Expr *E) {
  E = ignoreMoves(E);
  if (const auto *C = dyn_cast<CallExpr>(E))
    if (C->getNumArgs() == 1 &&
        isStdFunctionNamed(C->getDirectCallee(), {"ref", "cref"}))
      return ignoreMoves(C->getArg(0));
  return nullptr;
}

std::optional<Callable> callableOf(const Expr *E, unsigned Depth) {
  if (!E || Depth > MaxCallableDepth)
    return std::nullopt;
  E = ignoreMoves(E);
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = ignoreMoves(UO->getSubExpr());
  if (const auto *LE = dyn_cast<LambdaExpr>(E))
    return Callable{LE->getCallOperator(), LE, false};
  // std::function / packaged_task built from the callable.
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    if (CE->getNumArgs() == 1)
      return callableOf(CE->getArg(0), Depth + 1);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(DRE->getDecl());
        MD && MD->isInstance())
      return Callable{MD, nullptr, true};
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return Callable{FD, nullptr, false};
    // A local initialised with a lambda or a function (pointer), never
    // assigned again as far as we look: `auto W = [&] {...}; thread(W)`.
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) && VD->getInit() &&
          (VD->getType().isConstQualified() ||
           isa<LambdaExpr>(ignoreMoves(VD->getInit())) ||
           VD->getType()->isFunctionPointerType()))
        return callableOf(VD->getInit(), Depth + 1);
  }
  return std::nullopt;
}

std::optional<SpawnArguments> spawnArguments(const Expr *E,
                                             const MapModel &Model) {
  if (!E)
    return std::nullopt;
  SpawnArguments S;
  auto &Args = S.Args;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    // std::thread t(f, args...), std::jthread
    S.Built = CE->getType();
    for (const Expr *A : CE->arguments())
      Args.push_back(A);
    S.JoinsAtScopeEnd = Model.isJoiningThreadType(CE->getType());
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
             MC && !Model.isSpawnerFunction(MC->getMethodDecl())) {
    // threads.emplace_back(f, args...): the container is the handle.
    for (const Expr *A : MC->arguments())
      Args.push_back(A);
    S.Handle = HandleKind::Container;
    S.HandleDecl = containerDeclOf(MC->getImplicitObjectArgument());
    S.JoinsAtScopeEnd =
        Model.isJoiningThreadType(MC->getImplicitObjectArgument()->getType());
  } else if (QualType T = Model.threadFactoryType(dyn_cast<CallExpr>(E));
             !T.isNull()) {
    // std::make_unique<Worker>(f, args...): a construction of Worker; an
    // owning unique_ptr joins a joining thread when it dies.
    const auto *C = cast<CallExpr>(E);
    S.Built = T;
    for (const Expr *A : C->arguments())
      Args.push_back(A);
    S.JoinsAtScopeEnd = Model.isJoiningThreadType(S.Built) &&
                        C->getDirectCallee()->getName() == "make_unique";
  } else if (const auto *C = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = C->getDirectCallee();
    if (!FD || !Model.isSpawnerFunction(FD))
      return std::nullopt;
    S.IsPthread = FD->getDeclName().isIdentifier() &&
                  (FD->getName() == "pthread_create" ||
                   FD->getName() == "thrd_create");
    llvm::ArrayRef<const Expr *> CallArgs(C->getArgs(), C->getNumArgs());
    S.PoolObject = memberCallObject(C); // `pool.submit(task)`, `pool << task`
    CallArgs = CallArgs.drop_front(implicitObjectArgs(C));
    for (const Expr *A : CallArgs)
      if (!isa<CXXDefaultArgExpr>(A))
        Args.push_back(A);
  } else {
    return std::nullopt;
  }

  // Find the callable and the arguments it gets.
  if (S.IsPthread) {
    if (Args.size() < 3)
      return std::nullopt;
    S.Handle = HandleKind::Variable;
    S.HandleDecl = containerDeclOf(Args[0]);
    S.Fn = callableOf(Args[2]);
    S.FnIndex = 2;
    return S;
  }
  for (unsigned I = 0; I < Args.size() && !S.Fn; ++I) {
    // std::bind(&C::f, this, ...): the bound callable and its arguments
    // (copied, as std::thread copies its own).
    if (const auto *B = dyn_cast<CallExpr>(ignoreMoves(Args[I]));
        B && B->getNumArgs() > 0 &&
        (isStdFunctionNamed(B->getDirectCallee(), {"bind"}) ||
         calleeName(B) == "bind")) {
      Args.truncate(I);
      for (const Expr *A : B->arguments())
        Args.push_back(A);
    }
    if (MapModel::isLaunchPolicy(Args[I])) {
      if (MapModel::isDeferredLaunch(Args[I]))
        return std::nullopt; // runs in get()/wait(), on the caller's thread
      continue;
    }
    S.Fn = callableOf(Args[I]);
    S.FnIndex = I;
    if (!S.Fn && !S.PoolObject)
      if (const Decl *D = containerDeclOf(Args[I]))
        S.JoinObjects.push_back(D); // boost::asio::post(pool, f)
  }
  return S;
}

} // namespace clang::tidy::mapguard
