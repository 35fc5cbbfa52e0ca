//===--- Scanner.h - mapguard checks over a compile database ----*- C++ -*-===//
//
// Runs the mapguard checks (and only them) through the ClangTidy API over the
// files of a compile database, in parallel, with the result cache. The
// configuration is clang-tidy's: .clang-tidy files found above each file
// (whose Checks line counts only when it names mapguard checks), --config
// instead of them, --checks and the other command-line options on top;
// NOLINT comments are honoured.
//
// Compile commands are analysed as clang-tidy analyses them, minus what only
// makes a build fail: warnings promoted to errors (-Werror, -Werror=...,
// -pedantic-errors) are demoted, and arguments clang's driver does not know
// (GCC-only flags such as -fipa-pta) are dropped. A translation unit whose
// AST has errors is still checked, as clang-tidy checks it, and reported as
// analysed with errors.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TOOL_SCANNER_H
#define MAPGUARD_TOOL_SCANNER_H

#include "Progress.h"
#include "ResultCache.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <memory>
#include <mutex>
#include <optional>

namespace clang::tidy::mapguard {

struct ScanOptions {
  /// --checks: globs applied after every configuration file.
  std::optional<std::string> Checks;
  /// --config or the content of --config-file: YAML used instead of the
  /// .clang-tidy files.
  std::optional<std::string> Config;
  /// Where Config came from, for messages: "--config" or the file's name.
  std::string ConfigSource = "--config";
  /// --header-filter, --exclude-header-filter, --system-headers,
  /// --warnings-as-errors: override the configuration files, as in
  /// clang-tidy.
  std::optional<std::string> HeaderFilter;
  std::optional<std::string> ExcludeHeaderFilter;
  std::optional<bool> SystemHeaders;
  std::optional<std::string> WarningsAsErrors;
  /// --extra-arg, --extra-arg-before: appended to (inserted before) every
  /// compile command, after the configuration's ExtraArgs(Before).
  std::vector<std::string> ExtraArgs;
  std::vector<std::string> ExtraArgsBefore;
  /// --line-filter: clang-tidy's JSON list of files and line ranges.
  std::string LineFilter;
  /// Worker threads; 0 means one per core.
  unsigned Jobs = 0;
  /// Where cached results live; none means no cache.
  std::optional<std::string> CacheDir;
  /// What identifies the analysis itself in cache keys: the mapguard
  /// version, and the build of the checks (see Driver.cpp).
  std::string ToolIdentity;
  /// The clang resource directory (builtin headers) for the compiler
  /// invocations; empty to leave the command's own.
  std::string ResourceDir;
  /// The project index every translation unit is analysed with (absolute):
  /// given to the checks as the global option ProjectIndex, over the
  /// configuration's. None: the configuration's, if any.
  std::optional<std::string> IndexFile;
};

/// Loads a compile_commands.json: its kind and size first (a FIFO would
/// block, /dev/zero never ends), then its JSON structure (clang's reader
/// takes a document cut short, no closing ']', for the entries it has, and
/// prints its parser's messages with the input's bytes), then clang's reader.
/// Errors are one line.
llvm::Expected<std::unique_ptr<tooling::CompilationDatabase>>
loadCompileDatabase(llvm::StringRef File);

/// Removes the arguments that turn warnings into errors (-Werror,
/// -Werror=<w>, -pedantic-errors, clang-cl's /WX) and those clang's driver
/// does not know (GCC-only flags), keeping the rest of \p Args (argv[0]
/// first) as it is. Used as an ArgumentsAdjuster.
std::vector<std::string>
neutralizeBuildOnlyArguments(const std::vector<std::string> &Args);

/// Problems found in configuration files while a scan reads them,
/// thread-safe.
class ConfigProblems {
public:
  void add(std::string Message);
  std::optional<std::string> first() const;

private:
  mutable std::mutex Lock;
  std::vector<std::string> Messages;
};

/// Called by the tool's fatal-error handler inside a translation unit's crash
/// recovery: the message becomes that unit's failure.
void recordFatalErrorForRecovery(llvm::StringRef Message);

/// Called once per translation unit as it finishes, in the order they
/// finish, one at a time.
using FileDoneCallback =
    llvm::function_ref<void(llvm::StringRef File, const FileResult &Result)>;

class Scanner {
public:
  /// Validates \p Options (checks, regular expressions, the line filter,
  /// the configuration). \p Notes receives remarks for the user, such as
  /// --checks globs that name no mapguard check and are ignored.
  static llvm::Expected<std::unique_ptr<Scanner>>
  create(std::unique_ptr<tooling::CompilationDatabase> Database,
         ScanOptions Options, std::vector<std::string> *Notes = nullptr);

