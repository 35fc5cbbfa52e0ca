//===--- LockState.cpp - which locks are held at a statement --------------===//

#include "analysis/threads/LockState.h"
#include "analysis/core/Dataflow.h"
#include "analysis/core/ExprUtils.h"
#include "analysis/core/MapGuardAnalyses.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/CFG.h"

namespace clang::tidy::mapguard {

namespace {

/// What a call does to the lock state.
enum class LockEffect {
  AcquireExclusive, ///< mu.lock(), guard.lock() on an exclusive guard
  AcquireShared,    ///< mu.lock_shared(), ReaderLock()
  Release,          ///< mu.unlock(), guard.unlock()
  Detach,           ///< guard.release(): still locked, no longer the guard's
};

struct MethodEffect {
  llvm::StringRef Name;
  LockEffect Effect;
};

// The transfer table: methods of a mutex (MapModel::isMutexType). A try_lock
// counts as success: mapguard would rather miss a race than report code that
// tests the result.
constexpr MethodEffect MutexMethods[] = {
    {"lock", LockEffect::AcquireExclusive},
    {"try_lock", LockEffect::AcquireExclusive},
    {"try_lock_for", LockEffect::AcquireExclusive},
    {"try_lock_until", LockEffect::AcquireExclusive},
    {"Lock", LockEffect::AcquireExclusive},
    {"TryLock", LockEffect::AcquireExclusive},
    {"WriterLock", LockEffect::AcquireExclusive},
    {"lock_shared", LockEffect::AcquireShared},
    {"try_lock_shared", LockEffect::AcquireShared},
    {"try_lock_shared_for", LockEffect::AcquireShared},
    {"try_lock_shared_until", LockEffect::AcquireShared},
    {"ReaderLock", LockEffect::AcquireShared},
    {"ReaderTryLock", LockEffect::AcquireShared},
    {"unlock", LockEffect::Release},
    {"Unlock", LockEffect::Release},
    {"WriterUnlock", LockEffect::Release},
    {"unlock_shared", LockEffect::Release},
    {"ReaderUnlock", LockEffect::Release},
    // std::atomic_flag as a spin lock.
    {"test_and_set", LockEffect::AcquireExclusive},
    {"clear", LockEffect::Release},
};

// Methods of a releasable guard (unique_lock, shared_lock, ...). Acquire
// re-takes the guard's own mutexes in the guard's own mode.
constexpr MethodEffect GuardMethods[] = {
    {"lock", LockEffect::AcquireExclusive},
    {"try_lock", LockEffect::AcquireExclusive},
    {"try_lock_for", LockEffect::AcquireExclusive},
    {"try_lock_until", LockEffect::AcquireExclusive},
    {"unlock", LockEffect::Release},
    {"Release", LockEffect::Release},
    {"release", LockEffect::Detach},
};

std::optional<LockEffect> lookupEffect(llvm::ArrayRef<MethodEffect> Table,
                                       const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return std::nullopt;
  for (const MethodEffect &M : Table)
    if (FD->getName() == M.Name)
      return M.Effect;
  return std::nullopt;
}

/// A lock fact of the dataflow: a held lock, and the guard that will release
/// it when it dies (null for mu.lock()).
struct Fact {
  HeldLock Lock;
  const VarDecl *Guard = nullptr;
  bool operator==(const Fact &O) const {
    return Lock == O.Lock && Guard == O.Guard;
  }
};
using FactSet = llvm::SmallVector<Fact, 4>;

void addFact(FactSet &S, Fact F) {
  if (!llvm::is_contained(S, F))
    S.push_back(F);
}

bool isLockTagType(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  StringRef N = RD->getName();
  return N == "defer_lock_t" || N == "adopt_lock_t" || N == "try_to_lock_t";
}

bool isDeferTag(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->getIdentifier() && RD->getName() == "defer_lock_t";
}

} // namespace

bool locksExclude(llvm::ArrayRef<HeldLock> A, llvm::ArrayRef<HeldLock> B) {
  for (const HeldLock &X : A)
    for (const HeldLock &Y : B)
      if ((!X.Mutex || !Y.Mutex || X.Mutex == Y.Mutex) &&
          (!X.Shared || !Y.Shared))
        return true;
  return false;
}

/// The per-function result: the facts before each statement.
struct LockState::FunctionLocks {
  bool Skipped = false;
  llvm::DenseMap<const Stmt *, LockSet> Before;
};

namespace {

/// The analysis of one function: guards' mutexes, the transfer function and
/// the fixpoint over the CFG.
class LockAnalysis {
public:
  LockAnalysis(const MapModel &Model) : Model(Model) {}

