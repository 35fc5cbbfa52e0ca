//===--- ConcurrentWriteCheck.cpp - mapguard-concurrent-write -------------===//
//
// Pattern 1 of patterns.md: a shared map written from several threads with
// no lock held (and 1': a read racing a write). Found with no annotations:
//  - analysis/ThreadEntries: the spawn sites of the TU, what runs on each
//    thread, and what the spawning function runs meanwhile; map accesses
//    resolved to the shared object they touch;
//  - analysis/LockState: the locks held at each access, flow-sensitively,
//    plus the locks held at the call sites that led there;
//  - here: the ordering of threads (spawn, join, loops) and the diagnoser.
//
//===----------------------------------------------------------------------===//

#include "ConcurrentWriteCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include <map>
#include <set>

using namespace clang::ast_matchers;

namespace clang::tidy::mapguard {

namespace {

//===----------------------------------------------------------------------===//
// Matchers: where threads start.
//===----------------------------------------------------------------------===//

/// A std::thread / std::jthread constructed from a callable (not a copy or a
/// move of another thread).
AST_MATCHER_P(CXXConstructExpr, startsThread, const MapModel *, Model) {
  const CXXConstructorDecl *Ctor = Node.getConstructor();
  return Ctor && Node.getNumArgs() > 0 && !Ctor->isCopyOrMoveConstructor() &&
         Model->isThreadType(Node.getType());
}

/// std::async, pthread_create, the shim's go, ThreadSpawners.
AST_MATCHER_P(CallExpr, callsSpawner, const MapModel *, Model) {
  return Model->isSpawnerFunction(Node.getDirectCallee());
}

/// threads.emplace_back(callable, ...) on a container of threads: the
/// thread is constructed inside the library.
AST_MATCHER_P(CXXMemberCallExpr, emplacesThread, const MapModel *, Model) {
  const CXXMethodDecl *MD = Node.getMethodDecl();
  if (!MD || !MD->getDeclName().isIdentifier() ||
      !MD->getName().starts_with("emplace") || Node.getNumArgs() == 0 ||
      Model->isThreadType(Node.getArg(0)->getType()))
    return false;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      MD->getParent());
  return Spec && Spec->getTemplateArgs().size() > 0 &&
         Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
         Model->isThreadType(Spec->getTemplateArgs()[0].getAsType());
}

//===----------------------------------------------------------------------===//
// Ordering: when a thread runs alongside its spawning function and others.
//===----------------------------------------------------------------------===//

/// The part of the spawning function that runs while the thread may run,
/// as a source range [Begin, End).
struct ThreadWindow {
  SourceLocation Begin, End;
  /// The same spawn site starts threads that overlap (a loop without a join
  /// in the same iteration).
  bool SelfConcurrent = false;
  /// Not joined in the spawning function (detached, stored in a field).
  bool Escapes = false;
};

bool isJoinName(const FunctionDecl *FD, bool HandleLess) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  StringRef N = FD->getName();
  if (HandleLess)
    return N == "join" || N == "wait" || N == "Wait" || N == "arrive_and_wait";
  return N == "join" || N == "get" || N == "wait";
}

/// std::move(t), std::ref(t), ...: pass the handle on, do not consume it.
bool isHandleWrapper(const FunctionDecl *FD) {
  if (!FD || !FD->isInStdNamespace() || !FD->getDeclName().isIdentifier())
    return false;
  StringRef N = FD->getName();
  return N == "move" || N == "forward" || N == "ref" || N == "cref" ||
         N == "addressof";
}

/// A type that waits for handle-less tasks: a WaitGroup, a latch, a barrier.
bool isWaiterType(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  StringRef N = RD->getName();
  return N.contains("WaitGroup") || N.contains("latch") ||
         N.contains("barrier") || N.contains("Latch");
}

const Stmt *innermostLoop(const Stmt *S, const Stmt *Body, ASTContext &Ctx) {
  DynTypedNode N = DynTypedNode::create(*S);
  for (unsigned I = 0; I < 64; ++I) {
    auto Parents = Ctx.getParents(N);
    if (Parents.empty())
      return nullptr;
    N = Parents[0];
    const auto *P = N.get<Stmt>();
    if (!P || P == Body || isa<LambdaExpr>(P))
      return nullptr;
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P))
      return P;
  }
  return nullptr;
}

