//===--- LockState.cpp - which locks are held at a statement --------------===//

#include "analysis/LockState.h"
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

/// Union; true when \p Into grew.
bool mergeInto(FactSet &Into, const FactSet &From) {
  bool Changed = false;
  for (const Fact &F : From)
    if (!llvm::is_contained(Into, F)) {
      Into.push_back(F);
      Changed = true;
    }
  return Changed;
}

const Expr *stripInit(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreParens()->IgnoreImplicit();
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = FC->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
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

const Decl *LockState::mutexDeclOf(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl()->getCanonicalDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl()->getCanonicalDecl();
  return nullptr;
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

  void transfer(const Stmt *S, FactSet &State) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (const GuardInfo *G = guardInfo(VD); G && G->LockedAtStart)
            for (const HeldLock &L : G->Locks)
              addFact(State, {L, VD});
      return;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return;
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (!Obj)
        return;
      QualType ObjT = Obj->getType();
      if (ObjT->isPointerType())
        ObjT = ObjT->getPointeeType();
      if (const auto *Guard = dyn_cast_or_null<VarDecl>(
              LockState::mutexDeclOf(Obj));
          Guard && guardInfo(Guard)) {
        if (auto Eff = lookupEffect(GuardMethods, Callee))
          applyGuard(*Eff, Guard, State);
        return;
      }
      if (Model.isMutexType(ObjT)) {
        if (auto Eff = lookupEffect(MutexMethods, Callee))
          applyMutex(*Eff, LockState::mutexDeclOf(Obj), State);
        return;
      }
    }
    if (!Callee)
      return;
    // std::lock(a, b, ...): every argument exclusively.
    if (Callee->isInStdNamespace() && Callee->getDeclName().isIdentifier() &&
        Callee->getName() == "lock") {
      for (const Expr *Arg : Call->arguments())
        addFact(State, {{LockState::mutexDeclOf(Arg), false}, nullptr});
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
        stripInit(VD->getInit()));
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
          Info.Locks.push_back({LockState::mutexDeclOf(Arg), Shared});
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

LockState::LockState(const MapModel &Model, ASTContext &Ctx,
                     LockStateOptions Opts)
    : Model(Model), Ctx(Ctx), Opts(Opts) {}

LockState::~LockState() = default;

const LockState::FunctionLocks &LockState::analyse(const FunctionDecl *FD) {
  auto &Slot = Cache[FD];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<FunctionLocks>();
  FunctionLocks &Out = *Slot;

  Stmt *Body = FD->getBody();
  if (!Body) {
    Out.Skipped = true;
    return Out;
  }
  CFG::BuildOptions BO;
  BO.AddImplicitDtors = true;
  BO.AddTemporaryDtors = false;
  BO.setAllAlwaysAdd();
  std::unique_ptr<CFG> G = CFG::buildCFG(FD, Body, &Ctx, BO);
  if (!G || G->getNumBlockIDs() > Opts.MaxBlocks) {
    Out.Skipped = true;
    return Out;
  }

  LockAnalysis A(Model);
  auto Run = [&](const CFGBlock &B, FactSet State, bool Record) {
    for (const CFGElement &E : B) {
      if (auto S = E.getAs<CFGStmt>()) {
        if (Record)
          Out.Before[S->getStmt()] = toLockSet(State);
        A.transfer(S->getStmt(), State);
      } else if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
        A.destroy(D->getVarDecl(), State);
      }
    }
    return State;
  };

  // Union dataflow in reverse post-order until nothing changes. Facts only
  // grow and are finitely many, so this ends; the bound is a guard.
  std::vector<std::optional<FactSet>> In(G->getNumBlockIDs());
  In[G->getEntry().getBlockID()] = entryFacts(FD);
  // Blocks are numbered roughly backwards from the entry: visiting them by
  // decreasing ID approximates reverse post-order. (Successors may be null,
  // so llvm's graph traversals do not apply.)
  std::vector<const CFGBlock *> RPO(G->begin(), G->end());
  llvm::sort(RPO, [](const CFGBlock *A, const CFGBlock *B) {
    return A->getBlockID() > B->getBlockID();
  });
  bool Changed = true;
  unsigned Rounds = 0;
  while (Changed) {
    Changed = false;
    if (++Rounds > 64) {
      Out.Skipped = true;
      return Out;
    }
    for (const CFGBlock *B : RPO) {
      if (!In[B->getBlockID()])
        continue;
      FactSet OutState = Run(*B, *In[B->getBlockID()], false);
      for (const CFGBlock *Succ : B->succs()) {
        if (!Succ)
          continue;
        auto &SuccIn = In[Succ->getBlockID()];
        if (!SuccIn) {
          SuccIn = OutState;
          Changed = true;
        } else if (mergeInto(*SuccIn, OutState)) {
          Changed = true;
        }
      }
    }
  }
  for (const CFGBlock *B : RPO)
    if (In[B->getBlockID()])
      Run(*B, *In[B->getBlockID()], true);
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
