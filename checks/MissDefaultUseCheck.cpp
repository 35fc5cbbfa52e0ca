//===--- MissDefaultUseCheck.cpp - mapguard-miss-default-use --------------===//

#include "MissDefaultUseCheck.h"
#include "analysis/core/ExprUtils.h"
#include "analysis/core/MapGuardAnalyses.h"
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
  offerGuard(F);
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

// `auto it = m.find(k); it->second->f();` with no test: an early exit
// `if (it == m.end()) return;` before the statement that dereferences it,
// when that statement is one of a block's (the use not under another
// statement's condition) and the function's
// return type has an obvious "nothing" (void, a pointer, bool). A note fix:
// it changes behaviour.
void MissDefaultUseCheck::offerGuard(const LookupMissFinding &F) {
  if (!F.IsIterator || F.InPlace || !F.Via.empty() || !F.Lookup ||
      !CurrentFunction || F.Kind != LookupMissFinding::DefaultUse)
    return;
  const auto *Find = dyn_cast<CXXMemberCallExpr>(ignoreCopies(F.Lookup));
  const Expr *Map = Find ? Find->getImplicitObjectArgument() : nullptr;
  if (!Map || !isa<DeclRefExpr, MemberExpr>(Map->IgnoreParenImpCasts()))
    return;
  // The iterator: the variable the use names, initialised by the lookup.
  const VarDecl *It = nullptr;
  llvm::SmallVector<const Stmt *, 16> Work{F.Use};
  while (!Work.empty() && !It) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(S))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
          VD && VD->getInit() && ignoreCopies(VD->getInit()) == ignoreCopies(F.Lookup))
        It = VD;
    if (S)
      for (const Stmt *Child : S->children())
        Work.push_back(Child);
  }
  if (GuardedIn != CurrentFunction) {
    Guarded.clear();
    GuardedIn = CurrentFunction;
  }
  if (!It || Guarded.contains(It))
    return;
  QualType Ret = CurrentFunction->getReturnType().getCanonicalType();
  StringRef Exit = Ret->isVoidType()      ? "return;"
                   : Ret->isPointerType() ? "return nullptr;"
                   : Ret->isBooleanType() ? "return false;"
                                          : "";
  if (Exit.empty() || Ret->isUndeducedType())
    return;
  // The statement of a block, in this function, that holds the use.
  const FunctionParents &Parents =
      analyses(CurrentFunction->getASTContext()).parents(CurrentFunction);
  const Stmt *At = F.Use;
  const Stmt *Up = Parents.parentOf(At);
  for (unsigned Depth = 0; Up && !isa<CompoundStmt>(Up) && Depth < 64;
       ++Depth) {
    // Only expressions and a declaration or return around the use: an
    // exit in front of `if (c) it->f();` would also leave when !c, and a
    // return inside a lambda would leave the lambda.
    if (isa<LambdaExpr>(Up) || !isa<Expr, DeclStmt, ReturnStmt>(Up))
      return;
    At = Up;
    Up = Parents.parentOf(At);
  }
  if (!Up || !isa<CompoundStmt>(Up) || At->getBeginLoc().isMacroID() ||
      Map->getBeginLoc().isMacroID() || Map->getEndLoc().isMacroID())
    return;
  const ASTContext &Ctx = CurrentFunction->getASTContext();
  const SourceManager &SM = Ctx.getSourceManager();
  StringRef MapText = Lexer::getSourceText(
      CharSourceRange::getTokenRange(Map->IgnoreParenImpCasts()->getSourceRange()),
      SM, Ctx.getLangOpts());
  if (MapText.empty() || !It->getIdentifier())
    return;
  StringRef Indent = Lexer::getIndentationForLine(At->getBeginLoc(), SM);
  Guarded.insert(It);
  diag(At->getBeginLoc(), "exit early when the lookup misses",
       DiagnosticIDs::Note)
      << FixItHint::CreateInsertion(
             At->getBeginLoc(), ("if (" + It->getName() + " == " + MapText +
                                 ".end())\n" + Indent + "  " + Exit + "\n" +
                                 Indent)
                                    .str());
}

} // namespace clang::tidy::mapguard
