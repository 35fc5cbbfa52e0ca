//===--- LookupMissCheckBase.h - shared driver of the lookup-miss checks --===//

#ifndef MAPGUARD_CHECKS_LOOKUPMISSCHECKBASE_H
#define MAPGUARD_CHECKS_LOOKUPMISSCHECKBASE_H

#include "MapGuardCheck.h"
#include "analysis/lookup/LookupMiss.h"

namespace clang::tidy::mapguard {

/// Asks the lookup-miss analysis about every function and lambda body and
/// hands the findings of one kind to the derived check.
class LookupMissCheckBase : public MapGuardCheck {
public:
  LookupMissCheckBase(StringRef Name, ClangTidyContext *Context,
                      LookupMissFinding::KindTy Kind);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

protected:
  virtual void report(const LookupMissFinding &F) = 0;
  /// The notes every lookup finding carries: the helpers the value came
  /// through, the lookup, and the use inside a callee.
  void lookupNotes(const LookupMissFinding &F);
  /// The function whose findings are being reported.
  const FunctionDecl *CurrentFunction = nullptr;

private:
  LookupMissFinding::KindTy Kind;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_LOOKUPMISSCHECKBASE_H
