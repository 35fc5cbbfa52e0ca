//===--- Finding.h - what a scan reports ------------------------*- C++ -*-===//
//
// The scanner's data model: a finding (one mapguard diagnostic with its
// notes), a file that could not be analysed, a function skipped over a
// budget, and the result of a whole scan;
// their JSON form (the --format json output, the cache entries and the input
// of `mapguard merge`), and the fingerprint that identifies a finding across
// line shifts.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TOOL_FINDING_H
#define MAPGUARD_TOOL_FINDING_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

/// A position in a source file; Line and Column are 1-based, Column in bytes.
struct SourcePosition {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  unsigned Offset = 0;
};

/// A replacement of a fix-it: Length bytes at Offset of File become Text.
struct FixReplacement {
  std::string File;
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Text;
};

/// A note attached to a finding ("lookup here", "thread started here", ...).
struct FindingNote {
  SourcePosition Where;
  std::string Message;
  /// A note fix (clang-tidy's --fix-notes): a fix that may change behaviour.
  std::vector<FixReplacement> Fixes;
};

/// One diagnostic of a mapguard check.
struct Finding {
  std::string Check;
  std::string Severity = "warning"; // "warning" or "error"
  std::string Message;
  SourcePosition Where;
  std::string LineText; // the source line of Where, for text output
  std::vector<FindingNote> Notes;
  std::string Fingerprint; // see computeFingerprints()
  /// The fix-it of the diagnostic itself (--export-fixes).
  std::vector<FixReplacement> Fixes;
};

/// How far a translation unit with a problem was analysed.
enum class FailureKind {
  /// Not at all: no compile command, an unreadable file, a compiler
  /// invocation that could not start.
  NotAnalysed,
  /// The AST had compiler errors (a parse error, a missing header); the
  /// checks ran on what clang recovered, as clang-tidy runs them, and their
  /// findings are reported, but parts of the file may be unchecked.
  AnalysedWithErrors,
};

/// A translation unit that could not be analysed completely.
struct FileFailure {
  std::string File;
  /// The first compiler error (with "(and N more errors)"), or why the file
  /// was not analysed.
  std::string Message;
  /// "file:line:col" of the first compiler error, when it has one.
  std::string Location;
  FailureKind Kind = FailureKind::NotAnalysed;
};

/// A function an analysis of a check gave up on because it went over a
/// budget (the warning of the checks' ReportSkipped option, which a scan
/// always collects): never a finding, so it counts in no exit status and no
/// baseline, but it is reported.
struct SkippedFunction {
  std::string Check;
  /// As clang names it in diagnostics: "ns::Class::method".
  std::string Function;
  /// Where the function is declared (its name).
  SourcePosition Where;
  /// The budget's option name ("MaxBlocks") and the limit it reached.
  std::string Budget;
  unsigned Limit = 0;
};

/// "mapguard skipped 'f': budget MaxBlocks (3000) exceeded", as the checks'
/// ReportSkipped warning says it.
std::string skipMessage(const SkippedFunction &S);

/// "not-analysed" or "analysed-with-errors": the JSON "status" of a failure
/// and the tag of its text line.
llvm::StringRef failureKindName(FailureKind K);

/// The kind a "status" names; none for a name failureKindName never gives.
std::optional<FailureKind> failureKindFromName(llvm::StringRef Name);

/// The error of a report reader for a status no kind has: "unknown status
/// 'S' at WHERE (expected ...)", the value made printable.
std::string unknownStatusMessage(llvm::StringRef Status, llvm::StringRef Where);

/// What a scan (or the merge of several) found.
struct ScanResult {
  std::vector<Finding> Findings;
  std::vector<FileFailure> Failures;
  std::vector<SkippedFunction> Skipped;
  unsigned FilesScanned = 0;
  unsigned FilesFromCache = 0;
  unsigned FindingsHiddenByBaseline = 0;

  /// Sorts findings by file, line, column, check and drops exact duplicates
  /// (a finding in a header is reported by every file that includes it);
  /// the same for the skipped functions.
  void normalize();

  /// How many distinct functions (by position and name) were skipped.
  unsigned functionsSkipped() const;
};

/// A whitespace-insensitive form of a source line: trimmed, inner runs of
/// blanks collapsed to one space.
std::string normalizeLineText(llvm::StringRef Line);

/// Fills Finding::Fingerprint for every finding: a hash of the check, the
/// normalised source line and the message, plus the index of the finding
/// among those of the same file with the same hash, so that it survives
/// lines inserted or removed above it. Expects normalize()d findings.
void computeFingerprints(std::vector<Finding> &Findings);

llvm::json::Value toJSON(const SourcePosition &P);
llvm::json::Value toJSON(const Finding &F);
llvm::json::Value toJSON(const FileFailure &F);
llvm::json::Value toJSON(const SkippedFunction &S);
/// The --format json document.
llvm::json::Value toJSON(const ScanResult &R);

/// The "formatVersion" of the --format json document (see docs/tools.md for
/// what is stable): raised when a field changes meaning or goes away, not
/// when one is added.
constexpr int JSONFormatVersion = 2;

bool fromJSON(const llvm::json::Value &V, SourcePosition &P,
              llvm::json::Path Path);
bool fromJSON(const llvm::json::Value &V, FixReplacement &R,
              llvm::json::Path Path);
bool fromJSON(const llvm::json::Value &V, FindingNote &N,
              llvm::json::Path Path);
bool fromJSON(const llvm::json::Value &V, Finding &F, llvm::json::Path Path);
bool fromJSON(const llvm::json::Value &V, FileFailure &F,
              llvm::json::Path Path);
bool fromJSON(const llvm::json::Value &V, SkippedFunction &S,
              llvm::json::Path Path);
bool fromJSON(const llvm::json::Value &V, ScanResult &R,
              llvm::json::Path Path);

/// Parses a --format json document (with the nesting limit of
/// parseJSONInput()).
llvm::Expected<ScanResult> parseScanResult(llvm::StringRef JSONText);
/// Reads a parsed --format json document.
llvm::Expected<ScanResult> scanResultFromJSON(const llvm::json::Value &V);

/// The version that goes into outputs and cache keys.
llvm::StringRef mapguardVersion();

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_FINDING_H
