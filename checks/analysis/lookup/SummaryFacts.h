//===--- SummaryFacts.h - what a function does for its callers, as data ---===//
//
// The lookup summaries of a function (Summaries.h computes them) as plain
// data: no AST pointer, a function known by its USR, a place in the source by
// file, line and column. They mean the same in any translation unit, so they
// can be kept, written out and read back (the project index) without the AST
// they were computed on. SummaryStore keeps them; only FunctionSummaries
// writes them.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_LOOKUP_SUMMARYFACTS_H
#define MAPGUARD_CHECKS_ANALYSIS_LOOKUP_SUMMARYFACTS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::mapguard {

/// A place in the source: the file as the compiler named it, 1-based line
/// and column of the spelling. Empty when the place has no file (a macro
/// scratch buffer).
struct SourceSpot {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  bool operator==(const SourceSpot &O) const {
    return File == O.File && Line == O.Line && Column == O.Column;
  }
};

/// The function may return the value of a lookup that may have missed.
struct ReturnedMissFact {
  /// It returns an iterator that may be end(), not a defaulted handle.
  bool IsIterator = false;
  /// The lookup in the function's body.
  SourceSpot Lookup;
};

/// The function's result is a membership test of a map and a key.
struct MembershipFact {
  /// The map is this field of the object the function is called on (USR
  /// and name), or else parameter MapParam.
  std::string FieldUSR;
  std::string FieldName;
  int MapParam = -1;
  /// The key is this parameter.
  unsigned KeyParam = 0;
  /// True means found (`contains`), or missing (`!count`).
  bool TrueMeansFound = true;
};

/// The function uses parameter Param as a live handle on every path before
/// doing anything else with it.
struct ParamUseFact {
  unsigned Param = 0;
  SourceSpot Use;
};

/// What one function does for its callers. Each fact is computed on
/// demand: `Known` says which have been (an unknown fact is not a "no").
struct FunctionFacts {
  enum KnownFact : unsigned {
    KnowsReturnedMiss = 1,
    KnowsParamUses = 2,
    KnowsMembership = 4,
    KnowsNeverReturns = 8,
  };
  /// The function's USR (clang::index::generateUSRForDecl).
  std::string USR;
  /// Its qualified name, for people reading the facts.
  std::string Name;
  unsigned Known = 0;
  std::optional<ReturnedMissFact> ReturnedMiss;
  std::vector<ParamUseFact> ParamUses;
  std::optional<MembershipFact> Membership;
  bool NeverReturns = false;

  bool knows(KnownFact F) const { return (Known & F) != 0; }
};

/// The facts of the functions summarised so far, by USR.
class SummaryStore {
public:
  /// The facts of \p USR, created empty (nothing known) on first request.
  FunctionFacts &at(llvm::StringRef USR) {
    auto [It, New] = Facts.try_emplace(USR);
    if (New)
      It->second.USR = USR.str();
    return It->second;
  }
  /// The facts of \p USR, or null when none were recorded.
  const FunctionFacts *find(llvm::StringRef USR) const {
    auto It = Facts.find(USR);
    return It == Facts.end() ? nullptr : &It->second;
  }
  size_t size() const { return Facts.size(); }
  /// Every function's facts, in no particular order.
  template <typename FnT> void forEach(FnT &&Fn) const {
    for (const auto &E : Facts)
      Fn(E.second);
  }
  void clear() { Facts.clear(); }

private:
  llvm::StringMap<FunctionFacts> Facts;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_LOOKUP_SUMMARYFACTS_H
