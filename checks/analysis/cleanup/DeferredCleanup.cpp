//===--- DeferredCleanup.cpp - scope guards and the code they run ---------===//

#include "analysis/cleanup/DeferredCleanup.h"
#include "Compat.h"
#include "analysis/core/ExprUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtCXX.h"
#include <algorithm>

namespace clang::tidy::mapguard {

namespace {

/// How far the search for the callable in a guard's initialiser goes (the
/// guard type's constructor, gsl::finally's call, the std::function built
/// from the lambda, ...).
constexpr unsigned MaxCallableSearchDepth = 8;
/// How deep the destructor analysis follows the class's own methods and the
/// methods of its members.
constexpr unsigned MaxDestructorDepth = 3;
/// How deep classes holding classes are looked into for a guard.
constexpr unsigned MaxMemberDepth = 16;

/// \p E names a field of \p Owner (or of one of its bases) through `this`.
const FieldDecl *ownField(const Expr *E, const CXXRecordDecl *Owner) {
  const auto *ME = dyn_cast_or_null<MemberExpr>(ignoreMoves(E));
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
  if (!FD)
    return nullptr;
  const auto *Parent = dyn_cast<CXXRecordDecl>(FD->getParent());
  if (!Parent || !Owner)
    return nullptr;
  if (Parent->getCanonicalDecl() == Owner->getCanonicalDecl() ||
      (Owner->hasDefinition() && Owner->isDerivedFrom(Parent)))
    return FD;
  return nullptr;
}

bool isInvokeLike(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  StringRef N = FD->getName();
  return N == "invoke" || N == "__invoke" || N == "__invoke_r" ||
         N == "apply" || N == "invoke_r";
}

/// The first DeclRefExpr to a variable in \p S, in evaluation order
/// (pre-order, on an explicit stack: generated code nests deeply).
const VarDecl *firstVarIn(const Stmt *S) {
  llvm::SmallVector<const Stmt *, 32> Work{S};
  while (!Work.empty()) {
    const Stmt *St = Work.pop_back_val();
    if (!St)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(St))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        return VD;
    size_t First = Work.size();
    for (const Stmt *Child : St->children())
      Work.push_back(Child);
    std::reverse(Work.begin() + First, Work.end());
  }
  return nullptr;
}

SourceLocation reportLoc(const ASTContext &Ctx, SourceLocation L) {
  if (L.isMacroID())
    return Ctx.getSourceManager().getExpansionLoc(L);
  return L;
}

} // namespace

const CleanupCapture *
DeferredCleanup::captureFor(const ValueDecl *Inner) const {
  if (!Inner)
    return nullptr;
  for (const CleanupCapture &C : Captures)
    if (C.Inner == Inner)
      return &C;
  return nullptr;
}

bool DeferredCleanupFinder::isCleanupClass(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  if (RD->hasDefinition())
    RD = RD->getDefinition();
  auto It = CleanupClasses.find(RD);
  if (It != CleanupClasses.end())
    return It->second;
  // Break cycles through members while we look.
  CleanupClasses[RD] = false;
  bool Result = false;
  if (!RD->isLambda()) {
    QualType T = compat::canonicalTagType(RD);
    Result = Model.isScopeGuardType(T) ||
             destructorInvokesStoredCallable(RD, 0);
    // A class holding a guard runs it when it dies (members of members:
    // the depth bounds the recursion).
    if (!Result && RD->hasDefinition() && !RD->isLocalClass() &&
        MemberDepth < MaxMemberDepth) {
      ++MemberDepth;
      for (const FieldDecl *F : RD->fields())
        if (const auto *FR = F->getType()->getAsCXXRecordDecl();
            FR && FR != RD && isCleanupClass(FR)) {
          Result = true;
          break;
        }
      --MemberDepth;
    }
  }
  CleanupClasses[RD] = Result;
  return Result;
}

