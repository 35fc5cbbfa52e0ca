//===--- Driver.cpp - the mapguard command line ---------------------------===//
//
//   mapguard scan [-p BUILD_DIR | --compile-commands FILE] [PATH...]
//   mapguard index -p BUILD_DIR [-o FILE] [--shard I/N] [PATH...]
//   mapguard index --merge -o FILE INDEX...
//   mapguard merge [--format F] [--output FILE] REPORT...
//   mapguard list-checks
//   mapguard explain CHECK
//   mapguard confirm [-p BUILD_DIR] SOURCES... [-- PROGRAM ARGS]
//
// Exit status of scan and merge: 0 nothing found, 1 findings (new ones, with a
// baseline), 2 a usage, configuration, input or compile-database error or a
// report that could not be written, reported in one line, 3 a translation
// unit could not be analysed completely (a compiler error, a crash in it; the
// findings of the others are still written); --fail-on chooses which of 1 and
// 3 count. index: 0, 2 as scan, 3 a unit could not be analysed completely
// (the index holds the others' facts). For confirm: 0 no runtime-only event, 1 runtime-only events, 2 an
// error.
//
//===----------------------------------------------------------------------===//

#include "Baseline.h"
#include "CheckList.h"
#include "IndexCommand.h"
#include "InputFile.h"
#include "ConfirmRun.h"
#include "DocLinks.h"
#include "Output.h"
#include "Scanner.h"
#include "Shard.h"
#include "clang/Basic/Sarif.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/YAMLTraits.h"
#include <fcntl.h>
#include <unistd.h>
#include <set>

using namespace llvm;
using namespace clang::tidy::mapguard;

// Referenced so that the linker keeps the module's registration.
extern volatile int MapGuardModuleAnchorSource;
static int LLVM_ATTRIBUTE_UNUSED MapGuardModuleAnchorDestination =
    MapGuardModuleAnchorSource;

namespace {

enum ExitCode {
  ExitClean = 0,
  ExitFindings = 1,
  ExitUsage = 2,
  ExitIncomplete = 3,
};

cl::SubCommand ScanCmd("scan", "Run the mapguard checks over a compile database");
cl::SubCommand IndexCmd(
    "index", "Write the project index (the facts every check reads across "
             "translation units), or merge index shards");
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
    "p",
    cl::desc("Build directory holding compile_commands.json, or the "
             "database file itself"),
    cl::value_desc("dir|file"), cl::sub(IndexCmd), cl::sub(ScanCmd), cl::sub(ConfirmCmd),
    cl::cat(ScanCategory));
