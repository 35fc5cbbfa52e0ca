//===--- ConcurrentWriteCheck.h - mapguard-concurrent-write -----*- C++ -*-===//

#ifndef MAPGUARD_CHECKS_CONCURRENTWRITECHECK_H
#define MAPGUARD_CHECKS_CONCURRENTWRITECHECK_H

#include "analysis/LockState.h"
#include "analysis/MapModel.h"
#include "analysis/ThreadEntries.h"
#include "clang-tidy/ClangTidyCheck.h"

namespace clang::tidy::mapguard {

/// Finds a shared map written (or read and written) from code that runs on
/// several threads at once with no common lock held.
class ConcurrentWriteCheck : public ClangTidyCheck {
public:
  ConcurrentWriteCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  /// A positive integer option; a bad value is reported and replaced.
  unsigned positiveOption(StringRef Name, unsigned Default);
  /// A boolean option; a bad value is reported and replaced.
  bool boolOption(StringRef Name, bool Default);

  MapModel Model;
  /// Report a read racing a write, not only two writes.
  bool CheckReads;
  /// Budgets: functions per walk, CFG blocks per function.
  unsigned MaxFunctions;
  unsigned MaxBlocks;
  ThreadEntries Entries;
  ASTContext *Ctx = nullptr;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_CONCURRENTWRITECHECK_H
