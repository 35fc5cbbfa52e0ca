//===--- Confirm.cpp - static findings lined up with runtime events -------===//

#include "Confirm.h"
#include "InputFile.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

namespace clang::tidy::mapguard {

namespace {

/// A line number: a non-negative integer that fits (llvm::json would wrap
/// -5 into 4294967291).
bool mapLine(const llvm::json::Value &V, llvm::StringLiteral Key,
             unsigned &Out, llvm::json::Path P) {
  const llvm::json::Object *O = V.getAsObject();
  const llvm::json::Value *Field = O ? O->get(Key) : nullptr;
  std::optional<int64_t> I = Field ? Field->getAsInteger() : std::nullopt;
  if (!I || *I < 0 || *I > int64_t(UINT32_MAX)) {
    P.field(Key).report("expected a non-negative integer");
    return false;
  }
  Out = static_cast<unsigned>(*I);
  return true;
}

bool fromJSON(const llvm::json::Value &V, RuntimeEvent &E,
              llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  if (!O || !O.map("kind", E.Kind) || !O.map("file", E.File) ||
      !mapLine(V, "line", E.Line, P))
    return false;
  O.mapOptional("message", E.Message);
  O.mapOptional("goroutine", E.Goroutine);
  const llvm::json::Object *Obj = V.getAsObject();
  if (const llvm::json::Value *Origin = Obj->get("origin");
      Origin && Origin->kind() != llvm::json::Value::Null) {
    llvm::json::ObjectMapper OO(*Origin, P.field("origin"));
    std::string File;
    if (!OO || !OO.map("file", File) ||
        !mapLine(*Origin, "line", E.OriginLine, P.field("origin")))
      return false;
    E.OriginFile = std::move(File);
  }
  return true;
}

/// The check families of docs/confirm.md.
enum class Family { None, ConcurrentWrite, Miss, Cleanup };

Family familyOfCheck(llvm::StringRef Check) {
  return llvm::StringSwitch<Family>(Check)
      .Case("mapguard-concurrent-write", Family::ConcurrentWrite)
      .Case("mapguard-miss-default-use", Family::Miss)
      .Case("mapguard-unhandled-miss", Family::Miss)
      .Case("mapguard-cleanup-on-missing", Family::Cleanup)
      .Default(Family::None);
}

bool familyAccepts(Family F, llvm::StringRef Kind) {
  switch (F) {
  case Family::ConcurrentWrite:
    return Kind == "concurrent-map-write" || Kind == "concurrent-map-read-write";
  case Family::Miss:
    return Kind == "nil-deref" || Kind == "nil-chan-send" ||
           Kind == "nil-chan-recv" || Kind == "goroutine-leak";
  case Family::Cleanup:
    return Kind == "close-nil-chan" || Kind == "close-closed-chan" ||
           Kind == "nil-deref";
  case Family::None:
    return false;
  }
  return false;
}

/// A finding's places: its position and its notes'.
bool findingTouches(const Finding &F, llvm::StringRef File, unsigned Line) {
  if (F.Where.File == File && F.Where.Line == Line)
    return true;
  return llvm::any_of(F.Notes, [&](const FindingNote &N) {
    return N.Where.File == File && N.Where.Line == Line;
  });
}

bool matches(const Finding &F, const RuntimeEvent &E) {
  if (!kindConfirms(F.Check, E.Kind))
    return false;
  if (findingTouches(F, E.File, E.Line))
    return true;
  return E.OriginFile && findingTouches(F, *E.OriginFile, E.OriginLine);
}

std::string place(llvm::StringRef File, unsigned Line) {
  return (llvm::sys::path::filename(File) + ":" + llvm::Twine(Line)).str();
}

std::string describe(const RuntimeEvent &E) {
  std::string S = E.Kind + " at " + place(E.File, E.Line);
  if (E.OriginFile)
    S += " (origin " + place(*E.OriginFile, E.OriginLine) + ")";
  return S;
}

llvm::json::Value eventToJSON(const RuntimeEvent &E) {
  llvm::json::Object O{{"kind", E.Kind},
                       {"message", E.Message},
                       {"file", E.File},
                       {"line", E.Line},
                       {"goroutine", E.Goroutine}};
  if (E.OriginFile)
    O["origin"] = llvm::json::Object{{"file", *E.OriginFile},
                                     {"line", E.OriginLine}};
  else
    O["origin"] = nullptr;
  return O;
}

} // namespace

llvm::Expected<std::vector<RuntimeEvent>> parseEvents(llvm::StringRef Text) {
  std::vector<RuntimeEvent> Events;
  unsigned LineNo = 0;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    ++LineNo;
    Line = Line.trim();
    if (Line.empty())
      continue;
    llvm::Expected<llvm::json::Value> V = parseJSONInput(Line);
    if (!V)
      return llvm::createStringError(
          "events line %u: %s", LineNo, toString(V.takeError()).c_str());
    RuntimeEvent E;
    llvm::json::Path::Root Root("event");
    if (!fromJSON(*V, E, Root))
      return llvm::createStringError("events line %u: not a shim event",
                                     LineNo);
    Events.push_back(std::move(E));
  }
  return Events;
}

bool kindConfirms(llvm::StringRef Check, llvm::StringRef Kind) {
  return familyAccepts(familyOfCheck(Check), Kind);
}

bool isMapguardKind(llvm::StringRef Kind) {
  return familyAccepts(Family::ConcurrentWrite, Kind) ||
         familyAccepts(Family::Miss, Kind) ||
         familyAccepts(Family::Cleanup, Kind);
}

