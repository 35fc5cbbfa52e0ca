//===--- CrossUnitRaces.cpp - races whose story spans TUs -----------------===//

#include "analysis/threads/CrossUnitRaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace clang::tidy::mapguard {

namespace {

/// How deep overriders of overriders are followed.
constexpr unsigned MaxOverrideDepth = 32;

bool before(const SourceSpot &A, const SourceSpot &B) {
  return std::tie(A.File, A.Line, A.Column) < std::tie(B.File, B.Line, B.Column);
}

/// \p S lies in the window after \p From (same file, later) and before
/// \p Until when there is one.
bool inWindow(const SourceSpot &S, const SourceSpot &From,
              const std::optional<SourceSpot> &Until) {
  if (S.File != From.File || !before(From, S))
    return false;
  return !Until || (S.File == Until->File && before(S, *Until));
}

/// Locks that must be held on entry to a function: Guarded (every path is
/// ordered or unknown: protects everything) or the intersection over paths.
struct EntryLocks {
  bool Guarded = false;
  std::vector<LockFact> Locks;

  /// Meets \p O into this; returns true when this changed.
  bool meet(const EntryLocks &O) {
    if (O.Guarded)
      return false;
    if (Guarded) {
      *this = O;
      return true;
    }
    std::vector<LockFact> Kept;
    for (const LockFact &L : Locks)
      for (const LockFact &M : O.Locks)
        if (L.Mutex == M.Mutex) {
          Kept.push_back({L.Mutex, L.Shared || M.Shared});
          break;
        }
    bool Changed = Kept != Locks;
    Locks = std::move(Kept);
    return Changed;
  }
};

EntryLocks through(const EntryLocks &In, const std::vector<LockFact> &At,
                   bool Guarded) {
  EntryLocks Out = In;
  Out.Guarded = In.Guarded || Guarded;
  if (Out.Guarded) {
    Out.Locks.clear();
    return Out;
  }
  for (const LockFact &L : At)
    if (!llvm::is_contained(Out.Locks, L))
      Out.Locks.push_back(L);
  return Out;
}

/// Two lock sets exclude each other: a mutex in both, held exclusively by
/// at least one.
bool exclude(const std::vector<LockFact> &A, const std::vector<LockFact> &B) {
  for (const LockFact &L : A)
    for (const LockFact &M : B)
      if (L.Mutex == M.Mutex && (!L.Shared || !M.Shared))
        return true;
  return false;
}

bool hasUnknownLock(const std::vector<LockFact> &Locks) {
  return llvm::any_of(Locks, [](const LockFact &L) { return L.Mutex.empty(); });
}

/// A root: where it starts and what it is concurrent with.
struct Root {
  CrossUnitRootKind Kind;
  /// The function the root's code starts in.
  std::string Function;
  /// The thread's entry (Thread, Spawner) or the callable (Callback).
  std::string Entry;
  /// For the spawning side: only the root function's facts after From (and
  /// before Until) run beside the thread.
  bool Windowed = false;
  SourceSpot From;
  std::optional<SourceSpot> Until;
  /// The spawn (Thread, Spawner), identified by spawner and place; for a
  /// callback the call that hands it over.
  std::string Spawner;
  SourceSpot Start;
  /// The spawn escapes its spawner (not joined there).
  bool Escapes = false;
  std::optional<SourceSpot> JoinedAt;
  std::string HandedTo, HandedToName;
  /// Functions whose records the story needs: the spawner, a caller.
  std::vector<std::string> Story;
};

/// One access reached from a root.
struct Reached {
  unsigned Root;
  const IndexedFunction *In;
  const MapAccessFact *Access;
  EntryLocks Locks; ///< own and inherited
  std::vector<std::pair<std::string, SourceSpot>> Path; ///< caller USR, call
};

class Query {
public:
  Query(const IndexView &View, const ProjectIndex &Fresh,
        const CrossUnitOptions &Opts)
      : View(View), Fresh(Fresh), Opts(Opts) {}

  /// This TU's root functions whose reach stopped at MaxFunctions.
  std::vector<std::string> CutRoots;

