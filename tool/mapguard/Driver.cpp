//===--- Driver.cpp - the mapguard command line ---------------------------===//
//
//   mapguard scan [-p BUILD_DIR | --compile-commands FILE] [PATH...]
//   mapguard merge [--format F] [--output FILE] REPORT...
//   mapguard list-checks
//   mapguard explain CHECK
//   mapguard confirm [-p BUILD_DIR] SOURCES... [-- PROGRAM ARGS]
//
// Exit status: 0 nothing found, 1 findings (or files not analysed), 2 a usage,
// configuration or compile-database error, reported in one line. For confirm:
// 0 no runtime-only event, 1 runtime-only events, 2 an error.
//
//===----------------------------------------------------------------------===//

#include "Baseline.h"
#include "ConfirmRun.h"
#include "Output.h"
#include "Scanner.h"
#include "Shard.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;
using namespace clang::tidy::mapguard;

// Referenced so that the linker keeps the module's registration.
extern volatile int MapGuardModuleAnchorSource;
static int LLVM_ATTRIBUTE_UNUSED MapGuardModuleAnchorDestination =
    MapGuardModuleAnchorSource;

namespace {

enum ExitCode { ExitClean = 0, ExitFindings = 1, ExitUsage = 2 };

cl::SubCommand ScanCmd("scan", "Run the mapguard checks over a compile database");
cl::SubCommand MergeCmd("merge", "Join the JSON or SARIF reports of shards");
cl::SubCommand ListCmd("list-checks", "List the mapguard checks");
cl::SubCommand ExplainCmd("explain", "Print the documentation of a check");
cl::SubCommand ConfirmCmd(
    "confirm",
    "Scan sources, run the program under the shim, and match findings with "
    "runtime events");

cl::OptionCategory ScanCategory("scan options");
cl::OptionCategory OutputCategory("output options");
cl::OptionCategory ConfirmCategory("confirm options");

cl::opt<std::string> BuildDir(
    "p", cl::desc("Build directory holding compile_commands.json"),
    cl::value_desc("dir"), cl::sub(ScanCmd), cl::sub(ConfirmCmd),
    cl::cat(ScanCategory));
cl::opt<std::string> CompileCommands(
    "compile-commands", cl::desc("The compile_commands.json to use"),
    cl::value_desc("file"), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::list<std::string> ScanPaths(cl::Positional,
                                cl::desc("[files or directories...]"),
                                cl::sub(ScanCmd));
cl::opt<unsigned> Jobs("j", cl::desc("Parallel jobs (default: one per core)"),
                       cl::init(0), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<std::string> Checks(
    "checks",
    cl::desc("Check globs applied after the .clang-tidy files, e.g. "
             "'-*,mapguard-miss-default-use'"),
    cl::sub(ScanCmd), cl::sub(ConfirmCmd), cl::cat(ScanCategory));
cl::opt<std::string>
    Config("config",
           cl::desc("YAML configuration used instead of the .clang-tidy "
                    "files, e.g. \"{CheckOptions: {...}}\""),
           cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<std::string> BaselineIn("baseline",
                                cl::desc("Hide the findings recorded in FILE"),
                                cl::value_desc("file"), cl::sub(ScanCmd),
                                cl::cat(ScanCategory));
cl::opt<std::string> BaselineOut(
    "write-baseline", cl::desc("Record this scan's findings in FILE"),
    cl::value_desc("file"), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<std::string> Shard("shard",
                           cl::desc("Scan only slice I of N (1-based): I/N"),
                           cl::value_desc("I/N"), cl::sub(ScanCmd),
                           cl::cat(ScanCategory));
cl::opt<std::string>
    CacheDir("cache-dir",
             cl::desc("Result cache directory (default: "
                      "<build dir>/.mapguard-cache)"),
             cl::value_desc("dir"), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<bool> NoCache("no-cache", cl::desc("Do not use the result cache"),
                      cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<ProgressStyle> Progress(
    "progress", cl::desc("Progress on stderr"), cl::init(ProgressStyle::Auto),
    cl::values(clEnumValN(ProgressStyle::Auto, "auto",
                          "a bar on a terminal, lines otherwise"),
               clEnumValN(ProgressStyle::Bar, "bar", "a progress bar"),
               clEnumValN(ProgressStyle::Lines, "lines", "one line per file"),
               clEnumValN(ProgressStyle::None, "none", "nothing")),
    cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<bool> Quiet("quiet", cl::desc("No progress and no summary"),
                    cl::sub(ScanCmd), cl::sub(MergeCmd),
                    cl::cat(OutputCategory));

cl::opt<std::string> Format("format",
                            cl::desc("Output format: text, json or sarif"),
                            cl::init("text"), cl::sub(ScanCmd),
                            cl::sub(MergeCmd), cl::sub(ConfirmCmd),
                            cl::cat(OutputCategory));
cl::opt<std::string> Output("output",
                            cl::desc("Write the report to FILE, not stdout"),
                            cl::value_desc("file"), cl::sub(ScanCmd),
                            cl::sub(MergeCmd), cl::sub(ConfirmCmd),
                            cl::cat(OutputCategory));
cl::alias OutputShort("o", cl::aliasopt(Output), cl::desc("Alias for --output"));

cl::list<std::string> MergeInputs(cl::Positional,
                                  cl::desc("<report.json|report.sarif>..."),
                                  cl::sub(MergeCmd));
cl::opt<std::string> ExplainCheck(cl::Positional, cl::desc("<check>"),
                                  cl::sub(ExplainCmd));

cl::list<std::string> ConfirmSources(cl::Positional,
                                     cl::desc("<source>... [-- <args>...]"),
                                     cl::sub(ConfirmCmd));
cl::opt<std::string> ConfirmProgram(
    "program",
    cl::desc("Run this executable (built from the sources against the shim) "
             "instead of building the sources"),
    cl::value_desc("file"), cl::sub(ConfirmCmd), cl::cat(ConfirmCategory));
cl::opt<std::string> ConfirmCompiler(
    "cxx", cl::desc("C++ compiler for the program (default: the one mapguard "
                    "was configured with)"),
    cl::value_desc("compiler"), cl::sub(ConfirmCmd), cl::cat(ConfirmCategory));
cl::opt<unsigned> ConfirmTimeout(
    "timeout", cl::desc("Seconds the program may run (default 60)"),
    cl::init(60), cl::sub(ConfirmCmd), cl::cat(ConfirmCategory));
cl::opt<std::string> ConfirmWorkDir(
    "work-dir",
    cl::desc("Build and run in DIR and keep its files (events.jsonl, "
             "program.log, compile.log)"),
    cl::value_desc("dir"), cl::sub(ConfirmCmd), cl::cat(ConfirmCategory));
cl::opt<bool> ConfirmNoCoverage(
    "no-coverage",
    cl::desc("Do not build with gcov coverage (static-only findings are then "
             "not told apart as not executed / not reproduced)"),
    cl::sub(ConfirmCmd), cl::cat(ConfirmCategory));

/// The program's arguments: what follows `--` on confirm's command line.
std::vector<std::string> ConfirmProgramArgs;

[[noreturn]] void usageError(const Twine &Message) {
  WithColor::error(errs(), "mapguard") << Message << '\n';
  std::exit(ExitUsage);
}

/// The first line of a (possibly multi-line) message, trimmed.
std::string firstLine(StringRef Message) {
  return Message.trim().split('\n').first.trim().str();
}

// --- Documentation -----------------------------------------------------------

/// Directories that may hold docs/checks/<name>.md: the source tree this
/// binary was built from, then the installed share/ directory.
std::vector<std::string> docDirectories(const char *Argv0) {
  std::vector<std::string> Dirs;
#ifdef MAPGUARD_SOURCE_DOCS_DIR
  Dirs.push_back(MAPGUARD_SOURCE_DOCS_DIR);
#endif
  std::string Exe = sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&docDirectories));
  SmallString<256> Share(sys::path::parent_path(sys::path::parent_path(Exe)));
  sys::path::append(Share, "share", "mapguard", "docs", "checks");
  Dirs.push_back(std::string(Share));
  return Dirs;
}

std::optional<std::string> readCheckDoc(StringRef Check, const char *Argv0) {
  for (const std::string &Dir : docDirectories(Argv0)) {
    SmallString<256> Path(Dir);
    sys::path::append(Path, Check.drop_front(StringRef("mapguard-").size()) +
                                ".md");
    if (auto Buffer = MemoryBuffer::getFile(Path))
      return (*Buffer)->getBuffer().str();
    // Accept the full check name as the file name too.
    Path = Dir;
    sys::path::append(Path, Check + ".md");
    if (auto Buffer = MemoryBuffer::getFile(Path))
      return (*Buffer)->getBuffer().str();
  }
  return std::nullopt;
}

/// The first paragraph of a doc page that is not a heading.
std::string summaryOf(StringRef Doc) {
  std::string Summary;
  SmallVector<StringRef> Lines;
  Doc.split(Lines, '\n');
  for (StringRef Line : Lines) {
    Line = Line.trim();
    if (Line.starts_with("#") || Line.starts_with("```") ||
        Line.starts_with("=") || Line.starts_with("-")) {
      if (!Summary.empty())
        break;
      continue;
    }
    if (Line.empty()) {
      if (!Summary.empty())
        break;
      continue;
    }
    if (!Summary.empty())
      Summary += ' ';
    Summary += Line.str();
  }
  return Summary;
}

std::vector<RuleInfo> ruleInfos(const char *Argv0) {
  std::vector<RuleInfo> Rules;
  for (const std::string &Check : registeredChecks()) {
    RuleInfo Rule{Check, "mapguard check " + Check, ""};
    if (std::optional<std::string> Doc = readCheckDoc(Check, Argv0)) {
      Rule.HelpMarkdown = *Doc;
      std::string Summary = summaryOf(*Doc);
      if (!Summary.empty())
        Rule.ShortDescription = Summary;
    }
    Rules.push_back(std::move(Rule));
  }
  return Rules;
}

// --- Reports -------------------------------------------------------------------

int exitCodeFor(const ScanResult &R) {
  return R.Findings.empty() && R.Failures.empty() ? ExitClean : ExitFindings;
}

void writeSummary(const ScanResult &R) {
  if (Quiet)
    return;
  errs() << "mapguard: " << R.Findings.size()
         << (R.Findings.size() == 1 ? " finding" : " findings") << " in "
         << R.FilesScanned << (R.FilesScanned == 1 ? " file" : " files");
  if (R.FilesFromCache)
    errs() << ", " << R.FilesFromCache << " from cache";
  if (!R.Failures.empty())
    errs() << ", " << R.Failures.size() << " not analysed";
  if (R.FindingsHiddenByBaseline)
    errs() << ", " << R.FindingsHiddenByBaseline << " hidden by the baseline";
  errs() << '\n';
}

/// Where the report goes: --output (opened before the scan, so that a bad
/// path fails fast) or stdout.
class ReportSink {
public:
  ReportSink() {
    if (Output.empty())
      return;
    std::error_code EC;
    File = std::make_unique<ToolOutputFile>(Output, EC, sys::fs::OF_Text);
    if (EC)
      usageError("cannot write '" + Output + "': " + EC.message());
  }

  void write(const ScanResult &R, OutputFormat Fmt, const char *Argv0) {
    std::vector<RuleInfo> Rules;
    if (Fmt == OutputFormat::SARIF)
      Rules = ruleInfos(Argv0);
    raw_ostream &OS = File ? File->os() : outs();
    writeReport(R, Fmt, Rules, OS);
    OS.flush();
    if (File)
      File->keep();
  }

private:
  std::unique_ptr<ToolOutputFile> File;
};

OutputFormat outputFormat() {
  Expected<OutputFormat> Fmt = parseOutputFormat(Format);
  if (!Fmt)
    usageError(toString(Fmt.takeError()));
  return *Fmt;
}

// --- Subcommands -------------------------------------------------------------

std::string normalizedAbsolute(StringRef Path) {
  SmallString<256> P(Path);
  sys::fs::make_absolute(P);
  sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

/// The files of the database, limited to \p Paths (files or directories).
std::vector<std::string> selectFiles(const clang::tooling::CompilationDatabase &DB,
                                     ArrayRef<std::string> Paths) {
  std::vector<std::string> All;
  for (const std::string &F : DB.getAllFiles())
    All.push_back(normalizedAbsolute(F));
  if (Paths.empty())
    return All;
  std::vector<std::string> Selected;
  for (const std::string &Path : Paths) {
    if (!sys::fs::exists(Path))
      usageError("no such file or directory: '" + Path + "'");
    std::string Abs = normalizedAbsolute(Path);
    SmallString<256> Real;
    if (!sys::fs::real_path(Abs, Real))
      Abs = std::string(Real);
    size_t Before = Selected.size();
    for (const std::string &F : All) {
      StringRef File(F);
      if (File == Abs || (File.starts_with(Abs) &&
                          sys::path::is_separator(File[Abs.size()])))
        Selected.push_back(F);
    }
    if (Selected.size() == Before)
      usageError("'" + Path + "' has no entry in the compile database");
  }
  return Selected;
}

/// The analysis's identity for the result cache: the version, the checks
/// linked in, and this build of the binary (size and mtime), so that a
/// rebuilt check never reuses results of its previous build.
std::string toolIdentity(const char *Argv0) {
  std::string Identity = mapguardVersion().str();
  for (const std::string &Check : registeredChecks())
    Identity += ";" + Check;
  std::string Exe = sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&toolIdentity));
  sys::fs::file_status Status;
  if (!sys::fs::status(Exe, Status))
    Identity += ";" + std::to_string(Status.getSize()) + ";" +
                std::to_string(Status.getLastModificationTime()
                                   .time_since_epoch()
                                   .count());
  return Identity;
}

int runScan(const char *Argv0) {
  if (!BuildDir.empty() && !CompileCommands.empty())
    usageError("-p and --compile-commands are mutually exclusive");
  std::string DBError;
  std::unique_ptr<clang::tooling::CompilationDatabase> DB;
  std::string DBDir;
  if (!CompileCommands.empty()) {
    if (!sys::fs::exists(CompileCommands))
      usageError("compile database '" + CompileCommands + "' does not exist");
    DB = clang::tooling::JSONCompilationDatabase::loadFromFile(
        CompileCommands, DBError, clang::tooling::JSONCommandLineSyntax::AutoDetect);
    DBDir = sys::path::parent_path(normalizedAbsolute(CompileCommands)).str();
  } else {
    std::string Dir = BuildDir.empty() ? std::string(".") : BuildDir.getValue();
    if (!sys::fs::is_directory(Dir))
      usageError("build directory '" + Dir + "' does not exist");
    SmallString<256> File(Dir);
    sys::path::append(File, "compile_commands.json");
    if (!sys::fs::exists(File))
      usageError("no compile_commands.json in '" + Dir +
                 "' (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or "
                 "pass --compile-commands FILE)");
    DB = clang::tooling::JSONCompilationDatabase::loadFromFile(
        File, DBError, clang::tooling::JSONCommandLineSyntax::AutoDetect);
    DBDir = normalizedAbsolute(Dir);
  }
  if (!DB)
    usageError("cannot load the compile database: " + firstLine(DBError));

  std::vector<std::string> Files = selectFiles(*DB, ScanPaths);
  if (!Shard.empty()) {
    Expected<ShardSpec> S = parseShard(Shard);
    if (!S)
      usageError(toString(S.takeError()));
    Files = selectShard(std::move(Files), *S);
  } else {
    Files = selectShard(std::move(Files), ShardSpec());
  }
  OutputFormat Fmt = outputFormat();

  std::optional<Baseline> Accepted;
  if (!BaselineIn.empty()) {
    Expected<Baseline> B = Baseline::load(BaselineIn);
    if (!B)
      usageError(firstLine(toString(B.takeError())));
    Accepted = std::move(*B);
  }

  ScanOptions Options;
  if (Checks.getNumOccurrences())
    Options.Checks = Checks;
  if (Config.getNumOccurrences())
    Options.Config = Config;
  Options.Jobs = Jobs;
  Options.ToolIdentity = toolIdentity(Argv0);
  if (!NoCache) {
    SmallString<256> Dir(CacheDir.empty() ? DBDir : CacheDir);
    if (CacheDir.empty())
      sys::path::append(Dir, ".mapguard-cache");
    Options.CacheDir = std::string(Dir);
  }
#ifdef MAPGUARD_CLANG_RESOURCE_DIR
  if (sys::fs::is_directory(MAPGUARD_CLANG_RESOURCE_DIR))
    Options.ResourceDir = MAPGUARD_CLANG_RESOURCE_DIR;
#endif
  Expected<std::unique_ptr<Scanner>> S =
      Scanner::create(std::move(DB), std::move(Options));
  if (!S)
    usageError(toString(S.takeError()));

  ReportSink Sink;
  ProgressReporter Reporter(errs(), Quiet ? ProgressStyle::None : Progress,
                            Files.size());
  ScanResult R = (*S)->run(Files, Reporter);
  computeFingerprints(R.Findings);
  if (!BaselineOut.empty())
    if (Error E = Baseline::write(BaselineOut, R.Findings))
      usageError(toString(std::move(E)));
  if (Accepted)
    R.FindingsHiddenByBaseline = Accepted->filter(R.Findings);
  Sink.write(R, Fmt, Argv0);
  writeSummary(R);
  return exitCodeFor(R);
}

int runMerge(const char *Argv0) {
  if (MergeInputs.empty())
    usageError("merge needs at least one report");
  OutputFormat Fmt = outputFormat();
  ScanResult Merged;
  for (const std::string &Input : MergeInputs) {
    auto Buffer = MemoryBuffer::getFile(Input);
    if (!Buffer)
      usageError("cannot read '" + Input + "': " +
                 Buffer.getError().message());
    Expected<ScanResult> R = parseReport((*Buffer)->getBuffer());
    if (!R)
      usageError("invalid report '" + Input +
                 "': " + firstLine(toString(R.takeError())));
    Merged.FilesScanned += R->FilesScanned;
    Merged.FilesFromCache += R->FilesFromCache;
    Merged.FindingsHiddenByBaseline += R->FindingsHiddenByBaseline;
    llvm::append_range(Merged.Findings, R->Findings);
    llvm::append_range(Merged.Failures, R->Failures);
  }
  Merged.normalize();
  ReportSink().write(Merged, Fmt, Argv0);
  writeSummary(Merged);
  return exitCodeFor(Merged);
}

[[noreturn]] void confirmError(const Twine &Message) {
  WithColor::error(errs(), "mapguard confirm") << Message << '\n';
  std::exit(ExitUsage);
}

int runConfirm(const char *Argv0) {
  if (ConfirmSources.empty())
    confirmError("confirm needs at least one source file");
  if (!CompileCommands.empty())
    confirmError("use -p BUILD_DIR, not --compile-commands");
  if (Format != "text" && Format != "json")
    confirmError("unknown format '" + Format + "' (text or json)");
  if (ConfirmTimeout == 0)
    confirmError("--timeout must be at least 1 second");
  ConfirmOptions O;
  O.Sources = ConfirmSources;
  O.ProgramArgs = ConfirmProgramArgs;
  if (BuildDir.getNumOccurrences())
    O.BuildDir = BuildDir;
  if (Checks.getNumOccurrences())
    O.Checks = Checks;
  if (!ConfirmProgram.empty())
    O.Program = ConfirmProgram;
  O.Compiler = ConfirmCompiler;
  O.TimeoutSeconds = ConfirmTimeout;
  O.WorkDir = ConfirmWorkDir;
  O.Coverage = !ConfirmNoCoverage;
  O.MainExecutable =
      sys::fs::getMainExecutable(Argv0, reinterpret_cast<void *>(&runConfirm));
#ifdef MAPGUARD_CLANG_RESOURCE_DIR
  if (sys::fs::is_directory(MAPGUARD_CLANG_RESOURCE_DIR))
    O.ResourceDir = MAPGUARD_CLANG_RESOURCE_DIR;
#endif
  std::unique_ptr<ToolOutputFile> File;
  if (!Output.empty()) {
    std::error_code EC;
    File = std::make_unique<ToolOutputFile>(Output, EC, sys::fs::OF_Text);
    if (EC)
      confirmError("cannot write '" + Output + "': " + EC.message());
  }
  Expected<ConfirmResult> R = clang::tidy::mapguard::runConfirm(O);
  if (!R)
    confirmError(firstLine(toString(R.takeError())));
  raw_ostream &OS = File ? File->os() : outs();
  if (Format == "json")
    OS << formatv("{0:2}", confirmToJSON(*R)) << '\n';
  else
    writeConfirmText(*R, OS);
  OS.flush();
  if (File)
    File->keep();
  return R->RuntimeOnly.empty() ? ExitClean : ExitFindings;
}

int runListChecks(const char *Argv0) {
  for (const RuleInfo &Rule : ruleInfos(Argv0))
    outs() << Rule.Name << "\n    " << Rule.ShortDescription << '\n';
  return ExitClean;
}

int runExplain(const char *Argv0) {
  if (ExplainCheck.empty())
    usageError("explain needs a check name (see mapguard list-checks)");
  std::string Check = ExplainCheck;
  if (!StringRef(Check).starts_with("mapguard-"))
    Check = "mapguard-" + Check;
  std::vector<std::string> Known = registeredChecks();
  if (!llvm::is_contained(Known, Check))
    usageError("unknown check '" + ExplainCheck +
               "' (mapguard list-checks shows the checks)");
  std::optional<std::string> Doc = readCheckDoc(Check, Argv0);
  if (!Doc)
    usageError("no documentation found for '" + Check + "' (looked in " +
               llvm::join(docDirectories(Argv0), ", ") + ")");
  outs() << *Doc;
  return ExitClean;
}

} // namespace

int main(int Argc, const char **Argv) {
  InitLLVM X(Argc, Argv);
  // confirm passes everything after `--` to the program it runs.
  if (Argc > 1 && StringRef(Argv[1]) == "confirm") {
    for (int I = 2; I < Argc; ++I) {
      if (StringRef(Argv[I]) != "--")
        continue;
      for (int J = I + 1; J < Argc; ++J)
        ConfirmProgramArgs.push_back(Argv[J]);
      Argc = I;
      break;
    }
  }
  cl::HideUnrelatedOptions({&ScanCategory, &OutputCategory, &ConfirmCategory});
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "mapguard " << mapguardVersion() << '\n';
  });
  std::string Errors;
  raw_string_ostream ErrorStream(Errors);
  if (!cl::ParseCommandLineOptions(
          Argc, Argv,
          "mapguard: finds map misuse in C++ (see docs/tools.md)\n\n"
          "  mapguard scan [-p BUILD_DIR | --compile-commands FILE] [PATH...]\n"
          "  mapguard merge [--format F] [--output FILE] REPORT...\n"
          "  mapguard list-checks\n"
          "  mapguard explain CHECK\n"
          "  mapguard confirm [-p BUILD_DIR] SOURCES... [-- PROGRAM ARGS]\n",
          &ErrorStream)) {
    StringRef Message = StringRef(Errors).trim();
    Message.consume_front(std::string(Argv[0]) + ":");
    Message.consume_front("mapguard:");
    usageError(firstLine(Message));
  }
  if (ScanCmd)
    return runScan(Argv[0]);
  if (MergeCmd)
    return runMerge(Argv[0]);
  if (ListCmd)
    return runListChecks(Argv[0]);
  if (ExplainCmd)
    return runExplain(Argv[0]);
  if (ConfirmCmd)
    return runConfirm(Argv[0]);
  usageError("expected a subcommand: scan, merge, list-checks, explain or "
             "confirm "
             "(mapguard --help)");
}
