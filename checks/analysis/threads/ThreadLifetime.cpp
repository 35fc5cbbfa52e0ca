//===--- ThreadLifetime.cpp - code beside a thread that escapes -----------===//

#include "analysis/threads/ThreadLifetime.h"
#include "analysis/calls/CallIndex.h"
#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/calls/VirtualTargets.h"
#include "clang/AST/DeclCXX.h"

namespace clang::tidy::mapguard {

namespace {

const FunctionDecl *definitionOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  return FD && FD->hasBody(Def) ? Def : nullptr;
}

bool sameFunction(const FunctionDecl *A, const FunctionDecl *B) {
  return A && B && A->getCanonicalDecl() == B->getCanonicalDecl();
}

} // namespace

ThreadLifetime::ThreadLifetime(MapGuardAnalyses &Analyses,
                               ThreadEntries &Entries, ThreadOrdering &Order,
                               ThreadEntriesOptions Opts)
    : Analyses(Analyses), Entries(Entries), Order(Order), Opts(Opts) {}

void ThreadLifetime::findJoiners(const SpawnSite &S) {
  Joiners.clear();
  if (S.Handle == HandleKind::Detached)
    return;
  const CallIndex &Calls = Analyses.calls();
  // The functions that may join the handle: the methods of the spawner's
  // class for a member handle (stop(), Join(), the destructor), any
  // function of the TU for a global one.
  llvm::SmallVector<const FunctionDecl *, 16> Candidates;
  const auto *MD = dyn_cast<CXXMethodDecl>(S.Spawner);
  if (MD && !MD->getParent()->isLambda()) {
    for (const CXXMethodDecl *M : MD->getParent()->methods())
      if (const FunctionDecl *Def = definitionOf(M))
        Candidates.push_back(Def);
  }
  auto IsGlobal = [](const Decl *D) {
    const auto *V = dyn_cast_or_null<VarDecl>(D);
    return V && V->hasGlobalStorage() && !V->isStaticLocal();
  };
  if (IsGlobal(S.HandleDecl) || llvm::any_of(S.JoinObjects, IsGlobal))
    for (const FunctionDecl *FD : Calls.functions())
      Candidates.push_back(FD);
  // Those that join, then what calls them, a bounded number of rounds.
  llvm::SmallVector<const FunctionDecl *, 8> Frontier;
  for (const FunctionDecl *Def : Candidates) {
    if (sameFunction(Def, S.Spawner) || Joiners.contains(Def))
      continue;
    if (Order.joinIn(S, Def, SourceLocation()) && Joiners.insert(Def).second)
      Frontier.push_back(Def);
  }
  for (unsigned Round = 0; Round < Opts.MaxDepth && !Frontier.empty();
       ++Round) {
    llvm::SmallVector<const FunctionDecl *, 8> Next;
    for (const FunctionDecl *J : Frontier)
      for (const CallSite &CS : Calls.callersOf(J))
        if (!sameFunction(CS.Caller, S.Spawner) &&
            Joiners.insert(CS.Caller).second &&
            Joiners.size() < Opts.MaxFunctions)
          Next.push_back(CS.Caller);
    Frontier = std::move(Next);
  }
}

const Stmt *ThreadLifetime::joinAfter(const SpawnSite &S,
                                      const FunctionDecl *FD,
                                      const Stmt *After) {
  SourceLocation From = After ? After->getEndLoc() : SourceLocation();
  const Stmt *Best = Order.joinIn(S, FD, From);
  for (const FunctionDecl *J : Joiners)
    for (const CallSite &CS : Analyses.calls().callersOf(J))
      if (CS.Caller == FD &&
          (From.isInvalid() || Order.before(From, CS.Call->getBeginLoc())) &&
          (!Best || Order.before(CS.Call->getBeginLoc(), Best->getBeginLoc())))
        Best = CS.Call;
  return Best;
}