  /// The locks a guard variable takes when constructed or re-locked.
  struct GuardInfo {
    llvm::SmallVector<HeldLock, 2> Locks;
    bool LockedAtStart = true;
  };

  // --- The dataflow problem (see Dataflow.h) ---------------------------
  using Lattice = FactSet;
  FactSet Entry;
  FactSet initial() { return Entry; }
  bool reachable(const FactSet &) { return true; }
  /// Union: a lock held on some path into a statement counts as held.
  void join(FactSet &Into, const FactSet &From) {
    for (const Fact &F : From)
      addFact(Into, F);
  }
  void transferEdge(const CFGBlock &, unsigned, FactSet &) {}
  void transfer(const CFGElement &E, CFGPoint, FactSet &State) {
    if (auto S = E.getAs<CFGStmt>())
      transferStmt(S->getStmt(), State);
    else if (auto D = E.getAs<CFGAutomaticObjDtor>())
      destroy(D->getVarDecl(), State);
  }

  // The transfer table over statement kinds: guards constructed, and calls
  // (mutex and guard methods by MutexMethods / GuardMethods, std::lock,
  // annotated functions). Everything else leaves the locks alone.
  void transferStmt(const Stmt *S, FactSet &State) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      return declare(DS, State);
    if (const auto *Call = dyn_cast<CallExpr>(S))
      return call(Call, State);
  }

  void declare(const DeclStmt *DS, FactSet &State) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (const GuardInfo *G = guardInfo(VD); G && G->LockedAtStart)
          for (const HeldLock &L : G->Locks)
            addFact(State, {L, VD});
  }

  void call(const CallExpr *Call, FactSet &State) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (!Obj)
        return;
      QualType ObjT = Obj->getType();
      if (ObjT->isPointerType())
        ObjT = ObjT->getPointeeType();
      if (const auto *Guard = dyn_cast_or_null<VarDecl>(
              objectDeclOf(Obj));
          Guard && guardInfo(Guard)) {
        if (auto Eff = lookupEffect(GuardMethods, Callee))
          applyGuard(*Eff, Guard, State);
        return;
      }
      if (Model.isMutexType(ObjT)) {
        if (auto Eff = lookupEffect(MutexMethods, Callee))
          applyMutex(*Eff, objectDeclOf(Obj), State);
        return;
      }
    }
    if (!Callee)
      return;
    // std::lock(a, b, ...): every argument exclusively.
    if (Callee->isInStdNamespace() && Callee->getDeclName().isIdentifier() &&
        Callee->getName() == "lock") {
      for (const Expr *Arg : Call->arguments())
        addFact(State, {{objectDeclOf(Arg), false}, nullptr});
      return;
    }
    // Thread-safety annotations on the callee.
    if (const auto *A = Callee->getAttr<AcquireCapabilityAttr>())
      addFact(State, {{nullptr, A->isShared()}, nullptr});
    if (Callee->hasAttr<ReleaseCapabilityAttr>())
      llvm::erase_if(State, [](const Fact &F) {
        return !F.Lock.Mutex && !F.Guard;
      });
  }

  /// Ends a guard's life (its implicit destructor).
  void destroy(const VarDecl *VD, FactSet &State) {
    llvm::erase_if(State, [VD](const Fact &F) { return F.Guard == VD; });
  }

  const GuardInfo *guardInfo(const VarDecl *VD) {
    auto It = Guards.find(VD);
    if (It != Guards.end())
      return It->second ? &*It->second : nullptr;
    std::optional<GuardInfo> Info = computeGuardInfo(VD);
    auto &Slot = Guards[VD];
    Slot = std::move(Info);
    return Slot ? &*Slot : nullptr;
  }

