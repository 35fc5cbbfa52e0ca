//===--- CleanupPaths.cpp - deferred cleanups on missing or closed values ===//

#include "analysis/cleanup/CleanupPaths.h"
#include "analysis/core/Dataflow.h"
#include "analysis/core/HandleUses.h"
#include "analysis/lookup/LookupMiss.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::mapguard {

namespace {

//===----------------------------------------------------------------------===//
// Paths: searches over the CFG, each a forward problem whose lattice is the
// set of searches (unarmed, armed) that reach a point, driven by a transfer
// table.
//===----------------------------------------------------------------------===//

/// What one CFG element does, as far as one handle H and one guard G go.
enum class Event {
  None,
  Register,  ///< G's declaration or the assignment that arms it
  ScopeExit, ///< G dies: its cleanup runs
  Close,     ///< H is closed explicitly
  Write,     ///< H gets a new value
};

/// What the search does on an event.
enum class Action { Continue, Armed, Stop, Found };

/// A transfer table: the action for each event, before (Unarmed) and after
/// (Armed) the search passed G's registration.
struct TransferTable {
  Action Unarmed[5];
  Action Armed[5];
  Action on(Event E, bool IsArmed) const {
    return (IsArmed ? Armed : Unarmed)[static_cast<unsigned>(E)];
  }
};

using A = Action;
//                                 None        Register    ScopeExit   Close     Write
/// From an explicit close of H to G's cleanup, which closes H again. A
/// by-reference cleanup sees a new value of H; a by-value cleanup only one
/// written before it was registered.
constexpr TransferTable ExplicitThenCleanupByRef = {
    {A::Continue, A::Armed, A::Found, A::Stop, A::Stop},
    {A::Continue, A::Stop, A::Found, A::Stop, A::Stop}};
constexpr TransferTable ExplicitThenCleanupByValue = {
    {A::Continue, A::Armed, A::Found, A::Stop, A::Stop},
    {A::Continue, A::Stop, A::Found, A::Stop, A::Continue}};
/// From G's registration to an explicit close while G is armed.
constexpr TransferTable ArmedUntilClose = {
    {A::Continue, A::Continue, A::Stop, A::Found, A::Continue},
    {A::Continue, A::Continue, A::Stop, A::Found, A::Continue}};
/// From G's cleanup to an explicit close of the same value of H.
constexpr TransferTable CleanupThenExplicit = {
    {A::Continue, A::Stop, A::Stop, A::Found, A::Stop},
    {A::Continue, A::Stop, A::Stop, A::Found, A::Stop}};
/// From the registration of an outer guard G1 to that of an inner one, G2
/// (here "Register" is G2's, "ScopeExit" G1's); writes of H in between
/// matter when either captures by value.
constexpr TransferTable OuterToInnerSameValue = {
    {A::Continue, A::Found, A::Stop, A::Continue, A::Stop},
    {A::Continue, A::Found, A::Stop, A::Continue, A::Stop}};
constexpr TransferTable OuterToInnerAnyValue = {
    {A::Continue, A::Found, A::Stop, A::Continue, A::Continue},
    {A::Continue, A::Found, A::Stop, A::Continue, A::Continue}};
/// From G's registration to a write of H before G's cleanup runs: a
/// by-reference cleanup then sees the new value.
constexpr TransferTable ArmedUntilWrite = {
    {A::Continue, A::Continue, A::Stop, A::Continue, A::Found},
    {A::Continue, A::Continue, A::Stop, A::Continue, A::Found}};
/// From the inner cleanup G2 (ScopeExit is G1's) to the outer one, G1.
constexpr TransferTable InnerCleanupToOuterByRef = {
    {A::Continue, A::Stop, A::Found, A::Continue, A::Stop},
    {A::Continue, A::Stop, A::Found, A::Continue, A::Stop}};
constexpr TransferTable InnerCleanupToOuterByValue = {
    {A::Continue, A::Stop, A::Found, A::Continue, A::Continue},
    {A::Continue, A::Stop, A::Found, A::Continue, A::Continue}};

using Point = CFGPoint;

/// One function's CFG and the events of its elements for a handle.
class PathSearch {
public:
  PathSearch(const FunctionCFG &G, const MapModel &Model,
             const AnalysisBudget &Budget)
      : G(G), Model(Model), Budget(Budget) {}

  /// A search went over MaxBlockVisits (its answer was "not found").
  bool OverBudget = false;

  /// Classifies CFG elements for handle \p H, guard \p G registered by
  /// \p Registration.
  struct Subject {
    const ValueDecl *H = nullptr;
    const VarDecl *G = nullptr;
    const Stmt *Registration = nullptr;
  };

