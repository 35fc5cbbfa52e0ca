//===--- CallIndex.cpp - who calls a function in this TU ------------------===//

#include "analysis/calls/CallIndex.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::mapguard {

void collectFunctionDefinitions(
    ASTContext &Ctx, llvm::SmallVectorImpl<const FunctionDecl *> &Functions) {
  const SourceManager &SM = Ctx.getSourceManager();
  // The declarations: namespaces, classes, templates and their
  // instantiations, with explicit stacks.
  llvm::SmallVector<const DeclContext *, 64> Contexts{
      Ctx.getTranslationUnitDecl()};
  auto AddDecl = [&](const Decl *D) {
    if (!D || D->isImplicit() || SM.isInSystemHeader(D->getLocation()))
      return;
    if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D)) {
      for (const FunctionDecl *Spec : FTD->specializations())
        Functions.push_back(Spec);
      return;
    }
    if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D)) {
      for (const ClassTemplateSpecializationDecl *Spec :
           CTD->specializations())
        Contexts.push_back(Spec);
      return;
    }
    if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext())
        Functions.push_back(FD);
      return;
    }
    if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
      if (RD->isThisDeclarationADefinition() && !RD->isDependentContext())
        Contexts.push_back(RD);
      return;
    }
    if (isa<NamespaceDecl, LinkageSpecDecl, ExportDecl>(D))
      Contexts.push_back(cast<DeclContext>(D));
  };
  while (!Contexts.empty()) {
    const DeclContext *DC = Contexts.pop_back_val();
    for (const Decl *D : DC->decls())
      AddDecl(D);
  }
}

CallIndex::CallIndex(ASTContext &Ctx) {
  collectFunctionDefinitions(Ctx, Functions);
  // The statements of each body; a lambda's body is its call operator's.
  llvm::SmallVector<std::pair<const Stmt *, const FunctionDecl *>, 64> Work;
  for (const FunctionDecl *FD : Functions) {
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
      for (const CXXCtorInitializer *I : Ctor->inits())
        if (I->isWritten())
          Work.push_back({I->getInit(), FD});
    Work.push_back({FD->getBody(), FD});
    while (!Work.empty()) {
      auto [S, In] = Work.pop_back_val();
      if (!S)
        continue;
      if (const auto *LE = dyn_cast<LambdaExpr>(S)) {
        Work.push_back({LE->getBody(), LE->getCallOperator()});
        continue;
      }
      if (const auto *C = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *Callee = C->getDirectCallee())
          Sites[Callee->getCanonicalDecl()].push_back({C, In});
      for (const Stmt *Child : S->children())
        Work.push_back({Child, In});
    }
  }
}

llvm::ArrayRef<CallSite>
CallIndex::callersOf(const FunctionDecl *Callee) const {
  if (!Callee)
    return {};
  auto It = Sites.find(Callee->getCanonicalDecl());
  if (It == Sites.end())
    return {};
  return It->second;
}

} // namespace clang::tidy::mapguard
