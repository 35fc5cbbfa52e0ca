//===--- ExprUtils.cpp - expression helpers shared by every analysis ------===//

#include "analysis/core/ExprUtils.h"
#include "Compat.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/Builtins.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::mapguard {

namespace {

/// Applies \p Step until it stops changing the expression.
template <typename StepT> const Expr *fixpoint(const Expr *E, StepT Step) {
  while (E) {
    const Expr *Next = Step(E);
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

const Expr *wrapperStep(const Expr *E) {
  const Expr *N = E->IgnoreParens()->IgnoreImplicit();
  if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(N))
    N = FC->getSubExpr();
  return N;
}

const Expr *copyStep(const Expr *E) {
  const Expr *N = wrapperStep(E);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(N))
    if (CE->getNumArgs() == 1 && CE->getConstructor() &&
        CE->getConstructor()->isCopyOrMoveConstructor())
      N = CE->getArg(0);
  return N;
}

const Expr *moveStep(const Expr *E) {
  const Expr *N = copyStep(E);
  if (const auto *C = dyn_cast<CallExpr>(N))
    if (C->getNumArgs() == 1 &&
        (C->isCallToStdMove() ||
         isStdFunctionNamed(C->getDirectCallee(), {"move", "forward"})))
      N = C->getArg(0);
  if (const auto *SC = dyn_cast<CXXStaticCastExpr>(N))
    if (SC->getType()->isRValueReferenceType() ||
        SC->getTypeAsWritten()->isRValueReferenceType())
      N = SC->getSubExpr();
  return N;
}

const Expr *truthStep(const Expr *E) {
  const Expr *N = copyStep(E);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(N))
    if (isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
      N = MC->getImplicitObjectArgument();
  // static_cast<bool>(c), (bool)(c), bool(c)
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(N))
    if (Cast->getType()->isBooleanType())
      N = Cast->getSubExpr();
  if (const auto *C = dyn_cast<CallExpr>(N); C && isPassThrough(C))
    N = C->getArg(0);
  return N;
}

} // namespace

const Expr *ignoreWrappers(const Expr *E) { return fixpoint(E, wrapperStep); }
const Expr *ignoreCopies(const Expr *E) { return fixpoint(E, copyStep); }
const Expr *ignoreMoves(const Expr *E) { return fixpoint(E, moveStep); }
const Expr *ignoreTruthWrappers(const Expr *E) {
  return fixpoint(E, truthStep);
}

const Expr *ignoreConvertingConstruction(const Expr *E) {
  E = ignoreTruthWrappers(E);
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E))
    if (CE->getNumArgs() == 1 && CE->getArg(0)->getType()->isRecordType() &&
        !isa<CXXTemporaryObjectExpr>(CE))
      return ignoreTruthWrappers(CE->getArg(0));
  return E;
}

const ValueDecl *referencedDecl(const Expr *E) {
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(ignoreTruthWrappers(E)))
    return DRE->getDecl();
  return nullptr;
}

const ValueDecl *handleDeclOf(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return isa<VarDecl, BindingDecl>(DRE->getDecl()) ? DRE->getDecl()
                                                     : nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

bool refersTo(const Expr *E, const ValueDecl *D) {
  return D && handleDeclOf(E) == D;
}

const Decl *objectDeclOf(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl()->getCanonicalDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl()->getCanonicalDecl();
  return nullptr;
}

const Decl *containerDeclOf(const Expr *E) {
  // Element access nests at most a few levels in real code; the bound keeps
  // generated expressions from recursing deeply.
  for (unsigned Depth = 0; E && Depth < 16; ++Depth) {
    E = ignoreMoves(E);
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)) {
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (OC->getOperator() == OO_Subscript || OC->getOperator() == OO_Star ||
          OC->getOperator() == OO_Arrow) {
        E = OC->getArg(0);
        continue;
      }
      return nullptr;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const auto *MD = MC->getMethodDecl();
      if (MD && MD->getDeclName().isIdentifier() &&
          compat::isOneOf({"at", "back", "front"}, MD->getName())) {
        E = MC->getImplicitObjectArgument();
        continue;
      }
      return nullptr;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return DRE->getDecl()->getCanonicalDecl();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl()->getCanonicalDecl();
    return nullptr;
  }
  return nullptr;
}