  Event eventOf(const CFGElement &E, const Subject &S) const {
    if (auto Dtor = E.getAs<CFGAutomaticObjDtor>())
      return Dtor->getVarDecl() == S.G ? Event::ScopeExit : Event::None;
    auto CS = E.getAs<CFGStmt>();
    if (!CS)
      return Event::None;
    const Stmt *St = CS->getStmt();
    if (S.Registration && St == S.Registration)
      return Event::Register;
    // The CFG splits `A a, b;` into one DeclStmt per variable.
    if (const auto *DS = dyn_cast<DeclStmt>(St))
      if (const auto *Reg = dyn_cast_or_null<DeclStmt>(S.Registration);
          Reg && DS->isSingleDecl() &&
          llvm::is_contained(Reg->decls(), DS->getSingleDecl()))
        return Event::Register;
    if (S.H && refersTo(closedHandle(St, Model), S.H))
      return Event::Close;
    if (S.H && writesHandle(St, S.H, Model))
      return Event::Write;
    return Event::None;
  }

  /// Searches forward from just after \p From; returns the first element
  /// (in CFG order) where the table said Found, or nothing (also when the
  /// budget runs out). With \p Target, only that element counts as found.
  std::optional<Point> search(Point From, bool Armed, const Subject &S,
                              const TransferTable &T,
                              std::optional<Point> Target = std::nullopt) {
    Search P{*this, S, T, From, Armed, Target, {}};
    ForwardDataflow<Search> Engine(G.cfg(), P);
    if (!Engine.run(Budget.MaxBlockVisits)) {
      OverBudget = true;
      return std::nullopt;
    }
    if (P.Found.empty())
      return std::nullopt;
    return P.Found.front();
  }

  /// Every element where \p Pred holds.
  template <typename PredT> llvm::SmallVector<Point, 4> find(PredT Pred) const {
    llvm::SmallVector<Point, 4> Out;
    for (const CFGBlock *B : G.cfg())
      for (unsigned I = 0; I < B->size(); ++I)
        if (Pred((*B)[I]))
          Out.push_back({B, I});
    return Out;
  }

private:
  /// The lattice: bit 0, an unarmed search reaches here; bit 1, an armed
  /// one. Searches are independent, so the transfer is monotone.
  struct Search {
    using Lattice = uint8_t;
    const PathSearch &Paths;
    const Subject &S;
    const TransferTable &T;
    Point Seed;
    bool SeedArmed;
    std::optional<Point> Target;
    llvm::SmallVector<Point, 2> Found;

    uint8_t initial() { return 0; }
    bool reachable(const uint8_t &) { return true; }
    void join(uint8_t &Into, const uint8_t &From) { Into |= From; }
    void transferEdge(const CFGBlock &, unsigned, uint8_t &) {}
    void transfer(const CFGElement &E, Point At, uint8_t &L) {
      if (L) {
        Event Ev = Paths.eventOf(E, S);
        uint8_t Next = 0;
        for (bool Armed : {false, true}) {
          if (!(L & (Armed ? 2 : 1)))
            continue;
          switch (T.on(Ev, Armed)) {
          case Action::Continue:
            Next |= Armed ? 2 : 1;
            break;
          case Action::Armed:
            Next |= 2;
            break;
          case Action::Stop:
            break;
          case Action::Found:
            if ((!Target || *Target == At) && !llvm::is_contained(Found, At))
              Found.push_back(At);
            Next |= Armed ? 2 : 1;
            break;
          }
        }
        L = Next;
      }
      if (At == Seed)
        L |= SeedArmed ? 2 : 1;
    }
  };

