//===--- DocLinks.h - where a check's documentation lives -------*- C++ -*-===//
//
// The page of a check (docs/checks/<name>.md) for `mapguard explain`, the
// SARIF rules' help and helpUri, and the codeDescription link of
// mapguard-clangd's diagnostics: the installed docs
// (<prefix>/share/mapguard/docs/checks), else the source tree the binary was
// built from, or a base URL given by an option. Needs only LLVMSupport, so
// that mapguard-clangd compiles it too.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TOOL_DOCLINKS_H
#define MAPGUARD_TOOL_DOCLINKS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

/// The directories that may hold a check's page, in the order they are
/// tried: <prefix>/share/mapguard/docs/checks next to \p MainExecutable
/// (<prefix>/bin/...), then \p SourceDocsDir when it is not empty.
std::vector<std::string> checkDocDirectories(llvm::StringRef MainExecutable,
                                             llvm::StringRef SourceDocsDir);

/// The path of the page of \p Check ("mapguard-miss-default-use"):
/// <dir>/miss-default-use.md, or <dir>/mapguard-miss-default-use.md.
std::optional<std::string> findCheckDoc(llvm::StringRef Check,
                                        llvm::ArrayRef<std::string> Dirs);

/// A file:// URI for an absolute path, percent-encoding what RFC 3986 does
/// not allow in a path.
std::string fileURI(llvm::StringRef AbsolutePath);

/// The inverse: "file:///a%20b/c.cpp" -> "/a b/c.cpp" (a string without the
/// file:// scheme is decoded as it is).
std::string fileNameOfURI(llvm::StringRef URI);

/// The link to \p Check's page. With \p BaseURL: "{check}" in it is replaced
/// by the page's name without ".md" ("miss-default-use"); otherwise the
/// page's file name is appended to it ("<BaseURL>/miss-default-use.md").
/// Without: the file:// URI of the page found in \p Dirs, or "" when there
/// is none.
std::string checkDocURL(llvm::StringRef Check, llvm::StringRef BaseURL,
                        llvm::ArrayRef<std::string> Dirs);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_DOCLINKS_H
