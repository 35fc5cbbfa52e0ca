//===--- ResultCache.h - results of unchanged files -------------*- C++ -*-===//
//
// The scan's result cache. An entry is keyed by the mapguard version, the
// compile command, the effective configuration and the main file's content,
// and records every file the preprocessor read (path, size, mtime, content
// hash): together they determine the preprocessed input. A lookup is a hit
// only when each recorded file still has its recorded content, so editing a
// header invalidates every file that includes it. Entries are written
// atomically (temporary file + rename); parallel scans may share a cache.
//
// The same directory holds the facts of `mapguard index` (a translation
// unit's ProjectIndex), under keys of their own kind (CacheKind::Facts): a
// results entry and a facts entry never share a key.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TOOL_RESULTCACHE_H
#define MAPGUARD_TOOL_RESULTCACHE_H

#include "Finding.h"
#include "analysis/index/ProjectIndex.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include <mutex>
#include <optional>

namespace clang::tidy::mapguard {

/// A file the preprocessor read, as recorded in a cache entry.
struct Dependency {
  std::string Path;
  uint64_t Size = 0;
  int64_t MTime = 0; // nanoseconds since the epoch
  std::string Hash;  // of the content
};

/// The findings, failures and skipped functions of one translation unit.
struct FileResult {
  std::vector<Finding> Findings;
  std::vector<FileFailure> Failures;
  std::vector<SkippedFunction> Skipped;
};

/// What a cache entry holds: a scan's result, or the facts `mapguard index`
/// extracted from the unit.
enum class CacheKind { Results, Facts };

/// The hex key of a cache entry.
std::string computeCacheKey(llvm::StringRef Version,
                            llvm::ArrayRef<std::string> CommandLine,
                            llvm::StringRef Directory,
                            llvm::StringRef Configuration,
                            llvm::StringRef MainFileContent,
                            CacheKind Kind = CacheKind::Results);

/// Hash of a file's content, hex.
std::string hashContent(llvm::StringRef Content);

/// A cache entry as stored: the files the result depends on, and the result.
struct CacheEntry {
  std::vector<Dependency> Dependencies;
  FileResult Result;
};

class ResultCache {
public:
  explicit ResultCache(std::string Dir) : Dir(std::move(Dir)) {}
  ResultCache(const ResultCache &Other) : Dir(Other.Dir) {}

  llvm::StringRef directory() const { return Dir; }

  /// The stored result for \p Key when its dependencies are unchanged.
  std::optional<FileResult> lookup(llvm::StringRef Key) const;

  /// Stores \p Result under \p Key with the current state of \p DepPaths;
  /// gives up, saying why, when a dependency cannot be read or the cache
  /// directory is not writable.
  std::optional<std::string> store(llvm::StringRef Key,
                                   llvm::ArrayRef<std::string> DepPaths,
                                   const FileResult &Result) const;

  /// The stored facts for \p Key (a CacheKind::Facts key) when their
  /// dependencies are unchanged.
  std::optional<ProjectIndex> lookupFacts(llvm::StringRef Key) const;

  /// Stores \p Facts under \p Key, as store() stores a result.
  std::optional<std::string> storeFacts(llvm::StringRef Key,
                                        llvm::ArrayRef<std::string> DepPaths,
                                        const ProjectIndex &Facts) const;

  /// Reads the text of an entry; nullopt when it is damaged (not JSON, too
  /// deep, fields missing or of the wrong type).
  static std::optional<CacheEntry> parseEntry(llvm::StringRef Text);

  /// The current state of \p Path, or nullopt when it cannot be read.
  static std::optional<Dependency> describe(llvm::StringRef Path);

private:
  std::string entryPath(llvm::StringRef Key) const;
  /// The entry at \p Key, parsed, when it is readable and its dependencies
  /// are unchanged.
  std::optional<llvm::json::Object> readEntry(llvm::StringRef Key) const;
  /// Writes {"dependencies": ..., \p Field: \p Payload} under \p Key.
  std::optional<std::string> writeEntry(llvm::StringRef Key,
                                        llvm::ArrayRef<std::string> DepPaths,
                                        llvm::StringRef Field,
                                        llvm::json::Value Payload) const;
  /// The dependencies of a parsed entry; nullopt when damaged.
  static std::optional<std::vector<Dependency>>
  parseDependencies(const llvm::json::Object &O);
  /// describe(), once per path and scan: the translation units of a project
  /// read mostly the same headers.
  std::optional<Dependency> describeOnce(llvm::StringRef Path) const;
  /// Whether \p D still describes the file on disk: same size, and same
  /// mtime or (after a touch) same content.
  bool isUnchanged(const Dependency &D) const;

  std::string Dir;
  mutable std::mutex Lock;
  mutable llvm::StringMap<std::optional<Dependency>> Described;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_RESULTCACHE_H
