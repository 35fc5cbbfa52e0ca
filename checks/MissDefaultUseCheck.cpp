//===--- MissDefaultUseCheck.cpp - mapguard-miss-default-use --------------===//

#include "MissDefaultUseCheck.h"
#include "analysis/ExprUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::mapguard {

namespace {

/// \p Body writes the map \p Map names (other than by \p Except): an
/// insertion, an erase, a subscript, an assignment, a non-const reference.
bool writesMap(const Stmt *Body, const Decl *Map, const Expr *Except,
               const MapModel &Model) {
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *E = dyn_cast<CallExpr>(S); E && E != Except) {
      if (const Expr *Obj = Model.mapObjectOf(E);
          Obj && objectDeclOf(Obj) == Map &&
          Model.classifyAccess(E) == MapAccessKind::Write)
        return true;
      // Handed on by non-const reference or pointer: may be written there.
      if (const auto *C = dyn_cast<CallExpr>(E))
        for (unsigned I = 0; I < C->getNumArgs(); ++I)
          if (objectDeclOf(C->getArg(I)) == Map &&
              (passesByMutableRef(C, I) ||
               C->getArg(I)->getType()->isPointerType()))
            return true;
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return false;
}

} // namespace

void MissDefaultUseCheck::report(const LookupMissFinding &F) {
  diag(F.Use->getBeginLoc(),
       F.IsIterator ? "'%0' may be the end() iterator of a map miss"
                    : "'%0' may be a default-constructed value from a map miss")
      << F.Name << F.Use->getSourceRange();
  lookupNotes(F);
  offerAt(F);
}

// `m[k]->f()` on a map the function only reads: `m.at(k)->f()` throws on a
// miss instead of inserting a null value and crashing. A note fix (applied
// with --fix-notes): it changes behaviour.
void MissDefaultUseCheck::offerAt(const LookupMissFinding &F) {
  const auto *OC = F.InPlace && F.Via.empty() && F.Lookup
                       ? dyn_cast<CXXOperatorCallExpr>(ignoreCopies(F.Lookup))
                       : nullptr;
  if (!OC || OC->getOperator() != OO_Subscript || OC->getNumArgs() != 2 ||
      !CurrentFunction || OC->getBeginLoc().isMacroID() ||
      OC->getEndLoc().isMacroID())
    return;
  const Expr *Map = OC->getArg(0);
  const Decl *MapDecl = objectDeclOf(Map);
  const auto *RD = Map->getType()->getAsCXXRecordDecl();
  bool HasAt = false;
  if (RD && RD->hasDefinition())
    for (const CXXMethodDecl *M : RD->getDefinition()->methods())
      HasAt |= M->getDeclName().isIdentifier() && M->getName() == "at";
  if (!MapDecl || !HasAt ||
      writesMap(CurrentFunction->getBody(), MapDecl, OC, model()))
    return;
  const ASTContext &Ctx = CurrentFunction->getASTContext();
  auto Text = [&](const Expr *E) {
    return Lexer::getSourceText(
        CharSourceRange::getTokenRange(E->IgnoreParenImpCasts()->getSourceRange()),
        Ctx.getSourceManager(), Ctx.getLangOpts());
  };
  StringRef MapText = Text(Map), KeyText = Text(OC->getArg(1));
  if (MapText.empty() || KeyText.empty())
    return;
  diag(OC->getBeginLoc(),
       "use 'at()' to throw on a miss instead of inserting a default value",
       DiagnosticIDs::Note)
      << FixItHint::CreateReplacement(
             CharSourceRange::getTokenRange(OC->getSourceRange()),
             (MapText + ".at(" + KeyText + ")").str());
}

} // namespace clang::tidy::mapguard
