//===--- Confirm.h - static findings lined up with runtime events -*- C++ -*-===//
//
// `mapguard confirm` checks a program twice: statically with the mapguard
// checks, and by running it against the shim with MAPGUARD_SHIM_EVENTS in
// record mode. This file is the pure half: the shim's event lines, the rule
// that matches a finding to events (see docs/confirm.md), and the report.
// ConfirmRun.cpp builds and runs the program.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TOOL_CONFIRM_H
#define MAPGUARD_TOOL_CONFIRM_H

#include "Finding.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

/// One line of the shim's events file (docs/shim.md, "Event format").
struct RuntimeEvent {
  std::string Kind;
  std::string Message;
  std::string File;
  unsigned Line = 0;
  /// The origin, when the event has one.
  std::optional<std::string> OriginFile;
  unsigned OriginLine = 0;
  unsigned Goroutine = 0;
};

/// Parses the events file: one JSON object per line, blank lines ignored.
llvm::Expected<std::vector<RuntimeEvent>> parseEvents(llvm::StringRef Text);

/// True when an event of \p Kind can confirm a finding of \p Check:
///   mapguard-concurrent-write: concurrent-map-write, concurrent-map-read-write
///   mapguard-miss-default-use, mapguard-unhandled-miss: nil-deref,
///     nil-chan-send, nil-chan-recv, goroutine-leak
///   mapguard-cleanup-on-missing: close-nil-chan, close-closed-chan, nil-deref
bool kindConfirms(llvm::StringRef Check, llvm::StringRef Kind);

/// True when some mapguard check could confirm an event of \p Kind; events of
/// other kinds (deadlock, negative-waitgroup, ...) are listed but never
/// runtime-only.
bool isMapguardKind(llvm::StringRef Kind);

/// The lines a run executed, per file; Known is false when the program was
/// not built with coverage.
struct LineCoverage {
  bool Known = false;
  llvm::StringMap<llvm::DenseSet<unsigned>> Executed;
  bool executed(llvm::StringRef File, unsigned Line) const;
};

/// Why a finding has no runtime event.
enum class StaticOnlyReason {
  NotExecuted,   // coverage says its line never ran
  NotReproduced, // its line ran, and no matching event came
  Unknown,       // no coverage
};
llvm::StringRef reasonName(StaticOnlyReason R);

/// The two halves lined up. Indices refer to Findings and Events.
struct ConfirmResult {
  std::vector<Finding> Findings;
  std::vector<RuntimeEvent> Events;
  /// Every (finding, event) that match.
  std::vector<std::pair<size_t, size_t>> Pairs;
  std::vector<size_t> Confirmed;
  std::vector<std::pair<size_t, StaticOnlyReason>> StaticOnly;
  /// Events of a mapguard kind that match no finding: a miss of the checks.
  std::vector<size_t> RuntimeOnly;
  /// Events of other kinds, for information.
  std::vector<size_t> OtherEvents;

  /// What ran; filled by the caller, for the report.
  std::vector<std::string> Sources;
  std::string Program;
  /// The program's exit status, or -1 when it died of a signal.
  int ExitStatus = 0;
  std::string ExitDescription;
};

/// Matches \p Findings with \p Events: a finding and an event match when the
/// event's kind confirms the finding's check (kindConfirms) and a place of the
/// finding -- its own position or one of its notes' -- has the same file and
/// line as the event or as the event's origin. File names are compared as
/// given: pass them normalised (absolute, real paths).
ConfirmResult matchFindings(std::vector<Finding> Findings,
                            std::vector<RuntimeEvent> Events,
                            const LineCoverage &Coverage);

/// The table (text) and the --format json document.
void writeConfirmText(const ConfirmResult &R, llvm::raw_ostream &OS);
llvm::json::Value confirmToJSON(const ConfirmResult &R);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_CONFIRM_H
