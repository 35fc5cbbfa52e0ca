//===--- MapModelKinds.cpp - what a class or a function is to the model ---===//
//
// The type side of the model: the built-in names of maps, handles, locks,
// guards, threads, spawners and lookup functions; the classification of a
// class (by name, through its public bases) and of a function; and what is
// inferred from the TU (thread types, pools, scoped locks).
//
//===----------------------------------------------------------------------===//

#include "analysis/core/MapModel.h"
#include "Compat.h"
#include "analysis/core/ExprUtils.h"
#include "analysis/core/MapModelDetail.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace clang::tidy::mapguard {

using detail::recordOf;
using detail::templateOrSelf;

namespace {

// Built-in names. Options add to these (see MapModelOptions).
constexpr llvm::StringRef BuiltinMapTypes[] = {
    "::std::map",
    "::std::multimap",
    "::std::unordered_map",
    "::std::unordered_multimap",
    "::absl::flat_hash_map",
    "::absl::node_hash_map",
    "::absl::btree_map",
    "::absl::btree_multimap",
    "::boost::unordered::unordered_map",
    "::boost::unordered::unordered_flat_map",
    "::boost::unordered::unordered_node_map",
    "::boost::container::map",
    "::boost::container::flat_map",
    "::llvm::DenseMap",
    "::llvm::StringMap",
    "::mapguard::shim::Map",
};

constexpr llvm::StringRef BuiltinHandleTypes[] = {
    "::std::shared_ptr",       "::std::unique_ptr",
    "::std::function",         "::std::move_only_function",
    "::std::optional",         "::boost::shared_ptr",
    "::boost::function",       "::boost::optional",
    "::absl::AnyInvocable",    "::absl::FunctionRef",
    "::mapguard::shim::Chan",  "::mapguard::shim::Ptr",
};

// Guards that hold the lock exclusively for their lifetime.
constexpr llvm::StringRef BuiltinLockTypes[] = {
    "::std::lock_guard",      "::std::scoped_lock",
    "::absl::MutexLock",      "::absl::WriterMutexLock",
    "::boost::lock_guard",    "::boost::interprocess::scoped_lock",
};
// Guards that can be unlocked before they die.
constexpr llvm::StringRef BuiltinReleasableLockTypes[] = {
    "::std::unique_lock", "::std::shared_lock", "::boost::unique_lock",
    "::boost::shared_lock", "::absl::ReleasableMutexLock",
};
// Guards that take the lock shared: they protect reads only.
constexpr llvm::StringRef BuiltinSharedLockTypes[] = {
    "::std::shared_lock", "::absl::ReaderMutexLock", "::boost::shared_lock",
    "::boost::upgrade_lock",
};

constexpr llvm::StringRef BuiltinScopeGuardTypes[] = {
    "::gsl::final_action",
    "::absl::Cleanup",
    "::absl::cleanup_internal::Storage",
    "::std::experimental::scope_exit",
    "::std::experimental::scope_fail",
    "::boost::scope::scope_exit",
    "::boost::scope::scope_fail",
    "::folly::detail::ScopeGuardImpl",
    "::folly::ScopeGuard",
};

constexpr llvm::StringRef BuiltinThreadTypes[] = {
    "::std::thread", "::std::jthread", "::boost::thread",
};

// A std::atomic_flag is a spin lock: test_and_set() takes it, clear()
// releases it (LockState's transfer table).
constexpr llvm::StringRef BuiltinSpinFlags[] = {"::std::atomic_flag"};

// Callable parameter types: a constructor or a pool method taking one may
// run it on a thread (see inferredKinds).
constexpr llvm::StringRef CallableTypes[] = {
    "::std::function",   "::std::move_only_function", "::std::packaged_task",
    "::boost::function", "::absl::AnyInvocable",      "::folly::Function",
};

// Methods of a class that runs threads which, given a callable, run it on
// one of them (a custom thread's start(f), a pool's submit(f)).
constexpr llvm::StringRef PoolMethodNames[] = {
    "start",    "Start",    "run",        "Run",        "submit",
    "Submit",   "post",     "Post",       "enqueue",    "Enqueue",
    "execute",  "Execute",  "schedule",   "Schedule",   "spawn",
    "Spawn",    "async",    "Async",      "dispatch",   "Dispatch",
    "add_task", "addTask",  "AddTask",    "push_task",  "runInLoop",
    "queueInLoop", "RunInLoop", "QueueInLoop", "Add",
};

// Called by a constructor (acquire) and a destructor (release) on a member
// mutex: the class is a scoped lock.
constexpr llvm::StringRef AcquireNames[] = {
    "lock", "Lock", "acquire", "Acquire", "WriterLock", "test_and_set"};
constexpr llvm::StringRef SharedAcquireNames[] = {"lock_shared", "ReaderLock"};
constexpr llvm::StringRef ReleaseNames[] = {
    "unlock",       "Unlock",      "release", "Release",
    "unlock_shared", "ReaderUnlock", "WriterUnlock", "clear"};

constexpr llvm::StringRef BuiltinSpawners[] = {
    "::std::async", "::pthread_create", "::thrd_create", "::mapguard::shim::go",
};

constexpr llvm::StringRef BuiltinLookupFunctions[] = {
    "FindOrNull", "FindPtrOrNull",
};

/// How many levels of base classes the class-level questions look through.
constexpr unsigned MaxBaseDepth = 32;

bool hasMethodNamed(const CXXRecordDecl *RD, llvm::StringRef Name,
                    unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > MaxBaseDepth)
    return false;
  RD = RD->getDefinition();
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getDeclName().isIdentifier() && M->getName() == Name)
      return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (hasMethodNamed(B.getType()->getAsCXXRecordDecl(), Name, Depth + 1))
      return true;
  return false;
}

} // namespace

