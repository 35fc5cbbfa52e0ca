//===--- CleanupOnMissingCheck.h - mapguard-cleanup-on-missing --*- C++ -*-===//

#ifndef MAPGUARD_CHECKS_CLEANUPONMISSINGCHECK_H
#define MAPGUARD_CHECKS_CLEANUPONMISSINGCHECK_H

#include "analysis/AssertionMacros.h"
#include "analysis/DeferredCleanup.h"
#include "analysis/MapModel.h"
#include "clang-tidy/ClangTidyCheck.h"

namespace clang::tidy::mapguard {

/// Finds deferred cleanups (scope guards) whose body uses a value that may
/// be missing after a map lookup, and handles closed twice by an explicit
/// close and a cleanup, or by two cleanups.
class CleanupOnMissingCheck : public ClangTidyCheck {
public:
  CleanupOnMissingCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  MapModel Model;
  AssertionMacros Asserts;
  DeferredCleanupFinder Cleanups;
  /// CFG blocks above which a function is skipped.
  unsigned MaxBlocks;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_CLEANUPONMISSINGCHECK_H
