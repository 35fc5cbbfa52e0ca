//===--- CleanupOnMissingCheck.h - mapguard-cleanup-on-missing --*- C++ -*-===//

#ifndef MAPGUARD_CHECKS_CLEANUPONMISSINGCHECK_H
#define MAPGUARD_CHECKS_CLEANUPONMISSINGCHECK_H

#include "MapGuardCheck.h"

namespace clang::tidy::mapguard {

/// Finds deferred cleanups (scope guards) whose body uses a value that may
/// be missing after a map lookup, and handles closed twice by an explicit
/// close and a cleanup, or by two cleanups.
class CleanupOnMissingCheck : public MapGuardCheck {
public:
  CleanupOnMissingCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_CLEANUPONMISSINGCHECK_H
