//===--- IndexCommand.h - mapguard index: the project index -----*- C++ -*-===//
//
// `mapguard index` runs the enabled mapguard checks over a compile database
// in extract mode (the Scanner's per-unit machinery: the same arguments,
// configuration, crash recovery and cache, with facts entries of their own
// kind), merges the facts of the units and writes the project index
// (docs/index-format.md). `mapguard scan` builds or refreshes it the same
// way before it analyses the units with it. Shard files written with
// --shard merge in any order to the same bytes.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TOOL_INDEXCOMMAND_H
#define MAPGUARD_TOOL_INDEXCOMMAND_H

#include "Scanner.h"
#include "analysis/index/ProjectIndex.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

/// The default index of a build directory: <dir>/mapguard-index.json.
std::string defaultIndexPath(llvm::StringRef BuildDirectory);

/// Reads an index file given to the tool (--merge, --index, the index scan
/// refreshes): its kind and size, its JSON structure, then the index
/// reader. A damaged, newer or foreign file is an error of one line.
llvm::Expected<ProjectIndex> readIndexFile(llvm::StringRef Path);

/// The merge of the index files \p Paths: the same index whatever their
/// order.
llvm::Expected<ProjectIndex> mergeIndexFiles(llvm::ArrayRef<std::string> Paths);

/// What an index run did.
struct IndexBuild {
  ProjectIndex Index;
  /// Units extracted (or taken from the cache), and their failures.
  ScanResult Run;
};

/// Extracts the facts of \p Files with \p S and merges them.
IndexBuild buildIndex(Scanner &S, llvm::ArrayRef<std::string> Files,
                      ProgressReporter &Progress);

/// Writes \p Index to \p Path unless the file already holds these bytes
/// (its readers keep their copy); atomically otherwise.
llvm::Error writeIndexIfChanged(const ProjectIndex &Index,
                                llvm::StringRef Path);

/// "index: 3 units, 12 functions, 2 from cache[, 1 analysed with errors]
/// [, 1 not analysed]" (the failures only \p WithFailures: a scan reports
/// those of the files it scans itself).
std::string indexSummary(const IndexBuild &B, bool WithFailures = true);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_INDEXCOMMAND_H
