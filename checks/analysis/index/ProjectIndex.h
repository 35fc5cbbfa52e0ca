//===--- ProjectIndex.h - facts of a whole program, by USR ------*- C++ -*-===//
//
// The project index: what each function of the program does for its callers
// (lookup summaries, SummaryFacts.h) and for threads (ThreadFacts.h), keyed
// by the function's USR, written by `mapguard index` and read by the checks
// (the ProjectIndex option) so that a fact computed in one translation unit
// is known in the others.
//
// One translation unit's facts are a ProjectIndex too (its Units is that one
// file); merge() joins two indexes and is associative and commutative, so
// shards of a project merge in any order to the same index. A function seen
// in several units (an inline function of a header) keeps one record: the one
// with a definition, then the one that knows more, then the smaller in the
// serialised order.
//
// The serialised form is JSON (docs/index-format.md): a format name, a
// version (FormatVersion; a reader refuses another), a table of files, the
// units, the functions sorted by USR. A reader refuses a damaged file in one
// line naming it.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_INDEX_PROJECTINDEX_H
#define MAPGUARD_CHECKS_ANALYSIS_INDEX_PROJECTINDEX_H

#include "analysis/lookup/SummaryFacts.h"
#include "analysis/threads/ThreadFacts.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace clang::tidy::mapguard {

/// Everything the index knows of one function.
struct IndexedFunction {
  std::string USR;
  /// Qualified name, for messages and people.
  std::string Name;
  /// Where its body is, when the unit that wrote the record had it.
  std::optional<SourceSpot> Definition;
  /// The main file of the unit that wrote the record.
  std::string Unit;
  /// Lookup summaries (Lookup.USR and Lookup.Name repeat the above).
  FunctionFacts Lookup;
  ThreadFacts Threads;
};

class ProjectIndex {
public:
  /// The version written and the only one read.
  static constexpr unsigned FormatVersion = 1;

  /// The record of \p USR, created (named \p Name) on first request.
  IndexedFunction &function(llvm::StringRef USR, llvm::StringRef Name = "");
  const IndexedFunction *find(llvm::StringRef USR) const;
  size_t size() const { return Functions.size(); }
  /// Every record, in no particular order.
  template <typename FnT> void forEach(FnT &&Fn) const {
    for (const auto &E : Functions)
      Fn(E.second);
  }

  /// The translation units (main files) whose facts are in the index.
  const std::set<std::string> &units() const { return Units; }
  void addUnit(llvm::StringRef MainFile) { Units.insert(MainFile.str()); }

  /// Adds \p Other's units and functions (see the file comment).
  void merge(const ProjectIndex &Other);

  /// The serialised form, deterministic: the same index gives the same text.
  std::string toJSON() const;
  /// Reads the serialised form; \p Name (a path) names it in errors.
  static llvm::Expected<ProjectIndex> fromJSON(llvm::StringRef Text,
                                               llvm::StringRef Name);
  static llvm::Expected<ProjectIndex> readFile(llvm::StringRef Path);
  /// Writes to \p Path through a temporary file renamed over it: a reader
  /// never sees half an index, an interrupted write leaves the old one.
  llvm::Error writeFile(llvm::StringRef Path) const;

  /// The index at \p Path, read once per process and file version (its
  /// modification time and size) and shared; an error names the file.
  /// Thread-safe.
  static llvm::Expected<std::shared_ptr<const ProjectIndex>>
  load(llvm::StringRef Path);

private:
  std::set<std::string> Units;
  llvm::StringMap<IndexedFunction> Functions;
};

/// The facts a translation unit is analysed with: its own (computed from its
/// AST, \p Fresh) before the index's, and none of the index's records
/// written by this unit (an edited file is never judged by its old entry).
class IndexView {
public:
  IndexView(const ProjectIndex *Base, const ProjectIndex *Fresh,
            std::string MainFile)
      : Base(Base), Fresh(Fresh), MainFile(std::move(MainFile)) {}
  const IndexedFunction *find(llvm::StringRef USR) const;
  /// Every record the view shows, each USR once.
  template <typename FnT> void forEach(FnT &&Fn) const {
    if (Fresh)
      Fresh->forEach(Fn);
    if (Base)
      Base->forEach([&](const IndexedFunction &F) {
        if (shows(F))
          Fn(F);
      });
  }
  bool empty() const { return !Base && !Fresh; }

private:
  /// A record of the base that neither this unit wrote nor Fresh replaces.
  bool shows(const IndexedFunction &F) const;
  const ProjectIndex *Base;
  const ProjectIndex *Fresh;
  std::string MainFile;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_INDEX_PROJECTINDEX_H