unsigned MapModel::classifyRecord(const CXXRecordDecl *RD) const {
  RD = RD->getCanonicalDecl();
  auto It = RecordKinds.find(RD);
  if (It != RecordKinds.end())
    return It->second;
  const NamedDecl *Named = templateOrSelf(RD);
  unsigned K = 0;
  if (nameMatches(Named, Opts.Ignored))
    K |= TK_Ignored;
  else if (nameMatches(Named, BuiltinMapTypes) ||
           nameMatches(Named, Opts.ExtraMapTypes))
    K |= TK_Map;
  if (nameMatches(Named, BuiltinHandleTypes) ||
      nameMatches(Named, Opts.ExtraHandleTypes))
    K |= TK_Handle;
  if (nameMatches(Named, BuiltinLockTypes) ||
      nameMatches(Named, Opts.ExtraLockTypes))
    K |= TK_Lock;
  if (nameMatches(Named, BuiltinReleasableLockTypes))
    K |= TK_Lock | TK_ReleasableLock;
  if (nameMatches(Named, BuiltinSharedLockTypes))
    K |= TK_Lock | TK_SharedLock;
  if (nameMatches(Named, BuiltinScopeGuardTypes) ||
      nameMatches(Named, Opts.ExtraScopeGuardTypes))
    K |= TK_ScopeGuard;
  if (nameMatches(Named, BuiltinThreadTypes))
    K |= TK_Thread;
  if (nameMatches(Named, BuiltinSpinFlags))
    K |= TK_Mutex;
  if (!(K & (TK_Lock | TK_Map)) &&
      ((hasMethodNamed(RD, "lock") && hasMethodNamed(RD, "unlock")) ||
       (hasMethodNamed(RD, "Lock") && hasMethodNamed(RD, "Unlock"))))
    K |= TK_Mutex;
  // A class derived from a map (`struct DyndepFile : std::map<Edge*, D>`)
  // is a map; the cache entry first cuts a cycle through a broken base, and
  // the depth bounds the recursion through bases of bases.
  RecordKinds[RD] = K;
  if (!(K & (TK_Map | TK_Ignored)) && RD->hasDefinition() &&
      BaseDepth < MaxBaseDepth) {
    ++BaseDepth;
    for (const CXXBaseSpecifier &B : RD->getDefinition()->bases())
      if (B.getAccessSpecifier() == AS_public)
        if (const CXXRecordDecl *Base = recordOf(B.getType());
            Base && (classifyRecord(Base) & TK_Map)) {
          K |= TK_Map;
          break;
        }
    --BaseDepth;
  }
  RecordKinds[RD] = K;
  return K;
}

unsigned MapModel::typeKinds(QualType T) const {
  if (const CXXRecordDecl *RD = recordOf(T))
    return classifyRecord(RD);
  return 0;
}

bool MapModel::isMapType(QualType T) const { return typeKinds(T) & TK_Map; }

bool MapModel::isMapObject(const Expr *Obj) const {
  if (!Obj)
    return false;
  QualType T = Obj->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return isMapType(T);
}

