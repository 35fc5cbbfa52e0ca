//===--- ThreadOrdering.cpp - when a thread runs beside its spawner -------===//

#include "analysis/threads/ThreadOrdering.h"
#include "analysis/core/Dataflow.h"
#include "analysis/core/ExprUtils.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang::tidy::mapguard {

namespace {

const Stmt *innermostLoop(const Stmt *S, const Stmt *Body,
                          const FunctionParents &Parents) {
  for (const Stmt *P = Parents.parentOf(S); P && P != Body;
       P = Parents.parentOf(P)) {
    if (isa<LambdaExpr>(P))
      return nullptr;
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P))
      return P;
  }
  return nullptr;
}

const CompoundStmt *enclosingScope(const Decl *D,
                                   const FunctionParents &Parents) {
  const DeclStmt *DS = Parents.declStmtOf(D);
  const Stmt *P = DS ? Parents.parentOf(DS) : nullptr;
  return dyn_cast_or_null<CompoundStmt>(P);
}

/// "Has the spawn run yet?" on every path: a forward problem whose lattice
/// is one bit.
struct AfterSpawn {
  using Lattice = bool;
  const Stmt *Spawn;
  bool initial() { return false; }
  bool reachable(const bool &) { return true; }
  void join(bool &Into, const bool &From) { Into = Into || From; }
  void transfer(const CFGElement &E, CFGPoint, bool &After) {
    if (auto CS = E.getAs<CFGStmt>(); CS && CS->getStmt() == Spawn)
      After = true;
  }
  void transferEdge(const CFGBlock &, unsigned, bool &) {}
};

} // namespace

ThreadOrdering::ThreadOrdering(ASTContext &Ctx, MapGuardAnalyses &Analyses,
                               AnalysisBudget Budget)
    : Ctx(Ctx), Analyses(Analyses), Budget(Budget) {}

bool ThreadOrdering::before(SourceLocation A, SourceLocation B) const {
  const SourceManager &SM = Ctx.getSourceManager();
  return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A),
                                      SM.getExpansionLoc(B));
}

bool ThreadOrdering::within(SourceLocation L, const ThreadWindow &W) const {
  return !before(L, W.Begin) && before(L, W.End);
}

bool ThreadOrdering::contains(const Stmt *Outer, const Stmt *Inner) const {
  return !before(Inner->getBeginLoc(), Outer->getBeginLoc()) &&
         !before(Outer->getEndLoc(), Inner->getBeginLoc());
}

bool ThreadOrdering::mayFollow(const SpawnSite &S, const Stmt *St) {
  return mayFollow(S.Spawner, S.Spawn, St);
}

bool ThreadOrdering::mayFollow(const FunctionDecl *FD, const Stmt *Anchor,
                               const Stmt *St) {
  const FunctionCFG *G = Analyses.cfgOf(FD, Budget, SkipOrdering);
  if (!G || !G->hasElement(St))
    return true;
  auto It = Reachable.find(Anchor);
  if (It == Reachable.end())
    It = Reachable.try_emplace(Anchor, reachableAfter(*G, Anchor)).first;
  if (!It->second)
    return true;
  const After &A = *It->second;
  std::optional<CFGPoint> P = G->elementOf(St);
  if (!P)
    return true;
  return A.Entered.test(P->Block->getBlockID()) ||
         (A.SpawnReached && P->Block == A.Spawn.Block &&
          P->Index > A.Spawn.Index);
}

const CallExpr *ThreadOrdering::joinIn(const SpawnSite &S,
                                       const FunctionDecl *FD,
                                       SourceLocation After) {
  if (!FD || !FD->getBody())
    return nullptr;
  const Stmt *JoinLoop = nullptr;
  return findJoin(S, FD, After, JoinLoop);
}

std::optional<ThreadOrdering::After>
ThreadOrdering::reachableAfter(const FunctionCFG &G, const Stmt *Spawn) {
  std::optional<CFGPoint> At = G.elementOf(Spawn);
  if (!G.hasElement(Spawn) || !At)
    return std::nullopt;
  AfterSpawn P{Spawn};
  ForwardDataflow<AfterSpawn> Engine(G.cfg(), P);
  if (!Engine.run(Budget.MaxBlockVisits)) {
    Analyses.recordSkip(G.function(), SkipOrdering, "MaxBlockVisits",
                        Budget.MaxBlockVisits, Budget);
    return std::nullopt;
  }
  After Out;
  Out.Entered.resize(G.cfg().getNumBlockIDs());
  Out.Spawn = *At;
  for (const CFGBlock *B : G.cfg()) {
    std::optional<bool> Entry = Engine.entryOf(*B);
    if (Entry && *Entry)
      Out.Entered.set(B->getBlockID());
    if (B == At->Block)
      Out.SpawnReached = Entry.has_value();
  }
  return Out;
}

