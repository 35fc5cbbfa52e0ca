//===--- MissDiagnosis.h - which raw lookup-miss findings are reported ----===//
//
// The diagnosis of LookupMiss: the replay records every use of a slot that
// may be missing; this keeps one finding per lookup -- the first use in
// source order, a default use winning over an unhandled miss -- and drops a
// default use that an assertion compiled away under NDEBUG guards
// (AssertionMacros). Private to analysis/lookup/.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSDIAGNOSIS_H
#define MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSDIAGNOSIS_H

#include "analysis/lookup/LookupMiss.h"
#include <vector>

namespace clang::tidy::mapguard::lookupmiss {

/// The findings of \p FD to report, from the raw ones of its replay, in
/// source order. \p Asserts may be null (no assertion known).
std::vector<LookupMissFinding> diagnose(std::vector<LookupMissFinding> Raw,
                                        const FunctionDecl *FD, ASTContext &Ctx,
                                        const AssertionMacros *Asserts);

} // namespace clang::tidy::mapguard::lookupmiss

#endif // MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSDIAGNOSIS_H