llvm::StringRef calleeName(const CallExpr *C) {
  if (const auto *FD = C ? C->getDirectCallee() : nullptr)
    if (FD->getDeclName().isIdentifier())
      return FD->getName();
  return "";
}

bool isStdFunctionNamed(const FunctionDecl *FD,
                        std::initializer_list<llvm::StringRef> Names) {
  if (!FD || !FD->isInStdNamespace() || !FD->getDeclName().isIdentifier())
    return false;
  return llvm::is_contained(Names, FD->getName());
}

bool isNullConstant(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  return isa<CXXNullPtrLiteralExpr>(E) ||
         E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) !=
             Expr::NPCK_NotNull;
}

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

bool isMutableRef(QualType T) {
  if (const auto *R = T->getAs<ReferenceType>())
    return !R->getPointeeType().isConstQualified();
  return false;
}

unsigned implicitObjectArgs(const CallExpr *C) {
  return isa<CXXOperatorCallExpr>(C) &&
                 isa_and_nonnull<CXXMethodDecl>(C->getCalleeDecl())
             ? 1
             : 0;
}

const Expr *memberCallObject(const CallExpr *C) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    return MC->getImplicitObjectArgument();
  if (implicitObjectArgs(C) && C->getNumArgs() > 0)
    return C->getArg(0);
  return nullptr;
}

std::optional<BinaryForm> binaryFormOf(const Expr *E) {
  if (const auto *B = dyn_cast_or_null<BinaryOperator>(E))
    return BinaryForm{B->getOpcode(), B->getLHS(), B->getRHS()};
  if (const auto *RB = dyn_cast_or_null<CXXRewrittenBinaryOperator>(E)) {
    CXXRewrittenBinaryOperator::DecomposedForm DF = RB->getDecomposedForm();
    return BinaryForm{DF.Opcode, DF.LHS, DF.RHS};
  }
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(E);
      OC && OC->getNumArgs() == 2 && OC->isComparisonOp())
    return BinaryForm{BinaryOperator::getOverloadedOpcode(OC->getOperator()),
                      OC->getArg(0), OC->getArg(1)};
  return std::nullopt;
}

bool passesByMutableRef(const CallExpr *C, unsigned Arg) {
  unsigned Offset = implicitObjectArgs(C);
  if (Arg < Offset || Arg >= C->getNumArgs())
    return false;
  const FunctionDecl *Callee = C->getDirectCallee();
  unsigned P = Arg - Offset;
  if (!Callee || P >= Callee->getNumParams())
    return C->getArg(Arg)->isGLValue();
  return isMutableRef(Callee->getParamDecl(P)->getType());
}

bool passesByConstRef(const CallExpr *C, unsigned Arg) {
  unsigned Offset = implicitObjectArgs(C);
  const FunctionDecl *Callee = C->getDirectCallee();
  if (Arg < Offset || !Callee || Arg - Offset >= Callee->getNumParams())
    return false;
  QualType T = Callee->getParamDecl(Arg - Offset)->getType();
  return T->isReferenceType() && T.getNonReferenceType().isConstQualified();
}

bool passesByMutableRef(const CXXConstructExpr *C, unsigned Arg) {
  const CXXConstructorDecl *Ctor = C->getConstructor();
  return Ctor && Arg < C->getNumArgs() && Arg < Ctor->getNumParams() &&
         isMutableRef(Ctor->getParamDecl(Arg)->getType());
}

void forEachStmtOf(const FunctionDecl *FD,
                   llvm::function_ref<bool(const Stmt *)> Visit,
                   bool IntoLambdas) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def))
    return;
  llvm::SmallVector<const Stmt *, 32> Work{Def->getBody()};
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *I : Ctor->inits())
      Work.push_back(I->getInit());
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || (!IntoLambdas && isa<LambdaExpr>(S)))
      continue;
    if (!Visit(S))
      return;
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
}

} // namespace clang::tidy::mapguard
