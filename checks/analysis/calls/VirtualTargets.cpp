//===--- VirtualTargets.cpp - what a virtual call may run in this TU ------===//

#include "analysis/calls/VirtualTargets.h"
#include "analysis/calls/CallIndex.h"
#include "analysis/core/ExprUtils.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::mapguard {

namespace {

/// The object a member call is made on, and whether it is written as a
/// pointer (`p->f()`).
std::pair<const Expr *, bool> objectOf(const CallExpr *C) {
  const Expr *O = memberCallObject(C);
  return {O, O && O->getType()->isPointerType()};
}

/// True when the object's dynamic type is its static type: a variable or a
/// field of class type (not a reference), or a temporary.
bool hasExactType(const Expr *Obj, bool ThroughPointer) {
  if (!Obj || ThroughPointer)
    return false;
  const Expr *E = Obj->IgnoreParenImpCasts();
  if (isa<MaterializeTemporaryExpr, CXXTemporaryObjectExpr, CXXConstructExpr>(
          E))
    return true;
  const ValueDecl *D = nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    D = DRE->getDecl();
  else if (const auto *ME = dyn_cast<MemberExpr>(E))
    D = ME->getMemberDecl();
  return D && isa<VarDecl, FieldDecl>(D) && !D->getType()->isReferenceType();
}

} // namespace

bool isDevirtualisedCall(const CallExpr *C) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(C->getDirectCallee());
  if (!MD || !MD->isVirtual())
    return true;
  if (MD->hasAttr<FinalAttr>() || MD->getParent()->hasAttr<FinalAttr>())
    return true;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
  const auto *ME =
      MC ? dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()) : nullptr;
  return ME && ME->hasQualifier();
}

void VirtualTargets::build() {
  Built = true;
  llvm::SmallVector<const FunctionDecl *, 64> Functions;
  collectFunctionDefinitions(Ctx, Functions);
  for (const FunctionDecl *FD : Functions) {
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!MD)
      continue;
    if (MD->getParent()->getNumBases() > 0 && !MD->getParent()->isLambda())
      DerivedMethods.push_back(MD);
    if (!MD->isVirtual() || MD->size_overridden_methods() == 0)
      continue;
    // Every method MD overrides, through any chain of overrides.
    llvm::SmallVector<const CXXMethodDecl *, 4> Work(
        MD->overridden_methods().begin(), MD->overridden_methods().end());
    llvm::SmallPtrSet<const CXXMethodDecl *, 4> Seen;
    while (!Work.empty()) {
      const CXXMethodDecl *Base = Work.pop_back_val()->getCanonicalDecl();
      if (!Seen.insert(Base).second)
        continue;
      Overriders[Base].push_back(MD);
      Work.append(Base->overridden_methods().begin(),
                  Base->overridden_methods().end());
    }
  }
}

bool VirtualTargets::targets(const CallExpr *C,
                             llvm::SmallVectorImpl<const FunctionDecl *> &Out) {
  if (!C || isDevirtualisedCall(C))
    return false;
  const auto *MD = cast<CXXMethodDecl>(C->getDirectCallee());
  auto [Obj, ThroughPointer] = objectOf(C);
  if (!Obj)
    return false;
  QualType T = Obj->getType();
  if (ThroughPointer)
    T = T->getPointeeType();
  const CXXRecordDecl *Static = T->getAsCXXRecordDecl();
  if (!Static || !Static->hasDefinition())
    return false;
  Static = Static->getDefinition();
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallPtrSet<const FunctionDecl *, 4> Added;
  auto Add = [&](const CXXMethodDecl *M) {
    const FunctionDecl *Def = nullptr;
    if (M && M->hasBody(Def) && Def && !Def->isDependentContext() &&
        !SM.isInSystemHeader(Def->getLocation()) && Added.insert(Def).second)
      Out.push_back(Def);
  };
  // The overrider an object of exactly the static type runs.
  Add(MD->getCorrespondingMethodInClass(Static, /*MayBeBase=*/true));
  if (hasExactType(Obj, ThroughPointer))
    return true;
  if (!Built)
    build();
  auto It = Overriders.find(MD->getCanonicalDecl());
  if (It == Overriders.end())
    return true;
  for (const CXXMethodDecl *O : It->second)
    if (O->getParent() != Static && O->getParent()->isDerivedFrom(Static))
      Add(O);
  return true;
}

void VirtualTargets::methodsOfDerived(
    const CXXRecordDecl *RD, llvm::SmallVectorImpl<const CXXMethodDecl *> &Out) {
  if (!RD || !RD->hasDefinition())
    return;
  RD = RD->getDefinition();
  if (!Built)
    build();
  for (const CXXMethodDecl *M : DerivedMethods)
    if (M->getParent() != RD && M->getParent()->isDerivedFrom(RD))
      Out.push_back(M);
}

} // namespace clang::tidy::mapguard
