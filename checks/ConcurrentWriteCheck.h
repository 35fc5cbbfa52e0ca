//===--- ConcurrentWriteCheck.h - mapguard-concurrent-write -----*- C++ -*-===//

#ifndef MAPGUARD_CHECKS_CONCURRENTWRITECHECK_H
#define MAPGUARD_CHECKS_CONCURRENTWRITECHECK_H

#include "MapGuardCheck.h"
#include <set>
#include <vector>

namespace clang::tidy::mapguard {

class ThreadEntries;
struct SourceSpot;

/// Finds a shared map written (or read and written) from code that runs on
/// several threads at once with no common lock held.
class ConcurrentWriteCheck : public MapGuardCheck {
public:
  ConcurrentWriteCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  ThreadEntries &threads();
  /// The races of the translation unit, reported; their places are added to
  /// \p Reported.
  void reportRaces(std::set<SourceLocation> &Reported);
  /// With a project index: the races whose story needs another TU
  /// (ConcurrentWriteCrossUnit.cpp), except at \p Reported.
  void reportCrossUnitRaces(const std::set<SourceLocation> &Reported);
  /// Where \p S is in this TU, or invalid when its file is not part of it.
  SourceLocation locationOf(const SourceSpot &S) const;

  /// Report a read racing a write, not only two writes.
  bool CheckReads;
  /// Functions visited per walk.
  unsigned MaxFunctions;
  ASTContext *Ctx = nullptr;
  /// The spawns matched in this TU, in match order; their functions are
  /// found at the end of the TU.
  std::vector<const Expr *> Spawns;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_CONCURRENTWRITECHECK_H