QualType MapModel::mappedType(QualType MapT) const {
  const CXXRecordDecl *RD = recordOf(MapT);
  if (!RD || !(classifyRecord(RD) & TK_Map))
    return {};

  // Every map we know names its value type mapped_type.
  if (RD->hasDefinition()) {
    for (const NamedDecl *ND :
         RD->getDefinition()->lookup(&RD->getASTContext().Idents.get(
             "mapped_type")))
      if (const auto *TD = dyn_cast<TypedefNameDecl>(ND))
        return TD->getUnderlyingType().getCanonicalType();
  }
  // A class derived from a map: the map base's (a chain of bases: a loop).
  unsigned Steps = 0;
  while (RD->hasDefinition()) {
    const CXXRecordDecl *MapBase = nullptr;
    QualType BaseType;
    for (const CXXBaseSpecifier &B : RD->getDefinition()->bases())
      if (const CXXRecordDecl *Base = recordOf(B.getType());
          Base && Base != RD && (classifyRecord(Base) & TK_Map)) {
        MapBase = Base;
        BaseType = B.getType();
        break;
      }
    if (!MapBase)
      break;
    for (const NamedDecl *ND :
         MapBase->hasDefinition()
             ? MapBase->getDefinition()->lookup(
                   &MapBase->getASTContext().Idents.get("mapped_type"))
             : DeclContext::lookup_result())
      if (const auto *TD = dyn_cast<TypedefNameDecl>(ND))
        return TD->getUnderlyingType().getCanonicalType();
    if (++Steps > MaxBaseDepth)
      return {};
    RD = MapBase;
    MapT = BaseType;
  }
  // Fall back to the second template argument.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (Args.size() >= 2 && Args[1].getKind() == TemplateArgument::Type)
      return Args[1].getAsType().getCanonicalType();
  }
  return {};
}

bool MapModel::isHandleType(QualType T) const {
  if (T.isNull())
    return false;
  QualType C = T.getNonReferenceType().getCanonicalType();
  if (C->isPointerType() || C->isBlockPointerType())
    return true;
  return typeKinds(C) & TK_Handle;
}

bool MapModel::isLockGuardType(QualType T) const {
  return (typeKinds(T) & TK_Lock) || (inferredKinds(recordOf(T), TK_Lock) & TK_Lock);
}
bool MapModel::isSharedLockGuardType(QualType T) const {
  return (typeKinds(T) & TK_SharedLock) ||
         (inferredKinds(recordOf(T), TK_Lock) & TK_SharedLock);
}
bool MapModel::isInferredLockGuardType(QualType T) const {
  return inferredKinds(recordOf(T), TK_Lock) & TK_Lock;
}
bool MapModel::isReleasableLockGuardType(QualType T) const {
  return typeKinds(T) & TK_ReleasableLock;
}
bool MapModel::isMutexType(QualType T) const { return typeKinds(T) & TK_Mutex; }
bool MapModel::isScopeGuardType(QualType T) const {
  return typeKinds(T) & TK_ScopeGuard;
}
bool MapModel::isThreadType(QualType T) const {
  return (typeKinds(T) & TK_Thread) ||
         (inferredKinds(recordOf(T), TK_Thread) & TK_Thread);
}

QualType MapModel::threadFactoryType(const CallExpr *C) const {
  const FunctionDecl *FD = C ? C->getDirectCallee() : nullptr;
  if (!FD || !FD->getDeclName().isIdentifier() ||
      (FD->getName() != "make_unique" && FD->getName() != "make_shared"))
    return QualType();
  const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs();
  if (!Args || Args->size() == 0 ||
      Args->get(0).getKind() != TemplateArgument::Type)
    return QualType();
  QualType T = Args->get(0).getAsType();
  return isThreadType(T) ? T : QualType();
}

// --- Inferred from the TU: thread types, pools, scoped locks -------------

namespace {

/// The fields of `this` on which \p FD's body (and, for a constructor, its
/// initialisers) calls a method named in \p Names (`mu_.lock()`,
/// `mu_->lock()`, `flag_.test_and_set()`); an explicit worklist.
llvm::SmallPtrSet<const Decl *, 2>
membersCalled(const FunctionDecl *FD, llvm::ArrayRef<llvm::StringRef> Names) {
  llvm::SmallPtrSet<const Decl *, 2> Out;
  forEachStmtOf(
      FD,
      [&](const Stmt *S) {
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
          const CXXMethodDecl *MD = MC->getMethodDecl();
          const Expr *Obj = MC->getImplicitObjectArgument();
          if (MD && MD->getDeclName().isIdentifier() && Obj &&
              llvm::is_contained(Names, MD->getName()))
            if (const auto *ME =
                    dyn_cast<MemberExpr>(Obj->IgnoreParenImpCasts()))
              if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
                Out.insert(ME->getMemberDecl()->getCanonicalDecl());
        }
        return true;
      },
      /*IntoLambdas=*/false);
  return Out;
}

