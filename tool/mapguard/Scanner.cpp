//===--- Scanner.cpp - mapguard checks over a compile database ------------===//

#include "Scanner.h"
#include "CheckList.h"
#include "InputFile.h"
#include "analysis/core/MapGuardAnalyses.h"
#include "clang/AST/Decl.h"
#include "clang/AST/PrettyPrinter.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/GlobList.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Options/Options.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"
#if defined(__unix__) || defined(__APPLE__)
#include <csignal>
#include <memory>
#define MAPGUARD_HAVE_SIGALTSTACK 1
#endif

namespace clang::tidy::mapguard {

namespace {

/// The options every scan starts from: clang-tidy's defaults with only the
/// mapguard checks enabled.
ClangTidyOptions defaultOptions() {
  ClangTidyOptions Defaults = ClangTidyOptions::getDefaults();
  Defaults.Checks = "-*,mapguard-*";
  return Defaults;
}

/// Parses a .clang-tidy file. A project's Checks line is written for
/// clang-tidy's own checks; unless it names mapguard checks it is not meant
/// for us and would otherwise switch them all off with its "-*". A file that
/// does not parse is recorded in \p Problems (the scan stops before it
/// starts, see Scanner::checkConfiguration) and read as empty, so that
/// clang-tidy prints nothing from each thread.
llvm::ErrorOr<ClangTidyOptions>
parseProjectConfig(llvm::MemoryBufferRef Text, ConfigProblems &Problems) {
  std::string Problem;
  llvm::ErrorOr<ClangTidyOptions> Parsed =
      parseConfigurationWithDiags(Text, [&](const llvm::SMDiagnostic &D) {
        if (Problem.empty())
          Problem = D.getMessage().str();
      });
  if (!Parsed) {
    Problems.add(Text.getBufferIdentifier().str() + ": " +
                 (Problem.empty() ? Parsed.getError().message() : Problem));
    return ClangTidyOptions();
  }
  if (Parsed->Checks && !llvm::StringRef(*Parsed->Checks).contains(CheckPrefix))
    Parsed->Checks.reset();
  return Parsed;
}

/// clang-tidy's provider of .clang-tidy files, parsing them as above.
class ProjectOptionsProvider : public FileOptionsProvider {
public:
  ProjectOptionsProvider(ClangTidyGlobalOptions GlobalOptions,
                         ClangTidyOptions DefaultOptions,
                         ClangTidyOptions OverrideOptions,
                         llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
                         ConfigProblems &Problems)
      : FileOptionsProvider(std::move(GlobalOptions), std::move(DefaultOptions),
                            std::move(OverrideOptions), std::move(FS)) {
    ConfigHandlers = {{".clang-tidy", [&Problems](llvm::MemoryBufferRef Text) {
                         return parseProjectConfig(Text, Problems);
                       }}};
  }
};

/// Collects the messages of the configuration diagnostics that checks emit
/// while reading their options (clang-tidy's "invalid configuration value"
/// and MapGuardCheck's own option checks).
class ConfigDiagnosticCollector : public DiagnosticConsumer {
public:
  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Warning)
      return;
    llvm::SmallString<256> Message;
    Info.FormatDiagnostic(Message);
    Messages.push_back(std::string(Message));
  }
  std::vector<std::string> Messages;
};

/// The message of the fatal error that ended the current thread's crash
/// recovery, if one did (see recordFatalErrorForRecovery).
thread_local std::string FatalErrorInRecovery;

/// The first compile command of a file, as clangd uses: a file built in
/// several configurations (say, plain and with a sanitizer) is analysed once.
class FirstCommandDatabase : public tooling::CompilationDatabase {
public:
  explicit FirstCommandDatabase(tooling::CompileCommand Command)
      : Command(std::move(Command)) {}
  std::vector<tooling::CompileCommand>
  getCompileCommands(llvm::StringRef) const override {
    return {Command};
  }

private:
  tooling::CompileCommand Command;
};

/// A check's skip (MapGuardAnalyses::checkSkips) as read while its AST
/// lives: the function's name and where it is.
struct PendingSkip {
  std::string Check;
  std::string Function;
  std::string Budget;
  unsigned Limit = 0;
  /// As the compiler names the file (relative to the command's directory).
  std::string File;
  unsigned Offset = 0;
  bool InMainFile = false;
  bool InSystemHeader = false;
};

/// What the action records of its translation unit.
struct UnitRecord {
  /// The files the preprocessor read, the result cache's dependencies.
  std::vector<std::string> Dependencies;
  /// Whether clang got as far as building an AST.
  bool Parsed = false;
  std::vector<PendingSkip> Skips;
};