const CompoundStmt *enclosingScope(const Decl *D, ASTContext &Ctx) {
  DynTypedNode N = DynTypedNode::create(*D);
  for (unsigned I = 0; I < 64; ++I) {
    auto Parents = Ctx.getParents(N);
    if (Parents.empty())
      return nullptr;
    N = Parents[0];
    if (const auto *CS = N.get<CompoundStmt>())
      return CS;
    if (N.get<FunctionDecl>())
      return nullptr;
  }
  return nullptr;
}

class Ordering {
public:
  explicit Ordering(ASTContext &Ctx) : Ctx(Ctx), SM(Ctx.getSourceManager()) {}

  SourceLocation loc(SourceLocation L) const { return SM.getExpansionLoc(L); }
  bool before(SourceLocation A, SourceLocation B) const {
    return SM.isBeforeInTranslationUnit(loc(A), loc(B));
  }
  bool within(SourceLocation L, const ThreadWindow &W) const {
    return !before(L, W.Begin) && before(L, W.End);
  }
  bool contains(const Stmt *Outer, const Stmt *Inner) const {
    return !before(Inner->getBeginLoc(), Outer->getBeginLoc()) &&
           !before(Outer->getEndLoc(), Inner->getBeginLoc());
  }

  /// Statements of \p S's spawning function that may run after the spawn
  /// on some CFG path (the branch that calls the work directly instead of
  /// spawning it is not one). Statements the CFG does not show keep the
  /// source-order answer.
  bool mayFollow(const SpawnSite &S, const Stmt *St) {
    const SpawnerCFG &C = cfgOf(S.Spawner);
    if (!C.G || !C.Where.count(St))
      return true;
    auto It = Reachable.find(S.Spawn);
    if (It == Reachable.end())
      It = Reachable.try_emplace(S.Spawn, reachableAfter(C, S.Spawn)).first;
    return !It->second || It->second->contains(St);
  }

