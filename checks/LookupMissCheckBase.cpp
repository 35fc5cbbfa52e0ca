//===--- LookupMissCheckBase.cpp - shared driver of the lookup-miss checks ===//

#include "LookupMissCheckBase.h"
#include "analysis/cleanup/DeferredCleanup.h"
#include "analysis/index/FactKeys.h"
#include "analysis/lookup/Summaries.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::mapguard {

namespace {
constexpr unsigned UsedOptions =
    MapModelOptions::MapTypes | MapModelOptions::IgnoredTypes |
    MapModelOptions::HandleTypes | MapModelOptions::LookupFunctions |
    MapModelOptions::NoReturnFunctions | MapModelOptions::ScopeGuardTypes;

/// \p LE is the body of a deferred cleanup registered in the function that
/// contains it: mapguard-cleanup-on-missing's, not analysed here.
bool isCleanupBody(const LambdaExpr *LE, ASTContext &Ctx,
                   DeferredCleanupFinder &Cleanups) {
  const auto *Parent =
      dyn_cast_or_null<FunctionDecl>(LE->getLambdaClass()->getDeclContext());
  if (!Parent || !Parent->hasBody())
    return false;
  for (const DeferredCleanup &C : Cleanups.cleanupsIn(Parent->getBody()))
    if (C.Lambda == LE)
      return true;
  return false;
}
} // namespace

LookupMissCheckBase::LookupMissCheckBase(StringRef Name,
                                         ClangTidyContext *Context,
                                         LookupMissFinding::KindTy Kind)
    : MapGuardCheck(Name, Context, UsedOptions), Kind(Kind) {}

void LookupMissCheckBase::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      // Functions with a body, each analysed once (templates through their
      // instantiations, where the map types are known).
      functionDecl(isDefinition(), unless(isImplicit()),
                   // The standard library's bodies are not the user's code.
                   unless(isExpansionInSystemHeader()))
          .bind("fn"),
      this);
  Finder->addMatcher(
      // Lambda bodies, analysed as functions of their own.
      lambdaExpr(unless(isExpansionInSystemHeader())).bind("lambda"), this);
}

void LookupMissCheckBase::check(const MatchFinder::MatchResult &Result) {
  MapGuardAnalyses &A = analyses(*Result.Context);
  const FunctionDecl *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (const auto *LE = Result.Nodes.getNodeAs<LambdaExpr>("lambda")) {
    if (isCleanupBody(LE, *Result.Context, A.cleanups(model())))
      return;
    FD = LE->getCallOperator();
  }
  if (!FD || !FD->hasBody() || FD->isDependentContext())
    return;
  if (A.extractsFacts()) {
    A.summaries(model(), budget()).exportFacts(FD);
    return;
  }
  CurrentFunction = FD;
  if (const LookupMissAnalysis *R = A.lookupMisses(FD, model(), budget()))
    for (const LookupMissFinding &F : R->findings())
      if (F.Kind == Kind)
        report(F);
  CurrentFunction = nullptr;
  reportSkipped(*Result.Context, SkipLookupMiss | SkipSummaries);
}

void LookupMissCheckBase::lookupNotes(const LookupMissFinding &F) {
  for (const CallExpr *C : F.Via) {
    const NamedDecl *Callee = C->getDirectCallee();
    // The helper is defined in another file: where its lookup is.
    if (C == F.Via.back() && F.RemoteLookup &&
        F.RemoteLookup->Lookup.ReturnedMiss) {
      diag(C->getBeginLoc(),
           F.IsIterator ? "%0 may return the end() iterator of a map miss "
                          "(lookup in %1)"
                        : "%0 may return a default-constructed value from a "
                          "map miss (lookup in %1)",
           DiagnosticIDs::Note)
          << Callee
          << shortPlace(F.RemoteLookup->Lookup.ReturnedMiss->Lookup)
          << C->getSourceRange();
      continue;
    }
    diag(C->getBeginLoc(),
         F.IsIterator
             ? "%0 may return the end() iterator of a map miss"
             : "%0 may return a default-constructed value from a map miss",
         DiagnosticIDs::Note)
        << Callee << C->getSourceRange();
  }
  if (F.Lookup)
    diag(F.Lookup->getBeginLoc(), "lookup here", DiagnosticIDs::Note)
        << F.Lookup->getSourceRange();
  if (F.CalleeUse)
    if (const auto *C = dyn_cast<CallExpr>(F.Use))
      diag(F.CalleeUse->getBeginLoc(), "%0 uses it here without a test",
           DiagnosticIDs::Note)
          << C->getDirectCallee();
  if (F.RemoteCalleeUse)
    if (const auto *C = dyn_cast<CallExpr>(F.Use))
      diag(C->getBeginLoc(), "%0 uses it without a test (in %1)",
           DiagnosticIDs::Note)
          << C->getDirectCallee() << shortPlace(*F.RemoteCalleeUse);
}

} // namespace clang::tidy::mapguard