  std::vector<CrossUnitRace> run() {
    // Nothing of this TU accesses a map: nothing to report here, only the
    // cuts of this TU's own roots to say.
    bool AnyAccess = false, AnyRoot = false;
    Fresh.forEach([&](const IndexedFunction &F) {
      AnyAccess = AnyAccess || !F.Threads.Accesses.empty();
      AnyRoot = AnyRoot || !F.Threads.Spawns.empty() ||
                !F.Threads.Callbacks.empty();
    });
    if (!AnyAccess && !AnyRoot)
      return {};
    View.forEach([&](const IndexedFunction &F) {
      for (const std::string &O : F.Threads.Overrides)
        Overriders[O].push_back(F.USR);
      for (const CallFact &C : F.Threads.Calls)
        Callers[C.Callee].push_back({&F, &C});
    });
    View.forEach([&](const IndexedFunction &F) { addRoots(F); });
    for (unsigned R = 0; R < Roots.size(); ++R)
      if (AnyAccess || fresh(Roots[R].Function))
        reach(R);
    return AnyAccess ? pairs() : std::vector<CrossUnitRace>();
  }

private:
  /// A project function the view defines (its facts are known).
  const IndexedFunction *defined(const std::string &USR) const {
    const IndexedFunction *F = View.find(USR);
    return F && F->Threads.Known && F->Definition ? F : nullptr;
  }
  bool fresh(const std::string &USR) const { return Fresh.find(USR); }

  void addRoots(const IndexedFunction &F) {
    const ThreadFacts &T = F.Threads;
    for (const SpawnFact &S : T.Spawns) {
      Root Th{CrossUnitRootKind::Thread, S.Entry, S.Entry};
      Th.Spawner = F.USR;
      Th.Start = S.At;
      Th.JoinedAt = S.JoinedAt;
      Th.Escapes = !S.JoinedAt;
      Th.Story = {F.USR};
      unsigned ThreadId = Roots.size();
      Roots.push_back(Th);
      Root Side = Th;
      Side.Kind = CrossUnitRootKind::Spawner;
      Side.Function = F.USR;
      Side.Windowed = true;
      Side.From = S.At;
      Side.Until = S.JoinedAt;
      Partner(ThreadId, Roots.size());
      Roots.push_back(Side);
      if (S.JoinedAt)
        continue;
      // Not joined: it runs beside its spawner's callers too.
      auto It = Callers.find(F.USR);
      if (It == Callers.end())
        continue;
      for (const auto &[Caller, Call] : It->second) {
        Root Up = Side;
        Up.Function = Caller->USR;
        Up.From = Call->At;
        Up.Until.reset();
        Up.Story = {F.USR, Caller->USR};
        Partner(ThreadId, Roots.size());
        Roots.push_back(Up);
      }
    }
    for (const CallbackFact &C : T.Callbacks) {
      if (C.HandedTo.empty())
        continue; // stored: where it runs is not seen
      const IndexedFunction *To = defined(C.HandedTo);
      if (To && To->Threads.SpawnerParam < 0)
        continue; // a synchronous call of a project function (reach)
      Root R{To ? CrossUnitRootKind::Thread : CrossUnitRootKind::Callback,
             C.Callable, C.Callable};
      if (!To && !C.ToLibrary)
        continue;
      R.Spawner = F.USR;
      R.Start = C.At;
      R.Escapes = true;
      R.HandedTo = C.HandedTo;
      R.HandedToName = C.HandedToName;
      R.Story = {F.USR, C.HandedTo};
      Roots.push_back(R);
    }
  }

  void Partner(unsigned Thread, unsigned Side) {
    Partners.insert({Thread, Side});
  }

  /// The functions a call may run: the callee, and for a virtual call the
  /// overriders of it the view shows.
  void targets(const CallFact &C, std::vector<std::string> &Out) {
    Out.push_back(C.Callee);
    if (!C.Virtual)
      return;
    for (unsigned I = 0; I < Out.size() && I < MaxOverrideDepth; ++I) {
      auto It = Overriders.find(Out[I]);
      if (It == Overriders.end())
        continue;
      for (const std::string &O : It->second)
        if (!llvm::is_contained(Out, O))
          Out.push_back(O);
    }
  }

