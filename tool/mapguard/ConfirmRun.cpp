//===--- ConfirmRun.cpp - mapguard confirm: scan, build, run, match -------===//

#include "ConfirmRun.h"
#include "InputFile.h"
#include "Scanner.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"

extern char **environ;

namespace clang::tidy::mapguard {

namespace {

/// Compiling a corpus program takes seconds; a compiler stuck for this long
/// is broken.
constexpr unsigned CompileTimeoutSeconds = 600;

llvm::Error error(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// Absolute, without dots, and through symlinks when the file exists: the
/// same spelling for a finding's file and an event's file.
std::string canonical(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(P, Real))
    return std::string(Real);
  return std::string(P);
}

std::string firstLine(llvm::StringRef Text) {
  return Text.trim().split('\n').first.trim().str();
}

/// The first line of a compiler log that says "error", else its first line.
std::string firstError(llvm::StringRef Log) {
  llvm::SmallVector<llvm::StringRef> Lines;
  Log.split(Lines, '\n');
  for (llvm::StringRef L : Lines)
    if (L.contains("error:") || L.contains("undefined reference"))
      return L.trim().str();
  return firstLine(Log);
}

std::string readFileOr(llvm::StringRef Path, llvm::StringRef Default = "") {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  return Buffer ? (*Buffer)->getBuffer().str() : Default.str();
}

/// The C++ compiler: --cxx, the one mapguard was configured with, or the
/// first of clang++-22, c++, g++, clang++ on PATH.
llvm::Expected<std::string> findCompiler(llvm::StringRef Requested) {
  if (!Requested.empty()) {
    if (llvm::sys::fs::can_execute(Requested))
      return Requested.str();
    if (auto P = llvm::sys::findProgramByName(Requested))
      return *P;
    return error("compiler '" + Requested + "' not found");
  }
#ifdef MAPGUARD_CXX_COMPILER
  if (llvm::sys::fs::can_execute(MAPGUARD_CXX_COMPILER))
    return std::string(MAPGUARD_CXX_COMPILER);
#endif
  for (llvm::StringRef Name : {"c++", "clang++-22", "g++", "clang++"})
    if (auto P = llvm::sys::findProgramByName(Name))
      return *P;
  return error("no C++ compiler found (pass --cxx)");
}

/// Runs a program, its stdout and stderr into \p Log.
struct RunResult {
  int Status = 0;
  bool TimedOut = false;
  bool Signalled = false;
  std::string Message;
};

llvm::Expected<RunResult> run(llvm::StringRef Program,
                              llvm::ArrayRef<std::string> Args,
                              std::optional<llvm::ArrayRef<llvm::StringRef>> Env,
                              llvm::StringRef Log, unsigned Timeout) {
  std::vector<llvm::StringRef> Argv{Program};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), Log, Log};
  std::string ErrMsg;
  bool ExecutionFailed = false;
  RunResult R;
  R.Status = llvm::sys::ExecuteAndWait(Program, Argv, Env, Redirects, Timeout,
                                       0, &ErrMsg, &ExecutionFailed);
  if (ExecutionFailed)
    return error("cannot run '" + Program + "': " + ErrMsg);
  if (R.Status == -2 || R.Status < 0) {
    R.TimedOut = llvm::StringRef(ErrMsg).contains("timed out");
    R.Signalled = !R.TimedOut;
    R.Message = ErrMsg;
  }
  return R;
}

/// The flags of a compile command that the program's build needs too:
/// include paths, macros, forced includes and the language standard, with
/// relative paths made absolute against the command's directory.
std::vector<std::string> buildFlagsOf(const tooling::CompileCommand &C) {
  std::vector<std::string> Out;
  auto Absolute = [&](llvm::StringRef P) {
    if (llvm::sys::path::is_absolute(P))
      return P.str();
    llvm::SmallString<256> A(C.Directory);
    llvm::sys::path::append(A, P);
    return std::string(A);
  };
  const std::vector<std::string> &Args = C.CommandLine;
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    bool HasNext = I + 1 < Args.size();
    if (A.starts_with("-std=") || (A.starts_with("-D") && A.size() > 2) ||
        (A.starts_with("-U") && A.size() > 2) || A.starts_with("-f") ||
        A == "-pthread") {
      Out.push_back(A.str());
      continue;
    }
    for (llvm::StringRef Flag : {"-I", "-isystem", "-iquote", "-include"}) {
      if (A == Flag && HasNext) {
        Out.push_back(Flag.str());
        Out.push_back(Absolute(Args[++I]));
        break;
      }
      if (Flag == "-I" && A.starts_with("-I") && A.size() > 2) {
        Out.push_back("-I" + Absolute(A.drop_front(2)));
        break;
      }
    }
    if ((A == "-D" || A == "-U") && HasNext) {
      Out.push_back(A.str());
      Out.push_back(Args[++I]);
    }
  }
  return Out;
}

