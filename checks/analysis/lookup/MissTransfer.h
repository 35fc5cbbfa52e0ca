//===--- MissTransfer.h - the transfer table of the lookup-miss analysis --===//
//
// The dataflow problem of LookupMiss, run by ForwardDataflow (Dataflow.h):
// the initial state, the join (MissLattice.h), the transfer of each CFG
// element -- a table with one rule per statement class that changes the
// state (a binding, a use, an assignment, an insertion, an escape, a call
// that never returns, a lambda) -- and the edge transfer, which applies what
// the branch condition says (MissConditions) and drops dead variables
// (MissLiveness). In the replay (collectInto) the same transfer records a
// raw finding at each use of a slot that may be missing; LookupMiss.cpp
// filters them (MissDiagnosis). Private to analysis/lookup/.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSTRANSFER_H
#define MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSTRANSFER_H

#include "analysis/core/Dataflow.h"
#include "analysis/lookup/LookupMiss.h"
#include "analysis/lookup/MissConditions.h"
#include "analysis/lookup/MissLiveness.h"
#include "analysis/lookup/MissSlots.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::mapguard::lookupmiss {

class MissTransfer {
public:
  using Lattice = State;

  MissTransfer(const FunctionCFG &G, ASTContext &Ctx, const MapModel &Model,
               const LookupMissOptions &Opts);

  // --- The dataflow problem (see Dataflow.h) ---------------------------
  State initial() {
    State S;
    S.Reachable = true;
    return S;
  }
  /// Over MaxTrackedSlots, no path goes on: the engine stops at once.
  bool reachable(const State &S) const { return S.Reachable && !TooManySlots; }
  void join(State &Into, const State &From) const { Into.join(From); }
  void transfer(const CFGElement &El, CFGPoint, State &S);
  void transferEdge(const CFGBlock &From, unsigned SuccIndex, State &S);

  // --- The replay --------------------------------------------------------
  /// From now on, uses of slots that may be missing are recorded in \p Out
  /// (null: not recorded, as during the fixpoint).
  void collectInto(std::vector<LookupMissFinding> *Out) { Collect = Out; }
  /// Records a return of a value that may be missing (the function's
  /// summary for its callers), the first one met.
  void noteReturn(const ReturnStmt *RS, const State &S);
  const std::optional<FunctionSummaries::ReturnedMiss> &returned() const {
    return Returned;
  }
  /// A state went over MaxTrackedSlots.
  bool tooManySlots() const { return TooManySlots; }
  /// The slots of the function (for stateBefore and the diagnosis).
  MissSlots &slots() { return Slots; }

private:
  /// Binds \p D to the value of \p Init (a lookup, a tracked variable, a
  /// check), or stops tracking it.
  void bind(State &S, const ValueDecl *D, const Expr *Init);
  /// `auto [v, ok] = m.lookup(k)`: v is the value, ok says whether found.
  void bindDecomposition(State &S, const DecompositionDecl *DD);
  /// A use of the slot \p Base denotes: report (when \p Out) and mark safe.
  void use(State &S, const Expr *Base, const Expr *Use,
           std::vector<LookupMissFinding> *Out);
  /// A use of \p Slot (a lookup written as \p InPlace when \p IsKey).
  void useSlot(State &S, SlotKey Slot, bool IsKey, const Expr *InPlace,
               const Expr *Use, std::string Name,
               std::vector<LookupMissFinding> *Out);
  // --- Transfer --------------------------------------------------------
  // The transfer table: the statement kinds that change the state, one rule
  // each. A use of a handle is what HandleUses says it is (handleUseOf),
  // closes excepted; every other statement leaves the state alone.
  using Rule = void (MissTransfer::*)(State &, const Stmt *);
  struct TransferRule {
    Stmt::StmtClass Class;
    Rule Apply;
  };
  static const TransferRule Rules[];
  void transferStmt(State &S, const Stmt *St);
  /// A use of a handle (`*p`, `p->`, `p()`, a nil Chan's operations).
  bool useIn(State &S, const Stmt *St);
  void onDecl(State &S, const Stmt *St);
  void onUnary(State &S, const Stmt *St);
  void onUse(State &S, const Stmt *St);
  void onOperatorCall(State &S, const Stmt *St);
  void onBinary(State &S, const Stmt *St);
  void onMemberCall(State &S, const Stmt *St);
  void onCall(State &S, const Stmt *St);
  /// A function handed a map by non-const reference or pointer together
  /// with other arguments, that this TU cannot see or that inserts into
  /// that parameter (`build_client(loop, addr, clients)`, defined in another
  /// TU, then `clients.find(addr)->second`): it may have put those keys in,
  /// so they are not taken as missing. Not for std functions.
  void fillsKeys(State &S, const CallExpr *C);
  /// \p Def may insert into its map parameter \p P: an insertion or a
  /// subscript on it, or \p P handed on by non-const reference or pointer.
  bool insertsInto(const FunctionDecl *Def, const ParmVarDecl *P);
  /// A maybe-missing value handed to a function of the TU that uses that
  /// parameter on every path before anything else (`flush_to(peers_[id])`
  /// where flush_to does `p->write(buf)`): the call is a use.
  void usesInCallee(State &S, const CallExpr *C);
  void onConstruct(State &S, const Stmt *St);
  void onLambda(State &S, const Stmt *St);
  /// \p LE captures a slot that may be missing here.
  static bool capturesMissing(const State &S, const LambdaExpr *LE);
  /// Uses in the body of thread lambda \p LE of the slots it captures.
  void useInThread(State &S, const LambdaExpr *LE,
                   std::vector<LookupMissFinding> *Out);
  /// \p LE is handed directly to a thread: a spawner (`std::async`, the
  /// shim's `go`, ThreadSpawners) or a thread's constructor.
  bool isThreadLambda(const LambdaExpr *LE);
  /// \p LE is the body of a deferred cleanup registered in this function.
  bool isCleanupLambda(const LambdaExpr *LE);
  void assign(State &S, const Expr *LHS, const Expr *RHS);
  void escape(State &S, const Expr *E);
  void escapeArgs(State &S, const CallExpr *C);
  /// Functions the options call noreturn that the CFG does not know about.
  void killIfNoReturn(State &S, const CallExpr *C);

  const FunctionDecl *FD;
  ASTContext &Ctx;
  const MapModel &Model;
  LookupMissOptions Opts;
  MissSlots Slots;
  MissConditions Conds;
  SlotLiveness Live;
  bool TooManySlots = false;
  /// Where the replay collects findings (null during the fixpoint).
  std::vector<LookupMissFinding> *Collect = nullptr;
  /// For a use made by a callee (a maybe-missing argument the callee
  /// dereferences on every path): that use, for the note.
  const Stmt *CalleeUse = nullptr;
  /// Or, in a callee of another TU, its place there.
  std::optional<SourceSpot> RemoteCalleeUse;
  std::optional<FunctionSummaries::ReturnedMiss> Returned;
  /// Per map parameter of a callee: may the callee insert into it?
  llvm::DenseMap<const ParmVarDecl *, bool> InsertsInto;
  /// Lambdas registered as deferred cleanups here; computed on first need.
  std::optional<llvm::SmallPtrSet<const LambdaExpr *, 4>> CleanupLambdas;
  /// Lambdas handed directly to a thread; computed on first need.
  std::optional<llvm::SmallPtrSet<const LambdaExpr *, 4>> ThreadLambdas;
};

} // namespace clang::tidy::mapguard::lookupmiss

#endif // MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSTRANSFER_H
