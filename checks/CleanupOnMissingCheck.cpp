//===--- CleanupOnMissingCheck.cpp - mapguard-cleanup-on-missing ----------===//
//
// Pattern 3 of patterns.md. The analysis is analysis/CleanupPaths (on the
// deferred cleanups, the lookup-miss states and the shared CFG of the per-TU
// context); this file is the matcher and the diagnostics.
//
//===----------------------------------------------------------------------===//

#include "CleanupOnMissingCheck.h"
#include "analysis/cleanup/CleanupPaths.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::mapguard {

CleanupOnMissingCheck::CleanupOnMissingCheck(StringRef Name,
                                             ClangTidyContext *Context)
    : MapGuardCheck(Name, Context,
                    MapModelOptions::MapTypes | MapModelOptions::IgnoredTypes |
                        MapModelOptions::HandleTypes |
                        MapModelOptions::ScopeGuardTypes |
                        MapModelOptions::LookupFunctions |
                        MapModelOptions::CloseFunctions |
                        MapModelOptions::NoReturnFunctions) {}

void CleanupOnMissingCheck::registerMatchers(MatchFinder *Finder) {
  // Every function with a body; lambdas' call operators are functions too.
  Finder->addMatcher(
      functionDecl(isDefinition(), hasBody(compoundStmt()),
                   // The standard library's bodies are not the user's code.
                   unless(isExpansionInSystemHeader()))
          .bind("fn"),
      this);
}

void CleanupOnMissingCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  for (const CleanupFinding &F : findCleanupProblems(
           FD, analyses(*Result.Context), model(), budget())) {
    switch (F.Kind) {
    case CleanupFinding::MayBeMissing:
      diag(F.Loc, "deferred cleanup uses '%0', which may be missing after "
                  "the lookup")
          << F.Name;
      diag(F.Lookup, "lookup here", DiagnosticIDs::Note);
      diag(F.Other, "used here", DiagnosticIDs::Note);
      break;
    case CleanupFinding::ClosedAgainByCleanup:
      diag(F.Loc, "'%0' is closed again by a deferred cleanup") << F.Name;
      diag(F.Other, "first closed here", DiagnosticIDs::Note);
      break;
    case CleanupFinding::ClosedAgainAfterCleanup:
      diag(F.Loc, "'%0' is closed again after a deferred cleanup closed it")
          << F.Name;
      diag(F.Other, "first closed here", DiagnosticIDs::Note);
      break;
    }
  }
  reportSkipped(*Result.Context, SkipCleanupPaths | SkipLookupMiss);
}

} // namespace clang::tidy::mapguard