/// Executed lines from `gcov -t` output: "   count:  line: text", where
/// count is "-" (no code), "#####"/"=====" (never run) or a number.
void readGcov(llvm::StringRef Text, LineCoverage &Cov) {
  std::string Current;
  llvm::SmallVector<llvm::StringRef> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    auto [Count, Rest] = L.split(':');
    auto [LineNo, Source] = Rest.split(':');
    Count = Count.trim();
    LineNo = LineNo.trim();
    if (LineNo == "0") {
      if (Source.starts_with("Source:"))
        Current = canonical(Source.drop_front(7));
      continue;
    }
    unsigned N = 0;
    if (Current.empty() || LineNo.getAsInteger(10, N) || Count.empty() ||
        !llvm::isDigit(Count.front()))
      continue;
    Cov.Executed[Current].insert(N);
  }
}

bool isClang(llvm::StringRef Compiler, llvm::StringRef Dir) {
  llvm::SmallString<256> Log(Dir);
  llvm::sys::path::append(Log, "compiler-version.txt");
  llvm::Expected<RunResult> R =
      run(Compiler, {"--version"}, std::nullopt, Log, 60);
  if (!R) {
    llvm::consumeError(R.takeError());
    return false;
  }
  return llvm::StringRef(readFileOr(Log)).contains("clang");
}

} // namespace

llvm::Expected<ShimLocation> findShim(llvm::StringRef MainExecutable) {
  llvm::SmallString<256> Prefix(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(MainExecutable)));
  std::vector<std::string> Includes, Libraries;
  auto Add = [](std::vector<std::string> &V, llvm::StringRef Base,
                llvm::StringRef Rel) {
    llvm::SmallString<256> P(Base);
    llvm::sys::path::append(P, Rel);
    V.push_back(std::string(P));
  };
  // Installed: <prefix>/include and <prefix>/lib; build tree: <build>/lib
  // and the source tree the binary was built from.
  Add(Includes, Prefix, "include");
#ifdef MAPGUARD_SHIM_INCLUDE_DIR
  Includes.push_back(MAPGUARD_SHIM_INCLUDE_DIR);
#endif
  Add(Libraries, Prefix, "lib/libmapguard_shim.a");
#ifdef MAPGUARD_SHIM_LIBRARY
  Libraries.push_back(MAPGUARD_SHIM_LIBRARY);
#endif
  ShimLocation L;
  for (const std::string &I : Includes) {
    llvm::SmallString<256> Header(I);
    llvm::sys::path::append(Header, "mapguard", "shim.h");
    if (llvm::sys::fs::exists(Header)) {
      L.IncludeDir = I;
      break;
    }
  }
  for (const std::string &Lib : Libraries)
    if (llvm::sys::fs::exists(Lib)) {
      L.Library = Lib;
      break;
    }
  if (L.IncludeDir.empty())
    return error("cannot find the shim's headers (looked in " +
                 llvm::join(Includes, ", ") + ")");
  if (L.Library.empty())
    return error("cannot find the shim library (looked for " +
                 llvm::join(Libraries, ", ") +
                 "; build the mapguard_shim target)");
  return L;
}