private:
  bool isGuardType(QualType T) const {
    if (Model.isLockGuardType(T))
      return true;
    const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    return RD && RD->hasAttr<ScopedLockableAttr>();
  }

  std::optional<GuardInfo> computeGuardInfo(const VarDecl *VD) const {
    if (!VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
        !isGuardType(VD->getType()))
      return std::nullopt;
    GuardInfo Info;
    bool Shared = Model.isSharedLockGuardType(VD->getType());
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
        ignoreWrappers(VD->getInit()));
    unsigned Mutexes = 0, Args = 0;
    if (CE) {
      for (const Expr *Arg : CE->arguments()) {
        if (isa<CXXDefaultArgExpr>(Arg))
          continue;
        ++Args;
        if (isDeferTag(Arg->getType()))
          Info.LockedAtStart = false;
        if (isLockTagType(Arg->getType()))
          continue;
        QualType AT = Arg->getType();
        if (AT->isPointerType())
          AT = AT->getPointeeType();
        if (Model.isMutexType(AT)) {
          Info.Locks.push_back({objectDeclOf(Arg), Shared});
          ++Mutexes;
        }
      }
    }
    // A default-constructed unique_lock owns nothing; a guard type we do not
    // understand (LockTypes, SCOPED_CAPABILITY) holds an unknown lock.
    if (Mutexes == 0) {
      if (Args == 0 && Model.isReleasableLockGuardType(VD->getType()))
        Info.LockedAtStart = false;
      else
        Info.Locks.push_back({nullptr, Shared});
    }
    return Info;
  }

  void applyGuard(LockEffect E, const VarDecl *Guard, FactSet &State) {
    const GuardInfo *G = guardInfo(Guard);
    switch (E) {
    case LockEffect::AcquireExclusive:
    case LockEffect::AcquireShared:
      for (const HeldLock &L : G->Locks)
        addFact(State, {L, Guard});
      return;
    case LockEffect::Release:
      destroy(Guard, State);
      return;
    case LockEffect::Detach:
      for (Fact &F : State)
        if (F.Guard == Guard)
          F.Guard = nullptr;
      return;
    }
  }

  void applyMutex(LockEffect E, const Decl *Mutex, FactSet &State) {
    switch (E) {
    case LockEffect::AcquireExclusive:
      addFact(State, {{Mutex, false}, nullptr});
      return;
    case LockEffect::AcquireShared:
      addFact(State, {{Mutex, true}, nullptr});
      return;
    case LockEffect::Release:
      llvm::erase_if(State, [Mutex](const Fact &F) {
        return F.Lock.Mutex == Mutex && !F.Guard;
      });
      return;
    case LockEffect::Detach:
      return;
    }
  }

  const MapModel &Model;
  llvm::DenseMap<const VarDecl *, std::optional<GuardInfo>> Guards;
};

/// The locks that the annotations of \p FD say are held on entry.
FactSet entryFacts(const FunctionDecl *FD) {
  FactSet S;
  for (const auto *A : FD->specific_attrs<RequiresCapabilityAttr>())
    addFact(S, {{nullptr, A->isShared()}, nullptr});
  return S;
}

LockSet toLockSet(const FactSet &S) {
  LockSet R;
  for (const Fact &F : S)
    if (!llvm::is_contained(R, F.Lock))
      R.push_back(F.Lock);
  return R;
}

} // namespace

LockState::LockState(const MapModel &Model, MapGuardAnalyses &Analyses,
                     AnalysisBudget Budget)
    : Model(Model), Analyses(Analyses), Budget(Budget) {}

LockState::~LockState() = default;

const LockState::FunctionLocks &LockState::analyse(const FunctionDecl *FD) {
  auto &Slot = Cache[FD];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<FunctionLocks>();
  FunctionLocks &Out = *Slot;
  const FunctionCFG *G = Analyses.cfgOf(FD, Budget, SkipLocks);
  if (!G) {
    Out.Skipped = true;
    return Out;
  }
  LockAnalysis A(Model);
  A.Entry = entryFacts(FD);
  ForwardDataflow<LockAnalysis> Engine(G->cfg(), A);
  if (!Engine.run(Budget.MaxBlockVisits)) {
    Analyses.recordSkip(FD, SkipLocks, "MaxBlockVisits", Budget.MaxBlockVisits,
                        Budget);
    Out.Skipped = true;
    return Out;
  }
  Engine.forEachElement(
      [&](const CFGElement &E, unsigned, const FactSet &Before) {
        if (auto S = E.getAs<CFGStmt>())
          Out.Before.try_emplace(S->getStmt(), toLockSet(Before));
      });
  return Out;
}

std::optional<LockSet> LockState::heldAt(const FunctionDecl *FD,
                                         const Stmt *S) {
  if (!FD)
    return std::nullopt;
  const FunctionLocks &L = analyse(FD);
  if (L.Skipped)
    return std::nullopt;
  auto It = L.Before.find(S);
  if (It == L.Before.end())
    return std::nullopt;
  return It->second;
}

} // namespace clang::tidy::mapguard