  void reach(unsigned R) {
    const Root &Rt = Roots[R];
    struct State {
      EntryLocks Locks;
      std::string Pred;
      SourceSpot PredAt;
    };
    std::map<std::string, State> Seen;
    std::deque<std::string> Work;
    Seen[Rt.Function] = State{};
    Work.push_back(Rt.Function);
    bool Cut = false;
    auto Edge = [&](const std::string &From, const std::string &To,
                    const EntryLocks &L, const SourceSpot &At) {
      auto It = Seen.find(To);
      if (It == Seen.end()) {
        if (Seen.size() >= Opts.MaxFunctions) {
          Cut = true;
          return;
        }
        Seen[To] = State{L, From, At};
        Work.push_back(To);
        return;
      }
      if (To != Rt.Function && It->second.Locks.meet(L))
        Work.push_back(To);
    };
    while (!Work.empty()) {
      std::string U = Work.front();
      Work.pop_front();
      const IndexedFunction *F = defined(U);
      if (!F)
        continue;
      EntryLocks In = Seen[U].Locks;
      bool IsRoot = U == Rt.Function;
      auto Runs = [&](const SourceSpot &At) {
        return !IsRoot || !Rt.Windowed || inWindow(At, Rt.From, Rt.Until);
      };
      std::vector<std::string> Targets;
      for (const CallFact &C : F->Threads.Calls) {
        if (!Runs(C.At))
          continue;
        Targets.clear();
        targets(C, Targets);
        EntryLocks L = through(In, C.Locks, C.Guarded);
        for (const std::string &T : Targets)
          Edge(U, T, L, C.At);
      }
      // A callable handed to a project function runs inside it.
      for (const CallbackFact &CB : F->Threads.Callbacks) {
        const IndexedFunction *To =
            CB.HandedTo.empty() ? nullptr : defined(CB.HandedTo);
        if (!To || To->Threads.SpawnerParam >= 0 || !Runs(CB.At))
          continue;
        EntryLocks L = In;
        for (const CallFact &C : F->Threads.Calls)
          if (C.Callee == CB.HandedTo && C.At == CB.At) {
            L = through(In, C.Locks, C.Guarded);
            break;
          }
        Edge(U, CB.Callable, L, CB.At);
      }
    }
    // The per-root budget: what lies beyond is not compared. Said by the
    // TU whose function the root is (every TU walks every root).
    if (Cut && fresh(Rt.Function) && !llvm::is_contained(CutRoots, Rt.Function))
      CutRoots.push_back(Rt.Function);
    for (const auto &[USR, St] : Seen) {
      const IndexedFunction *F = defined(USR);
      if (!F)
        continue;
      bool IsRoot = USR == Rt.Function;
      for (const MapAccessFact &A : F->Threads.Accesses) {
        if (IsRoot && Rt.Windowed && !inWindow(A.At, Rt.From, Rt.Until))
          continue;
        Reached X{R, F, &A, through(St.Locks, A.Locks, A.Guarded), {}};
        // The path, innermost call last.
        std::string U = USR;
        for (unsigned I = 0; I < Opts.MaxFunctions && U != Rt.Function; ++I) {
          const State &S = Seen[U];
          X.Path.insert(X.Path.begin(), {S.Pred, S.PredAt});
          U = S.Pred;
        }
        ByMap[A.Map].push_back(std::move(X));
      }
    }
  }

  bool concurrent(unsigned I, unsigned J) const {
    if (I == J)
      return false;
    const Root &A = Roots[I], &B = Roots[J];
    if (A.Kind != CrossUnitRootKind::Thread &&
        B.Kind != CrossUnitRootKind::Thread)
      return false; // callbacks, spawning sides: one thread as far as known
    if (A.Kind != CrossUnitRootKind::Thread)
      return concurrent(J, I);
    if (B.Kind == CrossUnitRootKind::Spawner)
      return Partners.count({I, J});
    if (B.Kind == CrossUnitRootKind::Callback)
      return true;
    // Two threads.
    if (A.Spawner == B.Spawner && A.Start.File == B.Start.File)
      return inWindow(B.Start, A.Start, A.JoinedAt) ||
             inWindow(A.Start, B.Start, B.JoinedAt);
    return A.Escapes && B.Escapes;
  }

  /// Some function of the story is not this TU's.
  bool needsAnotherUnit(const Reached &X) const {
    const Root &R = Roots[X.Root];
    if (!fresh(R.Function) || !fresh(X.In->USR))
      return true;
    for (const std::string &S : R.Story)
      if (!fresh(S))
        return true;
    for (const auto &P : X.Path)
      if (!fresh(P.first))
        return true;
    return false;
  }

