//===--- Summaries.h - what a function of the TU does, for its callers ----===//
//
// Function summaries for the lookup-miss analysis across calls in the TU:
//   - returnedMiss:  the function may return the default of a map miss (a
//                    getter `return nodes_[id];`) or an end() iterator
//                    (`return m.find(k);`); its call sites are lookups;
//   - derefs:        the function dereferences a parameter on every path
//                    before doing anything else with it (`p->write(buf)`
//                    with no test): passing a maybe-missing value is a use;
//   - membership:    the function's result is a membership test of a map
//                    and a key (`return table_.count(id);`, a template
//                    `has_key(m, k)`): calling it checks that lookup;
//   - neverReturns:  every path throws, aborts or calls a function that
//                    never returns (inferred, beside [[noreturn]] and
//                    NoReturnFunctions).
// Summaries are computed on demand, once per function, model and budget, by
// the per-TU context: a walk bottom-up over the part of the call graph the
// analysed functions reach. Recursion is cut (a function being summarised
// has no summary for its own callees) and so is depth (MaxSummaryDepth).
// A virtual call that may dispatch elsewhere has no summary: no finding,
// never a guess. A function defined in another TU has the summary the
// project index (the ProjectIndex option) recorded for it, when one is given
// (the `...Of(Call)` queries); without an index, none.
//
// What is computed is kept twice: as plain facts keyed by the function's USR
// (SummaryFacts.h, in facts(): what the project index writes out and reads
// back), and, for this TU only, the AST nodes the facts point at (the lookup,
// the use, the field), which the queries below hand to the analyses for their
// notes.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_LOOKUP_SUMMARIES_H
#define MAPGUARD_CHECKS_ANALYSIS_LOOKUP_SUMMARIES_H

#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/index/ProjectIndex.h"
#include "analysis/lookup/SummaryFacts.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>

namespace clang::tidy::mapguard {

class FunctionSummaries {
public:
  FunctionSummaries(MapGuardAnalyses &A, const MapModel &Model,
                    AnalysisBudget Budget);
  ~FunctionSummaries();

  /// Summaries nest at most this deep (a chain of helpers).
  static constexpr unsigned MaxSummaryDepth = 4;

  /// The definition \p C runs, when this TU has it and the call cannot
  /// dispatch to another (not virtual, or devirtualised by `final` or a
  /// qualified name); null otherwise.
  static const FunctionDecl *definitionCalled(const CallExpr *C);

  /// A lookup inside a function whose value (or end() iterator) may be
  /// returned.
  struct ReturnedMiss {
    /// The lookup as written in the function (for "lookup here").
    const Expr *Lookup = nullptr;
    /// The function returns an iterator that may be end().
    bool IsIterator = false;
    /// The function is defined in another TU: its index record (Lookup is
    /// then null; the record's ReturnedMiss says where the lookup is).
    const IndexedFunction *Remote = nullptr;
  };
  std::optional<ReturnedMiss> returnedMiss(const FunctionDecl *FD);

  /// The use (`p->`, `*p`, `p()`) of parameter \p Param that \p FD makes on
  /// every path before anything else is done with it, or null.
  const Stmt *unconditionalUse(const FunctionDecl *FD, unsigned Param);

  /// `return m.count(k)` and the like: the map is a field of the object the
  /// function is called on, or a parameter; the key a parameter.
  struct Membership {
    const FieldDecl *Field = nullptr; ///< the map: this->Field
    int MapParam = -1;                ///< or: parameter MapParam
    unsigned KeyParam = 0;
    bool TrueMeansFound = true;
  };
  std::optional<Membership> membership(const FunctionDecl *FD);

  /// Every path of \p FD throws, aborts or calls a function that never
  /// returns.
  bool neverReturns(const FunctionDecl *FD);

  /// The queries at a call \p C made in \p Caller: the summary of the
  /// definition \p C runs in this TU (definitionCalled), else the project
  /// index's record of the callee; nothing for a call of \p Caller itself.
  std::optional<ReturnedMiss> returnedMissOf(const CallExpr *C,
                                             const FunctionDecl *Caller);
  /// A use in the callee: in this TU (Use), or in another file (Remote).
  struct CalleeUse {
    const Stmt *Use = nullptr;
    std::optional<SourceSpot> Remote;
    const NamedDecl *Callee = nullptr;
  };
  std::optional<CalleeUse> unconditionalUseOf(const CallExpr *C,
                                              unsigned Param,
                                              const FunctionDecl *Caller);
  std::optional<Membership> membershipOf(const CallExpr *C,
                                         const FunctionDecl *Caller);
  bool neverReturnsOf(const CallExpr *C, const FunctionDecl *Caller);

  /// The index's record of what \p C calls, when this TU has no definition
  /// of it, the call cannot dispatch elsewhere, it is not the standard
  /// library's, and a project index was given; null otherwise.
  const IndexedFunction *indexedCallee(const CallExpr *C);

  /// The field of its object that \p Call (a call of a getter such as
  /// `const Map &map(bool global) const { return global ? g_ : m_; }`)
  /// returns a reference to, the condition decided by a constant argument;
  /// null otherwise. A map reached through it is that field of the object.
  const FieldDecl *returnedField(const CallExpr *Call);

  /// For the project index (extract mode): computes what other TUs may ask
  /// of \p FD and records what a caller can use in the context's unit facts.
  /// Only functions other TUs call without seeing the body: external
  /// linkage, defined in the main file, not a template instantiation.
  void exportFacts(const FunctionDecl *FD);

  /// The facts computed so far, by USR (plain data, no AST).
  const SummaryStore &facts() const { return Store; }

  /// The USR of \p FD (clang::index::generateUSRForDecl); for a declaration
  /// without one, a name that holds in this TU only.
  static std::string usrOf(const FunctionDecl *FD);
  /// Where \p S is written, as plain data.
  static SourceSpot spotOf(const Stmt *S, const SourceManager &SM);

private:
  struct Entry;
  Entry &entry(const FunctionDecl *FD);
  /// Writes \p E's facts to the store.
  void publish(const Entry &E);
  /// `return helper(k)`: \p C's membership seen from \p FD (the key and
  /// the map as FD's parameters or fields of its object).
  std::optional<Membership> composedMembership(const CallExpr *C,
                                               const FunctionDecl *FD);
  /// `m.count(k)` and the like: \p Map and \p Key as FD's field or
  /// parameters, into \p Mem.
  bool membershipOfTest(const Expr *Map, const Expr *Key, bool Found,
                        Membership &Mem);
  /// A guard around computing a summary: false when recursing into a
  /// function being summarised or beyond MaxSummaryDepth.
  bool enter(Entry &E);
  void leave(Entry &E);

  MapGuardAnalyses &A;
  const MapModel &Model;
  AnalysisBudget Budget;
  unsigned Depth = 0;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<Entry>> Entries;
  /// indexedCallee's answers, by callee.
  llvm::DenseMap<const FunctionDecl *, const IndexedFunction *> Indexed;
  SummaryStore Store;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_LOOKUP_SUMMARIES_H