llvm::Expected<ConfirmResult> runConfirm(const ConfirmOptions &Options) {
  if (Options.Sources.empty())
    return error("confirm needs at least one source file");
  std::vector<std::string> Sources;
  for (const std::string &S : Options.Sources) {
    if (!llvm::sys::fs::is_regular_file(S))
      return error("no such source file: '" + S + "'");
    Sources.push_back(canonical(S));
  }

  // The static half: the compile database (-p) or -std=c++20 with the shim.
  std::optional<ShimLocation> Shim;
  auto NeedShim = [&]() -> llvm::Error {
    if (Shim)
      return llvm::Error::success();
    llvm::Expected<ShimLocation> L = findShim(Options.MainExecutable);
    if (!L)
      return L.takeError();
    Shim = *L;
    return llvm::Error::success();
  };
  std::unique_ptr<tooling::CompilationDatabase> DB;
  if (Options.BuildDir) {
    if (!llvm::sys::fs::is_directory(*Options.BuildDir))
      return error("build directory '" + *Options.BuildDir +
                   "' does not exist");
    llvm::SmallString<256> File(*Options.BuildDir);
    llvm::sys::path::append(File, "compile_commands.json");
    if (!llvm::sys::fs::exists(File))
      return error("no compile_commands.json in '" + *Options.BuildDir + "'");
    llvm::Expected<std::unique_ptr<tooling::CompilationDatabase>> Loaded =
        loadCompileDatabase(File);
    if (!Loaded)
      return Loaded.takeError();
    DB = std::move(*Loaded);
    for (const std::string &S : Sources)
      if (DB->getCompileCommands(S).empty())
        return error("'" + S + "' has no entry in the compile database");
  } else {
    if (llvm::Error E = NeedShim())
      return std::move(E);
    DB = std::make_unique<tooling::FixedCompilationDatabase>(
        ".", std::vector<std::string>{"-std=c++20", "-I" + Shim->IncludeDir});
  }
  // Build flags for the program, before the scanner owns the database.
  std::vector<std::string> BuildFlags;
  if (Options.BuildDir && !Options.Program)
    for (const std::string &S : Sources)
      for (const std::string &F : buildFlagsOf(DB->getCompileCommands(S).front()))
        if (!llvm::is_contained(BuildFlags, F) || !llvm::StringRef(F).starts_with("-"))
          BuildFlags.push_back(F);

  ScanOptions SO;
  SO.Checks = Options.Checks;
  SO.Jobs = std::min<unsigned>(Sources.size(), 2);
  SO.ResourceDir = Options.ResourceDir;
  llvm::Expected<std::unique_ptr<Scanner>> S =
      Scanner::create(std::move(DB), std::move(SO));
  if (!S)
    return S.takeError();
  ProgressReporter Quiet(llvm::errs(), ProgressStyle::None, Sources.size());
  ScanResult Scan = (*S)->run(Sources, Quiet);
  if (!Scan.Failures.empty()) {
    const FileFailure &F = Scan.Failures.front();
    return error("cannot analyse '" + F.File + "': " +
                 (F.Location.empty() ? "" : F.Location + ": ") + F.Message);
  }

  // The working directory.
  llvm::SmallString<256> Dir;
  bool Temporary = Options.WorkDir.empty();
  if (Temporary) {
    if (std::error_code EC =
            llvm::sys::fs::createUniqueDirectory("mapguard-confirm", Dir))
      return error("cannot create a temporary directory: " + EC.message());
  } else {
    Dir = canonical(Options.WorkDir);
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return error("cannot create '" + Dir + "': " + EC.message());
  }
  auto Cleanup = llvm::make_scope_exit([&] {
    if (Temporary)
      llvm::sys::fs::remove_directories(Dir);
  });
  auto InDir = [&](llvm::StringRef Name) {
    llvm::SmallString<256> P(Dir);
    llvm::sys::path::append(P, Name);
    return std::string(P);
  };

  // Build, unless the program is given.
  LineCoverage Coverage;
  bool WithCoverage = false;
  std::string Program;
  std::vector<std::string> Objects;
  if (Options.Program) {
    if (!llvm::sys::fs::can_execute(*Options.Program))
      return error("program '" + *Options.Program + "' is not executable");
    Program = canonical(*Options.Program);
  } else {
    if (llvm::Error E = NeedShim())
      return std::move(E);
    llvm::Expected<std::string> CXX = findCompiler(Options.Compiler);
    if (!CXX)
      return CXX.takeError();
    // gcov's coverage says which findings were not executed; GCC only.
    WithCoverage = Options.Coverage && !isClang(*CXX, Dir) &&
                   static_cast<bool>(llvm::sys::findProgramByName("gcov"));
    std::vector<std::string> Common{"-std=c++20", "-g", "-O0", "-pthread"};
    llvm::append_range(Common, BuildFlags);
    Common.push_back("-I" + Shim->IncludeDir);
    if (WithCoverage)
      Common.push_back("--coverage");
    std::string Log = InDir("compile.log");
    for (size_t I = 0; I < Sources.size(); ++I) {
      std::string Obj = InDir("src" + std::to_string(I) + ".o");
      std::vector<std::string> Args = Common;
      llvm::append_range(Args, std::vector<std::string>{"-c", Sources[I], "-o", Obj});
      llvm::Expected<RunResult> R = run(*CXX, Args, std::nullopt, Log,
                                        CompileTimeoutSeconds);
      if (!R)
        return R.takeError();
      if (R->Status != 0)
        return error("cannot build '" + Sources[I] + "': " +
                     firstError(readFileOr(Log, R->Message)));
      Objects.push_back(Obj);
    }
    std::vector<std::string> Link = Objects;
    if (WithCoverage) {
      // The shim ends a process with _exit(2) on a fatal error or an
      // unrecovered panic, which skips gcov's atexit dump: dump first.
      std::string Hook = InDir("gcov_exit_hook.cpp");
      std::error_code EC;
      llvm::raw_fd_ostream OS(Hook, EC);
      if (EC)
        return error("cannot write '" + Hook + "': " + EC.message());
      OS << "extern \"C\" void __gcov_dump(void);\n"
            "extern \"C\" [[noreturn]] void __real__exit(int);\n"
            "extern \"C\" [[noreturn]] void __wrap__exit(int s) {\n"
            "  __gcov_dump();\n  __real__exit(s);\n}\n";
      OS.close();
      Link.push_back(Hook);
      Link.push_back("-Wl,--wrap=_exit");
      Link.push_back("--coverage");
    }
    Program = InDir("program");
    llvm::append_range(Link, std::vector<std::string>{
                                 Shim->Library, "-pthread", "-ldl", "-o",
                                 Program});
    llvm::Expected<RunResult> R =
        run(*CXX, Link, std::nullopt, Log, CompileTimeoutSeconds);
    if (!R)
      return R.takeError();
    if (R->Status != 0)
      return error("cannot link the program: " +
                   firstError(readFileOr(Log, R->Message)));
  }

  // Run it in record mode.
  std::string Events = InDir("events.jsonl");
  llvm::sys::fs::remove(Events);
  std::vector<std::string> EnvStrings;
  for (char **E = environ; E && *E; ++E) {
    llvm::StringRef V(*E);
    if (V.starts_with("MAPGUARD_SHIM_EVENTS=") ||
        V.starts_with("MAPGUARD_SHIM_MODE="))
      continue;
    EnvStrings.push_back(V.str());
  }
  EnvStrings.push_back("MAPGUARD_SHIM_EVENTS=" + Events);
  EnvStrings.push_back("MAPGUARD_SHIM_MODE=record");
  std::vector<llvm::StringRef> Env(EnvStrings.begin(), EnvStrings.end());
  llvm::Expected<RunResult> Ran =
      run(Program, Options.ProgramArgs, llvm::ArrayRef(Env),
          InDir("program.log"), Options.TimeoutSeconds);
  if (!Ran)
    return Ran.takeError();
  if (Ran->TimedOut)
    return error("the program did not end within " +
                 llvm::Twine(Options.TimeoutSeconds) +
                 " s (--timeout); a goroutine blocked on a nil channel in "
                 "main's path?");

  // Written by the program: checked for kind and size like any input.
  std::string EventsText;
  if (llvm::sys::fs::exists(Events)) {
    auto Buffer = readInputFile(Events, limits::Events, "the shim's events");
    if (!Buffer)
      return Buffer.takeError();
    EventsText = (*Buffer)->getBuffer().str();
  }
  llvm::Expected<std::vector<RuntimeEvent>> Parsed = parseEvents(EventsText);
  if (!Parsed)
    return error("cannot read the shim's events: " +
                 toString(Parsed.takeError()));
  for (RuntimeEvent &E : *Parsed) {
    E.File = canonical(E.File);
    if (E.OriginFile)
      E.OriginFile = canonical(*E.OriginFile);
  }

  if (WithCoverage) {
    std::string GcovLog = InDir("gcov.txt");
    auto Gcov = llvm::sys::findProgramByName("gcov");
    bool Any = false;
    for (const std::string &Obj : Objects) {
      llvm::SmallString<256> Gcda(Obj);
      llvm::sys::path::replace_extension(Gcda, "gcda");
      if (!llvm::sys::fs::exists(Gcda))
        continue;
      llvm::Expected<RunResult> R =
          run(*Gcov, {"-t", "-o", std::string(Dir), Obj}, std::nullopt,
              GcovLog, 120);
      if (!R) {
        llvm::consumeError(R.takeError());
        continue;
      }
      if (R->Status == 0) {
        readGcov(readFileOr(GcovLog), Coverage);
        Any = true;
      }
    }
    Coverage.Known = Any;
  }

  for (Finding &F : Scan.Findings) {
    F.Where.File = canonical(F.Where.File);
    for (FindingNote &N : F.Notes)
      N.Where.File = canonical(N.Where.File);
  }
  ConfirmResult Result =
      matchFindings(std::move(Scan.Findings), std::move(*Parsed), Coverage);
  Result.Sources = Sources;
  if (Options.Program) {
    Result.Program = Program;
  } else {
    std::vector<std::string> Names;
    for (const std::string &Src : Sources)
      Names.push_back(llvm::sys::path::filename(Src).str());
    Result.Program = llvm::join(Names, " ");
  }
  if (Ran->Signalled) {
    Result.ExitStatus = -1;
    Result.ExitDescription = "killed: " + Ran->Message;
  } else {
    Result.ExitStatus = Ran->Status;
    Result.ExitDescription = "exit status " + std::to_string(Ran->Status);
  }
  return Result;
}

} // namespace clang::tidy::mapguard
