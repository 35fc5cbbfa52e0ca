//===--- Shard.h - a deterministic slice of the files -----------*- C++ -*-===//

#ifndef MAPGUARD_TOOL_SHARD_H
#define MAPGUARD_TOOL_SHARD_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

/// Shard Index of Count, 1-based as CI systems number their parallel jobs
/// (GitLab's CI_NODE_INDEX / CI_NODE_TOTAL).
struct ShardSpec {
  unsigned Index = 1;
  unsigned Count = 1;
};

/// Parses "I/N" with 1 <= I <= N.
llvm::Expected<ShardSpec> parseShard(llvm::StringRef Text);

/// The files of shard \p S: every Count-th file of the sorted, de-duplicated
/// list, starting at the Index-th. The shards of one file list are disjoint
/// and together hold every file, whatever order the files came in.
std::vector<std::string> selectShard(std::vector<std::string> Files,
                                     ShardSpec S);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_SHARD_H