  const FunctionCFG &G;
  const MapModel &Model;
  AnalysisBudget Budget;
};

const Stmt *stmtAt(Point P) {
  if (auto CS = (*P.Block)[P.Index].getAs<CFGStmt>())
    return CS->getStmt();
  return nullptr;
}

/// The handle identity a capture stands for: the outer variable, or the
/// field of `this` that the body names directly.
const ValueDecl *outerHandle(const DeferredCleanup &C, const ValueDecl *Inner) {
  if (isa<FieldDecl>(Inner))
    return Inner;
  if (const CleanupCapture *CC = C.captureFor(Inner))
    return CC->Outer;
  return nullptr;
}

bool capturedByRef(const DeferredCleanup &C, const ValueDecl *Inner) {
  if (isa<FieldDecl>(Inner))
    return true; // read through `this` when the cleanup runs
  const CleanupCapture *CC = C.captureFor(Inner);
  return CC && CC->ByRef;
}

/// The handles a cleanup closes unconditionally (or under a test of the
/// handle itself), with what its body does with each.
struct CleanupClose {
  const ValueDecl *Inner;
  const ValueDecl *Handle;
  BodyFacts Facts;
};

llvm::SmallVector<CleanupClose, 2> closesOf(const DeferredCleanup &C,
                                            const MapModel &Model) {
  llvm::SmallVector<CleanupClose, 2> Out;
  if (C.MayBeCancelled)
    return Out;
  llvm::SmallVector<const ValueDecl *, 4> Candidates;
  for (const CleanupCapture &CC : C.Captures)
    Candidates.push_back(CC.Inner);
  // Fields of `this` closed by a lambda that captures this.
  llvm::SmallVector<const Stmt *, 16> Work{C.Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const ValueDecl *H = handleDeclOf(dyn_cast_or_null<Expr>(
            closedHandle(S, Model)));
        H && isa<FieldDecl>(H) && !llvm::is_contained(Candidates, H))
      Candidates.push_back(H);
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  for (const ValueDecl *Inner : Candidates) {
    const ValueDecl *Handle = outerHandle(C, Inner);
    if (!Handle)
      continue;
    BodyFacts F = scanBody(C.Body, Inner, Model);
    if (F.Close && !F.CloseUnderOtherCondition)
      Out.push_back({Inner, Handle, F});
  }
  return Out;
}

} // namespace

