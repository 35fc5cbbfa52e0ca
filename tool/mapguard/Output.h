//===--- Output.h - text, JSON and SARIF reports ----------------*- C++ -*-===//

#ifndef MAPGUARD_TOOL_OUTPUT_H
#define MAPGUARD_TOOL_OUTPUT_H

#include "Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

namespace clang::tidy::mapguard {

/// What SARIF says about a check: tool.driver.rules[].
struct RuleInfo {
  std::string Name;             // the check, "mapguard-miss-default-use"
  std::string ShortDescription; // one line
  std::string HelpMarkdown;     // the check's doc page
  std::string FullDescription;  // the page's first paragraph
  std::string HelpURI;          // the page (installed docs or --docs-url)
};

/// How SARIF output is written.
struct SarifOptions {
  /// When set (an absolute directory), files under it are written relative
  /// to the uriBaseId %SRCROOT%, which run.originalUriBaseIds maps to it.
  std::string SourceRoot;
};

/// The SARIF reportingDescriptor name of a check: "MissDefaultUse" for
/// "mapguard-miss-default-use" (SARIF wants a name distinct from the id).
std::string sarifRuleName(llvm::StringRef Check);

/// The first sentence of \p Paragraph, on one line.
std::string firstSentence(llvm::StringRef Paragraph);

enum class OutputFormat { Text, JSON, SARIF };

/// Parses "text", "json" or "sarif".
llvm::Expected<OutputFormat> parseOutputFormat(llvm::StringRef Name);

/// clang-style diagnostics: "file:line:col: warning: message [check]", the
/// source line with a caret, then the notes; files that failed as errors.
void writeText(const ScanResult &R, llvm::raw_ostream &OS);
/// One finding of writeText().
void writeFindingText(const Finding &F, llvm::raw_ostream &OS);
/// One failure of writeText(): "file:line:col: error: message [analysed
/// with errors]" or "... [file not analysed]".
void writeFailureText(const FileFailure &F, llvm::raw_ostream &OS);

/// A SARIF 2.1.0 log with one run: every rule in \p Rules (plus any check
/// that has findings), results with locations, partial fingerprints, notes as
/// related locations (linked from the message) and as a code flow, and as
/// tool execution notifications the files that failed (level "error") and
/// the functions skipped over a budget (level "note", descriptor
/// "mapguard-skipped", associatedRule the check).
llvm::json::Value toSarif(const ScanResult &R, llvm::ArrayRef<RuleInfo> Rules,
                          const SarifOptions &Options = {});

/// Reads back a SARIF log written by toSarif() (for `mapguard merge`).
llvm::Expected<ScanResult> parseSarif(llvm::StringRef Text);
/// Reads a parsed SARIF log.
llvm::Expected<ScanResult> sarifFromJSON(const llvm::json::Value &Log);

/// Reads a --format json or --format sarif document.
llvm::Expected<ScanResult> parseReport(llvm::StringRef Text);

/// Writes \p R in \p Format.
void writeReport(const ScanResult &R, OutputFormat Format,
                 llvm::ArrayRef<RuleInfo> Rules, llvm::raw_ostream &OS,
                 const SarifOptions &Sarif = {});

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_OUTPUT_H
