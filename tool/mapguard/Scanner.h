//===--- Scanner.h - mapguard checks over a compile database ----*- C++ -*-===//
//
// Runs the mapguard checks (and only them) through the ClangTidy API over the
// files of a compile database, in parallel, with the result cache. The
// configuration is clang-tidy's: .clang-tidy files found above each file
// (whose Checks line counts only when it names mapguard checks), --config
// instead of them, --checks on top; NOLINT comments are honoured.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TOOL_SCANNER_H
#define MAPGUARD_TOOL_SCANNER_H

#include "Progress.h"
#include "ResultCache.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <memory>
#include <optional>

namespace clang::tidy::mapguard {

struct ScanOptions {
  /// --checks: globs applied after every configuration file.
  std::optional<std::string> Checks;
  /// --config: YAML used instead of the .clang-tidy files.
  std::optional<std::string> Config;
  /// Worker threads; 0 means one per core.
  unsigned Jobs = 0;
  /// Where cached results live; none means no cache.
  std::optional<std::string> CacheDir;
  /// The clang resource directory (builtin headers) for the compiler
  /// invocations; empty to leave the command's own.
  std::string ResourceDir;
};

/// The names of the mapguard checks linked into this program, sorted.
std::vector<std::string> registeredChecks();

class Scanner {
public:
  /// Validates \p Options (unknown checks, malformed --config).
  static llvm::Expected<std::unique_ptr<Scanner>>
  create(std::unique_ptr<tooling::CompilationDatabase> Database,
         ScanOptions Options);

  /// Scans \p Files (absolute paths from the database).
  ScanResult run(llvm::ArrayRef<std::string> Files, ProgressReporter &Progress);

  /// Scans one file; thread-safe. \p FromCache tells whether the result
  /// came from the cache.
  FileResult scanFile(llvm::StringRef File, bool &FromCache);

private:
  Scanner(std::unique_ptr<tooling::CompilationDatabase> Database,
          ScanOptions Options);
  std::unique_ptr<tooling::CompilationDatabase> Database;
  ScanOptions Options;
  std::optional<ResultCache> Cache;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_SCANNER_H
