//===--- MissConditions.h - what a branch condition says about a lookup ---===//
//
// The edge transfer of LookupMiss: what a branch condition says about each
// slot on its true and false edges (`it == m.end()`, `!p`, `m.count(k) > 0`,
// `m.contains(k)`, a bool holding a check, a predicate helper whose summary
// is a membership test, `&&`/`||`/`!` of those), applied to a state; and the
// correlation of stable conditions (`if (c) refill; ... if (c) use;`): a
// missing path that took one edge of a condition cannot take the other.
// Private to analysis/lookup/.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSCONDITIONS_H
#define MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSCONDITIONS_H

#include "analysis/lookup/MissSlots.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace clang::tidy::mapguard::lookupmiss {

class MissConditions {
public:
  MissConditions(MissSlots &Slots, const FunctionDecl *FD, ASTContext &Ctx,
                 const MapModel &Model, FunctionSummaries *Summaries)
      : Slots(Slots), FD(FD), Ctx(Ctx), Model(Model), Summaries(Summaries) {}

  /// What \p E, as a branch condition, says about each slot on each edge.
  Facts factsOf(const Expr *E, const State &S, unsigned Depth = 0);
  /// The condition a block with two successors branches on.
  /// A condition with temporaries (`it == m.end() && c`, wrapped in
  /// ExprWithCleanups) is computed as a value: the block of its last operand
  /// falls through to a block that holds `a && b` as an element and branches
  /// on it, joined from the paths that skipped the last operand. Returns that
  /// operator for such a block, null otherwise.
  const BinaryOperator *materializedLogical(const CFGBlock *B);
  const Expr *branchCondition(const CFGBlock *B);
  /// Applies what \p Fs says on edge \p Edge (true for the true edge) of
  /// \p Cond to \p S.
  static void applyFacts(State &S, const Facts &Fs, bool Edge,
                         const Expr *Cond);
  /// Records that the paths in \p S took edge \p Outcome of \p Cond, when
  /// the condition is stable (reads only local variables, their members and
  /// const methods); drops the missing ways of slots whose missing paths took
  /// the other edge of the same condition.
  void correlate(State &S, const Expr *Cond, bool Outcome,
                 llvm::function_ref<bool(SlotKey)> Only = nullptr);
  /// The operands' outcomes on an edge of a materialized `a && b` (or
  /// `a || b`): on the edge both decide (true for &&), each had it. On the
  /// other edge one of them had it: for a slot that one operand's outcome
  /// finds, a missing path had the other's (`it == m.end() && c` false: a
  /// miss had c false; `c && it == m.end()` false: a miss had c false).
  void correlateOperands(State &S, const BinaryOperator *BO, bool Outcome);

private:
  /// What calling a predicate helper says about the key it tests.
  std::optional<Fact> membershipFact(const CallExpr *C);
  void addTest(Facts &Out, const Expr *E, const State &S, bool FoundWhenTrue);
  /// `m.count(k) OP N` (either way round) for a constant N: what each edge
  /// says about the key, knowing a count is never negative. Found when no
  /// count satisfying that edge is 0; Missing when only 0 does.
  std::optional<std::pair<Says, Says>> countComparison(BinaryOperatorKind Op,
                                                       const Expr *L,
                                                       const Expr *R,
                                                       const Expr *&CountCall);
  /// \p E reads only local variables and parameters, members through them,
  /// const methods of them, and constants; collects the variables.
  bool stableCondition(const Expr *E,
                       llvm::SmallVectorImpl<const ValueDecl *> &Vars,
                       unsigned Depth);

  MissSlots &Slots;
  const FunctionDecl *FD;
  ASTContext &Ctx;
  const MapModel &Model;
  FunctionSummaries *Summaries;
};

} // namespace clang::tidy::mapguard::lookupmiss

#endif // MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSCONDITIONS_H
