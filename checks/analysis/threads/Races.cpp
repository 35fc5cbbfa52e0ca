//===--- Races.cpp - unguarded map accesses on concurrent threads ---------===//

#include "analysis/threads/Races.h"
#include "analysis/calls/CallIndex.h"
#include "analysis/threads/LockState.h"
#include "analysis/threads/ThreadLifetime.h"
#include "analysis/threads/ThreadOrdering.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include <map>
#include <set>
#include <tuple>
#include <vector>

namespace clang::tidy::mapguard {

namespace {

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
  /// In code outside the spawning function (a caller after the start, a
  /// public method of the thread's class): the place to warn, when it is
  /// as unguarded as the thread's side.
  bool Outside = false;
  /// The function it is in.
  const FunctionDecl *In = nullptr;
  /// Reached from a public method of the thread's class (one the TU never
  /// calls off the thread) through code the thread runs too: a routine of
  /// the thread that the class also exposes.
  bool ThreadRoutine = false;
};

using AccessList = std::vector<Access>;

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

std::vector<RaceFinding> findRaces(MapGuardAnalyses &Analyses,
                                   const MapModel &Model,
                                   ThreadEntries &Entries,
                                   const RaceOptions &Opts) {
  if (Entries.sites().empty() || !Analyses.astContext())
    return {};
  LockState &Locks = Analyses.locks(Model, Opts.Budget);
  ThreadOrdering &Order = Analyses.ordering(Opts.Budget);
  llvm::ArrayRef<SpawnSite> Sites = Entries.sites();

  // The locks held at the calls that led to a frame, as its walk state:
  // frames reached with the same locks (and context) are walked once.
  // Unknown: inside std::call_once or a static initialiser (every other
  // caller waits for it), or where the lock analysis gave up.
  struct HeldOnTheWay {
    LockSet Held; ///< as named in the callers, sorted
    bool Unknown = false;
  };
  std::vector<HeldOnTheWay> States(1);
  std::map<std::pair<std::vector<std::pair<const Decl *, bool>>, bool>,
           ChainState>
      StateIds{{{{}, false}, 0}};
  auto Step = [&](const Frame &Caller, const Stmt *Call) -> ChainState {
    HeldOnTheWay S = States[Caller.State];
    if (S.Unknown)
      return Caller.State;
    if (Entries.runsOnce(Call))
      S.Unknown = true;
    else if (auto H = Locks.heldAt(Caller.FD, Call))
      S.Held.append(H->begin(), H->end());
    else
      S.Unknown = true;
    if (S.Unknown)
      S.Held.clear();
    llvm::sort(S.Held, [](const HeldLock &A, const HeldLock &B) {
      return std::pair(A.Mutex, A.Shared) < std::pair(B.Mutex, B.Shared);
    });
    S.Held.erase(std::unique(S.Held.begin(), S.Held.end()), S.Held.end());
    std::vector<std::pair<const Decl *, bool>> Key;
    for (const HeldLock &L : S.Held)
      Key.push_back({L.Mutex, L.Shared});
    auto [It, New] =
        StateIds.try_emplace({std::move(Key), S.Unknown}, States.size());
    if (New)
      States.push_back(std::move(S));
    return It->second;
  };

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
    const HeldOnTheWay &OnTheWay = States[F.State];
    bool Unknown = OnTheWay.Unknown;
    AddLocks(Inherited, OnTheWay.Held);
    for (const MapAccessSite &A : Accesses) {
      if (F.Chain.size() == 1 && !Filter(A.Call))
        continue;
      std::optional<ObjectKey> K = Entries.objectOf(A, F);
      if (!K || isAnnotatedGuarded(*K))
        continue;
      Access Acc;
      Acc.Site = A.Call;
      Acc.In = F.FD;
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
  std::unique_ptr<ThreadLifetime> Lifetime;
  for (unsigned I = 0; I < Sites.size(); ++I) {
    const SpawnSite &S = Sites[I];
    Windows.push_back(Order.windowOf(S));
    const ThreadWindow &W = Windows.back();
    llvm::DenseSet<const FunctionDecl *> OnThread;
    size_t CutBefore = Entries.cutWalks().size();
    Entries.walkThread(
        S,
        [&](const Frame &F) {
          OnThread.insert(F.FD);
          Collect(F, &S, [](const Stmt *) { return true; }, ThreadSide[I]);
        },
        Step);
    auto InWindow = [&](const Stmt *St) {
      return Order.within(St->getBeginLoc(), W) &&
             !Order.contains(S.Spawn, St) && Order.mayFollow(S, St);
    };
    Entries.walkMainSide(
        S, InWindow,
        [&](const Frame &F) { Collect(F, nullptr, InWindow, MainSide[I]); },
        Step);
    if (!W.Escapes || ThreadSide[I].empty())
      continue;
    // The thread outlives its spawner: the callers after the call that
    // started it, and the public methods of a class that runs itself on it.
    if (!Lifetime)
      Lifetime = std::make_unique<ThreadLifetime>(Analyses, Entries, Order,
                                                  Entries.options());
    const Decl *Own = ThreadEntries::ownThisRoot(S.Spawner);
    auto IsOnThread = [&](const FunctionDecl *FD) {
      return OnThread.contains(FD);
    };
    // A thread walk cut by MaxFunctions does not know every function the
    // thread runs, so which public methods run only on it is unknown: no
    // class-level roots (the cut is reported).
    bool ThreadCut = Entries.cutWalks().size() > CutBefore;
    for (const ConcurrentRoot &R : Lifetime->rootsOf(S, IsOnThread)) {
      if (R.ClassMethod && ThreadCut)
        continue;
      // A public method whose callers the TU does not show off the thread:
      // whether its users run on the thread is out of sight.
      bool CallersUnseen =
          R.ClassMethod &&
          llvm::all_of(Analyses.calls().callersOf(R.FD),
                       [&](const CallSite &CS) { return IsOnThread(CS.Caller); });
      auto InRoot = [&](const Stmt *St) {
        if (R.Until && !Order.before(St->getBeginLoc(), R.Until->getBeginLoc()))
          return false;
        return !R.After ||
               (Order.before(R.After->getEndLoc(), St->getBeginLoc()) &&
                Order.mayFollow(R.FD, R.After, St));
      };
      AccessList Found;
      Entries.walkFrom(
          R.FD, R.ThisRoot, InRoot, S.Spawner,
          [&](const Frame &F) { Collect(F, nullptr, InRoot, Found); }, Step);
      for (Access &A : Found) {
        if (R.Alias && A.Key.Root == R.Alias)
          A.Key.Root = Own; // the caller's name for the thread's object
        A.Outside = true;
        A.ThreadRoutine = CallersUnseen && IsOnThread(A.In);
        MainSide[I].push_back(std::move(A));
      }
    }
  }

  // A map that no access in the TU locks, reached from the class's API only
  // through the thread's own routines, is confined to the thread by design
  // (an actor whose entry points other TUs call on its thread, i2pd's
  // Tunnels): those accesses are the thread's. A map locked anywhere keeps
  // them -- a forgotten lock is a bug of a class that does lock it.
  std::set<std::pair<const Decl *, const Decl *>> Locked;
  for (const auto *Sides : {&ThreadSide, &MainSide})
    for (const AccessList &L : *Sides)
      for (const Access &A : L)
        if (!A.Held.empty())
          Locked.insert({A.Key.Root, A.Key.Field});
  for (AccessList &L : MainSide)
    llvm::erase_if(L, [&](const Access &A) {
      return A.ThreadRoutine && !Locked.count({A.Key.Root, A.Key.Field});
    });

  // Walks cut by MaxFunctions lose the accesses beyond: say so.
  for (const FunctionDecl *FD : Entries.cutWalks())
    Analyses.recordSkip(FD, SkipThreadWalk, "MaxFunctions",
                        Entries.options().MaxFunctions, std::nullopt);

  // Lists equal to an earlier one (the same sites, keys, locks, order:
  // threads that run the same code) add no finding: each pair they make
  // repeats, at the same location and later in the order below, a pair of
  // the earlier list. Each list gets the number of its first equal list.
  using LockList = std::vector<std::pair<const Decl *, bool>>;
  using Shape = std::vector<std::tuple<const Expr *, bool, const Decl *,
                                       const Decl *, bool, bool, LockList>>;
  std::map<Shape, unsigned> Shapes;
  auto ShapeOf = [&](const AccessList &L) {
    Shape S;
    S.reserve(L.size());
    for (const Access &A : L) {
      LockList Held;
      for (const HeldLock &H : A.Held)
        Held.push_back({H.Mutex, H.Shared});
      S.emplace_back(A.Site, A.Write, A.Key.Root, A.Key.Field, A.Ordered,
                     A.Outside, std::move(Held));
    }
    return Shapes.try_emplace(std::move(S), Shapes.size()).first->second;
  };
  std::vector<unsigned> ThreadShape(Sites.size()), MainShape(Sites.size());
  for (unsigned I = 0; I < Sites.size(); ++I) {
    ThreadShape[I] = ShapeOf(ThreadSide[I]);
    MainShape[I] = ShapeOf(MainSide[I]);
  }

  // Pairs of sides that run at the same time.
  std::vector<std::pair<const AccessList *, const AccessList *>> Concurrent;
  std::set<std::pair<unsigned, unsigned>> SeenShapes;
  auto AddConcurrent = [&](const AccessList &L, unsigned LS,
                           const AccessList &R, unsigned RS) {
    if (!L.empty() && !R.empty() && SeenShapes.insert({LS, RS}).second)
      Concurrent.push_back({&L, &R});
  };
  for (unsigned I = 0; I < Sites.size(); ++I) {
    AddConcurrent(ThreadSide[I], ThreadShape[I], MainSide[I], MainShape[I]);
    if (Windows[I].SelfConcurrent)
      AddConcurrent(ThreadSide[I], ThreadShape[I], ThreadSide[I],
                    ThreadShape[I]);
    if (ThreadSide[I].empty())
      continue;
    for (unsigned J = I + 1; J < Sites.size(); ++J) {
      if (ThreadSide[J].empty() ||
          SeenShapes.count({ThreadShape[I], ThreadShape[J]}))
        continue;
      bool Overlap;
      if (Sites[I].Spawner == Sites[J].Spawner)
        Overlap = (Order.within(Sites[J].Spawn->getBeginLoc(), Windows[I]) &&
                   Order.mayFollow(Sites[I], Sites[J].Spawn)) ||
                  (Order.within(Sites[I].Spawn->getBeginLoc(), Windows[J]) &&
                   Order.mayFollow(Sites[J], Sites[I].Spawn));
      else
        Overlap = Windows[I].Escapes && Windows[J].Escapes;
      if (Overlap)
        AddConcurrent(ThreadSide[I], ThreadShape[I], ThreadSide[J],
                      ThreadShape[J]);
    }
  }

  // The accesses of each right-hand side by object, and of one object in
  // classes of equal attributes (write, ordered, outside, locks): whether
  // two accesses race, and which of them is reported, depends only on
  // those, so an access is compared with each class, not with each access.
  struct Class {
    const Access *Rep;
    std::vector<const Access *> Members; ///< in the side's order
    std::vector<unsigned> Index;         ///< their positions in the side
    /// For lazy removal of members already reported: the next member not
    /// known to be reported, at or after each position (path-compressed).
    std::vector<unsigned> Next;
    unsigned next(unsigned I) {
      unsigned R = I;
      while (R < Next.size() && Next[R] != R)
        R = Next[R];
      while (I < Next.size() && Next[I] != I) {
        unsigned N = Next[I];
        Next[I] = R;
        I = N;
      }
      return R;
    }
    void remove(unsigned I) { Next[I] = I + 1; }
  };
  using Classes = std::vector<Class>;
  std::vector<std::map<std::pair<const Decl *, const Decl *>, Classes>> ByKey(
      Concurrent.size());
  for (unsigned C = 0; C < Concurrent.size(); ++C) {
    const AccessList &R = *Concurrent[C].second;
    for (unsigned I = 0; I < R.size(); ++I) {
      const Access &B = R[I];
      Classes &Cs = ByKey[C][{B.Key.Root, B.Key.Field}];
      auto It = llvm::find_if(Cs, [&](const Class &K) {
        return K.Rep->Write == B.Write && K.Rep->Ordered == B.Ordered &&
               K.Rep->Outside == B.Outside && K.Rep->Held == B.Held;
      });
      if (It == Cs.end()) {
        Cs.push_back(Class{&B, {}, {}, {}});
        It = std::prev(Cs.end());
      }
      It->Next.push_back(It->Members.size());
      It->Members.push_back(&B);
      It->Index.push_back(I);
    }
  }

  // Every access of a left-hand side that has something to race with, in
  // source order (stable: the order above among equal locations).
  struct Event {
    const Access *A;
    unsigned Entry;
  };
  std::vector<Event> Events;
  for (unsigned C = 0; C < Concurrent.size(); ++C)
    for (const Access &A : *Concurrent[C].first)
      if (ByKey[C].count({A.Key.Root, A.Key.Field}))
        Events.push_back({&A, C});
  llvm::stable_sort(Events, [&](const Event &X, const Event &Y) {
    return Order.before(X.A->Site->getBeginLoc(), Y.A->Site->getBeginLoc());
  });

  // Where to warn for a race of A and B: at the unguarded write if there is
  // one, else at the unguarded read, else at the write; outside the
  // spawning function first.
  auto Pick = [](const Access *A,
                 const Access *B) -> std::pair<const Access *, const Access *> {
    if (B->Outside && !A->Outside)
      std::swap(A, B);
    for (auto [X, Y] : {std::pair{A, B}, std::pair{B, A}})
      if (X->Write && X->Held.empty())
        return {X, Y};
    for (auto [X, Y] : {std::pair{A, B}, std::pair{B, A}})
      if (X->Held.empty())
        return {X, Y};
    return A->Write ? std::pair{A, B} : std::pair{B, A};
  };

  // One warning per site; a pair is not reported the other way round.
  llvm::DenseSet<const Expr *> Reported;
  std::set<std::pair<const Expr *, const Expr *>> ReportedPairs;
  std::vector<RaceFinding> Out;
  auto Report = [&](const Access *At, const Access *Other, bool BothWrites) {
    Reported.insert(At->Site);
    ReportedPairs.insert({At->Site, Other->Site});
    RaceFinding F;
    F.Map = At->Key.named();
    F.BothWrites = BothWrites;
    F.At = siteLoc(At->Site);
    F.Other = Other->Site != At->Site ? siteLoc(Other->Site) : SourceLocation();
    F.Thread = At->Thread ? At->Thread : Other->Thread;
    Out.push_back(F);
  };

  // Write/write races first, then read/write ones; within each, by the
  // location of the left-hand access, then the right-hand side's order --
  // the order of comparing every pair, without listing the pairs.
  for (bool WriteWritePass : {true, false}) {
    if (!WriteWritePass && !Opts.CheckReads)
      break;
    for (const Event &E : Events) {
      const Access *A = E.A;
      Classes &Cs = ByKey[E.Entry][{A->Key.Root, A->Key.Field}];
      struct Cursor {
        Class *K;
        bool AtIsA;
        unsigned Pos;
      };
      llvm::SmallVector<Cursor, 4> Live;
      for (Class &K : Cs) {
        const Access *B = K.Rep;
        if ((!A->Write && !B->Write) || A->Ordered || B->Ordered ||
            locksExclude(A->Held, B->Held))
          continue;
        if ((A->Write && B->Write) != WriteWritePass)
          continue;
        bool AtIsA = Pick(A, B).first == A;
        Live.push_back({&K, AtIsA, AtIsA ? 0u : K.next(0)});
      }
      while (!Live.empty()) {
        // The class whose next member comes first in the side's order.
        Cursor *Best = nullptr;
        for (Cursor &Cur : Live)
          if (Cur.Pos < Cur.K->Members.size() &&
              (!Best || Cur.K->Index[Cur.Pos] < Best->K->Index[Best->Pos]))
            Best = &Cur;
        if (!Best)
          break;
        const Access *B = Best->K->Members[Best->Pos];
        if (Best->AtIsA) {
          if (Reported.contains(A->Site)) {
            // Nothing more at A: drop every class that would warn there.
            llvm::erase_if(Live, [](const Cursor &C) { return C.AtIsA; });
            continue;
          }
          if (!ReportedPairs.count({B->Site, A->Site}))
            Report(A, B, WriteWritePass);
          ++Best->Pos;
          continue;
        }
        if (Reported.contains(B->Site)) {
          Best->K->remove(Best->Pos);
        } else if (!ReportedPairs.count({A->Site, B->Site})) {
          Report(B, A, WriteWritePass);
          Best->K->remove(Best->Pos);
        }
        Best->Pos = Best->K->next(Best->Pos + 1);
      }
    }
  }
  return Out;
}

} // namespace clang::tidy::mapguard