/// Reads the skips the checks handed to \p Analyses, while the AST lives.
std::vector<PendingSkip> pendingSkips(const MapGuardAnalyses &Analyses,
                                      const SourceManager &SM,
                                      const LangOptions &LangOpts) {
  std::vector<PendingSkip> Out;
  PrintingPolicy Policy(LangOpts);
  for (const CheckSkip &S : Analyses.checkSkips()) {
    if (!S.Function)
      continue;
    PendingSkip P{S.Check, "", S.Budget, S.Limit};
    llvm::raw_string_ostream Name(P.Function);
    S.Function->getNameForDiagnostic(Name, Policy, /*Qualified=*/true);
    SourceLocation Loc = SM.getFileLoc(S.Function->getLocation());
    if (Loc.isValid()) {
      P.File = SM.getFilename(Loc).str();
      P.Offset = SM.getFileOffset(Loc);
      P.InMainFile = SM.isInMainFile(Loc);
      P.InSystemHeader = SM.isInSystemHeader(Loc);
    }
    Out.push_back(std::move(P));
  }
  return Out;
}

/// Runs the checks; records what UnitRecord holds.
class TidyAction : public ASTFrontendAction {
public:
  TidyAction(ClangTidyASTConsumerFactory &Factory,
             const MapGuardAnalyses &Analyses, UnitRecord &Record)
      : Factory(Factory), Analyses(Analyses), Record(Record) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &Compiler,
                                                 llvm::StringRef File) override {
    // The checks run on whatever AST clang builds from here on, errors or
    // not.
    Record.Parsed = true;
    return Factory.createASTConsumer(Compiler, File);
  }

  void EndSourceFileAction() override {
    CompilerInstance &CI = getCompilerInstance();
    if (!CI.hasSourceManager())
      return;
    // The checks are done, their AST is still there.
    Record.Skips =
        pendingSkips(Analyses, CI.getSourceManager(), CI.getLangOpts());
    llvm::vfs::FileSystem &FS = CI.getFileManager().getVirtualFileSystem();
    for (auto It = CI.getSourceManager().fileinfo_begin(),
              End = CI.getSourceManager().fileinfo_end();
         It != End; ++It) {
      // As the compiler spelt it, made absolute: "inc/link/../a.h" is where
      // "link" points now, not "inc/a.h" (only "." components go), so a
      // later lookup stats the file the compiler would read again.
      llvm::SmallString<256> Path(It->first.getName());
      FS.makeAbsolute(Path);
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/false);
      Record.Dependencies.push_back(std::string(Path));
    }
  }

private:
  ClangTidyASTConsumerFactory &Factory;
  const MapGuardAnalyses &Analyses;
  UnitRecord &Record;
};

class TidyActionFactory : public tooling::FrontendActionFactory {
public:
  TidyActionFactory(ClangTidyContext &Context,
                    llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
                    const MapGuardAnalyses &Analyses, UnitRecord &Record)
      : ConsumerFactory(Context, std::move(FS)), Analyses(Analyses),
        Record(Record) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<TidyAction>(ConsumerFactory, Analyses, Record);
  }

  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                     FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // As clang-tidy: code may test __clang_analyzer__ to hide itself.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    return FrontendActionFactory::runInvocation(
        std::move(Invocation), Files, std::move(PCHContainerOps),
        DiagConsumer);
  }

private:
  ClangTidyASTConsumerFactory ConsumerFactory;
  const MapGuardAnalyses &Analyses;
  UnitRecord &Record;
};

std::string firstLineOf(llvm::StringRef Text) {
  return Text.trim().split('\n').first.trim().str();
}

/// Line/column of offsets in files, each file read once.
class PositionResolver {
public:
  /// Fills Line, Column (and returns the line's text) for P.File/P.Offset.
  std::string resolve(SourcePosition &P) {
    auto &Entry = Files[P.File];
    if (!Entry) {
      auto Buffer = llvm::MemoryBuffer::getFile(P.File);
      if (!Buffer)
        return "";
      Entry = std::move(*Buffer);
    }
    llvm::StringRef Text = Entry->getBuffer();
    unsigned Offset = std::min<size_t>(P.Offset, Text.size());
    llvm::StringRef Before = Text.take_front(Offset);
    P.Line = Before.count('\n') + 1;
    size_t LineStart = Before.rfind('\n');
    LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
    P.Column = Offset - LineStart + 1;
    return Text.substr(LineStart).split('\n').first.rtrim("\r").str();
  }

private:
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> Files;
};

/// The absolute, normalised name of a file a diagnostic names (\p File,
/// relative to \p BuildDirectory): ".." removed, unless that changes which
/// file it names ("inc/link/../a.h" where link is a symbolic link), then its
/// real path.
std::string diagnosticFileName(llvm::StringRef File,
                               llvm::StringRef BuildDirectory) {
  llvm::SmallString<256> Path(File);
  if (!Path.empty() && !llvm::sys::path::is_absolute(Path)) {
    Path = BuildDirectory;
    llvm::sys::path::append(Path, File);
  }
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/false);
  llvm::SmallString<256> Lexical(Path);
  llvm::sys::path::remove_dots(Lexical, /*remove_dot_dot=*/true);
  bool Same = true;
  llvm::SmallString<256> Real;
  if (Lexical != Path && !llvm::sys::fs::equivalent(Path, Lexical, Same) &&
      !Same && !llvm::sys::fs::real_path(Path, Real))
    return std::string(Real);
  return std::string(Lexical);
}