std::vector<CleanupFinding> findCleanupProblems(const FunctionDecl *FD,
                                                MapGuardAnalyses &A,
                                                const MapModel &Model,
                                                const AnalysisBudget &Budget) {
  std::vector<CleanupFinding> Out;
  if (!FD || !FD->hasBody() || FD->isDependentContext())
    return Out;
  // Fast bail-out: most functions register no cleanup.
  llvm::ArrayRef<DeferredCleanup> Found = A.cleanups(Model).cleanupsIn(FD->getBody());
  if (Found.empty())
    return Out;
  const FunctionCFG *G = A.cfgOf(FD, Budget, SkipCleanupPaths);
  if (!G)
    return Out;
  PathSearch Paths(*G, Model, Budget);
  // Whatever returns below: a search over budget is recorded.
  struct RecordOverBudget {
    PathSearch &Paths;
    MapGuardAnalyses &A;
    const FunctionDecl *FD;
    const AnalysisBudget &Budget;
    ~RecordOverBudget() {
      if (Paths.OverBudget)
        A.recordSkip(FD, SkipCleanupPaths, "MaxBlockVisits",
                     Budget.MaxBlockVisits, Budget);
    }
  } Record{Paths, A, FD, Budget};

  // --- Values that may be missing at registration ------------------------
  const LookupMissAnalysis *Misses = nullptr;
  bool MissesAsked = false;
  for (const DeferredCleanup &C : Found) {
    for (const CleanupCapture &Cap : C.Captures) {
      // A variable of the enclosing function, or a lookup written in the
      // init-capture (`[f = files[name]]`).
      const Expr *InPlace =
          !Cap.Outer && Cap.Init && Model.classifyLookup(Cap.Init)
              ? Cap.Init
              : nullptr;
      if (!Cap.Outer && !InPlace)
        continue;
      BodyFacts F = scanBody(C.Body, Cap.Inner, Model);
      if (!F.UnguardedUse)
        continue;
      if (!MissesAsked) {
        Misses = A.lookupMisses(FD, Model, Budget);
        MissesAsked = true;
      }
      if (!Misses)
        break;
      std::optional<LookupMissState> State =
          InPlace ? Misses->stateBefore(C.Registration, InPlace)
                  : Misses->stateBefore(C.Registration, Cap.Outer);
      if (!State || !State->mayBeMissing() || !State->Lookup)
        continue;
      // By reference, the cleanup sees the value at scope exit: a write
      // between registration and scope exit may fill the missing value in.
      if (Cap.ByRef && Cap.Outer) {
        PathSearch::Subject S{Cap.Outer, C.Guard, C.Registration};
        bool Refilled = false;
        for (Point R : Paths.find([&](const CFGElement &E) {
               return Paths.eventOf(E, S) == Event::Register;
             }))
          Refilled |= Paths.search(R, true, S, ArmedUntilWrite).has_value();
        if (Refilled)
          continue;
      }
      CleanupFinding R;
      R.Kind = CleanupFinding::MayBeMissing;
      R.Loc = C.Loc;
      R.Name = (Cap.Outer ? Cap.Outer->getName() : Cap.Inner->getName()).str();
      R.Lookup = State->Lookup->getBeginLoc();
      R.Other = F.UnguardedUse->getBeginLoc();
      Out.push_back(std::move(R));
    }
  }

  // --- Double close ------------------------------------------------------
  llvm::DenseSet<const Stmt *> Reported;
  for (const DeferredCleanup &C : Found) {
    for (const CleanupClose &CC : closesOf(C, Model)) {
      PathSearch::Subject S{CC.Handle, C.Guard, C.Registration};
      bool ByRef = capturedByRef(C, CC.Inner);
      // An explicit close, then the cleanup at scope exit.
      for (Point P : Paths.find([&](const CFGElement &E) {
             return Paths.eventOf(E, S) == Event::Close;
           })) {
        // Already armed at the close: a by-value cleanup keeps the value
        // it captured whatever H becomes.
        bool ArmedAtClose = false;
        for (Point R : Paths.find([&](const CFGElement &E) {
               return Paths.eventOf(E, S) == Event::Register;
             }))
          ArmedAtClose |= Paths.search(R, true, S, ArmedUntilClose, P)
                              .has_value();
        const TransferTable &T =
            ByRef ? ExplicitThenCleanupByRef : ExplicitThenCleanupByValue;
        if (!Paths.search(P, false, S, T) &&
            !(ArmedAtClose && Paths.search(P, true, S, T)))
          continue;
        if (!Reported.insert(CC.Facts.Close).second)
          break;
        Out.push_back({CleanupFinding::ClosedAgainByCleanup,
                       CC.Facts.Close->getBeginLoc(),
                       CC.Handle->getName().str(), SourceLocation(),
                       stmtAt(P)->getBeginLoc()});
        break;
      }
      // The cleanup at scope exit, then an explicit close after the scope.
      for (Point P : Paths.find([&](const CFGElement &E) {
             return Paths.eventOf(E, S) == Event::ScopeExit;
           })) {
        std::optional<Point> Second =
            Paths.search(P, true, S, CleanupThenExplicit);
        if (!Second || !Reported.insert(stmtAt(*Second)).second)
          continue;
        Out.push_back({CleanupFinding::ClosedAgainAfterCleanup,
                       stmtAt(*Second)->getBeginLoc(),
                       CC.Handle->getName().str(), SourceLocation(),
                       CC.Facts.Close->getBeginLoc()});
      }
    }
  }
  // Two cleanups on one handle: the later-registered runs first.
  for (size_t I = 0; I < Found.size(); ++I) {
    const DeferredCleanup &Outer = Found[I];
    for (const CleanupClose &OC : closesOf(Outer, Model)) {
      for (size_t J = I + 1; J < Found.size(); ++J) {
        const DeferredCleanup &Inner = Found[J];
        for (const CleanupClose &IC : closesOf(Inner, Model)) {
          if (IC.Handle != OC.Handle)
            continue;
          bool OuterByRef = capturedByRef(Outer, OC.Inner);
          bool InnerByRef = capturedByRef(Inner, IC.Inner);
          // The inner cleanup clears the handle and the outer one tests it.
          if (OuterByRef && InnerByRef && IC.Facts.Writes &&
              OC.Facts.CloseUnderOwnTest)
            continue;
          // Both are armed on one path, capturing the same value.
          PathSearch::Subject ToInner{OC.Handle, Outer.Guard,
                                      Inner.Registration};
          auto OuterReg = Paths.find([&](const CFGElement &E) {
            PathSearch::Subject Own{nullptr, Outer.Guard, Outer.Registration};
            return Paths.eventOf(E, Own) == Event::Register;
          });
          bool Armed = false;
          for (Point P : OuterReg)
            if (Paths.search(P, false, ToInner,
                             OuterByRef && InnerByRef ? OuterToInnerAnyValue
                                                      : OuterToInnerSameValue))
              Armed = true;
          if (!Armed)
            continue;
          // The inner cleanup runs, then the outer one, with H unchanged.
          PathSearch::Subject InnerExit{nullptr, Inner.Guard, nullptr};
          PathSearch::Subject ToOuter{OC.Handle, Outer.Guard, nullptr};
          bool Reaches = false;
          for (Point P : Paths.find([&](const CFGElement &E) {
                 return Paths.eventOf(E, InnerExit) == Event::ScopeExit;
               }))
            if (Paths.search(P, true, ToOuter,
                             OuterByRef ? InnerCleanupToOuterByRef
                                        : InnerCleanupToOuterByValue))
              Reaches = true;
          if (!Reaches || !Reported.insert(OC.Facts.Close).second)
            continue;
          Out.push_back({CleanupFinding::ClosedAgainByCleanup,
                         OC.Facts.Close->getBeginLoc(),
                         OC.Handle->getName().str(), SourceLocation(),
                         IC.Facts.Close->getBeginLoc()});
        }
      }
    }
  }
  return Out;
}

} // namespace clang::tidy::mapguard