  /// Reads the configuration of each of \p Files and builds the checks with
  /// it, once per distinct configuration, as a scan would: a .clang-tidy
  /// that does not parse, or CheckOptions a check refuses (MaxBlocks: abc),
  /// is an error naming the file or option. Call before run().
  llvm::Error checkConfiguration(llvm::ArrayRef<std::string> Files);

  /// Scans \p Files (absolute paths from the database); \p OnFileDone sees
  /// each file's result as soon as it is known.
  ScanResult run(llvm::ArrayRef<std::string> Files, ProgressReporter &Progress,
                 FileDoneCallback OnFileDone = nullptr);

  /// Runs the checks over \p Files in extract mode
  /// (MapGuardAnalyses::extractFacts: they record facts, report nothing)
  /// with the same configuration, compiler arguments, crash recovery and
  /// cache (entries of CacheKind::Facts). \p Facts receives each file's
  /// facts, in the order of \p Files (a unit that failed before its AST has
  /// none; its units() still names it when it was parsed). The result holds
  /// the failures only.
  ScanResult extract(llvm::ArrayRef<std::string> Files,
                     ProgressReporter &Progress,
                     std::vector<ProjectIndex> &Facts);

  /// Sets ScanOptions::IndexFile for the runs to come.
  void setIndexFile(std::optional<std::string> Path) {
    Options.IndexFile = std::move(Path);
  }

  /// Why a result could not be cached, for the first file whose result
  /// could not (a dependency that cannot be read again, an unwritable
  /// cache directory), if any.
  std::optional<std::string> cacheProblem() const {
    std::lock_guard<std::mutex> Guard(CacheProblemLock);
    return CacheProblem;
  }

  /// Scans one file; thread-safe. \p FromCache tells whether the result
  /// came from the cache.
  FileResult scanFile(llvm::StringRef File, bool &FromCache);
  /// Extracts one file's facts into \p Facts; thread-safe.
  FileResult extractFile(llvm::StringRef File, bool &FromCache,
                         ProjectIndex &Facts);

private:
  /// scanFile, or extractFile when \p Facts is given.
  FileResult analyseFile(llvm::StringRef File, bool &FromCache,
                         ProjectIndex *Facts);
  ScanResult runFiles(llvm::ArrayRef<std::string> Files,
                      ProgressReporter &Progress, FileDoneCallback OnFileDone,
                      std::vector<ProjectIndex> *Facts);
  /// What the cache key of a result must know of the project indexes the
  /// checks of a unit read (the ProjectIndex options of \p Effective,
  /// relative to \p Directory): each one's content hash.
  std::string indexIdentity(const ClangTidyOptions &Effective,
                            llvm::StringRef Directory);
  Scanner(std::unique_ptr<tooling::CompilationDatabase> Database,
          ScanOptions Options);
  /// The options provider of a translation unit (or of checkConfiguration).
  std::unique_ptr<ClangTidyOptionsProvider>
  optionsProvider(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS);

  std::unique_ptr<tooling::CompilationDatabase> Database;
  ScanOptions Options;
  std::optional<ResultCache> Cache;
  ConfigProblems Problems;
  mutable std::mutex CacheProblemLock;
  std::optional<std::string> CacheProblem;
  /// Content hashes of the index files read during this scan.
  std::mutex IndexHashLock;
  llvm::StringMap<std::string> IndexHashes;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_SCANNER_H