SourcePosition positionOf(const tooling::DiagnosticMessage &M,
                          llvm::StringRef BuildDirectory) {
  SourcePosition P;
  P.File = diagnosticFileName(M.FilePath, BuildDirectory);
  P.Offset = M.FileOffset;
  return P;
}

/// The replacements of a fix-it, with absolute file names.
std::vector<FixReplacement>
replacementsOf(const llvm::StringMap<tooling::Replacements> &Fix,
               llvm::StringRef BuildDirectory) {
  std::vector<FixReplacement> Out;
  for (const auto &FileAndReplacements : Fix)
    for (const tooling::Replacement &R : FileAndReplacements.second) {
      Out.push_back({diagnosticFileName(R.getFilePath(), BuildDirectory),
                     R.getOffset(), R.getLength(),
                     R.getReplacementText().str()});
    }
  llvm::sort(Out, [](const FixReplacement &A, const FixReplacement &B) {
    return std::tie(A.File, A.Offset) < std::tie(B.File, B.Offset);
  });
  return Out;
}

/// Whether \p Args run clang's driver in cl mode (clang-cl, --driver-mode=cl).
bool isCLMode(const std::vector<std::string> &Args) {
  if (!Args.empty()) {
    llvm::StringRef Exe = llvm::sys::path::stem(Args.front());
    if (Exe.ends_with_insensitive("clang-cl") || Exe.equals_insensitive("cl"))
      return true;
  }
  for (const std::string &A : Args)
    if (A == "--driver-mode=cl")
      return true;
  return false;
}

/// The skips of \p Record in the files whose findings are reported (the
/// main file; headers as --header-filter, --exclude-header-filter and
/// --system-headers say, as clang-tidy filters diagnostics), with positions.
std::vector<SkippedFunction> reportedSkips(const UnitRecord &Record,
                                           const ClangTidyOptions &Options,
                                           llvm::StringRef BuildDirectory,
                                           PositionResolver &Resolver) {
  // An empty filter matches no header.
  auto Filter = [](const std::optional<std::string> &Regex) {
    std::optional<llvm::Regex> R;
    if (Regex && !Regex->empty())
      R.emplace(*Regex);
    return R;
  };
  std::optional<llvm::Regex> Headers = Filter(Options.HeaderFilterRegex);
  std::optional<llvm::Regex> Excluded =
      Filter(Options.ExcludeHeaderFilterRegex);
  std::vector<SkippedFunction> Out;
  for (const PendingSkip &P : Record.Skips) {
    if (P.File.empty() ||
        (P.InSystemHeader && !Options.SystemHeaders.value_or(false)))
      continue;
    if (!P.InMainFile && (!Headers || !Headers->match(P.File) ||
                          (Excluded && Excluded->match(P.File))))
      continue;
    SkippedFunction S{P.Check, P.Function, {}, P.Budget, P.Limit};
    S.Where.File = diagnosticFileName(P.File, BuildDirectory);
    S.Where.Offset = P.Offset;
    Resolver.resolve(S.Where);
    Out.push_back(std::move(S));
  }
  return Out;
}

/// "file:line:col" of a compiler error, or "" when it has no position.
std::string locationOf(const ClangTidyError &E, PositionResolver &Resolver) {
  SourcePosition P = positionOf(E.Message, E.BuildDirectory);
  if (P.File.empty())
    return "";
  Resolver.resolve(P);
  return P.File + ":" + std::to_string(P.Line) + ":" +
         std::to_string(P.Column);
}

} // namespace

llvm::Expected<std::unique_ptr<tooling::CompilationDatabase>>
loadCompileDatabase(llvm::StringRef File) {
  auto Text = readInputFile(File, limits::Database, "compile database");
  if (!Text)
    return Text.takeError();
  if (llvm::Error E = checkJSONStructure((*Text)->getBuffer()))
    return llvm::createStringError(
        "cannot load the compile database: '%s': %s",
        printable(File, 1000).c_str(), llvm::toString(std::move(E)).c_str());
  std::string Problem;
  std::unique_ptr<tooling::CompilationDatabase> DB =
      tooling::JSONCompilationDatabase::loadFromBuffer(
          (*Text)->getBuffer(), Problem,
          tooling::JSONCommandLineSyntax::AutoDetect);
  if (!DB)
    return llvm::createStringError("cannot load the compile database: %s",
                                   printable(firstLineOf(Problem)).c_str());
  return std::move(DB);
}