bool callsOnSameMember(const FunctionDecl *A,
                       llvm::ArrayRef<llvm::StringRef> NamesA,
                       const llvm::SmallPtrSet<const Decl *, 2> &Released) {
  for (const Decl *D : membersCalled(A, NamesA))
    if (Released.contains(D))
      return true;
  return false;
}

/// A type a callable is passed as: a lambda, a function pointer, a
/// std::function-like wrapper, or a template parameter.
bool isCallableParamType(const MapModel &M, QualType T) {
  T = T.getNonReferenceType();
  if (T->isFunctionPointerType() || T->isTemplateTypeParmType())
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  return RD && (RD->isLambda() ||
                M.nameMatches(templateOrSelf(RD), CallableTypes));
}

bool hasCallableParam(const MapModel &M, const FunctionDecl *FD) {
  for (const ParmVarDecl *P : FD->parameters())
    if (isCallableParamType(M, P->getType()))
      return true;
  return false;
}

} // namespace

bool MapModel::runsThreads(const CXXRecordDecl *RD) const {
  auto IsStdThread = [&](QualType T) {
    const CXXRecordDecl *R = recordOf(T);
    if (!R)
      return false;
    if (nameMatches(templateOrSelf(R), BuiltinThreadTypes))
      return true;
    // A container of threads, a smart pointer to one.
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(R))
      if (Spec->getTemplateArgs().size() > 0 &&
          Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        if (const CXXRecordDecl *E =
                recordOf(Spec->getTemplateArgs()[0].getAsType()))
          return nameMatches(templateOrSelf(E), BuiltinThreadTypes);
    return false;
  };
  for (const FieldDecl *F : RD->fields()) {
    QualType T = F->getType();
    if (IsStdThread(T))
      return true;
    if (const auto *TT = T->getAs<TypedefType>())
      if (TT->getDecl()->getName() == "pthread_t")
        return true;
  }
  // A method that starts a std::thread or calls pthread_create.
  for (const CXXMethodDecl *MD : RD->methods())
    if (startsStdThread(MD))
      return true;
  return false;
}

bool MapModel::startsStdThread(const FunctionDecl *FD) const {
  bool Starts = false;
  forEachStmtOf(FD, [&](const Stmt *S) {
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S);
        CE && CE->getNumArgs() > 0 && !CE->getConstructor()->isCopyOrMoveConstructor())
      if (const CXXRecordDecl *R = recordOf(CE->getType());
          R && nameMatches(templateOrSelf(R), BuiltinThreadTypes))
        Starts = true;
    if (const auto *C = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = C->getDirectCallee();
          Callee && nameMatches(Callee, BuiltinSpawners))
        Starts = true;
    return !Starts;
  });
  return Starts;
}

bool MapModel::isInferredThreadType(QualType T) const {
  return inferredKinds(recordOf(T), TK_Thread) & TK_Thread;
}

unsigned MapModel::inferredKinds(const CXXRecordDecl *RD,
                                 unsigned Want) const {
  if (!RD || !RD->hasDefinition())
    return 0;
  RD = RD->getDefinition();
  // Two questions, each answered once per record: is it a scoped lock (asked
  // by the lock analysis only), is it a thread type (asked of every
  // construction with arguments: the cheap constructor test comes first).
  unsigned &Slot = InferredKinds[RD];
  unsigned Known = Want == TK_Thread ? TK_InferredThreadKnown
                                     : TK_InferredLockKnown;
  if (Slot & Known)
    return Slot;
  Slot |= Known; // no recursion through the record itself
  const SourceManager &SM = RD->getASTContext().getSourceManager();
  if (RD->isLambda() || RD->isUnion() ||
      SM.isInSystemHeader(RD->getLocation()) ||
      (classifyRecord(RD) & (TK_Map | TK_Lock | TK_Thread)))
    return Slot;
  unsigned K = 0;
  if (Want != TK_Thread) {
    // A scoped lock: a constructor locks a member, the destructor unlocks
    // the same member.
    const CXXDestructorDecl *Dtor = RD->getDestructor();
    llvm::SmallPtrSet<const Decl *, 2> Released;
    if (Dtor && Dtor->isUserProvided())
      Released = membersCalled(Dtor, ReleaseNames);
    if (!Released.empty())
      for (const CXXConstructorDecl *C : RD->ctors()) {
        if (C->isCopyOrMoveConstructor())
          continue;
        if (callsOnSameMember(C, AcquireNames, Released))
          K |= TK_Lock;
        else if (callsOnSameMember(C, SharedAcquireNames, Released))
          K |= TK_Lock | TK_SharedLock;
      }
  } else {
    // A thread type: a constructor takes a callable and the class runs
    // threads (an event loop library's Thread(func) + start()).
    bool CallableCtor = false;
    for (const Decl *D : RD->decls()) {
      const auto *C = dyn_cast<CXXConstructorDecl>(D);
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
        C = dyn_cast<CXXConstructorDecl>(FT->getTemplatedDecl());
      if (C && !C->isCopyOrMoveConstructor() && hasCallableParam(*this, C))
        CallableCtor = true;
    }
    if (CallableCtor && runsThreads(RD))
      K |= TK_Thread;
  }
  // The map may have grown: look the slot up again.
  InferredKinds[RD] |= K;
  return InferredKinds[RD];
}