/// The body of \p Fn (a destructor or one of the class's methods) calls a
/// callable stored in a field of \p Owner: `F()`, `(*F)()`, `std::invoke(F)`,
/// or a method of Owner or of a member that does.
static bool bodyInvokesStoredCallable(const Stmt *Body,
                                      const CXXRecordDecl *Owner,
                                      unsigned Depth) {
  if (!Body || Depth > MaxDestructorDepth)
    return false;
  // The statements of one body on an explicit stack; Depth counts the
  // methods followed.
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
      // F(): operator() of a stored functor / std::function.
      if (OC->getOperator() == OO_Call && OC->getNumArgs() > 0 &&
          ownField(OC->getArg(0), Owner))
        return true;
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (MD && Obj && MD->hasBody()) {
        // this->helper(): look into our own method.
        if (isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()) &&
            bodyInvokesStoredCallable(MD->getBody(), Owner, Depth + 1))
          return true;
        // member_.Invoke(): look into the member's method.
        if (ownField(Obj, Owner) &&
            bodyInvokesStoredCallable(MD->getBody(), MD->getParent(),
                                      Depth + 1))
          return true;
      }
    } else if (const auto *C = dyn_cast<CallExpr>(S)) {
      // (*fp)() / fp(): a stored function pointer.
      if (ownField(C->getCallee(), Owner))
        return true;
      if (const auto *U = dyn_cast<UnaryOperator>(
              C->getCallee()->IgnoreParenImpCasts());
          U && U->getOpcode() == UO_Deref && ownField(U->getSubExpr(), Owner))
        return true;
      // std::invoke(F), std::apply(F, ...).
      if (isInvokeLike(C->getDirectCallee()) && C->getNumArgs() > 0 &&
          ownField(C->getArg(0), Owner))
        return true;
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return false;
}

bool DeferredCleanupFinder::destructorInvokesStoredCallable(
    const CXXRecordDecl *RD, unsigned Depth) {
  if (!RD || !RD->hasDefinition())
    return false;
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  if (!Dtor || !Dtor->hasBody())
    return false;
  return bodyInvokesStoredCallable(Dtor->getBody(), RD, Depth);
}

/// Fills the body and captures of \p C from the callable found in \p E, the
/// guard's initialiser or the value assigned to it.
bool DeferredCleanupFinder::fillFromCallable(DeferredCleanup &C,
                                             const Expr *E) {
  // Breadth-first, so that the outermost callable wins.
  llvm::SmallVector<std::pair<const Stmt *, unsigned>, 16> Work;
  Work.push_back({E, 0});
  const LambdaExpr *L = nullptr;
  const FunctionDecl *Fn = nullptr;
  for (size_t I = 0; I < Work.size() && !L && !Fn; ++I) {
    auto [S, Depth] = Work[I];
    if (!S)
      continue;
    if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
      L = LE;
      break;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      // A named local lambda: `auto fn = [&] {...}; gsl::finally(fn)`.
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
        if (RD && RD->isLambda() && VD->hasLocalStorage() && VD->getInit())
          if (const auto *LE =
                  dyn_cast<LambdaExpr>(ignoreWrappers(VD->getInit()))) {
            L = LE;
            break;
          }
        continue;
      }
      // A function: `absl::Cleanup c = &flushAll;`.
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl());
          FD && FD->hasBody()) {
        Fn = FD;
        break;
      }
      continue;
    }
    if (Depth >= MaxCallableSearchDepth)
      continue;
    // Do not look into other statements' bodies or unevaluated operands.
    if (isa<BlockExpr>(S) || isa<UnaryExprOrTypeTraitExpr>(S))
      continue;
    // A call's callee is not the callable it is handed (gsl::finally).
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      for (const Expr *Arg : Call->arguments())
        Work.push_back({Arg, Depth + 1});
      continue;
    }
    for (const Stmt *Child : S->children())
      Work.push_back({Child, Depth + 1});
  }

  if (Fn) {
    const FunctionDecl *Def = nullptr;
    if (!Fn->hasBody(Def) || !Def)
      return false;
    C.Body = Def->getBody();
    return C.Body != nullptr;
  }
  if (!L)
    return false;
  C.Lambda = L;
  C.Body = L->getBody();
  for (const LambdaCapture &Cap : L->captures()) {
    if (!Cap.capturesVariable())
      continue;
    const ValueDecl *V = Cap.getCapturedVar();
    CleanupCapture CC;
    CC.Inner = V;
    if (const auto *VD = dyn_cast<VarDecl>(V); VD && VD->isInitCapture()) {
      CC.Init = VD->getInit();
      if (const auto *DRE =
              dyn_cast_or_null<DeclRefExpr>(ignoreMoves(VD->getInit())))
        if (isa<VarDecl, BindingDecl>(DRE->getDecl()))
          CC.Outer = DRE->getDecl();
      CC.ByRef = VD->getType()->isReferenceType();
    } else {
      if (isa<VarDecl, BindingDecl>(V))
        CC.Outer = V;
      CC.ByRef = Cap.getCaptureKind() == LCK_ByRef;
    }
    C.Captures.push_back(CC);
  }
  return C.Body != nullptr;
}