std::vector<std::string>
neutralizeBuildOnlyArguments(const std::vector<std::string> &Args) {
  if (Args.empty())
    return Args;
  const bool CL = isCLMode(Args);
  // Arguments clang's driver does not know: what GCC accepts and clang
  // reports as "unknown argument" errors. Found with the driver's own option
  // table, so that values of known options are never mistaken for them.
  llvm::SmallVector<const char *> Argv;
  for (size_t I = 1; I < Args.size(); ++I)
    Argv.push_back(Args[I].c_str());
  const llvm::opt::OptTable &Table = getDriverOptTable();
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Parsed = Table.ParseArgs(
      Argv, MissingIndex, MissingCount,
      llvm::opt::Visibility(CL ? options::CLOption : options::ClangOption));
  std::vector<bool> Drop(Args.size(), false);
  for (const llvm::opt::Arg *A : Parsed.filtered(options::OPT_UNKNOWN))
    Drop[A->getIndex() + 1] = true;
  // Where an option is spelt (not its separate value: "-include -Werror").
  std::vector<bool> Spelt(Args.size(), false);
  for (const llvm::opt::Arg *A : Parsed)
    Spelt[A->getIndex() + 1] = true;

  std::vector<std::string> Out;
  bool Inputs = false; // after "--": file names only
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef A(Args[I]);
    if (Inputs || A == "--") {
      Inputs = true;
      Out.push_back(Args[I]);
      continue;
    }
    if (I > 0 && Drop[I])
      continue;
    if (I > 0 && Spelt[I] &&
        (A == "-Werror" || A.starts_with("-Werror=") ||
         A == "-pedantic-errors" || A == "--pedantic-errors" ||
         (CL && (A == "/WX" || A == "-WX"))))
      continue;
    Out.push_back(Args[I]);
  }
  return Out;
}

Scanner::Scanner(std::unique_ptr<tooling::CompilationDatabase> Database,
                 ScanOptions Options)
    : Database(std::move(Database)), Options(std::move(Options)) {
  if (this->Options.CacheDir)
    Cache.emplace(*this->Options.CacheDir);
}

llvm::Expected<std::unique_ptr<Scanner>>
Scanner::create(std::unique_ptr<tooling::CompilationDatabase> Database,
                ScanOptions Options, std::vector<std::string> *Notes) {
  if (Options.Checks) {
    // Parsed as clang-tidy parses it, with its GlobList: a glob that names
    // no mapguard check is for clang-tidy's own checks, accepted and ignored;
    // one that looks like a mapguard check but matches none is a typo.
    std::vector<std::string> Known = registeredChecks();
    GlobList Globs(*Options.Checks);
    std::vector<std::string> Ignored;
    for (const auto &Item : Globs.getItems()) {
      if (!Item.IsPositive)
        continue;
      if (llvm::any_of(Known, [&](const std::string &N) {
            return Item.Regex.match(N);
          }))
        continue;
      if (Item.Text.starts_with(CheckPrefix.drop_back()))
        return llvm::createStringError(
            "unknown check '%s' in --checks (mapguard list-checks shows the "
            "checks)",
            Item.Text.str().c_str());
      Ignored.push_back(Item.Text.str());
    }
    if (Notes && !Ignored.empty())
      Notes->push_back("--checks: ignoring '" + llvm::join(Ignored, "', '") +
                       "' (mapguard runs only mapguard-* checks)");
    // Whatever the configuration files enable, --checks comes last.
    GlobList Effective(std::string(CheckPrefix) + "*," + *Options.Checks);
    if (llvm::none_of(Known,
                      [&](const std::string &N) { return Effective.contains(N); }))
      return llvm::createStringError(
          "--checks '%s' disables every mapguard check",
          Options.Checks->c_str());
  }
  for (const auto &[Name, Regex] :
       {std::pair{"--header-filter", &Options.HeaderFilter},
        std::pair{"--exclude-header-filter", &Options.ExcludeHeaderFilter}}) {
    if (!*Regex)
      continue;
    std::string Problem;
    if (!llvm::Regex(**Regex).isValid(Problem))
      return llvm::createStringError("invalid %s '%s': %s", Name,
                                     (*Regex)->c_str(), Problem.c_str());
  }
  if (!Options.LineFilter.empty()) {
    ClangTidyGlobalOptions Global;
    if (std::error_code EC = parseLineFilter(Options.LineFilter, Global))
      return llvm::createStringError("invalid --line-filter: %s",
                                     EC.message().c_str());
  }
  if (Options.Config) {
    std::string Problem;
    llvm::ErrorOr<ClangTidyOptions> Parsed = parseConfigurationWithDiags(
        llvm::MemoryBufferRef(*Options.Config, Options.ConfigSource),
        [&](const llvm::SMDiagnostic &D) {
          if (Problem.empty())
            Problem = D.getMessage().str();
        });
    if (!Parsed)
      return llvm::createStringError(
          "invalid %s: %s", Options.ConfigSource.c_str(),
          Problem.empty() ? Parsed.getError().message().c_str()
                          : Problem.c_str());
  }
  return std::unique_ptr<Scanner>(
      new Scanner(std::move(Database), std::move(Options)));
}

