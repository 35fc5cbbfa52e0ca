//===--- ConfirmRun.h - mapguard confirm: scan, build, run, match -*- C++ -*-===//
//
// The driver of `mapguard confirm` (docs/confirm.md): scans the sources with
// the mapguard checks in-process, builds them against the shim (or takes a
// program built already), runs it with MAPGUARD_SHIM_EVENTS in record mode
// under a timeout, and matches the findings with the events.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TOOL_CONFIRMRUN_H
#define MAPGUARD_TOOL_CONFIRMRUN_H

#include "Confirm.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

struct ConfirmOptions {
  /// The sources to scan (and to build, without Program).
  std::vector<std::string> Sources;
  /// Arguments passed to the program (after `--`).
  std::vector<std::string> ProgramArgs;
  /// -p: the build directory with compile_commands.json; without it the
  /// sources are scanned and built with -std=c++20 against the shim.
  std::optional<std::string> BuildDir;
  /// --checks globs, as for scan.
  std::optional<std::string> Checks;
  /// --program: run this executable instead of building the sources.
  std::optional<std::string> Program;
  /// --cxx: the compiler; empty for the one mapguard was configured with.
  std::string Compiler;
  /// --timeout for the program, in seconds.
  unsigned TimeoutSeconds = 60;
  /// --work-dir: build and run there and keep the files; empty for a
  /// temporary directory removed afterwards.
  std::string WorkDir;
  /// --no-coverage: do not build with coverage (no "not executed" reason).
  bool Coverage = true;
  /// The mapguard executable, to find the shim next to it.
  std::string MainExecutable;
  /// clang's resource directory for the scan.
  std::string ResourceDir;
};

/// The whole run. An Error is a usage or tool problem (a missing source, a
/// compile error, a timeout, a bad -p): one line, exit status 2.
llvm::Expected<ConfirmResult> runConfirm(const ConfirmOptions &Options);

/// Where the shim's headers and library are, relative to the mapguard
/// executable (build tree or installed), or an error naming where it looked.
struct ShimLocation {
  std::string IncludeDir;
  std::string Library;
};
llvm::Expected<ShimLocation> findShim(llvm::StringRef MainExecutable);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_CONFIRMRUN_H