/// BOOST_SCOPE_EXIT(a, &b) { body } BOOST_SCOPE_EXIT_END expands to a local
/// struct whose destructor calls its static member boost_se_body(a, b) with
/// values it reads from a local "params" struct; the params struct is
/// brace-initialised from the captured variables, one member each.
std::optional<DeferredCleanup>
DeferredCleanupFinder::classifyBoostScopeExit(const VarDecl *VD) {
  const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->isLocalClass() || !RD->hasDefinition())
    return std::nullopt;
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  if (!Dtor || !Dtor->hasBody())
    return std::nullopt;
  // The destructor's call of the class's own static body.
  const CallExpr *BodyCall = nullptr;
  llvm::SmallVector<const Stmt *, 8> Work{Dtor->getBody()};
  while (!Work.empty() && !BodyCall) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *C = dyn_cast<CallExpr>(S))
      if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(C->getDirectCallee());
          MD && MD->isStatic() && MD->getParent() == RD && MD->hasBody()) {
        BodyCall = C;
        break;
      }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  if (!BodyCall)
    return std::nullopt;
  const auto *BodyFn = cast<CXXMethodDecl>(BodyCall->getDirectCallee());

  DeferredCleanup C;
  C.Guard = VD;
  C.Body = BodyFn->getBody();
  for (unsigned I = 0, N = std::min<unsigned>(BodyFn->getNumParams(),
                                              BodyCall->getNumArgs());
       I < N; ++I) {
    CleanupCapture CC;
    CC.Inner = BodyFn->getParamDecl(I);
    CC.ByRef = BodyFn->getParamDecl(I)->getType()->isReferenceType();
    // boost_se_params_->boost_se_param_I_N.value: find the params member.
    const FieldDecl *ParamsMember = nullptr;
    for (const Expr *A = BodyCall->getArg(I)->IgnoreParenImpCasts(); A;) {
      const auto *ME = dyn_cast<MemberExpr>(A);
      if (!ME)
        break;
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        if (BoostParams.count(
                cast<CXXRecordDecl>(F->getParent())->getCanonicalDecl()))
          ParamsMember = F;
      A = ME->getBase()->IgnoreParenImpCasts();
    }
    if (ParamsMember) {
      const VarDecl *Params = BoostParams.lookup(
          cast<CXXRecordDecl>(ParamsMember->getParent())->getCanonicalDecl());
      const auto *ILE = dyn_cast_or_null<InitListExpr>(
          Params->getInit() ? Params->getInit()->IgnoreImplicit() : nullptr);
      unsigned Idx = ParamsMember->getFieldIndex();
      if (ILE && Idx < ILE->getNumInits()) {
        CC.Init = ILE->getInit(Idx);
        CC.Outer = firstVarIn(CC.Init);
      }
      // Report at BOOST_SCOPE_EXIT(...), where the params are declared,
      // rather than at BOOST_SCOPE_EXIT_END, where the guard is.
      if (C.Loc.isInvalid())
        C.Loc = reportLoc(VD->getASTContext(), Params->getLocation());
    }
    C.Captures.push_back(CC);
  }
  return C;
}