cl::opt<std::string> CompileCommands(
    "compile-commands", cl::desc("The compile_commands.json to use"),
    cl::value_desc("file"), cl::sub(IndexCmd), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::list<std::string> ScanPaths(cl::Positional,
                                cl::desc("[files or directories...]"),
                                cl::sub(ScanCmd));
cl::opt<std::string> Jobs("j",
                          cl::desc("Parallel jobs, -jN or -j N (default: one "
                                   "per core)"),
                          cl::value_desc("N"), cl::Prefix, cl::sub(IndexCmd), cl::sub(ScanCmd),
                          cl::cat(ScanCategory));
cl::opt<std::string> Checks(
    "checks",
    cl::desc("Check globs applied after the .clang-tidy files, parsed as "
             "clang-tidy parses them, e.g. '-*,mapguard-miss-default-use'; "
             "globs for other checks are ignored"),
    cl::sub(IndexCmd), cl::sub(ScanCmd), cl::sub(ConfirmCmd), cl::cat(ScanCategory));
cl::opt<std::string>
    Config("config",
           cl::desc("YAML configuration used instead of the .clang-tidy "
                    "files, e.g. \"{CheckOptions: {...}}\""),
           cl::sub(IndexCmd), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<std::string> ConfigFile(
    "config-file",
    cl::desc("Read the configuration (as --config) from FILE"),
    cl::value_desc("file"), cl::sub(IndexCmd), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<std::string> HeaderFilter(
    "header-filter",
    cl::desc("Report findings in headers whose name matches REGEX (overrides "
             "HeaderFilterRegex)"),
    cl::value_desc("regex"), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<std::string> ExcludeHeaderFilter(
    "exclude-header-filter",
    cl::desc("Never report findings in headers whose name matches REGEX"),
    cl::value_desc("regex"), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<bool> SystemHeaders("system-headers",
                            cl::desc("Report findings in system headers too"),
                            cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<std::string> LineFilter(
    "line-filter",
    cl::desc("Report only findings in these files and lines, as clang-tidy: "
             "'[{\"name\":\"a.cpp\",\"lines\":[[1,3]]}]'"),
    cl::value_desc("json"), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<std::string> WarningsAsErrors(
    "warnings-as-errors",
    cl::desc("Check globs whose findings are reported as errors"),
    cl::value_desc("globs"), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::list<std::string> ExtraArgs(
    "extra-arg", cl::desc("Append ARG to every compile command"),
    cl::value_desc("arg"), cl::sub(IndexCmd), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::list<std::string> ExtraArgsBefore(
    "extra-arg-before",
    cl::desc("Insert ARG before the arguments of every compile command"),
    cl::value_desc("arg"), cl::sub(IndexCmd), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::list<std::string> Exclude(
    "exclude",
    cl::desc("Skip files (and findings in files) matching GLOB: the path, "
             "absolute or relative to the current directory, or one of its "
             "directories; repeatable"),
    cl::value_desc("glob"), cl::sub(IndexCmd), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<std::string> ExportFixes(
    "export-fixes",
    cl::desc("Write the findings and their fix-its to FILE as YAML, as "
             "clang-tidy's --export-fixes (for clang-apply-replacements)"),
    cl::value_desc("file"), cl::sub(ScanCmd), cl::cat(OutputCategory));
cl::opt<std::string> FailOn(
    "fail-on",
    cl::desc("What makes the exit status non-zero: 'findings' (1), 'errors' "
             "(3, a file not analysed completely; 1, a finding of "
             "--warnings-as-errors), both (the default: 'findings,errors'), "
             "or 'none'"),
    cl::value_desc("list"), cl::init("findings,errors"), cl::sub(ScanCmd),
    cl::sub(MergeCmd), cl::cat(OutputCategory));
cl::opt<std::string> DocsURL(
    "docs-url",
    cl::desc("Base URL of the check pages for SARIF helpUri (\"{check}\" is "
             "replaced by the check's name without 'mapguard-'; otherwise "
             "<name>.md is appended); default: the installed docs"),
    cl::value_desc("url"), cl::sub(ScanCmd), cl::sub(MergeCmd),
    cl::cat(OutputCategory));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("SARIF: write paths under DIR relative to the uriBaseId "
             "%SRCROOT%"),
    cl::value_desc("dir"), cl::sub(ScanCmd), cl::sub(MergeCmd),
    cl::cat(OutputCategory));
cl::opt<std::string> BaselineIn("baseline",
                                cl::desc("Hide the findings recorded in FILE"),
                                cl::value_desc("file"), cl::sub(ScanCmd),
                                cl::cat(ScanCategory));
cl::opt<std::string> BaselineOut(
    "write-baseline", cl::desc("Record this scan's findings in FILE"),
    cl::value_desc("file"), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<std::string> Shard("shard",
                           cl::desc("Scan only slice I of N (1-based): I/N"),
                           cl::value_desc("I/N"), cl::sub(IndexCmd), cl::sub(ScanCmd),
                           cl::cat(ScanCategory));
cl::opt<std::string>
    CacheDir("cache-dir",
             cl::desc("Result cache directory (default: "
                      "<build dir>/.mapguard-cache)"),
             cl::value_desc("dir"), cl::sub(IndexCmd), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<bool> NoCache("no-cache", cl::desc("Do not use the result cache"),
                      cl::sub(IndexCmd), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<ProgressStyle> Progress(
    "progress", cl::desc("Progress on stderr"), cl::init(ProgressStyle::Auto),
    cl::values(clEnumValN(ProgressStyle::Auto, "auto",
                          "a bar on a terminal, lines otherwise"),
               clEnumValN(ProgressStyle::Bar, "bar", "a progress bar"),
               clEnumValN(ProgressStyle::Lines, "lines", "one line per file"),
               clEnumValN(ProgressStyle::None, "none", "nothing")),
    cl::sub(IndexCmd), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<bool> Quiet("quiet", cl::desc("No progress, notes or summary"),
                    cl::sub(IndexCmd), cl::sub(ScanCmd), cl::sub(MergeCmd),
                    cl::cat(OutputCategory));

cl::opt<std::string> Format("format",
                            cl::desc("Output format: text, json or sarif"),
                            cl::init("text"), cl::sub(ScanCmd),
                            cl::sub(MergeCmd), cl::sub(ConfirmCmd),
                            cl::cat(OutputCategory));
cl::opt<std::string> Output("output",
                            cl::desc("Write the report to FILE, not stdout "
                                     "(index: the index file)"),
                            cl::value_desc("file"), cl::sub(IndexCmd), cl::sub(ScanCmd),
                            cl::sub(MergeCmd), cl::sub(ConfirmCmd),
                            cl::cat(OutputCategory));
cl::alias OutputShort("o", cl::aliasopt(Output), cl::desc("Alias for --output"));

cl::opt<std::string> IndexFile(
    "index",
    cl::desc("Analyse with this project index, as it is (default: build or "
             "refresh <build dir>/mapguard-index.json first; a --shard scan "
             "needs the merged index of `mapguard index --merge`)"),
    cl::value_desc("file"), cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<bool> NoIndex("no-index",
                      cl::desc("Analyse each file on its own, without a "
                               "project index"),
                      cl::sub(ScanCmd), cl::cat(ScanCategory));
cl::opt<bool> IndexMerge(
    "merge",
    cl::desc("Merge the index files given (shards of `mapguard index "
             "--shard`) into --output"),
    cl::sub(IndexCmd), cl::cat(ScanCategory));
cl::list<std::string> IndexPaths(cl::Positional,
                                 cl::desc("[files or directories...] | "
                                          "--merge INDEX..."),
                                 cl::sub(IndexCmd));

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

cl::extrahelp ExitStatusHelp(R"(
EXIT STATUS (scan, merge):
  0  no findings (none new, with --baseline)
  1  findings
  2  usage, configuration, input or compile-database error, or a report
     that could not be written (one line on stderr)
  3  a file could not be analysed completely (a compiler error, a missing
     file or directory, a crash in it; the findings of the other files are
     still written); wins over 1
  --fail-on=findings|errors|none chooses what counts (default: both).
)");

/// The program's arguments: what follows `--` on confirm's command line.
std::vector<std::string> ConfirmProgramArgs;

/// Whether stdout was closed when mapguard started (it is /dev/null since,
/// so that no file opened later takes its descriptor).
bool StdoutWasClosed = false;

/// Drops what stdout could not write, so that exiting does not turn it into
/// "LLVM ERROR: IO failure on output stream".
void forgetOutputErrors() {
  outs().flush();
  outs().clear_error();
  errs().clear_error();
}

[[noreturn]] void usageError(const Twine &Message) {
  // One line, whatever the message quotes (a binary file's bytes).
  WithColor::error(errs(), "mapguard") << printable(Message.str(), 2000)
                                       << '\n';
  forgetOutputErrors();
  std::exit(ExitUsage);
}

/// Fails when the report would go to a stdout that is closed.
void requireStdout() {
  if (StdoutWasClosed)
    usageError("cannot write the report to stdout: it is closed (use "
               "--output FILE)");
}

/// Fails when \p OS could not write everything (a full disk, /dev/full, a
/// closed pipe): one line and exit status 2.
void checkWritten(raw_fd_ostream &OS, const Twine &Where) {
  OS.flush();
  if (!OS.has_error())
    return;
  std::error_code EC = OS.error();
  OS.clear_error();
  usageError("cannot write " + Where + ": " + EC.message());
}

/// The first line of a (possibly multi-line) message, trimmed.
std::string firstLine(StringRef Message) {
  return Message.trim().split('\n').first.trim().str();
}

// --- Documentation -----------------------------------------------------------

/// Directories that may hold docs/checks/<name>.md: the installed share/
/// directory, then the source tree this binary was built from.
std::vector<std::string> docDirectories(const char *Argv0) {
  std::string Exe = sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&docDirectories));
#ifdef MAPGUARD_SOURCE_DOCS_DIR
  return checkDocDirectories(Exe, MAPGUARD_SOURCE_DOCS_DIR);
#else
  return checkDocDirectories(Exe, "");
#endif
}

std::optional<std::string> readCheckDoc(StringRef Check, const char *Argv0) {
  if (std::optional<std::string> Path =
          findCheckDoc(Check, docDirectories(Argv0)))
    if (auto Buffer = MemoryBuffer::getFile(*Path))
      return (*Buffer)->getBuffer().str();
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
  std::vector<std::string> Dirs = docDirectories(Argv0);
  for (const std::string &Check : registeredChecks()) {
    RuleInfo Rule;
    Rule.Name = Check;
    Rule.ShortDescription = "mapguard check " + Check;
    if (std::optional<std::string> Doc = readCheckDoc(Check, Argv0)) {
      Rule.HelpMarkdown = *Doc;
      std::string Summary = summaryOf(*Doc);
      if (!Summary.empty()) {
        Rule.ShortDescription = firstSentence(Summary);
        Rule.FullDescription = Summary;
      }
    }
    Rule.HelpURI = checkDocURL(Check, DocsURL, Dirs);
    Rules.push_back(std::move(Rule));
  }
  return Rules;
}

// --- Reports -------------------------------------------------------------------

/// --fail-on, parsed.
struct FailurePolicy {
  bool Findings = true;
  bool Errors = true;
};

FailurePolicy failurePolicy() {
  FailurePolicy P{false, false};
  SmallVector<StringRef> Items;
  StringRef(FailOn).split(Items, ',', -1, /*KeepEmpty=*/false);
  bool None = false;
  for (StringRef Item : Items) {
    Item = Item.trim();
    if (Item == "findings")
      P.Findings = true;
    else if (Item == "errors")
      P.Errors = true;
    else if (Item == "none")
      None = true;
    else
      usageError("invalid --fail-on '" + FailOn +
                 "': expected none, or findings and/or errors");
  }
  if (Items.empty() || (None && (P.Findings || P.Errors)))
    usageError("invalid --fail-on '" + FailOn +
               "': expected none, or findings and/or errors");
  return P;
}

/// 3 when a file was not analysed completely, else 1 for findings, else 0,
/// leaving out what --fail-on does not count. Findings with severity error
/// (--warnings-as-errors) count as errors too: --fail-on=errors fails on
/// them with 1, as clang-tidy fails on them.
int exitCodeFor(const ScanResult &R, const FailurePolicy &Policy) {
  if (Policy.Errors && !R.Failures.empty())
    return ExitIncomplete;
  if (Policy.Findings && !R.Findings.empty())
    return ExitFindings;
  if (Policy.Errors && llvm::any_of(R.Findings, [](const Finding &F) {
        return F.Severity == "error";
      }))
    return ExitFindings;
  return ExitClean;
}

/// Remarks for the user on stderr ("mapguard: note: ..."), unless --quiet.
void note(const Twine &Message) {
  if (Quiet)
    return;
  WithColor::note(errs(), "mapguard") << Message << '\n';
}

void writeSummary(const ScanResult &R) {
  if (Quiet)
    return;
  errs() << "mapguard: " << R.Findings.size()
         << (R.Findings.size() == 1 ? " finding" : " findings") << " in "
         << R.FilesScanned << (R.FilesScanned == 1 ? " file" : " files");
  if (R.FilesFromCache)
    errs() << ", " << R.FilesFromCache << " from cache";
  unsigned WithErrors = llvm::count_if(R.Failures, [](const FileFailure &F) {
    return F.Kind == FailureKind::AnalysedWithErrors;
  });
  if (WithErrors)
    errs() << ", " << WithErrors << " analysed with errors";
  if (R.Failures.size() > WithErrors)
    errs() << ", " << R.Failures.size() - WithErrors << " not analysed";
  if (R.FindingsHiddenByBaseline)
    errs() << ", " << R.FindingsHiddenByBaseline << " hidden by the baseline";
  if (unsigned Skipped = R.functionsSkipped())
    errs() << ", " << Skipped << (Skipped == 1 ? " function" : " functions")
           << " skipped by a budget";
  errs() << '\n';
}

/// Where the report goes: --output (opened before the scan, so that a bad
/// path fails fast) or stdout.
class ReportSink {
public:
  ReportSink() {
    if (Output.empty()) {
      requireStdout();
      return;
    }
    std::error_code EC;
    File = std::make_unique<ToolOutputFile>(Output, EC, sys::fs::OF_Text);
    if (EC)
      usageError("cannot write '" + Output + "': " + EC.message());
  }

  raw_fd_ostream &stream() { return File ? File->os() : outs(); }

  void write(const ScanResult &R, OutputFormat Fmt, const char *Argv0,
             const SarifOptions &Sarif) {
    std::vector<RuleInfo> Rules;
    if (Fmt == OutputFormat::SARIF)
      Rules = ruleInfos(Argv0);
    raw_ostream &OS = stream();
    writeReport(R, Fmt, Rules, OS, Sarif);
    finish();
  }

  /// Flushes and keeps the file; an error writing it is exit status 2.
  void finish() {
    checkWritten(stream(), File ? "'" + Output + "'" : Twine("to stdout"));
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

/// Whether \p Path names a header (by its extension, as clang's driver
/// types it): what `scan` analyses with inferred flags when the database has
/// no entry for it.
bool isHeader(StringRef Path) {
  StringRef Ext = sys::path::extension(Path);
  if (Ext.empty())
    return true; // <vector>-style headers
  return llvm::is_contained({".h", ".hh", ".hpp", ".hxx", ".h++", ".H", ".inl",
                             ".inc", ".ipp", ".tcc", ".tpp", ".cuh"},
                            Ext);
}

/// The files of the database, limited to \p Paths (files or directories);
/// a header path with no entry of its own is scanned as a file of its own
/// (with flags inferred from the database, as clang-tidy infers them).
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
    if (Selected.size() != Before)
      continue;
    if (!sys::fs::is_directory(Abs) && isHeader(Abs)) {
      Selected.push_back(Abs);
      continue;
    }
    usageError("'" + Path + "' has no entry in the compile database");
  }
  return Selected;
}

/// --exclude: globs matched against a path, absolute and relative to the
/// current directory, and against each of its directories.
class ExcludeFilter {
public:
  ExcludeFilter() {
    SmallString<256> Cwd;
    if (!sys::fs::current_path(Cwd))
      CurrentDir = std::string(Cwd);
    for (const std::string &Glob : Exclude) {
      Expected<GlobPattern> P = GlobPattern::create(Glob);
      if (!P)
        usageError("invalid --exclude glob '" + Glob +
                   "': " + toString(P.takeError()));
      Patterns.push_back(std::move(*P));
    }
  }

  bool empty() const { return Patterns.empty(); }

  bool excludes(StringRef Path) const {
    if (Patterns.empty())
      return false;
    auto [It, Inserted] = Memo.try_emplace(Path);
    if (Inserted)
      It->second = compute(Path);
    return It->second;
  }

private:
  bool compute(StringRef Path) const {
    std::vector<std::string> Forms{Path.str()};
    StringRef Rel(Path);
    if (!CurrentDir.empty() && Rel.consume_front(CurrentDir) &&
        (Rel.empty() || sys::path::is_separator(Rel.front())))
      Forms.push_back(Rel.ltrim("/").str());
    for (const std::string &Form : Forms)
      for (StringRef P(Form); !P.empty(); P = sys::path::parent_path(P))
        for (const GlobPattern &G : Patterns)
          if (G.match(P))
            return true;
    return false;
  }

  std::string CurrentDir;
  std::vector<GlobPattern> Patterns;
  mutable StringMap<bool> Memo;
};

/// SARIF writing options from --source-root, checked before the scan.
SarifOptions sarifOptions() {
  SarifOptions Sarif;
  if (SourceRoot.empty())
    return Sarif;
  if (!sys::fs::is_directory(SourceRoot))
    usageError("--source-root '" + SourceRoot + "' is not a directory");
  Sarif.SourceRoot = normalizedAbsolute(SourceRoot);
  return Sarif;
}

/// --export-fixes: clang-tidy's YAML (tooling::TranslationUnitDiagnostics),
/// which clang-apply-replacements reads.
void exportFixes(StringRef Path, ArrayRef<Finding> Findings,
                 ArrayRef<std::string> Files) {
  auto ToFix = [](ArrayRef<FixReplacement> Fixes) {
    StringMap<clang::tooling::Replacements> Out;
    for (const FixReplacement &R : Fixes)
      // Conflicting replacements of one fix cannot come from one check;
      // should they, the first wins, as in clang-tidy.
      consumeError(Out[R.File].add(
          clang::tooling::Replacement(R.File, R.Offset, R.Length, R.Text)));
    return Out;
  };
  clang::tooling::TranslationUnitDiagnostics TUD;
  TUD.MainSourceFile = Files.size() == 1 ? Files.front() : "";
  for (const Finding &F : Findings) {
    clang::tooling::DiagnosticMessage Message;
    Message.Message = F.Message;
    Message.FilePath = F.Where.File;
    Message.FileOffset = F.Where.Offset;
    Message.Fix = ToFix(F.Fixes);
    clang::tooling::Diagnostic D(
        F.Check, Message, {},
        F.Severity == "error" ? clang::tooling::Diagnostic::Error
                              : clang::tooling::Diagnostic::Warning,
        "");
    for (const FindingNote &N : F.Notes) {
      clang::tooling::DiagnosticMessage NM;
      NM.Message = N.Message;
      NM.FilePath = N.Where.File;
      NM.FileOffset = N.Where.Offset;
      NM.Fix = ToFix(N.Fixes);
      D.Notes.push_back(std::move(NM));
    }
    TUD.Diagnostics.push_back(std::move(D));
  }
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
  if (EC)
    usageError("cannot write '" + Path + "': " + EC.message());
  yaml::Output YAML(OS);
  YAML << TUD;
}

/// Reads --config or --config-file.
std::optional<std::pair<std::string, std::string>> configuration() {
  if (Config.getNumOccurrences() && ConfigFile.getNumOccurrences())
    usageError("--config and --config-file are mutually exclusive");
  if (Config.getNumOccurrences())
    return std::pair{Config.getValue(), std::string("--config")};
  if (!ConfigFile.getNumOccurrences())
    return std::nullopt;
  auto Buffer = readInputFile(ConfigFile, limits::Config, "--config-file");
  if (!Buffer)
    usageError(toString(Buffer.takeError()));
  return std::pair{(*Buffer)->getBuffer().str(),
                   "--config-file '" + ConfigFile + "'"};
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

/// The database of -p (a build directory or the file itself) or
/// --compile-commands, and the directory the cache goes to by default.
std::pair<std::unique_ptr<clang::tooling::CompilationDatabase>, std::string>
loadDatabase() {
  if (!BuildDir.empty() && !CompileCommands.empty())
    usageError("-p and --compile-commands are mutually exclusive");
  std::string File;
  if (!CompileCommands.empty()) {
    if (!sys::fs::exists(CompileCommands))
      usageError("compile database '" + CompileCommands + "' does not exist");
    File = CompileCommands;
  } else {
    std::string Dir = BuildDir.empty() ? std::string(".") : BuildDir.getValue();
    if (!sys::fs::exists(Dir))
      usageError("build directory '" + Dir + "' does not exist");
    if (sys::fs::is_directory(Dir)) {
      SmallString<256> Path(Dir);
      sys::path::append(Path, "compile_commands.json");
      if (!sys::fs::exists(Path))
        usageError("no compile_commands.json in '" + Dir +
                   "' (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or "
                   "pass the database file with -p FILE)");
      File = std::string(Path);
    } else {
      File = Dir; // -p build/compile_commands.json, as clang-tidy takes it
    }
  }
  Expected<std::unique_ptr<clang::tooling::CompilationDatabase>> DB =
      loadCompileDatabase(File);
  if (!DB)
    usageError(toString(DB.takeError()));
  return {std::move(*DB),
          sys::path::parent_path(normalizedAbsolute(File)).str()};
}

/// The sort key of a finding, as ScanResult::normalize() deduplicates.
using FindingKey =
    std::tuple<std::string, unsigned, unsigned, std::string, std::string>;
FindingKey keyOf(const Finding &F) {
  return {F.Where.File, F.Where.Line, F.Where.Column, F.Check, F.Message};
}

/// The files of the database, limited to \p Paths, without --exclude's,
/// sliced by --shard (sorted, de-duplicated).
std::vector<std::string>
selectScanFiles(const clang::tooling::CompilationDatabase &DB,
                ArrayRef<std::string> Paths, const ExcludeFilter &Excluded) {
  std::vector<std::string> Files = selectFiles(DB, Paths);
  llvm::erase_if(Files, [&](const std::string &F) {
    return Excluded.excludes(F);
  });
  ShardSpec Spec;
  if (!Shard.empty()) {
    Expected<ShardSpec> S = parseShard(Shard);
    if (!S)
      usageError(toString(S.takeError()));
    Spec = *S;
  }
  Files = selectShard(std::move(Files), Spec);
  // A source that is not a regular file (a FIFO blocks the reader, a device
  // never ends) is a database error; a missing one is that file's failure.
  for (const std::string &F : Files)
    if (sys::fs::exists(F)) {
      std::string Problem = checkInputFileKind(F, limits::Source);
      if (!Problem.empty())
        usageError("source file '" + F + "' " + Problem);
    }
  return Files;
}

/// The scanner of scan and index, from the options they share: the
/// configuration, the compiler arguments, -j, the cache. Its configuration
/// is checked on \p Files.
std::unique_ptr<Scanner>
makeScanner(std::unique_ptr<clang::tooling::CompilationDatabase> DB,
            StringRef DBDir, const char *Argv0, ArrayRef<std::string> Files) {
  ScanOptions Options;
  if (Checks.getNumOccurrences())
    Options.Checks = Checks;
  if (auto C = configuration()) {
    Options.Config = std::move(C->first);
    Options.ConfigSource = std::move(C->second);
  }
  if (HeaderFilter.getNumOccurrences())
    Options.HeaderFilter = HeaderFilter;
  if (ExcludeHeaderFilter.getNumOccurrences())
    Options.ExcludeHeaderFilter = ExcludeHeaderFilter;
  if (SystemHeaders.getNumOccurrences())
    Options.SystemHeaders = SystemHeaders;
  if (WarningsAsErrors.getNumOccurrences())
    Options.WarningsAsErrors = WarningsAsErrors;
  Options.ExtraArgs = ExtraArgs;
  Options.ExtraArgsBefore = ExtraArgsBefore;
  Options.LineFilter = LineFilter;
  if (Jobs.getNumOccurrences() &&
      (StringRef(Jobs).getAsInteger(10, Options.Jobs) || Options.Jobs == 0))
    usageError("invalid -j '" + Jobs + "': expected a number of jobs >= 1");
  Options.ToolIdentity = toolIdentity(Argv0);
  if (!NoCache) {
    SmallString<256> Dir(CacheDir.empty() ? DBDir : StringRef(CacheDir));
    if (CacheDir.empty())
      sys::path::append(Dir, ".mapguard-cache");
    Options.CacheDir = std::string(Dir);
  }
#ifdef MAPGUARD_CLANG_RESOURCE_DIR
  if (sys::fs::is_directory(MAPGUARD_CLANG_RESOURCE_DIR))
    Options.ResourceDir = MAPGUARD_CLANG_RESOURCE_DIR;
#endif
  // Headers named on the command line get the command of the most similar
  // file of the database, as clang-tidy gives them one.
  std::vector<std::string> Notes;
  Expected<std::unique_ptr<Scanner>> S = Scanner::create(
      clang::tooling::inferMissingCompileCommands(std::move(DB)),
      std::move(Options), &Notes);
  if (!S)
    usageError(toString(S.takeError()));
  for (const std::string &N : Notes)
    note(N);
  if (Error E = (*S)->checkConfiguration(Files))
    usageError(toString(std::move(E)));
  return std::move(*S);
}

/// The summary line of an index run, unless --quiet.
void writeIndexSummary(const IndexBuild &B, bool WithFailures = true) {
  if (!Quiet)
    errs() << "mapguard: " << indexSummary(B, WithFailures) << '\n';
}

/// `mapguard index --merge`: the shards' facts into one file.
int runIndexMerge() {
  if (IndexPaths.empty())
    usageError("index --merge needs at least one index file");
  if (Output.empty())
    usageError("index --merge needs --output FILE");
  for (const char *Name : {"p", "compile-commands", "shard"})
    if (cl::getRegisteredOptions(IndexCmd).lookup(Name)->getNumOccurrences())
      usageError(std::string("index --merge takes no -") +
                 (StringRef(Name).size() > 1 ? "-" : "") + Name);
  Expected<ProjectIndex> Merged = mergeIndexFiles(IndexPaths);
  if (!Merged)
    usageError(firstLine(toString(Merged.takeError())));
  if (Error E = writeIndexIfChanged(*Merged, Output))
    usageError(firstLine(toString(std::move(E))));
  if (!Quiet)
    errs() << "mapguard: index: " << Merged->units().size()
           << (Merged->units().size() == 1 ? " unit, " : " units, ")
           << Merged->size()
           << (Merged->size() == 1 ? " function" : " functions") << " from "
           << IndexPaths.size()
           << (IndexPaths.size() == 1 ? " file" : " files") << '\n';
  return ExitClean;
}

int runIndex(const char *Argv0) {
  if (IndexMerge)
    return runIndexMerge();
  auto [DB, DBDir] = loadDatabase();
  ExcludeFilter Excluded;
  std::vector<std::string> Files =
      selectScanFiles(*DB, IndexPaths, Excluded);
  std::string Out = Output.empty() ? defaultIndexPath(DBDir) : Output.getValue();
  std::unique_ptr<Scanner> S = makeScanner(std::move(DB), DBDir, Argv0, Files);
  ProgressReporter Reporter(errs(), Quiet ? ProgressStyle::None : Progress,
                            Files.size());
  IndexBuild B = buildIndex(*S, Files, Reporter);
  if (Error E = writeIndexIfChanged(B.Index, Out))
    usageError(firstLine(toString(std::move(E))));
  for (const FileFailure &F : B.Run.Failures)
    writeFailureText(F, errs());
  writeIndexSummary(B);
  if (std::optional<std::string> Problem = S->cacheProblem())
    note("some facts were not cached: " + *Problem);
  return B.Run.Failures.empty() ? ExitClean : ExitIncomplete;
}

/// Whether `scan` builds or refreshes <build dir>/mapguard-index.json.
bool buildsScanIndex() {
  return !NoIndex && !IndexFile.getNumOccurrences() && Shard.empty();
}

/// The index `scan` analyses with (absolute), or none: --index as it is;
/// with --no-index none; otherwise <build dir>/mapguard-index.json, to be
/// built or refreshed over every file of the database (buildsScanIndex()),
/// except for a --shard scan, which cannot see the other shards' units: it
/// needs --index or an existing index. Errors before the scan starts.
std::optional<std::string> scanIndexPath(StringRef DBDir) {
  if (NoIndex && IndexFile.getNumOccurrences())
    usageError("--index and --no-index are mutually exclusive");
  if (NoIndex)
    return std::nullopt;
  if (IndexFile.getNumOccurrences()) {
    std::string Path = normalizedAbsolute(IndexFile);
    if (Expected<ProjectIndex> I = readIndexFile(Path); !I)
      usageError(firstLine(toString(I.takeError())));
    return Path;
  }
  std::string Path = defaultIndexPath(DBDir);
  if (!Shard.empty()) {
    if (!sys::fs::exists(Path))
      usageError("scan --shard needs the project's index: run `mapguard "
                 "index --shard I/N` per shard and `mapguard index --merge`, "
                 "then pass --index FILE (or --no-index)");
    if (Expected<ProjectIndex> I = readIndexFile(Path); !I)
      usageError(firstLine(toString(I.takeError())));
    note("scan --shard: analysing with the existing index '" + Path + "'");
  }
  return Path;
}

/// Builds or refreshes the index at \p Path from \p IndexFiles (the same
/// code path as `mapguard index`).
void refreshScanIndex(Scanner &S, ArrayRef<std::string> IndexFiles,
                      StringRef Path) {
  ProgressReporter Silent(errs(), ProgressStyle::None, IndexFiles.size());
  IndexBuild B = buildIndex(S, IndexFiles, Silent);
  if (Error E = writeIndexIfChanged(B.Index, Path))
    usageError(firstLine(toString(std::move(E))) +
               " (--no-index scans without it)");
  writeIndexSummary(B, /*WithFailures=*/false);
}

int runScan(const char *Argv0) {
  auto [DB, DBDir] = loadDatabase();
  FailurePolicy Policy = failurePolicy();
  OutputFormat Fmt = outputFormat();
  SarifOptions Sarif = sarifOptions();
  ExcludeFilter Excluded;

  std::vector<std::string> Files = selectScanFiles(*DB, ScanPaths, Excluded);

  std::optional<Baseline> Accepted;
  if (!BaselineIn.empty()) {
    Expected<Baseline> B = Baseline::load(BaselineIn);
    if (!B)
      usageError(firstLine(toString(B.takeError())));
    Accepted = std::move(*B);
  }

  // The index covers every file of the database, not only those scanned:
  // the configuration of each is checked.
  std::vector<std::string> IndexFiles;
  if (buildsScanIndex()) {
    for (const std::string &F : selectFiles(*DB, {}))
      if (!Excluded.excludes(F))
        IndexFiles.push_back(F);
    IndexFiles = selectShard(std::move(IndexFiles), ShardSpec());
  }
  std::optional<std::string> Index = scanIndexPath(DBDir);
  std::unique_ptr<Scanner> S = makeScanner(
      std::move(DB), DBDir, Argv0, IndexFiles.empty() ? Files : IndexFiles);
  ReportSink Sink;
  if (buildsScanIndex())
    refreshScanIndex(*S, IndexFiles, *Index);
  S->setIndexFile(Index);
  ProgressReporter Reporter(errs(), Quiet ? ProgressStyle::None : Progress,
                            Files.size());

  // Text streams: each file's findings as soon as it is done. With a
  // baseline, the fingerprints of findings in the file itself are those of
  // the whole scan (no other file reports them); findings in headers wait
  // for the end, when every file that includes them has been seen.
  const bool Stream = Fmt == OutputFormat::Text;
  std::set<FindingKey> Printed;
  auto OnFileDone = [&](StringRef File, const FileResult &FR) {
    std::vector<Finding> Found = FR.Findings;
    llvm::erase_if(Found,
                   [&](const Finding &F) { return Excluded.excludes(F.Where.File); });
    ScanResult One;
    One.Findings = std::move(Found);
    One.normalize();
    computeFingerprints(One.Findings);
    raw_ostream &OS = Sink.stream();
    for (const Finding &F : One.Findings) {
      if (Accepted && (F.Where.File != File || Accepted->contains(F)))
        continue;
      if (Printed.insert(keyOf(F)).second)
        writeFindingText(F, OS);
    }
    for (const FileFailure &F : FR.Failures)
      writeFailureText(F, OS);
    OS.flush();
  };
  ScanResult R =
      Stream ? S->run(Files, Reporter, OnFileDone) : S->run(Files, Reporter);
  llvm::erase_if(R.Findings,
                 [&](const Finding &F) { return Excluded.excludes(F.Where.File); });
  llvm::erase_if(R.Skipped, [&](const SkippedFunction &S) {
    return Excluded.excludes(S.Where.File);
  });
  computeFingerprints(R.Findings);
  if (!BaselineOut.empty())
    if (Error E = Baseline::write(BaselineOut, R.Findings))
      usageError(toString(std::move(E)));
  if (Accepted)
    R.FindingsHiddenByBaseline = Accepted->filter(R.Findings);
  if (!ExportFixes.empty())
    exportFixes(ExportFixes, R.Findings, Files);
  if (Stream) {
    raw_ostream &OS = Sink.stream();
    for (const Finding &F : R.Findings)
      if (!Printed.count(keyOf(F)))
        writeFindingText(F, OS);
    Sink.finish();
  } else {
    Sink.write(R, Fmt, Argv0, Sarif);
  }
  writeSummary(R);
  if (std::optional<std::string> Problem = S->cacheProblem())
    note("some results were not cached: " + *Problem);
  return exitCodeFor(R, Policy);
}

int runMerge(const char *Argv0) {
  if (MergeInputs.empty())
    usageError("merge needs at least one report");
  FailurePolicy Policy = failurePolicy();
  OutputFormat Fmt = outputFormat();
  SarifOptions Sarif = sarifOptions();
  ScanResult Merged;
  for (const std::string &Input : MergeInputs) {
    auto Buffer = readInputFile(Input, limits::Report, "");
    if (!Buffer)
      usageError(toString(Buffer.takeError()));
    Expected<ScanResult> R = parseReport((*Buffer)->getBuffer());
    if (!R)
      usageError("invalid report '" + Input +
                 "': " + firstLine(toString(R.takeError())));
    Merged.FilesScanned += R->FilesScanned;
    Merged.FilesFromCache += R->FilesFromCache;
    Merged.FindingsHiddenByBaseline += R->FindingsHiddenByBaseline;
    llvm::append_range(Merged.Findings, R->Findings);
    llvm::append_range(Merged.Failures, R->Failures);
    llvm::append_range(Merged.Skipped, R->Skipped);
  }
  Merged.normalize();
  ReportSink().write(Merged, Fmt, Argv0, Sarif);
  writeSummary(Merged);
  return exitCodeFor(Merged, Policy);
}

[[noreturn]] void confirmError(const Twine &Message) {
  WithColor::error(errs(), "mapguard confirm")
      << printable(Message.str(), 2000) << '\n';
  forgetOutputErrors();
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
  } else if (StdoutWasClosed) {
    confirmError("cannot write the report to stdout: it is closed (use "
                 "--output FILE)");
  }
  Expected<ConfirmResult> R = clang::tidy::mapguard::runConfirm(O);
  if (!R)
    confirmError(firstLine(toString(R.takeError())));
  raw_fd_ostream &OS = File ? File->os() : outs();
  if (Format == "json")
    OS << formatv("{0:2}", confirmToJSON(*R)) << '\n';
  else
    writeConfirmText(*R, OS);
  OS.flush();
  if (OS.has_error()) {
    std::error_code EC = OS.error();
    OS.clear_error();
    confirmError("cannot write " +
                 (File ? "'" + Output + "'" : std::string("to stdout")) +
                 ": " + EC.message());
  }
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
  if (!StringRef(Check).starts_with(CheckPrefix))
    Check = CheckPrefix.str() + Check;
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

/// llvm::cl reads an unknown option that starts with "h" ("--header-filtr",
/// "--hlep") as its -h alias grouped with other letters and prints the help
/// with exit status 0. An unknown option must be an error (exit 2): those
/// are refused here, before cl sees them.
void rejectHelpLookalikes(int Argc, const char **Argv) {
  cl::SubCommand *Sub = &cl::SubCommand::getTopLevel();
  int First = 1;
  for (cl::SubCommand *S : {&ScanCmd, &IndexCmd, &MergeCmd, &ListCmd,
                            &ExplainCmd, &ConfirmCmd})
    if (Argc > 1 && S->getName() == StringRef(Argv[1])) {
      Sub = S;
      First = 2;
    }
  const auto &Known = cl::getRegisteredOptions(*Sub);
  for (int I = First; I < Argc; ++I) {
    StringRef A(Argv[I]);
    if (A == "--")
      break;
    if (!A.starts_with("-"))
      continue;
    StringRef Name = A.ltrim('-').split('=').first;
    if (Name.starts_with("h") && Name != "h" && !Known.count(Name))
      usageError("unknown option '" + A + "' (mapguard " +
                 (Sub->getName().empty() ? "" : Sub->getName().str() + " ") +
                 "--help lists the options)");
  }
}

} // namespace

/// What LLVM's fatal errors become: inside a translation unit's crash
/// recovery (Scanner.cpp), that unit's failure; elsewhere one line and exit
/// status 2, not "LLVM ERROR" and a stack dump.
void onFatalError(void *, const char *Reason, bool) {
  if (CrashRecoveryContext *CRC = CrashRecoveryContext::GetCurrent()) {
    recordFatalErrorForRecovery(Reason);
    CRC->HandleExit(1);
  }
  // stderr may be the very stream that failed: write it with write(2).
  std::string Line = "mapguard: error: " + printable(Reason, 2000) + "\n";
  (void)!::write(2, Line.data(), Line.size());
  ::_exit(ExitUsage);
}

int main(int Argc, const char **Argv) {
  // A closed stdout: remembered (a report for it is an error), then given
  // /dev/null so that no file mapguard opens takes its descriptor.
  StdoutWasClosed = ::fcntl(1, F_GETFD) == -1;
  (void)sys::Process::FixupStandardFileDescriptors();
  InitLLVM X(Argc, Argv);
  install_fatal_error_handler(onFatalError);
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
  rejectHelpLookalikes(Argc, Argv);
  std::string Errors;
  raw_string_ostream ErrorStream(Errors);
  if (!cl::ParseCommandLineOptions(
          Argc, Argv,
          "mapguard: finds map misuse in C++ (see docs/tools.md)\n\n"
          "  mapguard scan [-p BUILD_DIR | --compile-commands FILE] [PATH...]\n"
          "      builds or refreshes BUILD_DIR/mapguard-index.json first and\n"
          "      analyses each file with it (--index FILE, --no-index)\n"
          "  mapguard index -p BUILD_DIR [-o FILE] [--shard I/N] [PATH...]\n"
          "  mapguard index --merge -o FILE INDEX...\n"
          "  mapguard merge [--format F] [--output FILE] REPORT...\n"
          "  mapguard list-checks\n"
          "  mapguard explain CHECK\n"
          "  mapguard confirm [-p BUILD_DIR] SOURCES... [-- PROGRAM ARGS]\n",
          &ErrorStream)) {
    StringRef Message = StringRef(Errors).trim();
    Message.consume_front(std::string(Argv[0]) + ":");
    Message.consume_front("mapguard:");
    if (Message.trim().empty())
      Message = "invalid command line (mapguard --help lists the options)";
    usageError(firstLine(Message));
  }
  int Status = -1;
  if (ScanCmd)
    Status = runScan(Argv[0]);
  else if (IndexCmd)
    Status = runIndex(Argv[0]);
  else if (MergeCmd)
    Status = runMerge(Argv[0]);
  else if (ListCmd)
    Status = runListChecks(Argv[0]);
  else if (ExplainCmd)
    Status = runExplain(Argv[0]);
  else if (ConfirmCmd)
    Status = runConfirm(Argv[0]);
  if (Status >= 0) {
    if (ListCmd || ExplainCmd) {
      requireStdout();
      checkWritten(outs(), "to stdout");
    }
    forgetOutputErrors();
    return Status;
  }
  usageError("expected a subcommand: scan, index, merge, list-checks, "
             "explain or confirm (mapguard --help)");
}
