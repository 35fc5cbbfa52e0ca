//===--- MissDefaultUseCheck.h - mapguard-miss-default-use ----------------===//

#ifndef MAPGUARD_CHECKS_MISSDEFAULTUSECHECK_H
#define MAPGUARD_CHECKS_MISSDEFAULTUSECHECK_H

#include "LookupMissCheckBase.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::mapguard {

/// Finds a handle default-constructed by a map miss used with nothing on the
/// path asking whether the lookup found it.
class MissDefaultUseCheck : public LookupMissCheckBase {
public:
  MissDefaultUseCheck(StringRef Name, ClangTidyContext *Context)
      : LookupMissCheckBase(Name, Context, LookupMissFinding::DefaultUse) {}

protected:
  void report(const LookupMissFinding &F) override;

private:
  void offerAt(const LookupMissFinding &F);
  void offerGuard(const LookupMissFinding &F);
  /// Iterators of GuardedIn given an early-exit guard (one each).
  llvm::DenseSet<const Decl *> Guarded;
  const FunctionDecl *GuardedIn = nullptr;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_MISSDEFAULTUSECHECK_H