std::unique_ptr<ClangTidyOptionsProvider> Scanner::optionsProvider(
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) {
  // The configuration, as clang-tidy would build it for this file: the
  // command-line options override the configuration files.
  ClangTidyOptions Overrides;
  Overrides.Checks = Options.Checks;
  Overrides.HeaderFilterRegex = Options.HeaderFilter;
  Overrides.ExcludeHeaderFilterRegex = Options.ExcludeHeaderFilter;
  Overrides.SystemHeaders = Options.SystemHeaders;
  Overrides.WarningsAsErrors = Options.WarningsAsErrors;
  if (!Options.ExtraArgs.empty())
    Overrides.ExtraArgs = Options.ExtraArgs;
  if (!Options.ExtraArgsBefore.empty())
    Overrides.ExtraArgsBefore = Options.ExtraArgsBefore;
  // The index scan built (or --index named) wins over the configuration's.
  if (Options.IndexFile)
    Overrides.CheckOptions["ProjectIndex"] =
        ClangTidyOptions::ClangTidyValue(*Options.IndexFile);
  ClangTidyGlobalOptions Global;
  if (!Options.LineFilter.empty())
    (void)parseLineFilter(Options.LineFilter, Global); // checked in create()
  if (Options.Config) {
    ClangTidyOptions Config = *parseConfiguration(
        llvm::MemoryBufferRef(*Options.Config, Options.ConfigSource));
    return std::make_unique<ConfigOptionsProvider>(
        std::move(Global), defaultOptions(), std::move(Config),
        std::move(Overrides), std::move(FS));
  }
  return std::make_unique<ProjectOptionsProvider>(
      std::move(Global), defaultOptions(), std::move(Overrides), std::move(FS),
      Problems);
}

void ConfigProblems::add(std::string Message) {
  std::lock_guard<std::mutex> Guard(Lock);
  if (!llvm::is_contained(Messages, Message))
    Messages.push_back(std::move(Message));
}

std::optional<std::string> ConfigProblems::first() const {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Messages.empty())
    return std::nullopt;
  return Messages.front();
}

void recordFatalErrorForRecovery(llvm::StringRef Message) {
  FatalErrorInRecovery = Message.str();
}

llvm::Error Scanner::checkConfiguration(llvm::ArrayRef<std::string> Files) {
  auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::createPhysicalFileSystem());
  ClangTidyContext Context(optionsProvider(FS));
  ConfigDiagnosticCollector Collector;
  auto DiagOpts = std::make_unique<DiagnosticOptions>();
  DiagnosticsEngine DE(llvm::makeIntrusiveRefCnt<DiagnosticIDs>(), *DiagOpts,
                       &Collector, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(DiagOpts), &DE);
  ClangTidyCheckFactories Factories;
  for (const ClangTidyModuleRegistry::entry &Module :
       ClangTidyModuleRegistry::entries())
    Module.instantiate()->addCheckFactories(Factories);
  // The checks read (and validate) their options in their constructors:
  // build them once per distinct configuration, as a scan would.
  llvm::StringSet<> Seen;
  for (const std::string &File : Files) {
    Context.setCurrentFile(File);
    if (std::optional<std::string> Problem = Problems.first())
      return llvm::createStringError("invalid configuration file %s",
                                     Problem->c_str());
    if (!Seen.insert(configurationAsText(Context.getOptions())).second)
      continue;
    (void)Factories.createChecks(&Context);
    if (!Collector.Messages.empty()) {
      llvm::StringRef Message = Collector.Messages.front();
      Message.consume_back(" [clang-tidy-config]");
      // The plugin goes on with the default ("; using 3000"); a scan stops.
      Message = Message.substr(0, Message.rfind("; using "));
      return llvm::createStringError("invalid CheckOptions for '%s': %s",
                                     File.c_str(),
                                     firstLineOf(Message).c_str());
    }
  }
  return llvm::Error::success();
}

std::string Scanner::indexIdentity(const ClangTidyOptions &Effective,
                                   llvm::StringRef Directory) {
  std::string Out;
  for (const auto &Option : Effective.CheckOptions) {
    llvm::StringRef Key = Option.getKey();
    if (Key != "ProjectIndex" && !Key.ends_with(".ProjectIndex"))
      continue;
    llvm::StringRef Value = Option.getValue().Value;
    if (Value.empty())
      continue;
    llvm::SmallString<256> Path(Value);
    if (llvm::sys::path::is_relative(Path)) {
      Path = Directory;
      llvm::sys::path::append(Path, Value);
    }
    std::string Hash;
    {
      std::lock_guard<std::mutex> Guard(IndexHashLock);
      auto It = IndexHashes.find(Path);
      if (It != IndexHashes.end())
        Hash = It->second;
    }
    if (Hash.empty()) {
      std::optional<Dependency> D = ResultCache::describe(Path);
      Hash = D ? D->Hash : "unreadable";
      std::lock_guard<std::mutex> Guard(IndexHashLock);
      IndexHashes.try_emplace(Path, Hash);
    }
    Out += "\nIndex: " + Key.str() + "=" + Path.str().str() + "@" + Hash;
  }
  return Out;
}

FileResult Scanner::scanFile(llvm::StringRef File, bool &FromCache) {
  return analyseFile(File, FromCache, nullptr);
}