bool LineCoverage::executed(llvm::StringRef File, unsigned Line) const {
  auto It = Executed.find(File);
  return It != Executed.end() && It->second.contains(Line);
}

llvm::StringRef reasonName(StaticOnlyReason R) {
  switch (R) {
  case StaticOnlyReason::NotExecuted:
    return "not executed";
  case StaticOnlyReason::NotReproduced:
    return "not reproduced";
  case StaticOnlyReason::Unknown:
    return "no event";
  }
  return "";
}

ConfirmResult matchFindings(std::vector<Finding> Findings,
                            std::vector<RuntimeEvent> Events,
                            const LineCoverage &Coverage) {
  ConfirmResult R;
  R.Findings = std::move(Findings);
  R.Events = std::move(Events);
  std::vector<char> EventMatched(R.Events.size());
  for (size_t FI = 0; FI < R.Findings.size(); ++FI) {
    bool Any = false;
    for (size_t EI = 0; EI < R.Events.size(); ++EI) {
      if (!matches(R.Findings[FI], R.Events[EI]))
        continue;
      R.Pairs.emplace_back(FI, EI);
      EventMatched[EI] = true;
      Any = true;
    }
    if (Any) {
      R.Confirmed.push_back(FI);
      continue;
    }
    const Finding &F = R.Findings[FI];
    StaticOnlyReason Why = StaticOnlyReason::Unknown;
    if (Coverage.Known)
      Why = Coverage.executed(F.Where.File, F.Where.Line)
                ? StaticOnlyReason::NotReproduced
                : StaticOnlyReason::NotExecuted;
    R.StaticOnly.emplace_back(FI, Why);
  }
  for (size_t EI = 0; EI < R.Events.size(); ++EI) {
    if (EventMatched[EI])
      continue;
    if (isMapguardKind(R.Events[EI].Kind))
      R.RuntimeOnly.push_back(EI);
    else
      R.OtherEvents.push_back(EI);
  }
  return R;
}

void writeConfirmText(const ConfirmResult &R, llvm::raw_ostream &OS) {
  OS << "mapguard confirm: " << R.Program << ": " << R.ExitDescription
     << ", " << R.Events.size() << (R.Events.size() == 1 ? " event" : " events")
     << ", " << R.Findings.size()
     << (R.Findings.size() == 1 ? " finding" : " findings") << "\n";
  constexpr const char *Row = "{0,-14} {1,-28} {2,-24} {3}\n";
  OS << llvm::formatv(Row, "status", "check", "finding", "runtime");
  for (size_t FI : R.Confirmed) {
    const Finding &F = R.Findings[FI];
    bool First = true;
    for (const auto &[PF, PE] : R.Pairs) {
      if (PF != FI)
        continue;
      OS << llvm::formatv(Row, First ? "confirmed" : "", First ? F.Check : "",
                          First ? place(F.Where.File, F.Where.Line) : "",
                          describe(R.Events[PE]));
      First = false;
    }
  }
  for (const auto &[FI, Why] : R.StaticOnly) {
    const Finding &F = R.Findings[FI];
    OS << llvm::formatv(Row, "static only", F.Check,
                        place(F.Where.File, F.Where.Line), reasonName(Why));
  }
  for (size_t EI : R.RuntimeOnly)
    OS << llvm::formatv(Row, "runtime only", "-", "-", describe(R.Events[EI]));
  for (size_t EI : R.OtherEvents)
    OS << llvm::formatv(Row, "other event", "-", "-", describe(R.Events[EI]));
  OS << R.Confirmed.size() << " confirmed, " << R.StaticOnly.size()
     << " static only, " << R.RuntimeOnly.size() << " runtime only\n";
}

llvm::json::Value confirmToJSON(const ConfirmResult &R) {
  llvm::json::Array Pairs, StaticOnly, RuntimeOnly, Other, Sources;
  for (const auto &[FI, EI] : R.Pairs)
    Pairs.push_back(llvm::json::Object{{"finding", toJSON(R.Findings[FI])},
                                       {"event", eventToJSON(R.Events[EI])}});
  for (const auto &[FI, Why] : R.StaticOnly)
    StaticOnly.push_back(llvm::json::Object{
        {"finding", toJSON(R.Findings[FI])}, {"reason", reasonName(Why)}});
  for (size_t EI : R.RuntimeOnly)
    RuntimeOnly.push_back(eventToJSON(R.Events[EI]));
  for (size_t EI : R.OtherEvents)
    Other.push_back(eventToJSON(R.Events[EI]));
  for (const std::string &S : R.Sources)
    Sources.push_back(S);
  return llvm::json::Object{
      {"tool", llvm::json::Object{{"name", "mapguard"},
                                  {"version", mapguardVersion()}}},
      {"sources", std::move(Sources)},
      {"program", R.Program},
      {"exit_status", R.ExitStatus},
      {"exit", R.ExitDescription},
      {"confirmed", static_cast<int64_t>(R.Confirmed.size())},
      {"static_only", static_cast<int64_t>(R.StaticOnly.size())},
      {"runtime_only", static_cast<int64_t>(R.RuntimeOnly.size())},
      {"pairs", std::move(Pairs)},
      {"static_only_findings", std::move(StaticOnly)},
      {"runtime_only_events", std::move(RuntimeOnly)},
      {"other_events", std::move(Other)},
  };
}

} // namespace clang::tidy::mapguard
