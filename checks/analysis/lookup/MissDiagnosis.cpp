//===--- MissDiagnosis.cpp - which raw lookup-miss findings are reported --===//

#include "analysis/lookup/MissDiagnosis.h"
#include "analysis/core/ExprUtils.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include <algorithm>

namespace clang::tidy::mapguard::lookupmiss {

namespace {

/// A default-use finding that survives the filters below.
bool worthDefaultUse(const LookupMissFinding &F, const FunctionDecl *FD,
                     ASTContext &Ctx, const AssertionMacros *Asserts) {
  // The lookup as this function wrote it: the call of the helper when the
  // lookup is behind one. (A find() iterator is reported whatever the mapped
  // type: dereferencing end() is undefined behaviour for any map.)
  const Expr *Lookup = !F.Via.empty() ? F.Via.front()
                       : F.Lookup     ? ignoreTruthWrappers(F.Lookup)
                                      : nullptr;
  if (!Lookup)
    return true;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Lookup);
  // An assertion compiled away under NDEBUG that mentions the variable, or
  // both the map and the key of a lookup written in place (`m[k]->f()`),
  // which may be asserted anywhere before it in the function.
  if (Asserts) {
    const SourceManager &SM = Ctx.getSourceManager();
    auto Text = [&](const Expr *E) {
      return Lexer::getSourceText(
                 CharSourceRange::getTokenRange(
                     E->IgnoreParenImpCasts()->getSourceRange()),
                 SM, Ctx.getLangOpts())
          .str();
    };
    bool InPlace = F.InPlace;
    llvm::SmallVector<std::string, 2> Words;
    if (!InPlace)
      Words.push_back(F.Name);
    else if (!F.Via.empty())
      Words = {Text(Lookup)};
    else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Lookup);
             OC && OC->getNumArgs() == 2)
      Words = {Text(OC->getArg(0)), Text(OC->getArg(1))};
    else if (MC && MC->getNumArgs() > 0 && MC->getImplicitObjectArgument())
      Words = {Text(MC->getImplicitObjectArgument()), Text(MC->getArg(0))};
    SourceLocation After =
        InPlace ? FD->getBody()->getBeginLoc() : Lookup->getBeginLoc();
    if (Asserts->asserts(SM, FD->getBody()->getSourceRange(), After,
                         F.Use->getBeginLoc(), Words))
      return false;
  }
  return true;
}

} // namespace

std::vector<LookupMissFinding> diagnose(std::vector<LookupMissFinding> All,
                                        const FunctionDecl *FD, ASTContext &Ctx,
                                        const AssertionMacros *Asserts) {
  std::vector<LookupMissFinding> Out;
  // One finding per lookup: the first use in source order; a default-use
  // finding wins over an unhandled-miss one for the same lookup.
  const SourceManager &SM = Ctx.getSourceManager();
  std::stable_sort(All.begin(), All.end(),
                   [&](const LookupMissFinding &A, const LookupMissFinding &B) {
                     return SM.isBeforeInTranslationUnit(A.Use->getBeginLoc(),
                                                         B.Use->getBeginLoc());
                   });
  llvm::erase_if(All, [&](const LookupMissFinding &F) {
    return F.Kind == LookupMissFinding::DefaultUse &&
           !worthDefaultUse(F, FD, Ctx, Asserts);
  });
  // The lookup; for one in another TU (no Lookup), the call of the helper.
  auto LookupOf = [](const LookupMissFinding &F) -> const Expr * {
    if (F.Lookup)
      return F.Lookup;
    return F.Via.empty() ? nullptr : F.Via.back();
  };
  llvm::DenseSet<const Expr *> Seen;
  llvm::DenseSet<const Expr *> DefaultUse;
  for (const LookupMissFinding &F : All)
    if (F.Kind == LookupMissFinding::DefaultUse && LookupOf(F))
      DefaultUse.insert(LookupOf(F));
  for (LookupMissFinding &F : All) {
    if (LookupOf(F) && DefaultUse.count(LookupOf(F)) &&
        F.Kind != LookupMissFinding::DefaultUse)
      continue;
    if (!Seen.insert(LookupOf(F) ? LookupOf(F) : F.Use).second)
      continue;
    Out.push_back(std::move(F));
  }
  return Out;
}

} // namespace clang::tidy::mapguard::lookupmiss