  ThreadWindow windowOf(const SpawnSite &S) {
    ThreadWindow W;
    const Stmt *Body = S.Spawner->getBody();
    W.Begin = S.Spawn->getEndLoc();
    if (S.Handle == HandleKind::Temporary) {
      W.End = W.Begin;
      return W;
    }
    W.End = Body->getEndLoc();
    const Stmt *Loop = innermostLoop(S.Spawn, Body, Ctx);
    const Stmt *JoinLoop = nullptr;
    const CallExpr *Join = findJoin(S, Body, JoinLoop);
    if (Join) {
      // Joining one thread of a container in a loop: the others still run
      // until the loop ends.
      W.End = (JoinLoop && (!Loop || !contains(JoinLoop, Loop)))
                  ? JoinLoop->getEndLoc()
                  : Join->getBeginLoc();
    } else if (S.JoinsAtScopeEnd && S.HandleDecl) {
      if (const CompoundStmt *Scope = enclosingScope(S.HandleDecl, Ctx))
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

private:
  /// The first call after the spawn that waits for its thread.
  const CallExpr *findJoin(const SpawnSite &S, const Stmt *Body,
                           const Stmt *&JoinLoop) {
    if (S.Handle == HandleKind::Detached)
      return nullptr;
    bool HandleLess = S.Handle == HandleKind::None;
    llvm::DenseMap<const Decl *, const Decl *> LoopVarOf;
    const CallExpr *Found = nullptr;
    auto Refers = [&](const Expr *Obj) {
      const Decl *D = LockState::mutexDeclOf(Obj);
      if (!D) {
        // ts[i].join(), ts.at(i).join()
        const Expr *E = Obj->IgnoreParenImpCasts();
        if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E))
          D = LockState::mutexDeclOf(OC->getArg(0));
        else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
          D = LockState::mutexDeclOf(MC->getImplicitObjectArgument());
        else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
          D = LockState::mutexDeclOf(AS->getBase());
      }
      if (!D)
        return false;
      if (auto It = LoopVarOf.find(D); It != LoopVarOf.end())
        D = It->second;
      if (HandleLess)
        return llvm::is_contained(S.JoinObjects, D);
      return D == S.HandleDecl;
    };
    auto Visit = [&](auto &&Self, const Stmt *St) -> void {
      if (!St || Found || isa<LambdaExpr>(St))
        return;
      if (const auto *FR = dyn_cast<CXXForRangeStmt>(St))
        if (const Decl *C = LockState::mutexDeclOf(FR->getRangeInit()))
          LoopVarOf[FR->getLoopVariable()->getCanonicalDecl()] = C;
      if (const auto *C = dyn_cast<CallExpr>(St);
          C && before(S.Spawn->getEndLoc(), C->getBeginLoc())) {
        const FunctionDecl *FD = C->getDirectCallee();
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C)) {
          const Expr *Obj = MC->getImplicitObjectArgument();
          if (Obj && isJoinName(FD, HandleLess) &&
              (Refers(Obj) || (HandleLess && isWaiterType(Obj->getType()))))
            Found = C;
        } else if (FD && FD->getDeclName().isIdentifier() &&
                   (FD->getName() == "pthread_join" ||
                    FD->getName() == "thrd_join") &&
                   C->getNumArgs() > 0 && Refers(C->getArg(0))) {
          Found = C;
        }
        // The handle handed to another function (`joinAll(threads)`,
        // `pool.adopt(std::move(t))`): it may join there; stop looking.
        // A const reference cannot join.
        if (!Found && !isa<CXXOperatorCallExpr>(C) && !isHandleWrapper(FD))
          for (unsigned I = 0; I < C->getNumArgs(); ++I) {
            const Expr *Arg = C->getArg(I)->IgnoreParenImpCasts();
            if (const auto *W = dyn_cast<CallExpr>(Arg);
                W && W->getNumArgs() == 1 &&
                isHandleWrapper(W->getDirectCallee()))
              Arg = W->getArg(0);
            if (FD && I < FD->getNumParams()) {
              QualType PT = FD->getParamDecl(I)->getType();
              if (PT->isReferenceType() &&
                  PT.getNonReferenceType().isConstQualified())
                continue;
            }
            if (Refers(Arg)) {
              Found = C;
              break;
            }
          }
      }
      for (const Stmt *Child : St->children())
        Self(Self, Child);
    };
    Visit(Visit, Body);
    if (Found)
      JoinLoop = innermostLoop(Found, Body, Ctx);
    return Found;
  }

  struct SpawnerCFG {
    std::unique_ptr<CFG> G;
    /// Where each statement is: block and element index.
    llvm::DenseMap<const Stmt *, std::pair<const CFGBlock *, unsigned>> Where;
  };

  const SpawnerCFG &cfgOf(const FunctionDecl *FD) {
    auto &Slot = CFGs[FD];
    if (Slot)
      return *Slot;
    Slot = std::make_unique<SpawnerCFG>();
    CFG::BuildOptions BO;
    BO.setAllAlwaysAdd();
    Slot->G = CFG::buildCFG(FD, FD->getBody(), &Ctx, BO);
    if (Slot->G)
      for (const CFGBlock *B : *Slot->G) {
        unsigned I = 0;
        for (const CFGElement &E : *B) {
          if (auto CS = E.getAs<CFGStmt>())
            Slot->Where.try_emplace(CS->getStmt(), B, I);
          ++I;
        }
      }
    return *Slot;
  }

  /// Statements reachable from \p Spawn: the rest of its block, and every
  /// block reachable from there. Nullopt when the spawn is not in the CFG.
  static std::optional<llvm::DenseSet<const Stmt *>>
  reachableAfter(const SpawnerCFG &C, const Stmt *Spawn) {
    auto It = C.Where.find(Spawn);
    if (It == C.Where.end())
      return std::nullopt;
    llvm::DenseSet<const Stmt *> Out;
    auto AddFrom = [&](const CFGBlock *B, unsigned From) {
      unsigned I = 0;
      for (const CFGElement &E : *B) {
        if (I++ >= From)
          if (auto CS = E.getAs<CFGStmt>())
            Out.insert(CS->getStmt());
      }
    };
    const CFGBlock *Start = It->second.first;
    AddFrom(Start, It->second.second + 1);
    llvm::SmallVector<const CFGBlock *, 16> Work;
    llvm::DenseSet<const CFGBlock *> Seen;
    auto Push = [&](const CFGBlock *B) {
      for (const CFGBlock *Succ : B->succs())
        if (Succ && Seen.insert(Succ).second)
          Work.push_back(Succ);
    };
    Push(Start);
    while (!Work.empty()) {
      const CFGBlock *B = Work.pop_back_val();
      AddFrom(B, 0);
      Push(B);
    }
    return Out;
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<SpawnerCFG>> CFGs;
  llvm::DenseMap<const Stmt *, std::optional<llvm::DenseSet<const Stmt *>>>
      Reachable;
};

