//===--- Output.cpp - text, JSON and SARIF reports ------------------------===//

#include "Output.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/Sarif.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
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

void writeText(const ScanResult &R, llvm::raw_ostream &OS) {
  for (const Finding &F : R.Findings) {
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
  for (const FileFailure &F : R.Failures)
    OS << (F.Location.empty() ? F.File : F.Location) << ": error: "
       << F.Message << " [file not analysed]\n";
}

namespace {

constexpr llvm::StringRef FingerprintKey = "mapguardFingerprint/v1";

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

} // namespace

llvm::json::Value toSarif(const ScanResult &R, llvm::ArrayRef<RuleInfo> Rules) {
  RangeMaker Ranges;
  SarifDocumentWriter Writer(Ranges.sourceManager());
  Writer.createRun("mapguard", "mapguard (map-misuse checks for C++)",
                   mapguardVersion());

  std::vector<RuleInfo> AllRules(Rules.begin(), Rules.end());
  llvm::StringMap<size_t> RuleIndex;
  auto AddRule = [&](const RuleInfo &Rule) {
    RuleIndex[Rule.Name] = Writer.createRule(SarifRule::create()
                                                 .setRuleId(Rule.Name)
                                                 .setName(Rule.Name)
                                                 .setDescription(
                                                     Rule.ShortDescription));
  };
  for (const RuleInfo &Rule : Rules)
    AddRule(Rule);
  for (const Finding &F : R.Findings)
    if (!RuleIndex.count(F.Check)) {
      AllRules.push_back({F.Check, "mapguard check " + F.Check, ""});
      AddRule(AllRules.back());
    }

  // Whether each finding's primary location went through the writer; the
  // others get a location written by hand below.
  std::vector<bool> HasRange;
  for (const Finding &F : R.Findings) {
    SarifResult Result =
        SarifResult::create(RuleIndex[F.Check])
            .setRuleId(F.Check)
            .setDiagnosticMessage(F.Message)
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
  Driver["informationUri"] = "https://github.com/mapguard/mapguard";
  if (llvm::json::Array *RuleArray = Driver.getArray("rules")) {
    for (size_t I = 0; I < RuleArray->size() && I < AllRules.size(); ++I) {
      llvm::json::Object &Rule = *(*RuleArray)[I].getAsObject();
      const RuleInfo &Info = AllRules[I];
      Rule["shortDescription"] = textMessage(Info.ShortDescription);
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
        Loc["id"] = static_cast<int64_t>(J);
        Loc["message"] = textMessage(F.Notes[J].Message);
      }
  }
  llvm::json::Array Notifications;
  for (const FileFailure &F : R.Failures)
    Notifications.push_back(llvm::json::Object{
        {"level", "error"},
        {"message", textMessage("file not analysed: " + F.Message)},
        {"properties", llvm::json::Object{{"location", F.Location}}},
        {"locations",
         llvm::json::Array{llvm::json::Object{
             {"physicalLocation",
              llvm::json::Object{
                  {"artifactLocation",
                   llvm::json::Object{
                       {"uri", SarifDocumentWriter::fileNameToURI(F.File)}}}}}}}}});
  Run["invocations"] = llvm::json::Array{llvm::json::Object{
      {"executionSuccessful", true},
      {"toolExecutionNotifications", std::move(Notifications)}}};
  Run["properties"] = llvm::json::Object{
      {"filesScanned", R.FilesScanned},
      {"filesFromCache", R.FilesFromCache},
      {"findingsHiddenByBaseline", R.FindingsHiddenByBaseline}};
  return Doc;
}

namespace {

/// "file:///a%20b/c.cpp" -> "/a b/c.cpp".
std::string uriToFileName(llvm::StringRef URI) {
  URI.consume_front("file://");
  std::string Out;
  for (size_t I = 0; I < URI.size(); ++I) {
    unsigned Byte;
    if (URI[I] == '%' && I + 2 < URI.size() &&
        !URI.substr(I + 1, 2).getAsInteger(16, Byte)) {
      Out += static_cast<char>(Byte);
      I += 2;
    } else {
      Out += URI[I];
    }
  }
  return Out;
}

/// The position of a SARIF location object; uses the run's artifacts when
/// the location refers to one by index.
SourcePosition positionFromSarif(const llvm::json::Value *Location,
                                 const llvm::json::Array *Artifacts) {
  SourcePosition P;
  const llvm::json::Object *O = Location ? Location->getAsObject() : nullptr;
  const llvm::json::Object *Phys =
      O ? O->getObject("physicalLocation") : nullptr;
  if (!Phys)
    return P;
  if (const llvm::json::Object *Art = Phys->getObject("artifactLocation")) {
    if (auto URI = Art->getString("uri"))
      P.File = uriToFileName(*URI);
    else if (auto Index = Art->getInteger("index");
             Index && Artifacts && static_cast<size_t>(*Index) < Artifacts->size())
      if (const llvm::json::Object *A = (*Artifacts)[*Index].getAsObject())
        if (const llvm::json::Object *L = A->getObject("location"))
          P.File = uriToFileName(L->getString("uri").value_or(""));
  }
  if (const llvm::json::Object *Region = Phys->getObject("region")) {
    P.Line = Region->getInteger("startLine").value_or(0);
    P.Column = Region->getInteger("startColumn").value_or(1);
  }
  return P;
}

std::string messageText(const llvm::json::Object *O) {
  const llvm::json::Object *M = O ? O->getObject("message") : nullptr;
  return M ? M->getString("text").value_or("").str() : "";
}

} // namespace

llvm::Expected<ScanResult> parseSarif(llvm::StringRef Text) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  if (!V)
    return V.takeError();
  const llvm::json::Object *Doc = V->getAsObject();
  const llvm::json::Array *Runs = Doc ? Doc->getArray("runs") : nullptr;
  if (!Runs)
    return llvm::createStringError("not a SARIF log: no \"runs\" array");
  ScanResult R;
  for (const llvm::json::Value &RunV : *Runs) {
    const llvm::json::Object *Run = RunV.getAsObject();
    if (!Run)
      continue;
    const llvm::json::Array *Artifacts = Run->getArray("artifacts");
    if (const llvm::json::Object *Props = Run->getObject("properties")) {
      R.FilesScanned += Props->getInteger("filesScanned").value_or(0);
      R.FilesFromCache += Props->getInteger("filesFromCache").value_or(0);
      R.FindingsHiddenByBaseline +=
          Props->getInteger("findingsHiddenByBaseline").value_or(0);
    }
    if (const llvm::json::Array *Results = Run->getArray("results"))
      for (const llvm::json::Value &ResV : *Results) {
        const llvm::json::Object *Res = ResV.getAsObject();
        if (!Res)
          continue;
        Finding F;
        F.Check = Res->getString("ruleId").value_or("").str();
        F.Message = messageText(Res);
        F.Severity = Res->getString("level").value_or("warning") == "error"
                         ? "error"
                         : "warning";
        const llvm::json::Array *Locs = Res->getArray("locations");
        F.Where = positionFromSarif(Locs && !Locs->empty() ? &Locs->front()
                                                           : nullptr,
                                    Artifacts);
        if (const llvm::json::Array *Related = Res->getArray("relatedLocations"))
          for (const llvm::json::Value &L : *Related)
            F.Notes.push_back({positionFromSarif(&L, Artifacts),
                               messageText(L.getAsObject())});
        if (const llvm::json::Object *Prints =
                Res->getObject("partialFingerprints"))
          F.Fingerprint = Prints->getString(FingerprintKey).value_or("").str();
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
              FileFailure Failure;
              Failure.File =
                  positionFromSarif(Locs && !Locs->empty() ? &Locs->front()
                                                           : nullptr,
                                    Artifacts)
                      .File;
              Failure.Message = messageText(NO);
              if (const llvm::json::Object *Props =
                      NO ? NO->getObject("properties") : nullptr)
                Failure.Location =
                    Props->getString("location").value_or("").str();
              if (llvm::StringRef(Failure.Message)
                      .starts_with("file not analysed: "))
                Failure.Message = Failure.Message.substr(19);
              R.Failures.push_back(std::move(Failure));
            }
  }
  return R;
}

llvm::Expected<ScanResult> parseReport(llvm::StringRef Text) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  if (!V)
    return V.takeError();
  const llvm::json::Object *O = V->getAsObject();
  if (O && O->get("runs"))
    return parseSarif(Text);
  return parseScanResult(Text);
}

void writeReport(const ScanResult &R, OutputFormat Format,
                 llvm::ArrayRef<RuleInfo> Rules, llvm::raw_ostream &OS) {
  switch (Format) {
  case OutputFormat::Text:
    writeText(R, OS);
    return;
  case OutputFormat::JSON:
    OS << llvm::formatv("{0:2}\n", toJSON(R));
    return;
  case OutputFormat::SARIF:
    OS << llvm::formatv("{0:2}\n", toSarif(R, Rules));
    return;
  }
}

} // namespace clang::tidy::mapguard
