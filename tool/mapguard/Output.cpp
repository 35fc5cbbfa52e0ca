//===--- Output.cpp - text, JSON and SARIF reports ------------------------===//

#include "Output.h"
#include "CheckList.h"
#include "DocLinks.h"
#include "InputFile.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/Sarif.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

namespace clang::tidy::mapguard {

llvm::Expected<OutputFormat> parseOutputFormat(llvm::StringRef Name) {
  if (Name == "text")
    return OutputFormat::Text;
  if (Name == "json")
    return OutputFormat::JSON;
  if (Name == "sarif")
    return OutputFormat::SARIF;
  return llvm::createStringError(
      "unknown --format '%s': expected text, json or sarif",
      Name.str().c_str());
}

static void writePosition(const SourcePosition &P, llvm::raw_ostream &OS) {
  OS << P.File << ':' << P.Line << ':' << P.Column;
}

void writeFindingText(const Finding &F, llvm::raw_ostream &OS) {
  writePosition(F.Where, OS);
  OS << ": " << F.Severity << ": " << F.Message << " [" << F.Check << "]\n";
  if (!F.LineText.empty()) {
    OS << F.LineText << '\n';
    // The caret under the column; tabs kept so that it lines up.
    for (unsigned I = 0; I + 1 < F.Where.Column && I < F.LineText.size(); ++I)
      OS << (F.LineText[I] == '\t' ? '\t' : ' ');
    OS << "^\n";
  }
  for (const FindingNote &N : F.Notes) {
    writePosition(N.Where, OS);
    OS << ": note: " << N.Message << '\n';
  }
}

void writeFailureText(const FileFailure &F, llvm::raw_ostream &OS) {
  OS << (F.Location.empty() ? F.File : F.Location) << ": error: " << F.Message
     << (F.Kind == FailureKind::AnalysedWithErrors ? " [analysed with errors]"
                                                   : " [file not analysed]")
     << '\n';
}

void writeText(const ScanResult &R, llvm::raw_ostream &OS) {
  for (const Finding &F : R.Findings)
    writeFindingText(F, OS);
  for (const FileFailure &F : R.Failures)
    writeFailureText(F, OS);
}

std::string sarifRuleName(llvm::StringRef Check) {
  Check.consume_front(CheckPrefix);
  std::string Name;
  bool Upper = true;
  for (char C : Check) {
    if (!llvm::isAlnum(C)) {
      Upper = true;
      continue;
    }
    Name += Upper ? llvm::toUpper(C) : C;
    Upper = false;
  }
  return Name;
}

std::string firstSentence(llvm::StringRef Paragraph) {
  std::string Flat;
  for (char C : Paragraph.trim())
    Flat += (C == '\n' || C == '\r' || C == '\t') ? ' ' : C;
  llvm::StringRef Text(Flat);
  // A period that ends a sentence is followed by a blank (or the end); "e.g."
  // and "i.e." are not ends.
  for (size_t I = Text.find('.'); I != llvm::StringRef::npos;
       I = Text.find('.', I + 1)) {
    if (I + 1 < Text.size() && Text[I + 1] != ' ')
      continue;
    llvm::StringRef Before = Text.take_front(I + 1);
    if (Before.ends_with("e.g.") || Before.ends_with("i.e.") ||
        Before.ends_with("etc."))
      continue;
    return Before.str();
  }
  return Text.str();
}

namespace {

constexpr llvm::StringRef FingerprintKey = "mapguardFingerprint/v1";
/// The notification descriptor of a function skipped over a budget
/// (tool.driver.notifications[0]).
constexpr llvm::StringRef SkippedId = "mapguard-skipped";

/// Source ranges for positions, for clang's SarifDocumentWriter, which
/// describes locations through a SourceManager.
class RangeMaker {
public:
  RangeMaker()
      : Files(FileSystemOptions()),
        Diags(llvm::makeIntrusiveRefCnt<DiagnosticIDs>(), DiagOpts,
              new IgnoringDiagConsumer()),
        Sources(Diags, Files) {}

  const SourceManager &sourceManager() const { return Sources; }

