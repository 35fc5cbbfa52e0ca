//===--- LookupMissCheckBase.h - shared driver of the lookup-miss checks --===//

#ifndef MAPGUARD_CHECKS_LOOKUPMISSCHECKBASE_H
#define MAPGUARD_CHECKS_LOOKUPMISSCHECKBASE_H

#include "analysis/DeferredCleanup.h"
#include "analysis/LookupMiss.h"
#include "analysis/MapModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include <optional>

namespace clang::tidy::mapguard {

/// Runs the lookup-miss analysis on every function and lambda body and hands
/// the findings of one kind to the derived check.
class LookupMissCheckBase : public ClangTidyCheck {
public:
  LookupMissCheckBase(StringRef Name, ClangTidyContext *Context,
                      LookupMissFinding::KindTy Kind);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

protected:
  virtual void report(const LookupMissFinding &F) = 0;

private:
  LookupMissFinding::KindTy Kind;
  MapModel Model;
  AssertionMacros Asserts;
  std::optional<DeferredCleanupFinder> Cleanups;
  /// Lambdas that are deferred-cleanup bodies: mapguard-cleanup-on-missing's.
  llvm::DenseSet<const LambdaExpr *> CleanupLambdas;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_LOOKUPMISSCHECKBASE_H