FileResult Scanner::extractFile(llvm::StringRef File, bool &FromCache,
                                ProjectIndex &Facts) {
  return analyseFile(File, FromCache, &Facts);
}

FileResult Scanner::analyseFile(llvm::StringRef File, bool &FromCache,
                                ProjectIndex *Facts) {
  FromCache = false;
  FileResult Result;
  auto Fail = [&](std::string Message) {
    Result.Failures.push_back(
        {File.str(), std::move(Message), "", FailureKind::NotAnalysed});
    return std::move(Result);
  };

  std::vector<tooling::CompileCommand> AllCommands =
      Database->getCompileCommands(File);
  if (AllCommands.empty())
    return Fail("no compile command for this file");
  FirstCommandDatabase Commands(AllCommands.front());
  const tooling::CompileCommand &Command = AllCommands.front();
  // ClangTool aborts the process ("Cannot chdir") on a directory it cannot
  // enter: this file is not analysed, the others are.
  if (!llvm::sys::fs::is_directory(Command.Directory))
    return Fail("the directory of its compile command, '" +
                printable(Command.Directory) + "', does not exist");
  if (llvm::sys::fs::exists(File)) {
    std::string Problem = checkInputFileKind(File, limits::Source);
    if (!Problem.empty())
      return Fail("cannot read file: it " + Problem);
  }
  auto MainFile = llvm::MemoryBuffer::getFile(File);
  if (!MainFile)
    return Fail("cannot read file: " + MainFile.getError().message());

  // A file system with its own working directory: the process-wide one
  // would be changed under the feet of the other threads. ClangTool moves
  // it to the compile command's directory; the options provider shares it
  // so that it resolves the relative names the compiler sees.
  auto BaseFS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::createPhysicalFileSystem());

  ClangTidyContext Context(optionsProvider(BaseFS));
  ClangTidyOptions Effective = Context.getOptionsForFile(File);
  // The checks of this translation unit share this context; they hand it
  // their skips, which the scan reports itself (never as findings).
  std::shared_ptr<MapGuardAnalyses> Analyses =
      MapGuardAnalyses::get(&Context);
  Analyses->collectCheckSkips();
  // Extract mode: the checks record facts, report nothing, read no index.
  if (Facts)
    Analyses->extractFacts();

  std::string Key;
  if (Cache) {
    std::vector<std::string> CommandLine{Command.Directory};
    CommandLine.insert(CommandLine.end(), Command.CommandLine.begin(),
                       Command.CommandLine.end());
    // A result depends on the content of the index its checks read; facts
    // depend on no index.
    std::string Configuration = configurationAsText(Effective);
    if (!Facts)
      Configuration += "\nLineFilter: " + Options.LineFilter +
                       indexIdentity(Effective, Command.Directory);
    Key = computeCacheKey(Options.ToolIdentity, CommandLine,
                          Options.ResourceDir, Configuration,
                          (*MainFile)->getBuffer(),
                          Facts ? CacheKind::Facts : CacheKind::Results);
    if (Facts) {
      if (std::optional<ProjectIndex> Hit = Cache->lookupFacts(Key)) {
        FromCache = true;
        *Facts = std::move(*Hit);
        return Result;
      }
    } else if (std::optional<FileResult> Hit = Cache->lookup(Key)) {
      FromCache = true;
      return std::move(*Hit);
    }
  }

  tooling::ClangTool Tool(Commands, {File.str()},
                          std::make_shared<PCHContainerOperations>(), BaseFS);
  Tool.setPrintErrorMessage(false);
  // Extra arguments from the configuration, as clang-tidy adds them; the
  // appended ones go before a "--" that ends the options (commands inferred
  // for headers have one).
  auto EndOfOptions = [](tooling::CommandLineArguments &Args) {
    return std::find(Args.begin(), Args.end(), "--");
  };
  Tool.appendArgumentsAdjuster(
      [&Effective, EndOfOptions](const tooling::CommandLineArguments &Args,
                                 llvm::StringRef) {
        tooling::CommandLineArguments Adjusted = Args;
        if (Effective.ExtraArgsBefore) {
          auto I = Adjusted.begin();
          if (I != Adjusted.end() && !llvm::StringRef(*I).starts_with("-"))
            ++I;
          Adjusted.insert(I, Effective.ExtraArgsBefore->begin(),
                          Effective.ExtraArgsBefore->end());
        }
        if (Effective.ExtraArgs)
          Adjusted.insert(EndOfOptions(Adjusted), Effective.ExtraArgs->begin(),
                          Effective.ExtraArgs->end());
        return Adjusted;
      });
  Tool.appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());
  // A bare compiler name ("c++") is found on PATH, as the build's shell
  // finds it: clang's driver locates the GCC installation (the C++ headers)
  // relative to the compiler's directory.
  Tool.appendArgumentsAdjuster(
      [](const tooling::CommandLineArguments &Args, llvm::StringRef) {
        if (Args.empty() || Args.front().empty() ||
            llvm::StringRef(Args.front()).find_first_of("/\\") !=
                llvm::StringRef::npos)
          return Args;
        llvm::ErrorOr<std::string> Found =
            llvm::sys::findProgramByName(Args.front());
        if (!Found)
          return Args;
        tooling::CommandLineArguments Adjusted = Args;
        Adjusted.front() = *Found;
        return Adjusted;
      });
  // What only makes a build fail is not an analysis error (see Scanner.h).
  Tool.appendArgumentsAdjuster(
      [](const tooling::CommandLineArguments &Args, llvm::StringRef) {
        return neutralizeBuildOnlyArguments(Args);
      });
  // Errors are reported through the failure list; no "N errors generated".
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      "-fno-caret-diagnostics", tooling::ArgumentInsertPosition::END));
  if (!Options.ResourceDir.empty())
    Tool.appendArgumentsAdjuster(
        [this, EndOfOptions](const tooling::CommandLineArguments &Args,
                             llvm::StringRef) {
          for (const std::string &A : Args)
            if (llvm::StringRef(A).starts_with("-resource-dir"))
              return Args;
          tooling::CommandLineArguments Adjusted = Args;
          Adjusted.insert(EndOfOptions(Adjusted),
                          "-resource-dir=" + Options.ResourceDir);
          return Adjusted;
        });

  ClangTidyDiagnosticConsumer DiagConsumer(Context);
  auto DiagOpts = std::make_unique<DiagnosticOptions>();
  DiagnosticsEngine DE(llvm::makeIntrusiveRefCnt<DiagnosticIDs>(), *DiagOpts,
                       &DiagConsumer, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(DiagOpts), &DE);
  Tool.setDiagnosticConsumer(&DiagConsumer);

  UnitRecord Record;
  TidyActionFactory Factory(Context, BaseFS, *Analyses, Record);
  int Status = 1;
  // A crash (a signal, an LLVM fatal error) in this translation unit costs
  // its own result only: what it allocated is leaked, the other files'
  // results stand.
  llvm::CrashRecoveryContext CRC;
  FatalErrorInRecovery.clear();
  if (!CRC.RunSafely([&] { Status = Tool.run(&Factory); })) {
    // The crashed unit's checks are leaked with their context: the next
    // unit's ClangTidyContext, made at this one's address, gets a new one.
    MapGuardAnalyses::forget(&Context);
    Result.Findings.clear();
    std::string Why = FatalErrorInRecovery.empty()
                          ? "mapguard crashed while analysing this file"
                          : "mapguard stopped while analysing this file: " +
                                printable(FatalErrorInRecovery);
    Result.Failures.push_back(
        {File.str(), Why + " (please report it)", "", FailureKind::NotAnalysed});
    return Result;
  }
  std::vector<ClangTidyError> Errors = DiagConsumer.take();
  if (Facts && Record.Parsed) {
    // The checks are done; the context holds this unit's facts until the
    // next unit, which this context never sees.
    *Facts = std::move(Analyses->unitFacts());
    Facts->addUnit(File);
  }

  PositionResolver Resolver;
  std::vector<const ClangTidyError *> CompilerErrors;
  for (const ClangTidyError &E : Errors) {
    if (!llvm::StringRef(E.DiagnosticName).starts_with(CheckPrefix)) {
      if (E.DiagLevel == tooling::Diagnostic::Error)
        CompilerErrors.push_back(&E);
      continue;
    }
    Finding F;
    F.Check = E.DiagnosticName;
    F.Severity = E.DiagLevel == tooling::Diagnostic::Error || E.IsWarningAsError
                     ? "error"
                     : "warning";
    F.Message = E.Message.Message;
    F.Where = positionOf(E.Message, E.BuildDirectory);
    F.LineText = Resolver.resolve(F.Where);
    F.Fixes = replacementsOf(E.Message.Fix, E.BuildDirectory);
    for (const tooling::DiagnosticMessage &N : E.Notes) {
      FindingNote Note;
      Note.Message = N.Message;
      Note.Where = positionOf(N, E.BuildDirectory);
      Note.Fixes = replacementsOf(N.Fix, E.BuildDirectory);
      Resolver.resolve(Note.Where);
      F.Notes.push_back(std::move(Note));
    }
    Result.Findings.push_back(std::move(F));
  }
  Result.Skipped =
      reportedSkips(Record, Effective, Command.Directory, Resolver);
  if (Facts) { // reported by the scan that reads the facts
    Result.Findings.clear();
    Result.Skipped.clear();
  }

  if (!CompilerErrors.empty() || Status != 0) {
    std::string Message = CompilerErrors.empty()
                              ? "the compiler invocation failed"
                              : CompilerErrors.front()->Message.Message;
    if (CompilerErrors.size() > 1)
      Message += " (and " + std::to_string(CompilerErrors.size() - 1) +
                 " more error" + (CompilerErrors.size() > 2 ? "s" : "") + ")";
    // As clang-tidy: the checks ran on the AST clang recovered, and their
    // findings stand; the failure says that parts may be unchecked. With no
    // AST at all, the file was not analysed. Not cached either way: the
    // error may come from the environment (a header not generated yet).
    if (!Record.Parsed) {
      Result.Findings.clear();
      Result.Skipped.clear();
    }
    Result.Failures.push_back(
        {File.str(), std::move(Message),
         CompilerErrors.empty() ? ""
                                : locationOf(*CompilerErrors.front(), Resolver),
         Record.Parsed ? FailureKind::AnalysedWithErrors
                       : FailureKind::NotAnalysed});
    return Result;
  }
  if (Cache) {
    std::vector<std::string> &Dependencies = Record.Dependencies;
    llvm::sort(Dependencies);
    Dependencies.erase(std::unique(Dependencies.begin(), Dependencies.end()),
                       Dependencies.end());
    if (std::optional<std::string> Problem =
            Facts ? Cache->storeFacts(Key, Dependencies, *Facts)
                  : Cache->store(Key, Dependencies, Result)) {
      std::lock_guard<std::mutex> Guard(CacheProblemLock);
      if (!CacheProblem)
        CacheProblem = File.str() + ": " + *Problem;
    }
  }
  return Result;
}

