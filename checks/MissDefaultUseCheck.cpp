//===--- MissDefaultUseCheck.cpp - mapguard-miss-default-use --------------===//

#include "MissDefaultUseCheck.h"

namespace clang::tidy::mapguard {

void MissDefaultUseCheck::report(const LookupMissFinding &F) {
  diag(F.Use->getBeginLoc(),
       F.IsIterator ? "'%0' may be the end() iterator of a map miss"
                    : "'%0' may be a default-constructed value from a map miss")
      << F.Name << F.Use->getSourceRange();
  lookupNotes(F);
}

} // namespace clang::tidy::mapguard
