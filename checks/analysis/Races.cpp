//===--- Races.cpp - unguarded map accesses on concurrent threads ---------===//

#include "analysis/Races.h"
#include "analysis/LockState.h"
#include "analysis/ThreadLifetime.h"
#include "analysis/ThreadOrdering.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include <map>
#include <set>

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

std::vector<RaceFinding> findRaces(MapGuardAnalyses &Analyses,
                                   const MapModel &Model,
                                   ThreadEntries &Entries,
                                   const RaceOptions &Opts) {
  if (Entries.sites().empty() || !Analyses.astContext())
    return {};
  LockState &Locks = Analyses.locks(Model, Opts.Budget);
  ThreadOrdering &Order = Analyses.ordering(Opts.Budget);
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
  std::unique_ptr<ThreadLifetime> Lifetime;
  for (unsigned I = 0; I < Sites.size(); ++I) {
    const SpawnSite &S = Sites[I];
    Windows.push_back(Order.windowOf(S));
    const ThreadWindow &W = Windows.back();
    llvm::DenseSet<const FunctionDecl *> OnThread;
    Entries.walkThread(S, [&](const Frame &F) {
      OnThread.insert(F.FD);
      Collect(F, &S, [](const Stmt *) { return true; }, ThreadSide[I]);
    });
    auto InWindow = [&](const Stmt *St) {
      return Order.within(St->getBeginLoc(), W) &&
             !Order.contains(S.Spawn, St) && Order.mayFollow(S, St);
    };
    Entries.walkMainSide(S, InWindow, [&](const Frame &F) {
      Collect(F, nullptr, InWindow, MainSide[I]);
    });
    if (!W.Escapes || ThreadSide[I].empty())
      continue;
    // The thread outlives its spawner: the callers after the call that
    // started it, and the public methods of a class that runs itself on it.
    if (!Lifetime)
      Lifetime = std::make_unique<ThreadLifetime>(Analyses, Entries, Order,
                                                  Entries.options());
    const Decl *Own = ThreadEntries::ownThisRoot(S.Spawner);
    for (const ConcurrentRoot &R : Lifetime->rootsOf(
             S, [&](const FunctionDecl *FD) { return OnThread.contains(FD); })) {
      auto InRoot = [&](const Stmt *St) {
        if (R.Until && !Order.before(St->getBeginLoc(), R.Until->getBeginLoc()))
          return false;
        return !R.After ||
               (Order.before(R.After->getEndLoc(), St->getBeginLoc()) &&
                Order.mayFollow(R.FD, R.After, St));
      };
      AccessList Found;
      Entries.walkFrom(R.FD, R.ThisRoot, InRoot, S.Spawner,
                       [&](const Frame &F) { Collect(F, nullptr, InRoot, Found); });
      for (Access &A : Found) {
        if (R.Alias && A.Key.Root == R.Alias)
          A.Key.Root = Own; // the caller's name for the thread's object
        A.Outside = true;
        MainSide[I].push_back(std::move(A));
      }
    }
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
        else if (Opts.CheckReads)
          ReadWrite.push_back({&A, B});
      }
    }
  }

  // One warning per site: at the unguarded write if there is one, else at
  // the unguarded read, else at the write.
  llvm::DenseSet<const Expr *> Reported;
  std::set<std::pair<const Expr *, const Expr *>> ReportedPairs;
  std::vector<RaceFinding> Out;
  auto Report = [&](const Race &Rc, bool BothWrites) {
    const Access *A = Rc.A, *B = Rc.B;
    auto Pick = [&]() -> std::pair<const Access *, const Access *> {
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
    auto [At, Other] = Pick();
    if (Reported.contains(At->Site) ||
        ReportedPairs.count({Other->Site, At->Site}))
      return;
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
  auto ByLocation = [&](const Race &X, const Race &Y) {
    return Order.before(X.A->Site->getBeginLoc(), Y.A->Site->getBeginLoc());
  };
  llvm::stable_sort(WriteWrite, ByLocation);
  llvm::stable_sort(ReadWrite, ByLocation);
  for (const Race &Rc : WriteWrite)
    Report(Rc, true);
  for (const Race &Rc : ReadWrite)
    Report(Rc, false);
  return Out;
}

} // namespace clang::tidy::mapguard
