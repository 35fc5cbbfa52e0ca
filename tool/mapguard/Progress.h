//===--- Progress.h - scan progress on stderr -------------------*- C++ -*-===//

#ifndef MAPGUARD_TOOL_PROGRESS_H
#define MAPGUARD_TOOL_PROGRESS_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <mutex>

namespace clang::tidy::mapguard {

enum class ProgressStyle { Auto, Bar, Lines, None };

/// Reports finished files: a redrawn bar on a terminal, one line per file
/// elsewhere (CI logs). Thread-safe.
class ProgressReporter {
public:
  ProgressReporter(llvm::raw_ostream &OS, ProgressStyle Style, unsigned Total);
  /// Counts \p File as done. \p Print, when given, writes what the file
  /// found (to any stream); it runs under the reporter's lock with the bar
  /// cleared, so that findings streamed to the same terminal never mix
  /// with it; the bar is drawn again below them.
  void fileDone(llvm::StringRef File, bool FromCache, bool Failed,
                llvm::function_ref<void()> Print = nullptr);
  /// Clears the bar.
  void finish();

private:
  llvm::raw_ostream &OS;
  ProgressStyle Style;
  unsigned Total;
  unsigned Done = 0;
  std::mutex Lock;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_PROGRESS_H