std::optional<DeferredCleanup>
DeferredCleanupFinder::classify(const VarDecl *VD) {
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) ||
      VD->getType()->isReferenceType())
    return std::nullopt;
  const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
  if (!RD)
    return std::nullopt;
  const ASTContext &Ctx = VD->getASTContext();
  if (RD->isLocalClass()) {
    if (auto C = classifyBoostScopeExit(VD)) {
      C->Registration = nullptr; // set by cleanupsIn
      if (C->Loc.isInvalid())
        C->Loc = reportLoc(Ctx, VD->getLocation());
      return C;
    }
  }
  if (!isCleanupClass(RD) || !VD->getInit())
    return std::nullopt;
  DeferredCleanup C;
  C.Guard = VD;
  C.Loc = reportLoc(Ctx, VD->getLocation());
  if (!fillFromCallable(C, VD->getInit()))
    return std::nullopt;
  return C;
}

llvm::ArrayRef<DeferredCleanup>
DeferredCleanupFinder::cleanupsIn(const Stmt *FunctionBody) {
  if (!FunctionBody)
    return {};
  auto &Slot = PerFunction[FunctionBody];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<std::vector<DeferredCleanup>>();
  std::vector<DeferredCleanup> &Out = *Slot;

  // Guards declared without their callable, waiting for `G = callable`.
  llvm::DenseMap<const VarDecl *, const DeclStmt *> Pending;

  // Pre-order, in source order; nested lambdas, blocks and local classes are
  // functions of their own.
  llvm::SmallVector<const Stmt *, 32> Stack{FunctionBody};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue;
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls()) {
        const auto *VD = dyn_cast<VarDecl>(D);
        if (!VD || !VD->hasLocalStorage())
          continue;
        const CXXRecordDecl *RD = VD->getType()->getAsCXXRecordDecl();
        if (!RD)
          continue;
        if (RD->isLocalClass() && VD->getInit() &&
            isa<InitListExpr>(VD->getInit()->IgnoreImplicit()))
          BoostParams[RD->getCanonicalDecl()] = VD;
        if (auto C = classify(VD)) {
          C->Registration = DS;
          Out.push_back(std::move(*C));
        } else if (!RD->isLocalClass() && isCleanupClass(RD)) {
          Pending[VD] = DS;
        }
      }
    } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
               OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
               !Pending.empty()) {
      // BOOST_SCOPE_EXIT_ALL: `guard<> g; g = [&] { ... };`.
      if (const auto *DRE = dyn_cast<DeclRefExpr>(
              OC->getArg(0)->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
            VD && Pending.count(VD)) {
          DeferredCleanup C;
          C.Guard = VD;
          C.Registration = OC;
          C.Loc = reportLoc(VD->getASTContext(), VD->getLocation());
          if (fillFromCallable(C, OC->getArg(1))) {
            Out.push_back(std::move(C));
            Pending.erase(VD);
          }
        }
    }
    // Children in source order: push them reversed.
    llvm::SmallVector<const Stmt *, 8> Children(S->child_begin(),
                                                S->child_end());
    for (auto I = Children.rbegin(), E = Children.rend(); I != E; ++I)
      Stack.push_back(*I);
  }
  if (Out.empty())
    return Out;

  // Guards named again after registration may be cancelled or moved away.
  llvm::DenseMap<const VarDecl *, unsigned> Uses;
  for (const DeferredCleanup &C : Out)
    Uses[C.Guard] = 0;
  Stack.push_back(FunctionBody);
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (auto It = Uses.find(VD); It != Uses.end())
          ++It->second;
    for (const Stmt *Child : S->children())
      Stack.push_back(Child);
  }
  for (DeferredCleanup &C : Out)
    C.MayBeCancelled =
        Uses.lookup(C.Guard) > (isa<DeclStmt>(C.Registration) ? 0u : 1u);
  return Out;
}

} // namespace clang::tidy::mapguard
