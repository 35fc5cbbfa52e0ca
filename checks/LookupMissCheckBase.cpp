//===--- LookupMissCheckBase.cpp - shared driver of the lookup-miss checks ===//

#include "LookupMissCheckBase.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::mapguard {

namespace {
constexpr unsigned UsedOptions =
    MapModelOptions::MapTypes | MapModelOptions::IgnoredTypes |
    MapModelOptions::HandleTypes | MapModelOptions::LookupFunctions |
    MapModelOptions::NoReturnFunctions | MapModelOptions::ScopeGuardTypes;
} // namespace

LookupMissCheckBase::LookupMissCheckBase(StringRef Name,
                                         ClangTidyContext *Context,
                                         LookupMissFinding::KindTy Kind)
    : ClangTidyCheck(Name, Context), Kind(Kind),
      Model(MapModelOptions::read(Options, UsedOptions)) {}

void LookupMissCheckBase::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Model.options().store(Options, Opts);
}

void LookupMissCheckBase::onStartOfTranslationUnit() {
  LookupMissAnalysis::resetCache();
  Cleanups.emplace(Model);
  CleanupLambdas.clear();
}

void LookupMissCheckBase::registerPPCallbacks(const SourceManager &,
                                              Preprocessor *PP,
                                              Preprocessor *) {
  Asserts.attach(*PP);
}

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
  const FunctionDecl *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (const auto *LE = Result.Nodes.getNodeAs<LambdaExpr>("lambda")) {
    if (CleanupLambdas.count(LE))
      return;
    FD = LE->getCallOperator();
  }
  if (!FD || !FD->hasBody() || FD->isDependentContext())
    return;
  if (!Cleanups)
    Cleanups.emplace(Model);
  // Lambdas registered as deferred cleanups here are not ours to analyse;
  // functions are matched before the lambdas inside them.
  for (const DeferredCleanup &C : Cleanups->cleanupsIn(FD->getBody()))
    if (C.Lambda)
      CleanupLambdas.insert(C.Lambda);
  LookupMissOptions Opts;
  Opts.Asserts = &Asserts;
  const LookupMissAnalysis *A =
      LookupMissAnalysis::get(FD, *Result.Context, Model, Opts);
  if (!A)
    return;
  for (const LookupMissFinding &F : A->findings())
    if (F.Kind == Kind)
      report(F);
}

} // namespace clang::tidy::mapguard
