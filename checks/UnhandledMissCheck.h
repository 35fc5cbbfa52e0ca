//===--- UnhandledMissCheck.h - mapguard-unhandled-miss -------------------===//

#ifndef MAPGUARD_CHECKS_UNHANDLEDMISSCHECK_H
#define MAPGUARD_CHECKS_UNHANDLEDMISSCHECK_H

#include "LookupMissCheckBase.h"

namespace clang::tidy::mapguard {

/// Finds a map miss that the code notices but does not handle: the miss
/// branch neither initialises the value nor leaves, and the value is used.
class UnhandledMissCheck : public LookupMissCheckBase {
public:
  UnhandledMissCheck(StringRef Name, ClangTidyContext *Context)
      : LookupMissCheckBase(Name, Context, LookupMissFinding::UnhandledMiss) {}

protected:
  void report(const LookupMissFinding &F) override;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_UNHANDLEDMISSCHECK_H
