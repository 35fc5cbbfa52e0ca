//===--- Scanner.cpp - mapguard checks over a compile database ------------===//

#include "Scanner.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace clang::tidy::mapguard {

namespace {

constexpr llvm::StringRef CheckPrefix = "mapguard-";

/// The options every scan starts from: clang-tidy's defaults with only the
/// mapguard checks enabled.
ClangTidyOptions defaultOptions() {
  ClangTidyOptions Defaults = ClangTidyOptions::getDefaults();
  Defaults.Checks = "-*,mapguard-*";
  return Defaults;
}

/// Parses a .clang-tidy file. A project's Checks line is written for
/// clang-tidy's own checks; unless it names mapguard checks it is not meant
/// for us and would otherwise switch them all off with its "-*".
llvm::ErrorOr<ClangTidyOptions> parseProjectConfig(llvm::MemoryBufferRef Text) {
  llvm::ErrorOr<ClangTidyOptions> Parsed = parseConfiguration(Text);
  if (Parsed && Parsed->Checks &&
      !llvm::StringRef(*Parsed->Checks).contains(CheckPrefix))
    Parsed->Checks.reset();
  return Parsed;
}

/// clang-tidy's provider of .clang-tidy files, parsing them as above.
class ProjectOptionsProvider : public FileOptionsProvider {
public:
  ProjectOptionsProvider(ClangTidyGlobalOptions GlobalOptions,
                         ClangTidyOptions DefaultOptions,
                         ClangTidyOptions OverrideOptions,
                         llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS)
      : FileOptionsProvider(std::move(GlobalOptions), std::move(DefaultOptions),
                            std::move(OverrideOptions), std::move(FS)) {
    ConfigHandlers = {{".clang-tidy", parseProjectConfig}};
  }
};

/// Splits a checks string ("-*,mapguard-a, mapguard-b*") into its globs.
std::vector<std::string> splitGlobs(llvm::StringRef Checks) {
  llvm::SmallVector<llvm::StringRef> Parts;
  Checks.split(Parts, ',', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Globs;
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      Globs.push_back(P.trim().str());
  return Globs;
}

/// Records the files the preprocessor read, the result cache's dependencies.
class TidyAction : public ASTFrontendAction {
public:
  TidyAction(ClangTidyASTConsumerFactory &Factory,
             std::vector<std::string> &Dependencies)
      : Factory(Factory), Dependencies(Dependencies) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &Compiler,
                                                 llvm::StringRef File) override {
    return Factory.createASTConsumer(Compiler, File);
  }

  void EndSourceFileAction() override {
    CompilerInstance &CI = getCompilerInstance();
    if (!CI.hasSourceManager())
      return;
    llvm::vfs::FileSystem &FS = CI.getFileManager().getVirtualFileSystem();
    for (auto It = CI.getSourceManager().fileinfo_begin(),
              End = CI.getSourceManager().fileinfo_end();
         It != End; ++It) {
      llvm::SmallString<256> Path(It->first.getName());
      FS.makeAbsolute(Path);
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
      Dependencies.push_back(std::string(Path));
    }
  }

private:
  ClangTidyASTConsumerFactory &Factory;
  std::vector<std::string> &Dependencies;
};

class TidyActionFactory : public tooling::FrontendActionFactory {
public:
  TidyActionFactory(ClangTidyContext &Context,
                    llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
                    std::vector<std::string> &Dependencies)
      : ConsumerFactory(Context, std::move(FS)), Dependencies(Dependencies) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<TidyAction>(ConsumerFactory, Dependencies);
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
  std::vector<std::string> &Dependencies;
};

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

SourcePosition positionOf(const tooling::DiagnosticMessage &M,
                          llvm::StringRef BuildDirectory) {
  llvm::SmallString<256> Path(M.FilePath);
  if (!Path.empty() && !llvm::sys::path::is_absolute(Path)) {
    Path = BuildDirectory;
    llvm::sys::path::append(Path, M.FilePath);
  }
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  SourcePosition P;
  P.File = std::string(Path);
  P.Offset = M.FileOffset;
  return P;
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

std::vector<std::string> registeredChecks() {
  ClangTidyCheckFactories Factories;
  for (const ClangTidyModuleRegistry::entry &Module :
       ClangTidyModuleRegistry::entries())
    Module.instantiate()->addCheckFactories(Factories);
  std::vector<std::string> Names;
  for (const auto &Factory : Factories)
    if (Factory.getKey().starts_with(CheckPrefix))
      Names.push_back(Factory.getKey().str());
  llvm::sort(Names);
  return Names;
}

Scanner::Scanner(std::unique_ptr<tooling::CompilationDatabase> Database,
                 ScanOptions Options)
    : Database(std::move(Database)), Options(std::move(Options)) {
  if (this->Options.CacheDir)
    Cache.emplace(*this->Options.CacheDir);
}

llvm::Expected<std::unique_ptr<Scanner>>
Scanner::create(std::unique_ptr<tooling::CompilationDatabase> Database,
                ScanOptions Options) {
  if (Options.Checks) {
    std::vector<std::string> Known = registeredChecks();
    for (const std::string &Glob : splitGlobs(*Options.Checks)) {
      if (Glob.front() == '-')
        continue;
      llvm::Expected<llvm::GlobPattern> Pattern =
          llvm::GlobPattern::create(Glob);
      if (!Pattern)
        return llvm::createStringError("invalid --checks glob '%s': %s",
                                       Glob.c_str(),
                                       toString(Pattern.takeError()).c_str());
      if (llvm::none_of(Known,
                        [&](const std::string &N) { return Pattern->match(N); }))
        return llvm::createStringError(
            "unknown check '%s' in --checks (mapguard list-checks shows the "
            "checks)",
            Glob.c_str());
    }
  }
  if (Options.Config) {
    llvm::ErrorOr<ClangTidyOptions> Parsed =
        parseConfiguration(llvm::MemoryBufferRef(*Options.Config, "--config"));
    if (!Parsed)
      return llvm::createStringError("invalid --config: %s",
                                     Parsed.getError().message().c_str());
  }
  return std::unique_ptr<Scanner>(
      new Scanner(std::move(Database), std::move(Options)));
}

FileResult Scanner::scanFile(llvm::StringRef File, bool &FromCache) {
  FromCache = false;
  FileResult Result;
  auto Fail = [&](std::string Message) {
    Result.Failures.push_back({File.str(), std::move(Message)});
    return std::move(Result);
  };

  std::vector<tooling::CompileCommand> Commands =
      Database->getCompileCommands(File);
  if (Commands.empty())
    return Fail("no compile command for this file");
  auto MainFile = llvm::MemoryBuffer::getFile(File);
  if (!MainFile)
    return Fail("cannot read file: " + MainFile.getError().message());

  // The configuration, as clang-tidy would build it for this file.
  ClangTidyOptions Overrides;
  if (Options.Checks)
    Overrides.Checks = *Options.Checks;
  std::unique_ptr<ClangTidyOptionsProvider> Provider;
  if (Options.Config) {
    ClangTidyOptions Config = *parseConfiguration(
        llvm::MemoryBufferRef(*Options.Config, "--config"));
    Provider = std::make_unique<ConfigOptionsProvider>(
        ClangTidyGlobalOptions(), defaultOptions(), std::move(Config),
        std::move(Overrides));
  } else {
    Provider = std::make_unique<ProjectOptionsProvider>(
        ClangTidyGlobalOptions(), defaultOptions(), std::move(Overrides),
        llvm::vfs::createPhysicalFileSystem());
  }
  ClangTidyContext Context(std::move(Provider));
  ClangTidyOptions Effective = Context.getOptionsForFile(File);

  std::string Key;
  if (Cache) {
    std::vector<std::string> CommandLine;
    for (const tooling::CompileCommand &C : Commands) {
      CommandLine.push_back(C.Directory);
      CommandLine.insert(CommandLine.end(), C.CommandLine.begin(),
                         C.CommandLine.end());
    }
    Key = computeCacheKey(mapguardVersion(), CommandLine, Options.ResourceDir,
                          configurationAsText(Effective),
                          (*MainFile)->getBuffer());
    if (std::optional<FileResult> Hit = Cache->lookup(Key)) {
      FromCache = true;
      return std::move(*Hit);
    }
  }

  // A file system with its own working directory: the process-wide one
  // would be changed under the feet of the other threads.
  auto BaseFS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::createPhysicalFileSystem());
  tooling::ClangTool Tool(*Database, {File.str()},
                          std::make_shared<PCHContainerOperations>(), BaseFS);
  Tool.setPrintErrorMessage(false);
  // Extra arguments from the configuration, as clang-tidy adds them.
  Tool.appendArgumentsAdjuster(
      [&Effective](const tooling::CommandLineArguments &Args,
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
          Adjusted.insert(Adjusted.end(), Effective.ExtraArgs->begin(),
                          Effective.ExtraArgs->end());
        return Adjusted;
      });
  Tool.appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());
  // Errors are reported through the failure list; no "N errors generated".
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      "-fno-caret-diagnostics", tooling::ArgumentInsertPosition::END));
  if (!Options.ResourceDir.empty())
    Tool.appendArgumentsAdjuster(
        [this](const tooling::CommandLineArguments &Args, llvm::StringRef) {
          for (const std::string &A : Args)
            if (llvm::StringRef(A).starts_with("-resource-dir"))
              return Args;
          tooling::CommandLineArguments Adjusted = Args;
          Adjusted.push_back("-resource-dir=" + Options.ResourceDir);
          return Adjusted;
        });

  ClangTidyDiagnosticConsumer DiagConsumer(Context);
  auto DiagOpts = std::make_unique<DiagnosticOptions>();
  DiagnosticsEngine DE(llvm::makeIntrusiveRefCnt<DiagnosticIDs>(), *DiagOpts,
                       &DiagConsumer, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(DiagOpts), &DE);
  Tool.setDiagnosticConsumer(&DiagConsumer);

  std::vector<std::string> Dependencies;
  TidyActionFactory Factory(Context, BaseFS, Dependencies);
  int Status = Tool.run(&Factory);
  std::vector<ClangTidyError> Errors = DiagConsumer.take();

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
    for (const tooling::DiagnosticMessage &N : E.Notes) {
      FindingNote Note;
      Note.Message = N.Message;
      Note.Where = positionOf(N, E.BuildDirectory);
      Resolver.resolve(Note.Where);
      F.Notes.push_back(std::move(Note));
    }
    Result.Findings.push_back(std::move(F));
  }

  if (!CompilerErrors.empty() || Status != 0) {
    std::string Message = CompilerErrors.empty()
                              ? "the compiler invocation failed"
                              : CompilerErrors.front()->Message.Message;
    if (CompilerErrors.size() > 1)
      Message += " (and " + std::to_string(CompilerErrors.size() - 1) +
                 " more error" + (CompilerErrors.size() > 2 ? "s" : "") + ")";
    // Findings of a broken TU are unreliable: report only the failure.
    Result.Findings.clear();
    Result.Failures.push_back(
        {File.str(), std::move(Message),
         CompilerErrors.empty() ? ""
                                : locationOf(*CompilerErrors.front(), Resolver)});
    return Result;
  }
  if (Cache) {
    llvm::sort(Dependencies);
    Dependencies.erase(std::unique(Dependencies.begin(), Dependencies.end()),
                       Dependencies.end());
    Cache->store(Key, Dependencies, Result);
  }
  return Result;
}

ScanResult Scanner::run(llvm::ArrayRef<std::string> Files,
                        ProgressReporter &Progress) {
  std::vector<FileResult> PerFile(Files.size());
  std::vector<char> Cached(Files.size());
  {
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Options.Jobs));
    for (size_t I = 0; I < Files.size(); ++I)
      Pool.async([&, I] {
        bool FromCache = false;
        PerFile[I] = scanFile(Files[I], FromCache);
        Cached[I] = FromCache;
        Progress.fileDone(Files[I], FromCache, !PerFile[I].Failures.empty());
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
  }
  R.normalize();
  return R;
}

} // namespace clang::tidy::mapguard
