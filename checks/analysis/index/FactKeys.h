//===--- FactKeys.h - how facts name functions and places -------*- C++ -*-===//
//
// The names that hold in every translation unit: a declaration's USR
// (clang::index::generateUSRForDecl) and a place as file, line and column.
// Everything the project index records is named through these two.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_INDEX_FACTKEYS_H
#define MAPGUARD_CHECKS_ANALYSIS_INDEX_FACTKEYS_H

#include "analysis/lookup/SummaryFacts.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include <string>

namespace clang::tidy::mapguard {

/// The USR of \p D; for a declaration without one (rare: an unnamed
/// entity), a name that holds in this TU only ("mapguard-local:...").
std::string usrOf(const Decl *D);

/// Where \p Loc is written (its file location, #line directives honoured),
/// the file made absolute against the compiler's working directory.
SourceSpot spotOf(SourceLocation Loc, const SourceManager &SM);

/// "registry.cpp:41": the file's name without its directories, and the line.
std::string shortPlace(const SourceSpot &S);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_INDEX_FACTKEYS_H