std::vector<ConcurrentRoot> ThreadLifetime::rootsOf(
    const SpawnSite &S,
    llvm::function_ref<bool(const FunctionDecl *)> OnThread) {
  std::vector<ConcurrentRoot> Roots;
  findJoiners(S);
  const CallIndex &Calls = Analyses.calls();
  const Decl *Own = ThreadEntries::ownThisRoot(S.Spawner);

  // The callers, after the call that started the thread, while it is not
  // joined. Alias: what stands for the spawner's object in the callee.
  struct Up {
    const FunctionDecl *Callee;
    const Decl *Alias;
    unsigned Depth;
  };
  llvm::SmallVector<Up, 8> Work{{S.Spawner, Own, 0}};
  llvm::DenseSet<const FunctionDecl *> Seen{S.Spawner};
  while (!Work.empty() && Roots.size() < Opts.MaxFunctions) {
    Up U = Work.pop_back_val();
    if (U.Depth >= Opts.MaxDepth)
      continue;
    for (const CallSite &CS : Calls.callersOf(U.Callee)) {
      if (OnThread(CS.Caller) || !CS.Caller->hasBody())
        continue;
      const Decl *Alias = nullptr;
      if (U.Alias && U.Alias == ThreadEntries::ownThisRoot(U.Callee))
        Alias = Entries.thisAt(CS.Call, U.Callee, CS.Caller);
      ConcurrentRoot R;
      R.FD = CS.Caller;
      R.ThisRoot = ThreadEntries::ownThisRoot(CS.Caller);
      R.After = CS.Call;
      R.Until = joinAfter(S, CS.Caller, CS.Call);
      R.Alias = Alias == Own ? nullptr : Alias;
      Roots.push_back(R);
      if (!R.Until && Seen.insert(CS.Caller).second)
        Work.push_back({CS.Caller, Alias, U.Depth + 1});
    }
  }

  // A class that runs its own methods on the thread: its public methods.
  const auto *RD = dyn_cast_or_null<CXXRecordDecl>(Own);
  if (!RD || S.EntryContext.ThisRoot != Own || !RD->hasDefinition())
    return Roots;
  RD = RD->getDefinition();
  auto CallsSpawner = [&](const FunctionDecl *FD) {
    for (const CallSite &CS : Calls.callersOf(S.Spawner))
      if (CS.Caller == FD)
        return true;
    return false;
  };
  // M runs only on the thread: it is the entry, or it is reached from the
  // entry and every function that calls it runs only on the thread too (a
  // helper the thread and a public method both call is not). A cycle of
  // callers with no other caller counts as the thread's.
  llvm::DenseMap<const FunctionDecl *, bool> ThreadOnly;
  auto OnlyOnThread = [&](auto &&Self, const FunctionDecl *M,
                          unsigned Depth) -> bool {
    if (sameFunction(M, S.Entry))
      return true;
    auto [It, New] = ThreadOnly.try_emplace(M->getCanonicalDecl(), true);
    if (!New)
      return It->second;
    llvm::ArrayRef<CallSite> Sites = Calls.callersOf(M);
    bool Only = !Sites.empty() && OnThread(M) && Depth < Opts.MaxDepth &&
                llvm::all_of(Sites, [&](const CallSite &CS) {
                  return OnThread(CS.Caller) &&
                         Self(Self, CS.Caller, Depth + 1);
                });
    ThreadOnly[M->getCanonicalDecl()] = Only;
    return Only;
  };
  // Every call of M precedes, on every path, the call that starts the
  // thread in the same function (or runs in a constructor before it).
  auto OnlyBeforeStart = [&](const FunctionDecl *M) {
    llvm::ArrayRef<CallSite> Sites = Calls.callersOf(M);
    if (Sites.empty())
      return false;
    for (const CallSite &CS : Sites) {
      bool Before = false;
      if (sameFunction(CS.Caller, S.Spawner))
        Before = Order.before(CS.Call->getBeginLoc(), S.Spawn->getBeginLoc()) &&
                 !Order.mayFollow(S.Spawner, S.Spawn, CS.Call);
      else if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(CS.Caller))
        Before = Ctor->getParent()->getCanonicalDecl() ==
                 RD->getCanonicalDecl();
      else
        for (const CallSite &Start : Calls.callersOf(S.Spawner))
          if (Start.Caller == CS.Caller &&
              Order.before(CS.Call->getBeginLoc(),
                           Start.Call->getBeginLoc()) &&
              !Order.mayFollow(CS.Caller, Start.Call, CS.Call))
            Before = true;
      if (!Before)
        return false;
    }
    return true;
  };
  // Its public methods, and those of the classes the TU derives from it
  // (the same object, reached through the subclass's API).
  llvm::SmallVector<const CXXMethodDecl *, 32> Methods(RD->methods());
  Analyses.virtualTargets().methodsOfDerived(RD, Methods);
  for (const CXXMethodDecl *M : Methods) {
    if (M->isStatic() || M->isImplicit() || M->isDeleted() ||
        isa<CXXConstructorDecl>(M) ||
        M->getAccess() != AS_public)
      continue;
    const FunctionDecl *Def = definitionOf(M);
    if (!Def || sameFunction(Def, S.Spawner) || CallsSpawner(Def) ||
        OnlyOnThread(OnlyOnThread, Def, 0) || OnlyBeforeStart(Def))
      continue;
    ConcurrentRoot R;
    R.FD = Def;
    R.ThisRoot = Own;
    R.Until = joinAfter(S, Def, nullptr);
    R.ClassMethod = true;
    Roots.push_back(R);
    if (Roots.size() >= Opts.MaxFunctions)
      break;
  }
  return Roots;
}

} // namespace clang::tidy::mapguard