namespace {

#ifdef MAPGUARD_HAVE_SIGALTSTACK
/// A stack overflow raises SIGSEGV on a stack with no room left for its
/// handler. CrashRecoveryContext's handlers are re-installed to run on an
/// alternate signal stack (SA_ONSTACK), which every worker thread gets
/// (ensureAlternateSignalStack), so that an overflow ends its translation
/// unit like any other crash. Best effort: an overflow inside the allocator
/// or with a lock held can still leave the process unable to go on.
void runCrashHandlersOnAlternateStack() {
  for (int Sig : {SIGSEGV, SIGBUS}) {
    struct sigaction Act;
    if (sigaction(Sig, nullptr, &Act) == 0 && !(Act.sa_flags & SA_ONSTACK)) {
      Act.sa_flags |= SA_ONSTACK;
      sigaction(Sig, &Act, nullptr);
    }
  }
}

/// Gives the calling thread an alternate signal stack, once.
void ensureAlternateSignalStack() {
  thread_local std::unique_ptr<char[]> Stack;
  if (Stack)
    return;
  size_t Size = 1u << 16;
  if (static_cast<size_t>(SIGSTKSZ) > Size)
    Size = SIGSTKSZ;
  Stack.reset(new char[Size]);
  stack_t SS = {};
  SS.ss_sp = Stack.get();
  SS.ss_size = Size;
  if (sigaltstack(&SS, nullptr) != 0)
    Stack.reset();
}
#else
void runCrashHandlersOnAlternateStack() {}
void ensureAlternateSignalStack() {}
#endif

} // namespace