const std::vector<const CallExpr *> &
ThreadOrdering::joinCandidates(const SpawnSite &S, const Stmt *Body) {
  bool HandleLess = S.Handle == HandleKind::None;
  std::vector<const Decl *> Objects(S.JoinObjects.begin(), S.JoinObjects.end());
  auto [Slot, Inserted] =
      Joins.try_emplace({Body, HandleLess, S.HandleDecl, std::move(Objects)});
  std::vector<const CallExpr *> &Out = Slot->second;
  if (!Inserted)
    return Out;
  llvm::DenseMap<const Decl *, const Decl *> LoopVarOf;
  auto Refers = [&](const Expr *Obj) {
    // t.join(), ts[i].join(), ts.at(i).join(), pthread_join(tids[i], ...)
    const Decl *D = containerDeclOf(Obj);
    if (!D)
      return false;
    if (auto It = LoopVarOf.find(D); It != LoopVarOf.end())
      D = It->second;
    if (HandleLess)
      return llvm::is_contained(S.JoinObjects, D);
    return D == S.HandleDecl;
  };
  // Pre-order, on an explicit stack: generated code nests deeply.
  llvm::SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *St = Work.pop_back_val();
    if (!St || isa<LambdaExpr>(St))
      continue;
    if (const auto *FR = dyn_cast<CXXForRangeStmt>(St))
      if (const Decl *C = objectDeclOf(FR->getRangeInit()))
        LoopVarOf[FR->getLoopVariable()->getCanonicalDecl()] = C;
    if (const auto *C = dyn_cast<CallExpr>(St)) {
      const FunctionDecl *FD = C->getDirectCallee();
      bool Found = false;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C)) {
        const Expr *Obj = MC->getImplicitObjectArgument();
        if (Obj && MapModel::isJoinMethod(FD, HandleLess) &&
            (Refers(Obj) ||
             (HandleLess && MapModel::isWaiterType(Obj->getType()))))
          Found = true;
      } else if (MapModel::isJoinFunction(FD) && C->getNumArgs() > 0 &&
                 Refers(C->getArg(0))) {
        Found = true;
      }
      // The handle handed to another function (`joinAll(threads)`,
      // `pool.adopt(std::move(t))`): it may join there; stop looking.
      // A const reference cannot join.
      if (!Found && !isa<CXXOperatorCallExpr>(C) &&
          !MapModel::isHandleWrapper(FD))
        for (unsigned I = 0; I < C->getNumArgs(); ++I) {
          const Expr *Arg = C->getArg(I)->IgnoreParenImpCasts();
          if (const auto *W = dyn_cast<CallExpr>(Arg);
              W && W->getNumArgs() == 1 &&
              MapModel::isHandleWrapper(W->getDirectCallee()))
            Arg = W->getArg(0);
          if (passesByConstRef(C, I))
            continue;
          if (Refers(Arg)) {
            Found = true;
            break;
          }
        }
      if (Found)
        Out.push_back(C);
    }
    llvm::SmallVector<const Stmt *, 8> Children(St->child_begin(),
                                                St->child_end());
    Work.append(Children.rbegin(), Children.rend());
  }
  return Out;
}

ThreadWindow ThreadOrdering::windowOf(const SpawnSite &S) {
  ThreadWindow W;
  const Stmt *Body = S.Spawner->getBody();
  W.Begin = S.Spawn->getEndLoc();
  if (S.Handle == HandleKind::Temporary) {
    W.End = W.Begin;
    return W;
  }
  W.End = Body->getEndLoc();
  if (S.StartCall)
    W.Begin = S.StartCall->getBeginLoc(); // Thread t(f); ...; t.start();
  const FunctionParents &Parents = Analyses.parents(S.Spawner);
  const Stmt *Loop = innermostLoop(S.Spawn, Body, Parents);
  const Stmt *JoinLoop = nullptr;
  const CallExpr *Join = findJoin(S, S.Spawner, S.Spawn->getEndLoc(), JoinLoop);
  if (Join) {
    // Joining one thread of a container in a loop: the others still run
    // until the loop ends.
    W.End = (JoinLoop && (!Loop || !contains(JoinLoop, Loop)))
                ? JoinLoop->getEndLoc()
                : Join->getBeginLoc();
  } else if (S.JoinsAtScopeEnd && S.HandleDecl) {
    if (const CompoundStmt *Scope = enclosingScope(S.HandleDecl, Parents))
      W.End = Scope->getRBracLoc();
    else
      W.Escapes = true;
  } else {
    W.Escapes = true;
  }
  bool JoinedInLoop = Loop && ((Join && contains(Loop, Join)) ||
                               (!Join && S.JoinsAtScopeEnd && !W.Escapes &&
                                contains(Loop, S.Spawn) &&
                                before(Loop->getBeginLoc(), W.End) &&
                                before(W.End, Loop->getEndLoc())));
  if (Loop && !JoinedInLoop) {
    W.SelfConcurrent = true;
    W.Begin = Loop->getBeginLoc();
  }
  return W;
}

const CallExpr *ThreadOrdering::findJoin(const SpawnSite &S,
                                         const FunctionDecl *In,
                                         SourceLocation After,
                                         const Stmt *&JoinLoop) {
  if (S.Handle == HandleKind::Detached)
    return nullptr;
  const Stmt *Body = In->getBody();
  // The first candidate after \p After: the same call the walk in source
  // pre-order finds, without walking the body again for every spawn.
  const CallExpr *Found = nullptr;
  for (const CallExpr *C : joinCandidates(S, Body))
    if (After.isInvalid() || before(After, C->getBeginLoc())) {
      Found = C;
      break;
    }
  if (Found)
    JoinLoop = innermostLoop(Found, Body, Analyses.parents(In));
  return Found;
}

} // namespace clang::tidy::mapguard