bool MapModel::isInferredSpawnerMethod(const FunctionDecl *FD) const {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD || !MD->isInstance() || isa<CXXConstructorDecl>(MD) ||
      !hasCallableParam(*this, MD))
    return false;
  // Named like a pool's method, or `pool << task` (tacopie's thread_pool).
  bool Named = MD->getDeclName().isIdentifier()
                   ? llvm::is_contained(PoolMethodNames, MD->getName())
                   : MD->getOverloadedOperator() == OO_LessLess;
  if (!Named)
    return false;
  const CXXRecordDecl *RD = MD->getParent();
  const SourceManager &SM = RD->getASTContext().getSourceManager();
  if (RD->isLambda() || SM.isInSystemHeader(RD->getLocation()) ||
      !RD->hasDefinition())
    return false;
  return runsThreads(RD->getDefinition());
}

namespace {
enum FunctionKind : unsigned {
  FK_Spawner = 1, FK_NoReturn = 2, FK_Close = 4, FK_Lookup = 8,
};
} // namespace

static unsigned functionKinds(const MapModel &M, const FunctionDecl *FD,
                              llvm::DenseMap<const Decl *, unsigned> &Cache) {
  FD = FD->getCanonicalDecl();
  auto It = Cache.find(FD);
  if (It != Cache.end())
    return It->second;
  const MapModelOptions &O = M.options();
  const NamedDecl *Named = FD;
  if (const FunctionTemplateDecl *T = FD->getPrimaryTemplate())
    Named = T;
  unsigned K = 0;
  if (M.nameMatches(Named, BuiltinSpawners) ||
      M.nameMatches(Named, O.ExtraThreadSpawners) ||
      M.isInferredSpawnerMethod(FD))
    K |= FK_Spawner;
  if (FD->isNoReturn() || M.nameMatches(Named, O.NoReturn))
    K |= FK_NoReturn;
  if (M.nameMatches(Named, O.Close))
    K |= FK_Close;
  if (M.nameMatches(Named, BuiltinLookupFunctions) ||
      M.nameMatches(Named, O.ExtraLookupFunctions))
    K |= FK_Lookup;
  Cache[FD] = K;
  return K;
}

bool MapModel::isSpawnerFunction(const FunctionDecl *FD) const {
  return FD && (functionKinds(*this, FD, FunctionKinds) & FK_Spawner);
}
bool MapModel::isNoReturnFunction(const FunctionDecl *FD) const {
  return FD && (functionKinds(*this, FD, FunctionKinds) & FK_NoReturn);
}
bool MapModel::isCloseFunction(const FunctionDecl *FD) const {
  return FD && (functionKinds(*this, FD, FunctionKinds) & FK_Close);
}
bool MapModel::isChanOperation(const CXXMemberCallExpr *MC) const {
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!MD || !MD->getDeclName().isIdentifier() ||
      !compat::isOneOf({"send", "recv", "close", "begin"}, MD->getName()))
    return false;
  return nameMatches(templateOrSelf(MD->getParent()),
                     llvm::ArrayRef<llvm::StringRef>{"::mapguard::shim::Chan"});
}
bool MapModel::isLookupFunction(const FunctionDecl *FD) const {
  return FD && (functionKinds(*this, FD, FunctionKinds) & FK_Lookup);
}

} // namespace clang::tidy::mapguard
