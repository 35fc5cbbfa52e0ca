//===--- Output.h - text, JSON and SARIF reports ----------------*- C++ -*-===//

#ifndef MAPGUARD_TOOL_OUTPUT_H
#define MAPGUARD_TOOL_OUTPUT_H

#include "Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

namespace clang::tidy::mapguard {

/// What SARIF says about a check: tool.driver.rules[].
struct RuleInfo {
  std::string Name;
  std::string ShortDescription;
  std::string HelpMarkdown; // the check's doc page
};

enum class OutputFormat { Text, JSON, SARIF };

/// Parses "text", "json" or "sarif".
llvm::Expected<OutputFormat> parseOutputFormat(llvm::StringRef Name);

/// clang-style diagnostics: "file:line:col: warning: message [check]", the
/// source line with a caret, then the notes; files that failed as errors.
void writeText(const ScanResult &R, llvm::raw_ostream &OS);

/// A SARIF 2.1.0 log with one run: every rule in \p Rules (plus any check
/// that has findings), results with locations, partial fingerprints, notes as
/// related locations and as a code flow, and the files that failed as tool
/// execution notifications.
llvm::json::Value toSarif(const ScanResult &R, llvm::ArrayRef<RuleInfo> Rules);

/// Reads back a SARIF log written by toSarif() (for `mapguard merge`).
llvm::Expected<ScanResult> parseSarif(llvm::StringRef Text);

/// Reads a --format json or --format sarif document.
llvm::Expected<ScanResult> parseReport(llvm::StringRef Text);

/// Writes \p R in \p Format.
void writeReport(const ScanResult &R, OutputFormat Format,
                 llvm::ArrayRef<RuleInfo> Rules, llvm::raw_ostream &OS);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_OUTPUT_H