//===----------------------------------------------------------------------===//
// Accesses and races.
//===----------------------------------------------------------------------===//

/// A map access as one side of a possible race.
struct Access {
  const Expr *Site = nullptr;
  bool Write = false;
  ObjectKey Key;
  LockSet Held;
  /// Ordered with every other access: it runs inside std::call_once or a
  /// static initialiser, or where the lock analysis gave up (over budget).
  bool Ordered = false;
  const SpawnSite *Thread = nullptr; ///< null on the spawning function's side
};

using AccessList = std::vector<Access>;

struct Race {
  const Access *A;
  const Access *B;
};

/// Where to point at an access: the call, or for the begin()/end() calls of
/// a range-for, the range expression the user wrote.
SourceLocation siteLoc(const Expr *Site) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Site))
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(
            MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
          VD && VD->isImplicit() && VD->getInit())
        return VD->getInit()->getBeginLoc();
  return Site->getBeginLoc();
}

bool isAnnotatedGuarded(const ObjectKey &K) {
  const NamedDecl *D = K.named();
  return D && (D->hasAttr<GuardedByAttr>() || D->hasAttr<PtGuardedByAttr>());
}

} // namespace

ConcurrentWriteCheck::ConcurrentWriteCheck(StringRef Name,
                                           ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      Model(MapModelOptions::read(
          Options, MapModelOptions::MapTypes | MapModelOptions::IgnoredTypes |
                       MapModelOptions::LockTypes |
                       MapModelOptions::ThreadSpawners)),
      CheckReads(boolOption("CheckReads", true)),
      MaxFunctions(positiveOption("MaxFunctions", 200)),
      MaxBlocks(positiveOption("MaxBlocks", 2000)),
      Entries(Model, ThreadEntriesOptions{MaxFunctions, 8}) {}

bool ConcurrentWriteCheck::boolOption(StringRef Name, bool Default) {
  std::string V = StringRef(Options.get(Name, Default ? "true" : "false"))
                      .trim()
                      .lower();
  if (V == "true" || V == "1" || V == "on" || V == "yes")
    return true;
  if (V == "false" || V == "0" || V == "off" || V == "no")
    return false;
  configurationDiag("invalid option '%0' for %1: '%2' is not a boolean; "
                    "using %3")
      << Name << getID() << V << (Default ? "true" : "false");
  return Default;
}

unsigned ConcurrentWriteCheck::positiveOption(StringRef Name,
                                              unsigned Default) {
  unsigned V = Options.get(Name, Default);
  if (V == 0) {
    configurationDiag("invalid option '%0' for %1: must be positive; "
                      "using %2")
        << Name << getID() << Default;
    return Default;
  }
  return V;
}

void ConcurrentWriteCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Model.options().store(Options, Opts);
  Options.store(Opts, "CheckReads", CheckReads ? "true" : "false");
  Options.store(Opts, "MaxFunctions", MaxFunctions);
  Options.store(Opts, "MaxBlocks", MaxBlocks);
}

void ConcurrentWriteCheck::registerMatchers(MatchFinder *Finder) {
  // Where a thread starts. Each form is its own matcher of one node kind, so
  // the finder tries it only on nodes of that kind; the cheap cached
  // type/name test comes first.
  auto ThreadSpawns = {
      // std::thread t(f, ...), std::jthread, a std::thread(...) temporary.
      expr(cxxConstructExpr(startsThread(&Model))),
      // threads.emplace_back([&] { ... }): the thread is built in the library.
      expr(cxxMemberCallExpr(emplacesThread(&Model))),
      // std::async, pthread_create, thrd_create, the shim's go,
      // ThreadSpawners.
      expr(callExpr(callsSpawner(&Model)))};
  // The function whose code runs alongside the thread until it is joined.
  auto InFunction = forCallable(functionDecl().bind("fn"));
  // Spawns inside the standard library (std::async's own thread) are not the
  // program's; excluding them before forCallable spares building the parent
  // map of TUs whose only spawns are in headers like <future>.
  for (const auto &ThreadSpawn : ThreadSpawns)
    Finder->addMatcher(
        expr(ThreadSpawn, unless(isExpansionInSystemHeader()), InFunction)
            .bind("spawn"),
        this);
}