ScanResult Scanner::run(llvm::ArrayRef<std::string> Files,
                        ProgressReporter &Progress,
                        FileDoneCallback OnFileDone) {
  return runFiles(Files, Progress, OnFileDone, nullptr);
}

ScanResult Scanner::extract(llvm::ArrayRef<std::string> Files,
                            ProgressReporter &Progress,
                            std::vector<ProjectIndex> &Facts) {
  Facts.assign(Files.size(), ProjectIndex());
  return runFiles(Files, Progress, nullptr, &Facts);
}

ScanResult Scanner::runFiles(llvm::ArrayRef<std::string> Files,
                             ProgressReporter &Progress,
                             FileDoneCallback OnFileDone,
                             std::vector<ProjectIndex> *Facts) {
  std::vector<FileResult> PerFile(Files.size());
  std::vector<char> Cached(Files.size());
  // Signals in a worker thread end that translation unit (scanFile).
  llvm::CrashRecoveryContext::Enable();
  runCrashHandlersOnAlternateStack(); // and a stack overflow, too
  {
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Options.Jobs));
    for (size_t I = 0; I < Files.size(); ++I)
      Pool.async([&, I] {
        ensureAlternateSignalStack();
        bool FromCache = false;
        PerFile[I] = analyseFile(Files[I], FromCache,
                                 Facts ? &(*Facts)[I] : nullptr);
        Cached[I] = FromCache;
        auto Print = [&] { OnFileDone(Files[I], PerFile[I]); };
        Progress.fileDone(Files[I], FromCache, !PerFile[I].Failures.empty(),
                          OnFileDone ? llvm::function_ref<void()>(Print)
                                     : llvm::function_ref<void()>());
      });
    Pool.wait();
  }
  Progress.finish();
  ScanResult R;
  R.FilesScanned = Files.size();
  for (size_t I = 0; I < Files.size(); ++I) {
    R.FilesFromCache += Cached[I];
    for (Finding &F : PerFile[I].Findings)
      R.Findings.push_back(std::move(F));
    for (FileFailure &F : PerFile[I].Failures)
      R.Failures.push_back(std::move(F));
    for (SkippedFunction &S : PerFile[I].Skipped)
      R.Skipped.push_back(std::move(S));
  }
  R.normalize();
  return R;
}

} // namespace clang::tidy::mapguard
