//===--- FunctionParents.cpp - where a statement sits, without a TU parent map //

#include "analysis/core/FunctionParents.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::mapguard {

void FunctionParents::build() const {
  Map = std::make_unique<llvm::DenseMap<const Stmt *, const Stmt *>>();
  // On an explicit stack: generated code nests deeper than the C++ stack.
  llvm::SmallVector<const Stmt *, 64> Work;
  if (FD && FD->getBody())
    Work.push_back(FD->getBody());
  if (const auto *Ctor = dyn_cast_or_null<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *CI : Ctor->inits())
      if (const Expr *Init = CI->getInit(); Init && CI->isWritten()) {
        InitOf.try_emplace(Init, CI);
        Work.push_back(Init);
      }
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        DeclStmts.try_emplace(D, DS);
    for (const Stmt *Child : S->children())
      if (Child && Map->try_emplace(Child, S).second)
        Work.push_back(Child);
  }
}

const Stmt *FunctionParents::parentOf(const Stmt *S) const {
  if (!Map)
    build();
  auto It = Map->find(S);
  return It == Map->end() ? nullptr : It->second;
}

DynTypedNode FunctionParents::parentNode(const Stmt *S) const {
  if (const Stmt *P = parentOf(S)) {
    // A variable's initialiser is a child of its DeclStmt; the AST's parent
    // map puts the variable in between.
    if (const auto *DS = dyn_cast<DeclStmt>(P))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit() == S)
          return DynTypedNode::create(*VD);
    return DynTypedNode::create(*P);
  }
  if (auto It = InitOf.find(S); It != InitOf.end())
    return DynTypedNode::create(*It->second);
  return {};
}

const DeclStmt *FunctionParents::declStmtOf(const Decl *D) const {
  if (!Map)
    build();
  auto It = DeclStmts.find(D);
  return It == DeclStmts.end() ? nullptr : It->second;
}

namespace {

/// A traversal that enters only declarations whose source range covers one
/// of the statements looked for, with the stack of functions around it.
class EnclosingFunctionFinder
    : public RecursiveASTVisitor<EnclosingFunctionFinder> {
public:
  EnclosingFunctionFinder(llvm::ArrayRef<const Stmt *> Stmts, ASTContext &Ctx)
      : SM(Ctx.getSourceManager()) {
    for (const Stmt *S : Stmts)
      if (S && Wanted.try_emplace(S).second)
        Locs.push_back(SM.getExpansionLoc(S->getBeginLoc()));
    Left = Wanted.size();
  }

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (!D || Left == 0)
      return Left != 0;
    if (!isa<TranslationUnitDecl>(D) && !mayContain(D))
      return true;
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD)
      Functions.push_back(FD);
    bool Go = RecursiveASTVisitor::TraverseDecl(D);
    if (FD)
      Functions.pop_back();
    return Go;
  }

  bool TraverseLambdaExpr(LambdaExpr *L) {
    // The captures run in the enclosing function, the body in the lambda.
    for (Expr *Init : L->capture_inits())
      if (Init && !TraverseStmt(Init))
        return false;
    Functions.push_back(L->getCallOperator());
    bool Go = TraverseStmt(L->getBody());
    Functions.pop_back();
    return Go;
  }

  bool VisitStmt(Stmt *S) {
    auto It = Wanted.find(S);
    if (It != Wanted.end() && !It->second && !Functions.empty()) {
      It->second = Functions.back();
      --Left;
    }
    return Left != 0;
  }

  llvm::DenseMap<const Stmt *, const FunctionDecl *> result() {
    llvm::DenseMap<const Stmt *, const FunctionDecl *> Out;
    for (const auto &[S, FD] : Wanted)
      if (FD)
        Out.try_emplace(S, FD);
    return Out;
  }

  unsigned Left = 0;

private:
  bool mayContain(const Decl *D) const {
    SourceRange R = D->getSourceRange();
    if (R.isInvalid())
      return true;
    SourceLocation B = SM.getExpansionLoc(R.getBegin());
    SourceLocation E = SM.getExpansionRange(R.getEnd()).getEnd();
    for (SourceLocation L : Locs)
      if (!SM.isBeforeInTranslationUnit(L, B) &&
          !SM.isBeforeInTranslationUnit(E, L))
        return true;
    return false;
  }

  const SourceManager &SM;
  llvm::DenseMap<const Stmt *, const FunctionDecl *> Wanted;
  llvm::SmallVector<SourceLocation, 8> Locs;
  llvm::SmallVector<const FunctionDecl *, 8> Functions;
};

} // namespace

llvm::DenseMap<const Stmt *, const FunctionDecl *>
enclosingFunctions(llvm::ArrayRef<const Stmt *> Stmts, ASTContext &Ctx) {
  EnclosingFunctionFinder Finder(Stmts, Ctx);
  if (Finder.Left)
    Finder.TraverseDecl(Ctx.getTranslationUnitDecl());
  return Finder.result();
}

} // namespace clang::tidy::mapguard