  std::string nameOf(const std::string &USR) const {
    const IndexedFunction *F = View.find(USR);
    return F && !F->Name.empty() ? F->Name : USR;
  }

  CrossUnitAccess describe(const Reached &X) const {
    const Root &R = Roots[X.Root];
    CrossUnitAccess A;
    A.At = X.Access->At;
    A.Write = X.Access->Write;
    A.Function = X.In->Name;
    A.FunctionUSR = X.In->USR;
    A.Kind = R.Kind;
    A.Root = nameOf(R.Function);
    A.Entry = nameOf(R.Entry);
    A.Start = R.Start;
    A.StartedIn = nameOf(R.Spawner);
    A.HandedTo = R.HandedToName;
    for (const auto &[Caller, At] : X.Path)
      A.Path.push_back({nameOf(Caller), At});
    return A;
  }

  std::vector<CrossUnitRace> pairs() {
    std::vector<CrossUnitRace> Out;
    std::set<std::tuple<std::string, unsigned, unsigned>> Reported;
    auto Unguarded = [](const Reached &X) {
      return !X.Locks.Guarded && !hasUnknownLock(X.Locks.Locks);
    };
    // Where a race is reported, the same in every TU (as the per-TU
    // analysis picks): an unguarded write (holding no lock), else an
    // unguarded access, else the write; among equals, the access that is
    // not the thread's own routine (the spawning side, a callback), then
    // the first in file order.
    auto Pick = [this](const Reached *X, const Reached *Y) {
      auto Rank = [this](const Reached *Z) {
        bool Held = !Z->Locks.Locks.empty();
        return std::make_tuple(!(Z->Access->Write && !Held), Held,
                               !Z->Access->Write,
                               Roots[Z->Root].Kind == CrossUnitRootKind::Thread);
      };
      if (Rank(Y) < Rank(X) ||
          (Rank(Y) == Rank(X) && before(Y->Access->At, X->Access->At)))
        std::swap(X, Y);
      return std::make_pair(X, Y);
    };
    for (bool WriteWrite : {true, false}) {
      if (!WriteWrite && !Opts.CheckReads)
        break;
      for (auto &[Map, List] : ByMap)
        for (const Reached &X : List) {
          if (!fresh(X.In->USR) || !Unguarded(X))
            continue;
          for (const Reached &Y : List) {
            if ((X.Access->Write && Y.Access->Write) != WriteWrite ||
                (!X.Access->Write && !Y.Access->Write) || !Unguarded(Y) ||
                !concurrent(X.Root, Y.Root) ||
                exclude(X.Locks.Locks, Y.Locks.Locks))
              continue;
            auto [At, Other] = Pick(&X, &Y);
            if (At != &X)
              continue; // reported at Y, by a TU that has it fresh
            if (!needsAnotherUnit(X) && !needsAnotherUnit(Y))
              continue; // the per-TU analysis' own
            auto Key = std::make_tuple(X.Access->At.File, X.Access->At.Line,
                                       X.Access->At.Column);
            if (!Reported.insert(Key).second)
              continue;
            CrossUnitRace F;
            F.Map = Map;
            F.MapName = X.Access->MapName;
            F.BothWrites = WriteWrite;
            F.At = describe(X);
            F.Other = describe(Y);
            Out.push_back(std::move(F));
          }
        }
    }
    return Out;
  }

  const IndexView &View;
  const ProjectIndex &Fresh;
  CrossUnitOptions Opts;
  llvm::StringMap<std::vector<std::string>> Overriders;
  std::map<std::string,
           std::vector<std::pair<const IndexedFunction *, const CallFact *>>>
      Callers;
  std::vector<Root> Roots;
  std::set<std::pair<unsigned, unsigned>> Partners;
  std::map<std::string, std::vector<Reached>> ByMap;
};

} // namespace

std::vector<CrossUnitRace> findCrossUnitRaces(const IndexView &View,
                                              const ProjectIndex &Fresh,
                                              const CrossUnitOptions &Opts,
                                              std::vector<std::string> *Cut) {
  if (View.empty())
    return {};
  Query Q(View, Fresh, Opts);
  std::vector<CrossUnitRace> Races = Q.run();
  if (Cut)
    *Cut = std::move(Q.CutRoots);
  return Races;
}

} // namespace clang::tidy::mapguard
