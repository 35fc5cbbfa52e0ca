//===--- Finding.cpp - what a scan reports --------------------------------===//

#include "Finding.h"
#include "InputFile.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <set>
#include <tuple>

#ifndef MAPGUARD_VERSION
#define MAPGUARD_VERSION "unknown"
#endif

namespace clang::tidy::mapguard {

llvm::StringRef mapguardVersion() { return MAPGUARD_VERSION; }

static auto sortKey(const Finding &F) {
  return std::tie(F.Where.File, F.Where.Line, F.Where.Column, F.Check,
                  F.Message);
}

static auto sortKey(const SkippedFunction &S) {
  return std::tie(S.Where.File, S.Where.Line, S.Where.Column, S.Function,
                  S.Check, S.Budget, S.Limit);
}

void ScanResult::normalize() {
  llvm::sort(Findings, [](const Finding &A, const Finding &B) {
    return sortKey(A) < sortKey(B);
  });
  Findings.erase(std::unique(Findings.begin(), Findings.end(),
                             [](const Finding &A, const Finding &B) {
                               return sortKey(A) == sortKey(B);
                             }),
                 Findings.end());
  llvm::sort(Failures, [](const FileFailure &A, const FileFailure &B) {
    return A.File < B.File;
  });
  llvm::sort(Skipped, [](const SkippedFunction &A, const SkippedFunction &B) {
    return sortKey(A) < sortKey(B);
  });
  Skipped.erase(std::unique(Skipped.begin(), Skipped.end(),
                            [](const SkippedFunction &A,
                               const SkippedFunction &B) {
                              return sortKey(A) == sortKey(B);
                            }),
                Skipped.end());
}

unsigned ScanResult::functionsSkipped() const {
  std::set<std::tuple<llvm::StringRef, unsigned, unsigned, llvm::StringRef>>
      Functions;
  for (const SkippedFunction &S : Skipped)
    Functions.insert(
        {S.Where.File, S.Where.Line, S.Where.Column, S.Function});
  return Functions.size();
}

std::string skipMessage(const SkippedFunction &S) {
  return "mapguard skipped '" + S.Function + "': budget " + S.Budget + " (" +
         std::to_string(S.Limit) + ") exceeded";
}

std::string normalizeLineText(llvm::StringRef Line) {
  std::string Out;
  bool PendingBlank = false;
  for (char C : Line.trim()) {
    if (C == ' ' || C == '\t' || C == '\r' || C == '\n' || C == '\v' ||
        C == '\f') {
      PendingBlank = true;
      continue;
    }
    if (PendingBlank)
      Out += ' ';
    PendingBlank = false;
    Out += C;
  }
  return Out;
}

void computeFingerprints(std::vector<Finding> &Findings) {
  // Occurrences seen so far per (file, base hash).
  llvm::DenseMap<std::pair<uint64_t, uint64_t>, unsigned> Seen;
  for (Finding &F : Findings) {
    std::string Material = F.Check + '\0' + normalizeLineText(F.LineText) +
                           '\0' + F.Message;
    uint64_t Base = llvm::xxh3_64bits(Material);
    unsigned Index = Seen[{llvm::xxh3_64bits(F.Where.File), Base}]++;
    F.Fingerprint.clear();
    llvm::raw_string_ostream OS(F.Fingerprint);
    OS << llvm::format_hex_no_prefix(Base, 16) << ':' << Index;
  }
}

llvm::json::Value toJSON(const SourcePosition &P) {
  return llvm::json::Object{{"file", P.File},
                            {"line", P.Line},
                            {"column", P.Column},
                            {"offset", P.Offset}};
}

llvm::StringRef failureKindName(FailureKind K) {
  return K == FailureKind::AnalysedWithErrors ? "analysed-with-errors"
                                              : "not-analysed";
}

std::optional<FailureKind> failureKindFromName(llvm::StringRef Name) {
  for (FailureKind K :
       {FailureKind::NotAnalysed, FailureKind::AnalysedWithErrors})
    if (Name == failureKindName(K))
      return K;
  return std::nullopt;
}

std::string unknownStatusMessage(llvm::StringRef Status,
                                 llvm::StringRef Where) {
  return "unknown status '" + printable(Status) + "' at " + Where.str() +
         " (expected \"" +
         failureKindName(FailureKind::NotAnalysed).str() + "\" or \"" +
         failureKindName(FailureKind::AnalysedWithErrors).str() + "\")";
}

static llvm::json::Value toJSON(const FixReplacement &R) {
  return llvm::json::Object{{"file", R.File},
                            {"offset", R.Offset},
                            {"length", R.Length},
                            {"replacement", R.Text}};
}

static llvm::json::Array fixesToJSON(llvm::ArrayRef<FixReplacement> Fixes) {
  llvm::json::Array A;
  for (const FixReplacement &R : Fixes)
    A.push_back(toJSON(R));
  return A;
}

llvm::json::Value toJSON(const Finding &F) {
  llvm::json::Array Notes;
  for (const FindingNote &N : F.Notes) {
    llvm::json::Object O = *toJSON(N.Where).getAsObject();
    O["message"] = N.Message;
    if (!N.Fixes.empty())
      O["fixes"] = fixesToJSON(N.Fixes);
    Notes.push_back(std::move(O));
  }
  llvm::json::Object O = *toJSON(F.Where).getAsObject();
  O["check"] = F.Check;
  O["severity"] = F.Severity;
  O["message"] = F.Message;
  O["source"] = F.LineText;
  O["notes"] = std::move(Notes);
  O["fingerprint"] = F.Fingerprint;
  if (!F.Fixes.empty())
    O["fixes"] = fixesToJSON(F.Fixes);
  return O;
}

llvm::json::Value toJSON(const FileFailure &F) {
  return llvm::json::Object{{"file", F.File},
                            {"status", failureKindName(F.Kind)},
                            {"message", F.Message},
                            {"location", F.Location}};
}

llvm::json::Value toJSON(const SkippedFunction &S) {
  llvm::json::Object O = *toJSON(S.Where).getAsObject();
  O["function"] = S.Function;
  O["check"] = S.Check;
  O["budget"] = S.Budget;
  O["limit"] = S.Limit;
  O["message"] = skipMessage(S);
  return O;
}

llvm::json::Value toJSON(const ScanResult &R) {
  llvm::json::Array Findings, Failures, Skipped;
  for (const Finding &F : R.Findings)
    Findings.push_back(toJSON(F));
  for (const FileFailure &F : R.Failures)
    Failures.push_back(toJSON(F));
  for (const SkippedFunction &S : R.Skipped)
    Skipped.push_back(toJSON(S));
  return llvm::json::Object{
      {"formatVersion", JSONFormatVersion},
      {"tool", llvm::json::Object{{"name", "mapguard"},
                                  {"version", mapguardVersion()}}},
      {"filesScanned", R.FilesScanned},
      {"filesFromCache", R.FilesFromCache},
      {"findingsHiddenByBaseline", R.FindingsHiddenByBaseline},
      {"findings", std::move(Findings)},
      {"failures", std::move(Failures)},
      {"skipped", std::move(Skipped)}};
}

/// Maps the field \p Key of \p V to \p Out, a count or position that must be
/// a non-negative integer fitting in 32 bits (llvm::json would wrap -5 to
/// 4294967291).
static bool mapCount(const llvm::json::Value &V, llvm::StringLiteral Key,
                     unsigned &Out, llvm::json::Path Path, bool Optional) {
  const llvm::json::Object *O = V.getAsObject();
  const llvm::json::Value *Field = O ? O->get(Key) : nullptr;
  if (!Field) {
    if (!Optional)
      Path.field(Key).report("missing value");
    return Optional;
  }
  std::optional<int64_t> I = Field->getAsInteger();
  if (!I || *I < 0 || *I > int64_t(UINT32_MAX)) {
    Path.field(Key).report("expected a non-negative integer");
    return false;
  }
  Out = static_cast<unsigned>(*I);
  return true;
}

bool fromJSON(const llvm::json::Value &V, SourcePosition &P,
              llvm::json::Path Path) {
  llvm::json::ObjectMapper O(V, Path);
  return O && O.map("file", P.File) &&
         mapCount(V, "line", P.Line, Path, /*Optional=*/false) &&
         mapCount(V, "column", P.Column, Path, /*Optional=*/false) &&
         mapCount(V, "offset", P.Offset, Path, /*Optional=*/true);
}

bool fromJSON(const llvm::json::Value &V, FixReplacement &R,
              llvm::json::Path Path) {
  llvm::json::ObjectMapper O(V, Path);
  return O && O.map("file", R.File) &&
         mapCount(V, "offset", R.Offset, Path, /*Optional=*/false) &&
         mapCount(V, "length", R.Length, Path, /*Optional=*/false) &&
         O.map("replacement", R.Text);
}

bool fromJSON(const llvm::json::Value &V, FindingNote &N,
              llvm::json::Path Path) {
  llvm::json::ObjectMapper O(V, Path);
  return O && fromJSON(V, N.Where, Path) && O.map("message", N.Message) &&
         O.mapOptional("fixes", N.Fixes);
}

bool fromJSON(const llvm::json::Value &V, Finding &F, llvm::json::Path Path) {
  llvm::json::ObjectMapper O(V, Path);
  return O && fromJSON(V, F.Where, Path) && O.map("check", F.Check) &&
         O.map("message", F.Message) && O.mapOptional("severity", F.Severity) &&
         O.mapOptional("source", F.LineText) &&
         O.mapOptional("notes", F.Notes) &&
         O.mapOptional("fingerprint", F.Fingerprint) &&
         O.mapOptional("fixes", F.Fixes);
}

bool fromJSON(const llvm::json::Value &V, FileFailure &F,
              llvm::json::Path Path) {
  llvm::json::ObjectMapper O(V, Path);
  // Absent in reports of format version 1.
  std::string Status(failureKindName(FailureKind::NotAnalysed));
  if (!O || !O.map("file", F.File) || !O.map("message", F.Message) ||
      !O.mapOptional("location", F.Location) ||
      !O.mapOptional("status", Status))
    return false;
  std::optional<FailureKind> Kind = failureKindFromName(Status);
  if (!Kind) {
    // scanResultFromJSON names the value (checkFailureStatuses).
    Path.field("status").report("unknown status");
    return false;
  }
  F.Kind = *Kind;
  return true;
}

bool fromJSON(const llvm::json::Value &V, SkippedFunction &S,
              llvm::json::Path Path) {
  llvm::json::ObjectMapper O(V, Path);
  return O && fromJSON(V, S.Where, Path) && O.map("function", S.Function) &&
         O.map("check", S.Check) && O.map("budget", S.Budget) &&
         mapCount(V, "limit", S.Limit, Path, /*Optional=*/false);
}

/// Whether \p V says it is in a newer format than this mapguard reads.
static bool isNewerFormat(const llvm::json::Value &V) {
  const llvm::json::Object *Doc = V.getAsObject();
  std::optional<int64_t> Version =
      Doc ? Doc->getInteger("formatVersion") : std::nullopt;
  return Version && *Version > JSONFormatVersion;
}

bool fromJSON(const llvm::json::Value &V, ScanResult &R,
              llvm::json::Path Path) {
  llvm::json::ObjectMapper O(V, Path);
  if (isNewerFormat(V)) {
    Path.field("formatVersion")
        .report("a newer format than this mapguard reads");
    return false;
  }
  return O && O.map("findings", R.Findings) &&
         O.mapOptional("failures", R.Failures) &&
         O.mapOptional("skipped", R.Skipped) &&
         mapCount(V, "filesScanned", R.FilesScanned, Path, true) &&
         mapCount(V, "filesFromCache", R.FilesFromCache, Path, true) &&
         mapCount(V, "findingsHiddenByBaseline", R.FindingsHiddenByBaseline,
                  Path, true);
}

llvm::Expected<ScanResult> parseScanResult(llvm::StringRef JSONText) {
  llvm::Expected<llvm::json::Value> V = parseJSONInput(JSONText);
  if (!V)
    return V.takeError();
  return scanResultFromJSON(*V);
}

/// The first failures[].status string of \p V that names no kind, as an
/// error with its value: fromJSON cannot name it (llvm::json::Path reports
/// fixed messages).
static llvm::Error checkFailureStatuses(const llvm::json::Value &V) {
  const llvm::json::Object *Doc = V.getAsObject();
  const llvm::json::Array *Failures =
      Doc ? Doc->getArray("failures") : nullptr;
  for (size_t I = 0; Failures && I < Failures->size(); ++I) {
    const llvm::json::Object *F = (*Failures)[I].getAsObject();
    std::optional<llvm::StringRef> Status =
        F ? F->getString("status") : std::nullopt;
    if (Status && !failureKindFromName(*Status))
      return llvm::createStringError(unknownStatusMessage(
          *Status,
          "mapguard result.failures[" + std::to_string(I) + "].status"));
  }
  return llvm::Error::success();
}

llvm::Expected<ScanResult> scanResultFromJSON(const llvm::json::Value &V) {
  // A newer format may have new statuses: fromJSON says it is newer.
  if (!isNewerFormat(V))
    if (llvm::Error E = checkFailureStatuses(V))
      return std::move(E);
  ScanResult R;
  llvm::json::Path::Root Root("mapguard result");
  if (!fromJSON(V, R, Root))
    return Root.getError();
  return R;
}

} // namespace clang::tidy::mapguard