void ConcurrentWriteCheck::check(const MatchFinder::MatchResult &Result) {
  Ctx = Result.Context;
  const auto *Spawn = Result.Nodes.getNodeAs<Expr>("spawn");
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  // Spawns inside the standard library (std::async's own thread) are not
  // the program's.
  if (Spawn && FD && FD->hasBody() &&
      !Result.SourceManager->isInSystemHeader(Spawn->getBeginLoc()))
    Entries.addSpawn(Spawn, FD, *Result.Context);
}

void ConcurrentWriteCheck::onEndOfTranslationUnit() {
  if (!Ctx || Entries.sites().empty())
    return;
  LockState Locks(Model, *Ctx, LockStateOptions{MaxBlocks});
  Ordering Order(*Ctx);
  llvm::ArrayRef<SpawnSite> Sites = Entries.sites();

  // The accesses of one side of a spawn: resolved, with the locks held.
  auto Collect = [&](const Frame &F, const SpawnSite *Thread,
                     llvm::function_ref<bool(const Stmt *)> Filter,
                     AccessList &Out) {
    llvm::ArrayRef<MapAccessSite> Accesses = Entries.accessesOf(F.FD);
    if (Accesses.empty())
      return; // the common case: no lock analysis of the chain
    // Locks named in a caller or a callee stand for the mutexes the walk
    // bound to them (a `std::mutex &` parameter is the caller's mutex).
    auto AddLocks = [&](LockSet &Into, llvm::ArrayRef<HeldLock> From) {
      for (HeldLock L : From) {
        L.Mutex = L.Mutex ? Entries.lockIdentity(L.Mutex, F) : nullptr;
        Into.push_back(L);
      }
    };
    LockSet Inherited;
    bool Unknown = false;
    for (const auto &Step : F.Chain) {
      if (!Step.second)
        continue;
      // Inside std::call_once or a static initialiser: every other caller
      // waits for it, as if an unknown lock were held.
      if (Entries.runsOnce(Step.second))
        Unknown = true;
      else if (auto H = Locks.heldAt(Step.first, Step.second))
        AddLocks(Inherited, *H);
      else
        Unknown = true;
    }
    for (const MapAccessSite &A : Accesses) {
      if (F.Chain.size() == 1 && !Filter(A.Call))
        continue;
      std::optional<ObjectKey> K = Entries.objectOf(A, F);
      if (!K || isAnnotatedGuarded(*K))
        continue;
      Access Acc;
      Acc.Site = A.Call;
      Acc.Write = A.Kind == MapAccessKind::Write;
      Acc.Key = *K;
      Acc.Thread = Thread;
      Acc.Held = Inherited;
      bool Guarded = Unknown || Entries.runsOnce(A.Call);
      if (auto H = Locks.heldAt(F.FD, A.Call))
        AddLocks(Acc.Held, *H);
      else
        Guarded = true;
      Acc.Ordered = Guarded;
      Out.push_back(std::move(Acc));
    }
  };

  std::vector<ThreadWindow> Windows;
  std::vector<AccessList> ThreadSide(Sites.size()), MainSide(Sites.size());
  for (unsigned I = 0; I < Sites.size(); ++I) {
    const SpawnSite &S = Sites[I];
    Windows.push_back(Order.windowOf(S));
    const ThreadWindow &W = Windows.back();
    Entries.walkThread(S, [&](const Frame &F) {
      Collect(F, &S, [](const Stmt *) { return true; }, ThreadSide[I]);
    });
    auto InWindow = [&](const Stmt *St) {
      return Order.within(St->getBeginLoc(), W) &&
             !Order.contains(S.Spawn, St) && Order.mayFollow(S, St);
    };
    Entries.walkMainSide(S, InWindow, [&](const Frame &F) {
      Collect(F, nullptr, InWindow, MainSide[I]);
    });
  }

  // Pairs of sides that run at the same time.
  std::vector<std::pair<const AccessList *, const AccessList *>> Concurrent;
  for (unsigned I = 0; I < Sites.size(); ++I) {
    Concurrent.push_back({&ThreadSide[I], &MainSide[I]});
    if (Windows[I].SelfConcurrent)
      Concurrent.push_back({&ThreadSide[I], &ThreadSide[I]});
    for (unsigned J = I + 1; J < Sites.size(); ++J) {
      bool Overlap;
      if (Sites[I].Spawner == Sites[J].Spawner)
        Overlap = (Order.within(Sites[J].Spawn->getBeginLoc(), Windows[I]) &&
                   Order.mayFollow(Sites[I], Sites[J].Spawn)) ||
                  (Order.within(Sites[I].Spawn->getBeginLoc(), Windows[J]) &&
                   Order.mayFollow(Sites[J], Sites[I].Spawn));
      else
        Overlap = Windows[I].Escapes && Windows[J].Escapes;
      if (Overlap)
        Concurrent.push_back({&ThreadSide[I], &ThreadSide[J]});
    }
  }

  std::vector<Race> WriteWrite, ReadWrite;
  for (const auto &[L, R] : Concurrent) {
    std::map<std::pair<const Decl *, const Decl *>,
             std::vector<const Access *>>
        ByKey;
    for (const Access &B : *R)
      ByKey[{B.Key.Root, B.Key.Field}].push_back(&B);
    for (const Access &A : *L) {
      auto It = ByKey.find({A.Key.Root, A.Key.Field});
      if (It == ByKey.end())
        continue;
      for (const Access *B : It->second) {
        if ((!A.Write && !B->Write) || A.Ordered || B->Ordered)
          continue;
        if (locksExclude(A.Held, B->Held))
          continue;
        if (A.Write && B->Write)
          WriteWrite.push_back({&A, B});
        else if (CheckReads)
          ReadWrite.push_back({&A, B});
      }
    }
  }

  // One warning per site: at the unguarded write if there is one, else at
  // the unguarded read, else at the write.
  llvm::DenseSet<const Expr *> Reported;
  std::set<std::pair<const Expr *, const Expr *>> ReportedPairs;
  auto Report = [&](const Race &Rc, bool BothWrites) {
    const Access *A = Rc.A, *B = Rc.B;
    auto Pick = [&]() -> std::pair<const Access *, const Access *> {
      for (auto [X, Y] : {std::pair{A, B}, std::pair{B, A}})
        if (X->Write && X->Held.empty())
          return {X, Y};
      for (auto [X, Y] : {std::pair{A, B}, std::pair{B, A}})
        if (X->Held.empty())
          return {X, Y};
      return A->Write ? std::pair{A, B} : std::pair{B, A};
    };
    auto [At, Other] = Pick();
    if (Reported.contains(At->Site) ||
        ReportedPairs.count({Other->Site, At->Site}))
      return;
    Reported.insert(At->Site);
    ReportedPairs.insert({At->Site, Other->Site});
    const NamedDecl *Name = At->Key.named();
    if (BothWrites)
      diag(siteLoc(At->Site),
           "map %0 is written from a thread without holding a lock")
          << Name;
    else
      diag(siteLoc(At->Site),
           "concurrent map read and map write: map %0 is read and written "
           "from threads without holding a lock")
          << Name;
    const SpawnSite *T = At->Thread ? At->Thread : Other->Thread;
    if (T)
      diag(T->Spawn->getBeginLoc(), "thread started here", DiagnosticIDs::Note);
    if (Other->Site != At->Site)
      diag(siteLoc(Other->Site), "conflicting access here",
           DiagnosticIDs::Note);
  };
  auto ByLocation = [&](const Race &X, const Race &Y) {
    return Order.before(X.A->Site->getBeginLoc(), Y.A->Site->getBeginLoc());
  };
  llvm::stable_sort(WriteWrite, ByLocation);
  llvm::stable_sort(ReadWrite, ByLocation);
  for (const Race &Rc : WriteWrite)
    Report(Rc, true);
  for (const Race &Rc : ReadWrite)
    Report(Rc, false);
}

} // namespace clang::tidy::mapguard
