//===--- CheckList.h - the names of the mapguard checks ---------*- C++ -*-===//
//
// The one list of the mapguard checks, for the hosts that need their names
// (the scanner, the checks' fuzzer).
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_CHECKLIST_H
#define MAPGUARD_CHECKS_CHECKLIST_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

/// The prefix of every mapguard check's name.
constexpr llvm::StringLiteral CheckPrefix = "mapguard-";

/// The names of the mapguard checks registered with clang-tidy's module
/// registry (the module linked in or loaded), sorted.
std::vector<std::string> registeredChecks();

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_CHECKLIST_H
