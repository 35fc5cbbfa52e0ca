//===--- FunctionCFG.cpp - one CFG per function, shared by every analysis -===//

#include "analysis/core/FunctionCFG.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::mapguard {

std::unique_ptr<FunctionCFG>
FunctionCFG::build(const FunctionDecl *FD, ASTContext &Ctx,
                   const FunctionParents &Parents) {
  if (!FD || !FD->getBody())
    return nullptr;
  CFG::BuildOptions BO;
  BO.setAllAlwaysAdd();
  BO.AddImplicitDtors = true;
  BO.AddTemporaryDtors = true;
  std::unique_ptr<CFG> G = CFG::buildCFG(FD, FD->getBody(), &Ctx, BO);
  if (!G)
    return nullptr;
  std::unique_ptr<FunctionCFG> F(new FunctionCFG());
  F->FD = FD;
  F->Parents = &Parents;
  F->Graph = std::move(G);
  for (const CFGBlock *B : *F->Graph) {
    unsigned I = 0;
    for (const CFGElement &E : *B) {
      if (auto CS = E.getAs<CFGStmt>()) {
        const Stmt *S = CS->getStmt();
        F->Elements.try_emplace(S, CFGPoint{B, I});
        if (const auto *DS = dyn_cast<DeclStmt>(S); DS && DS->isSingleDecl())
          F->DeclElements.try_emplace(DS->getSingleDecl(), CFGPoint{B, I});
      }
      ++I;
    }
  }
  return F;
}

std::optional<CFGPoint> FunctionCFG::elementOf(const Stmt *S) const {
  if (!S)
    return std::nullopt;
  if (auto It = Elements.find(S); It != Elements.end())
    return It->second;
  // `T a, b;`: the CFG evaluates one synthesized DeclStmt per variable.
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (auto It = DeclElements.find(D); It != DeclElements.end())
        return It->second;
    return std::nullopt;
  }
  // Bounded: statements nest, and the walk stops at the body.
  const Stmt *P = S;
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    P = parentOf(P);
    if (!P)
      return std::nullopt;
    if (auto It = Elements.find(P); It != Elements.end())
      return It->second;
  }
  return std::nullopt;
}

bool FunctionCFG::isElement(CFGPoint P, const Stmt *S) const {
  auto CS = (*P.Block)[P.Index].getAs<CFGStmt>();
  if (!CS)
    return false;
  const Stmt *E = CS->getStmt();
  if (E == S)
    return true;
  const auto *DS = dyn_cast<DeclStmt>(S);
  const auto *EDS = dyn_cast<DeclStmt>(E);
  return DS && EDS && EDS->isSingleDecl() &&
         llvm::is_contained(DS->decls(), EDS->getSingleDecl());
}

} // namespace clang::tidy::mapguard
