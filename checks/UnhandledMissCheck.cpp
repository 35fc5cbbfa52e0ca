//===--- UnhandledMissCheck.cpp - mapguard-unhandled-miss -----------------===//

#include "UnhandledMissCheck.h"

namespace clang::tidy::mapguard {

void UnhandledMissCheck::report(const LookupMissFinding &F) {
  diag(F.Use->getBeginLoc(), "'%0' is used after the lookup failed")
      << F.Name << F.Use->getSourceRange();
  lookupNotes(F);
  if (F.Check)
    diag(F.Check->getBeginLoc(), "miss branch falls through here",
         DiagnosticIDs::Note)
        << F.Check->getSourceRange();
}

} // namespace clang::tidy::mapguard
