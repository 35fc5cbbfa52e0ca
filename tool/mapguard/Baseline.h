//===--- Baseline.h - findings accepted earlier -----------------*- C++ -*-===//
//
// A baseline records the findings of an earlier scan so that a later scan
// reports only new ones (--write-baseline / --baseline). Findings are matched
// by check, file (relative to the baseline's directory) and fingerprint.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TOOL_BASELINE_H
#define MAPGUARD_TOOL_BASELINE_H

#include "Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include <set>
#include <tuple>

namespace clang::tidy::mapguard {

/// \p File relative to \p Root when it lies inside it (with '/' separators),
/// else \p File unchanged.
std::string relativeToRoot(llvm::StringRef File, llvm::StringRef Root);

class Baseline {
public:
  /// A baseline whose paths are relative to \p Root.
  explicit Baseline(std::string Root) : Root(std::move(Root)) {}

  /// Reads a baseline file; its paths are relative to the file's directory.
  static llvm::Expected<Baseline> load(llvm::StringRef Path);

  /// Reads the content of a baseline file, \p Path for messages, its paths
  /// relative to \p Root.
  static llvm::Expected<Baseline> parse(llvm::StringRef Text,
                                        llvm::StringRef Path, std::string Root);

  /// Records \p Findings (fingerprinted) in a baseline rooted at the
  /// directory of \p Path and writes it there.
  static llvm::Error write(llvm::StringRef Path,
                           llvm::ArrayRef<Finding> Findings);

  void add(const Finding &F);
  bool contains(const Finding &F) const;
  size_t size() const { return Entries.size(); }

  /// Removes the findings the baseline contains; returns how many.
  unsigned filter(std::vector<Finding> &Findings) const;

private:
  using Entry = std::tuple<std::string, std::string, std::string>;
  Entry entryFor(const Finding &F) const;

  std::string Root;
  std::set<Entry> Entries;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_BASELINE_H