  /// The token at \p P, or nullopt when its file cannot be read (a report
  /// merged on another machine).
  std::optional<CharSourceRange> rangeFor(const SourcePosition &P) {
    auto [It, Inserted] = FileIDs.try_emplace(P.File);
    if (Inserted) {
      if (auto FE = Files.getOptionalFileRef(P.File))
        It->second = Sources.getOrCreateFileID(*FE, SrcMgr::C_User);
    }
    if (It->second.isInvalid() || P.Line == 0)
      return std::nullopt;
    SourceLocation Begin =
        Sources.translateLineCol(It->second, P.Line, P.Column);
    if (Begin.isInvalid())
      return std::nullopt;
    unsigned Length = Lexer::MeasureTokenLength(Begin, Sources, LangOpts);
    return CharSourceRange::getCharRange(
        Begin, Begin.getLocWithOffset(std::max(Length, 1u)));
  }

private:
  FileManager Files;
  DiagnosticOptions DiagOpts;
  DiagnosticsEngine Diags;
  SourceManager Sources;
  LangOptions LangOpts;
  llvm::StringMap<FileID> FileIDs;
};

llvm::json::Object physicalLocation(const SourcePosition &P) {
  return llvm::json::Object{
      {"physicalLocation",
       llvm::json::Object{
           {"artifactLocation",
            llvm::json::Object{
                {"uri", SarifDocumentWriter::fileNameToURI(P.File)}}},
           {"region", llvm::json::Object{{"startLine", P.Line},
                                         {"startColumn", P.Column}}}}}};
}

llvm::json::Object textMessage(std::string Text) {
  return llvm::json::Object{{"text", std::move(Text)}};
}

/// SARIF message text with embedded links treats '[' and ']' as markup:
/// literal ones are escaped.
std::string escapeLinkText(llvm::StringRef Text) {
  std::string Out;
  for (char C : Text) {
    if (C == '[' || C == ']' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out;
}

/// The result message with the notes embedded as links to the related
/// locations (ids 1..N), which code-scanning UIs render as links:
/// "msg (notes: [lookup here](1); [thread started here](2))".
std::string messageWithLinks(const Finding &F) {
  if (F.Notes.empty())
    return F.Message;
  std::string Text = escapeLinkText(F.Message) + " (notes: ";
  for (size_t I = 0; I < F.Notes.size(); ++I) {
    if (I)
      Text += "; ";
    Text += "[" + escapeLinkText(F.Notes[I].Message) + "](" +
            std::to_string(I + 1) + ")";
  }
  return Text + ")";
}

/// Rewrites every artifact URI under \p Root to a relative one with
/// uriBaseId %SRCROOT%.
void relativizeURIs(llvm::json::Value &V, llvm::StringRef RootURI) {
  if (llvm::json::Object *O = V.getAsObject()) {
    if (std::optional<llvm::StringRef> URI = O->getString("uri");
        URI && URI->starts_with(RootURI) && !O->get("uriBaseId")) {
      std::string Relative = URI->drop_front(RootURI.size()).str();
      (*O)["uri"] = Relative;
      (*O)["uriBaseId"] = "%SRCROOT%";
    }
    for (auto &KV : *O)
      relativizeURIs(KV.second, RootURI);
  } else if (llvm::json::Array *A = V.getAsArray()) {
    for (llvm::json::Value &E : *A)
      relativizeURIs(E, RootURI);
  }
}

} // namespace

llvm::json::Value toSarif(const ScanResult &R, llvm::ArrayRef<RuleInfo> Rules,
                          const SarifOptions &Options) {
  RangeMaker Ranges;
  SarifDocumentWriter Writer(Ranges.sourceManager());
  Writer.createRun("mapguard", "mapguard (map-misuse checks for C++)",
                   mapguardVersion());

  std::vector<RuleInfo> AllRules(Rules.begin(), Rules.end());
  llvm::StringMap<size_t> RuleIndex;
  auto AddRule = [&](const RuleInfo &Rule) {
    SarifRule SR = SarifRule::create()
                       .setRuleId(Rule.Name)
                       .setName(sarifRuleName(Rule.Name))
                       .setDescription(Rule.FullDescription.empty()
                                           ? Rule.ShortDescription
                                           : Rule.FullDescription);
    if (!Rule.HelpURI.empty())
      SR = SR.setHelpURI(Rule.HelpURI);
    RuleIndex[Rule.Name] = Writer.createRule(SR);
  };
  for (const RuleInfo &Rule : Rules)
    AddRule(Rule);
  auto AddMissingRule = [&](const std::string &Check) {
    if (RuleIndex.count(Check))
      return;
    AllRules.push_back({Check, "mapguard check " + Check, ""});
    AddRule(AllRules.back());
  };
  for (const Finding &F : R.Findings)
    AddMissingRule(F.Check);
  for (const SkippedFunction &S : R.Skipped)
    AddMissingRule(S.Check);

  // Whether each finding's primary location went through the writer; the
  // others get a location written by hand below.
  std::vector<bool> HasRange;
  for (const Finding &F : R.Findings) {
    SarifResult Result =
        SarifResult::create(RuleIndex[F.Check])
            .setRuleId(F.Check)
            .setDiagnosticMessage(messageWithLinks(F))
            .setDiagnosticLevel(F.Severity == "error"
                                    ? SarifResultLevel::Error
                                    : SarifResultLevel::Warning)
            .addPartialFingerprint(FingerprintKey, F.Fingerprint);
    std::optional<CharSourceRange> Primary = Ranges.rangeFor(F.Where);
    HasRange.push_back(Primary.has_value());
    if (Primary) {
      Result = Result.addLocations({*Primary});
      std::vector<CharSourceRange> Related;
      std::vector<ThreadFlow> Flow;
      for (const FindingNote &N : F.Notes)
        if (std::optional<CharSourceRange> NR = Ranges.rangeFor(N.Where)) {
          Related.push_back(*NR);
          Flow.push_back(ThreadFlow::create()
                             .setRange(*NR)
                             .setMessage(N.Message)
                             .setImportance(ThreadFlowImportance::Important));
        }
      // The code flow: the notes in order (where the value came from), then
      // the finding itself.
      if (!Flow.empty()) {
        Flow.push_back(ThreadFlow::create()
                           .setRange(*Primary)
                           .setMessage(F.Message)
                           .setImportance(ThreadFlowImportance::Essential));
        Result = Result.setThreadFlows(Flow);
      }
      if (Related.size() == F.Notes.size())
        Result = Result.addRelatedLocations(Related);
    }
    Writer.appendResult(Result);
  }
  Writer.endRun();
  llvm::json::Object Doc = Writer.createDocument();

  // What SarifDocumentWriter does not model: rule help, messages of related
  // locations, locations of files it could not open, tool notifications.
  llvm::json::Object &Run = *Doc.getArray("runs")->front().getAsObject();
  llvm::json::Object &Driver =
      *Run.getObject("tool")->getObject("driver");
  if (llvm::json::Array *RuleArray = Driver.getArray("rules")) {
    for (size_t I = 0; I < RuleArray->size() && I < AllRules.size(); ++I) {
      llvm::json::Object &Rule = *(*RuleArray)[I].getAsObject();
      const RuleInfo &Info = AllRules[I];
      Rule["shortDescription"] = textMessage(firstSentence(Info.ShortDescription));
      if (!Info.FullDescription.empty())
        Rule["fullDescription"] = textMessage(Info.FullDescription);
      std::string Help = Info.HelpMarkdown.empty()
                             ? Info.ShortDescription +
                                   "\n\nRun `mapguard explain " + Info.Name +
                                   "` for details."
                             : Info.HelpMarkdown;
      Rule["help"] = llvm::json::Object{{"text", Help}, {"markdown", Help}};
      Rule["properties"] = llvm::json::Object{
          {"tags", llvm::json::Array{"correctness", "concurrency"}},
          {"precision", "high"},
          {"problem.severity", "warning"}};
    }
  }
  llvm::json::Array &Results = *Run.getArray("results");
  for (size_t I = 0; I < Results.size() && I < R.Findings.size(); ++I) {
    llvm::json::Object &Result = *Results[I].getAsObject();
    const Finding &F = R.Findings[I];
    // The message without the embedded links, for `mapguard merge`.
    if (!F.Notes.empty())
      Result["properties"] =
          llvm::json::Object{{"mapguardMessage", F.Message}};
    if (!HasRange[I]) {
      Result["locations"] = llvm::json::Array{physicalLocation(F.Where)};
      llvm::json::Array Related;
      for (const FindingNote &N : F.Notes)
        Related.push_back(physicalLocation(N.Where));
      if (!Related.empty())
        Result["relatedLocations"] = std::move(Related);
    }
    if (llvm::json::Array *Related = Result.getArray("relatedLocations"))
      for (size_t J = 0; J < Related->size() && J < F.Notes.size(); ++J) {
        llvm::json::Object &Loc = *(*Related)[J].getAsObject();
        Loc["id"] = static_cast<int64_t>(J + 1);
        Loc["message"] = textMessage(F.Notes[J].Message);
      }
  }
  llvm::json::Array Notifications;
  for (const FileFailure &F : R.Failures)
    Notifications.push_back(llvm::json::Object{
        {"level", "error"},
        {"message",
         textMessage((F.Kind == FailureKind::AnalysedWithErrors
                          ? "analysed with errors: "
                          : "file not analysed: ") +
                     F.Message)},
        {"properties", llvm::json::Object{{"location", F.Location},
                                          {"status", failureKindName(F.Kind)}}},
        {"locations",
         llvm::json::Array{llvm::json::Object{
             {"physicalLocation",
              llvm::json::Object{
                  {"artifactLocation",
                   llvm::json::Object{
                       {"uri", SarifDocumentWriter::fileNameToURI(F.File)}}}}}}}}});
  for (const SkippedFunction &S : R.Skipped) {
    llvm::json::Object Location = physicalLocation(S.Where);
    if (S.Where.Line == 0)
      Location.getObject("physicalLocation")->erase("region");
    Notifications.push_back(llvm::json::Object{
        {"level", "note"},
        {"message", textMessage(skipMessage(S))},
        {"descriptor", llvm::json::Object{{"id", SkippedId}, {"index", 0}}},
        {"associatedRule",
         llvm::json::Object{{"id", S.Check},
                            {"index", static_cast<int64_t>(
                                          RuleIndex.lookup(S.Check))}}},
        {"locations", llvm::json::Array{std::move(Location)}},
        {"properties", llvm::json::Object{{"function", S.Function},
                                          {"budget", S.Budget},
                                          {"limit", S.Limit}}}});
  }
  Driver["notifications"] = llvm::json::Array{llvm::json::Object{
      {"id", SkippedId},
      {"name", "SkippedOverBudget"},
      {"shortDescription",
       textMessage("A check skipped a function that went over one of its "
                   "analysis budgets.")},
      {"fullDescription",
       textMessage("A mapguard analysis gave up on the function because it "
                   "reached a budget (MaxBlocks, MaxBlockVisits, "
                   "MaxTrackedSlots or another limit named in the message): "
                   "the check reports nothing in it. Raise the budget in the "
                   "check's options to analyse it.")},
      {"defaultConfiguration", llvm::json::Object{{"level", "note"}}}}};
  Run["invocations"] = llvm::json::Array{llvm::json::Object{
      {"executionSuccessful", true},
      {"toolExecutionNotifications", std::move(Notifications)}}};
  Run["properties"] = llvm::json::Object{
      {"filesScanned", R.FilesScanned},
      {"filesFromCache", R.FilesFromCache},
      {"findingsHiddenByBaseline", R.FindingsHiddenByBaseline}};
  if (!Options.SourceRoot.empty()) {
    std::string RootURI = SarifDocumentWriter::fileNameToURI(
        llvm::StringRef(Options.SourceRoot).rtrim("/"));
    RootURI += '/';
    Run["originalUriBaseIds"] = llvm::json::Object{
        {"%SRCROOT%", llvm::json::Object{{"uri", RootURI}}}};
    for (const char *Key : {"artifacts", "results", "invocations"})
      if (llvm::json::Value *Part = Run.get(Key))
        relativizeURIs(*Part, RootURI);
  }
  return Doc;
}

namespace {

/// What a run's originalUriBaseIds map their ids to ("%SRCROOT%" ->
/// "file:///src/").
using BaseIds = llvm::StringMap<std::string>;

BaseIds baseIdsOf(const llvm::json::Object &Run) {
  BaseIds Bases;
  if (const llvm::json::Object *O = Run.getObject("originalUriBaseIds"))
    for (const auto &KV : *O)
      if (const llvm::json::Object *Base = KV.second.getAsObject())
        if (std::optional<llvm::StringRef> URI = Base->getString("uri"))
          Bases[KV.first.str()] = URI->str();
  return Bases;
}

/// The file name of an artifactLocation object.
std::string fileOfArtifact(const llvm::json::Object &Art,
                           const BaseIds &Bases) {
  std::string URI = Art.getString("uri").value_or("").str();
  if (std::optional<llvm::StringRef> Base = Art.getString("uriBaseId")) {
    auto It = Bases.find(*Base);
    if (It != Bases.end())
      URI = It->second + URI;
  }
  return fileNameOfURI(URI);
}

/// A line or column of a SARIF region: absent is \p Default, anything but a
/// positive integer that fits is a problem.
unsigned regionNumber(const llvm::json::Object &Region, llvm::StringRef Key,
                      unsigned Default, std::string &Problem) {
  const llvm::json::Value *V = Region.get(Key);
  if (!V)
    return Default;
  std::optional<int64_t> I = V->getAsInteger();
  if (!I || *I < 1 || *I > int64_t(UINT32_MAX)) {
    if (Problem.empty())
      Problem = ("region." + Key + " is not a positive integer").str();
    return Default;
  }
  return static_cast<unsigned>(*I);
}

/// The position of a SARIF location object; uses the run's artifacts when
/// the location refers to one by index. A malformed line or column is
/// reported in \p Problem.
SourcePosition positionFromSarif(const llvm::json::Value *Location,
                                 const llvm::json::Array *Artifacts,
                                 const BaseIds &Bases, std::string &Problem) {
  SourcePosition P;
  const llvm::json::Object *O = Location ? Location->getAsObject() : nullptr;
  const llvm::json::Object *Phys =
      O ? O->getObject("physicalLocation") : nullptr;
  if (!Phys)
    return P;
  if (const llvm::json::Object *Art = Phys->getObject("artifactLocation")) {
    if (Art->getString("uri"))
      P.File = fileOfArtifact(*Art, Bases);
    else if (auto Index = Art->getInteger("index");
             Index && *Index >= 0 && Artifacts &&
             static_cast<size_t>(*Index) < Artifacts->size())
      if (const llvm::json::Object *A = (*Artifacts)[*Index].getAsObject())
        if (const llvm::json::Object *L = A->getObject("location"))
          P.File = fileOfArtifact(*L, Bases);
  }
  if (const llvm::json::Object *Region = Phys->getObject("region")) {
    P.Line = regionNumber(*Region, "startLine", 0, Problem);
    P.Column = regionNumber(*Region, "startColumn", 1, Problem);
  }
  return P;
}

std::string messageText(const llvm::json::Object *O) {
  const llvm::json::Object *M = O ? O->getObject("message") : nullptr;
  return M ? M->getString("text").value_or("").str() : "";
}

/// Whether a tool execution notification is a skipped function (else it is
/// a file that failed).
bool isSkipNotification(const llvm::json::Object *Notification) {
  const llvm::json::Object *D =
      Notification ? Notification->getObject("descriptor") : nullptr;
  return D && D->getString("id") == SkippedId;
}

/// The skipped function of a notification written by toSarif(); nullopt,
/// with \p Problem saying why, when a part is missing.
std::optional<SkippedFunction>
skipFromSarif(const llvm::json::Object &Notification,
              const llvm::json::Array *Locs, const llvm::json::Array *Artifacts,
              const BaseIds &Bases, std::string &Problem) {
  SkippedFunction S;
  const llvm::json::Object *Rule = Notification.getObject("associatedRule");
  const llvm::json::Object *Props = Notification.getObject("properties");
  std::optional<llvm::StringRef> Check =
      Rule ? Rule->getString("id") : std::nullopt;
  std::optional<llvm::StringRef> Function =
      Props ? Props->getString("function") : std::nullopt;
  std::optional<llvm::StringRef> Budget =
      Props ? Props->getString("budget") : std::nullopt;
  std::optional<int64_t> Limit =
      Props ? Props->getInteger("limit") : std::nullopt;
  if (!Check || !Function || !Budget || !Limit || *Limit < 0 ||
      *Limit > int64_t(UINT32_MAX)) {
    if (Problem.empty())
      Problem = "a skipped function needs associatedRule.id and the "
                "properties function, budget and limit";
    return std::nullopt;
  }
  S.Check = Check->str();
  S.Function = Function->str();
  S.Budget = Budget->str();
  S.Limit = static_cast<unsigned>(*Limit);
  S.Where = positionFromSarif(Locs && !Locs->empty() ? &Locs->front()
                                                     : nullptr,
                              Artifacts, Bases, Problem);
  if (!Problem.empty())
    return std::nullopt;
  return S;
}

} // namespace

llvm::Expected<ScanResult> parseSarif(llvm::StringRef Text) {
  llvm::Expected<llvm::json::Value> V = parseJSONInput(Text);
  if (!V)
    return V.takeError();
  return sarifFromJSON(*V);
}

llvm::Expected<ScanResult> sarifFromJSON(const llvm::json::Value &Log) {
  std::string Problem;
  const llvm::json::Object *Doc = Log.getAsObject();
  const llvm::json::Array *Runs = Doc ? Doc->getArray("runs") : nullptr;
  if (!Runs)
    return llvm::createStringError("not a SARIF log: no \"runs\" array");
  ScanResult R;
  size_t RunIndex = 0;
  for (const llvm::json::Value &RunV : *Runs) {
    ++RunIndex;
    const llvm::json::Object *Run = RunV.getAsObject();
    if (!Run)
      continue;
    const llvm::json::Array *Artifacts = Run->getArray("artifacts");
    BaseIds Bases = baseIdsOf(*Run);
    if (const llvm::json::Object *Props = Run->getObject("properties"))
      for (auto [Key, Count] :
           {std::pair{"filesScanned", &R.FilesScanned},
            std::pair{"filesFromCache", &R.FilesFromCache},
            std::pair{"findingsHiddenByBaseline",
                      &R.FindingsHiddenByBaseline}}) {
        const llvm::json::Value *Field = Props->get(Key);
        if (!Field)
          continue;
        std::optional<int64_t> N = Field->getAsInteger();
        if (!N || *N < 0 || *N > int64_t(UINT32_MAX))
          return llvm::createStringError(
              "run %zu: properties.%s is not a non-negative integer",
              RunIndex, Key);
        *Count += static_cast<unsigned>(*N);
      }
    if (const llvm::json::Array *Results = Run->getArray("results"))
      for (const llvm::json::Value &ResV : *Results) {
        const llvm::json::Object *Res = ResV.getAsObject();
        if (!Res)
          continue;
        Finding F;
        std::optional<llvm::StringRef> RuleId = Res->getString("ruleId");
        if (!RuleId || RuleId->empty())
          return llvm::createStringError(
              "result %zu of run %zu has no \"ruleId\" string",
              R.Findings.size() + 1, RunIndex);
        F.Check = RuleId->str();
        F.Message = messageText(Res);
        if (const llvm::json::Object *Props = Res->getObject("properties"))
          if (std::optional<llvm::StringRef> Plain =
                  Props->getString("mapguardMessage"))
            F.Message = Plain->str();
        F.Severity = Res->getString("level").value_or("warning") == "error"
                         ? "error"
                         : "warning";
        const llvm::json::Array *Locs = Res->getArray("locations");
        F.Where = positionFromSarif(Locs && !Locs->empty() ? &Locs->front()
                                                           : nullptr,
                                    Artifacts, Bases, Problem);
        if (const llvm::json::Array *Related = Res->getArray("relatedLocations"))
          for (const llvm::json::Value &L : *Related)
            F.Notes.push_back({positionFromSarif(&L, Artifacts, Bases, Problem),
                               messageText(L.getAsObject()),
                               {}});
        if (const llvm::json::Object *Prints =
                Res->getObject("partialFingerprints"))
          F.Fingerprint = Prints->getString(FingerprintKey).value_or("").str();
        if (!Problem.empty())
          return llvm::createStringError("result %zu of run %zu: %s",
                                         R.Findings.size() + 1, RunIndex,
                                         Problem.c_str());
        R.Findings.push_back(std::move(F));
      }
    if (const llvm::json::Array *Invocations = Run->getArray("invocations"))
      for (const llvm::json::Value &Inv : *Invocations)
        if (const llvm::json::Object *InvO = Inv.getAsObject())
          if (const llvm::json::Array *Notes =
                  InvO->getArray("toolExecutionNotifications"))
            for (const llvm::json::Value &N : *Notes) {
              const llvm::json::Object *NO = N.getAsObject();
              const llvm::json::Array *Locs =
                  NO ? NO->getArray("locations") : nullptr;
              if (isSkipNotification(NO)) {
                std::optional<SkippedFunction> S = skipFromSarif(
                    *NO, Locs, Artifacts, Bases, Problem);
                if (!S)
                  return llvm::createStringError(
                      "notification of run %zu: %s", RunIndex,
                      Problem.c_str());
                R.Skipped.push_back(std::move(*S));
                continue;
              }
              FileFailure Failure;
              Failure.File =
                  positionFromSarif(Locs && !Locs->empty() ? &Locs->front()
                                                           : nullptr,
                                    Artifacts, Bases, Problem)
                      .File;
              Failure.Message = messageText(NO);
              if (const llvm::json::Object *Props =
                      NO ? NO->getObject("properties") : nullptr) {
                Failure.Location =
                    Props->getString("location").value_or("").str();
                // Absent in the notifications of other tools.
                if (const llvm::json::Value *Status = Props->get("status")) {
                  std::optional<llvm::StringRef> Name = Status->getAsString();
                  if (!Name)
                    return llvm::createStringError(
                        "notification of run %zu: properties.status is not "
                        "a string",
                        RunIndex);
                  std::optional<FailureKind> Kind = failureKindFromName(*Name);
                  if (!Kind)
                    return llvm::createStringError(
                        "notification of run %zu: %s", RunIndex,
                        unknownStatusMessage(*Name, "properties.status")
                            .c_str());
                  Failure.Kind = *Kind;
                }
              }
              llvm::StringRef Message(Failure.Message);
              if (Message.consume_front("file not analysed: ") ||
                  Message.consume_front("analysed with errors: "))
                Failure.Message = Message.str();
              if (!Problem.empty())
                return llvm::createStringError(
                    "notification of run %zu: %s", RunIndex, Problem.c_str());
              R.Failures.push_back(std::move(Failure));
            }
  }
  return R;
}

llvm::Expected<ScanResult> parseReport(llvm::StringRef Text) {
  llvm::Expected<llvm::json::Value> V = parseJSONInput(Text);
  if (!V)
    return V.takeError();
  const llvm::json::Object *O = V->getAsObject();
  if (O && O->get("runs"))
    return sarifFromJSON(*V);
  return scanResultFromJSON(*V);
}

void writeReport(const ScanResult &R, OutputFormat Format,
                 llvm::ArrayRef<RuleInfo> Rules, llvm::raw_ostream &OS,
                 const SarifOptions &Sarif) {
  switch (Format) {
  case OutputFormat::Text:
    writeText(R, OS);
    return;
  case OutputFormat::JSON:
    OS << llvm::formatv("{0:2}\n", toJSON(R));
    return;
  case OutputFormat::SARIF:
    OS << llvm::formatv("{0:2}\n", toSarif(R, Rules, Sarif));
    return;
  }
}

} // namespace clang::tidy::mapguard
