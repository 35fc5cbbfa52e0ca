//===--- MapGuardAnalyses.cpp - the per-TU analysis context ---------------===//

#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/calls/CallIndex.h"
#include "analysis/calls/VirtualTargets.h"
#include "analysis/cleanup/DeferredCleanup.h"
#include "analysis/index/FactKeys.h"
#include "analysis/threads/LockState.h"
#include "analysis/lookup/LookupMiss.h"
#include "analysis/lookup/Summaries.h"
#include "analysis/threads/ThreadEntries.h"
#include "analysis/threads/ThreadOrdering.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/Path.h"
#include <mutex>

namespace clang::tidy::mapguard {

namespace {
/// The live contexts, by the clang-tidy context their checks belong to.
/// clangd parses several files at once, each with its own ClangTidyContext.
std::mutex RegistryMutex;
std::map<const ClangTidyContext *, std::weak_ptr<MapGuardAnalyses>> &
registry() {
  static auto *R =
      new std::map<const ClangTidyContext *, std::weak_ptr<MapGuardAnalyses>>();
  return *R;
}
} // namespace

struct MapGuardAnalyses::PerModel {
  std::unique_ptr<DeferredCleanupFinder> Cleanups;
  /// Per budget, per function: the results (null: nothing to report).
  std::map<AnalysisBudget,
           llvm::DenseMap<const FunctionDecl *,
                          std::unique_ptr<LookupMissAnalysis>>>
      Misses;
  std::map<AnalysisBudget, std::unique_ptr<LockState>> Locks;
  std::map<AnalysisBudget, std::unique_ptr<FunctionSummaries>> Summaries;
  std::map<std::pair<unsigned, unsigned>, std::unique_ptr<ThreadEntries>>
      Threads;
};

std::shared_ptr<MapGuardAnalyses> MapGuardAnalyses::get(ClangTidyContext *C) {
  std::lock_guard<std::mutex> Lock(RegistryMutex);
  auto &R = registry();
  // Drop contexts whose checks are gone.
  for (auto It = R.begin(); It != R.end();)
    It = It->second.expired() ? R.erase(It) : std::next(It);
  std::weak_ptr<MapGuardAnalyses> &Slot = R[C];
  if (std::shared_ptr<MapGuardAnalyses> Live = Slot.lock())
    return Live;
  auto Fresh = std::make_shared<MapGuardAnalyses>();
  Slot = Fresh;
  return Fresh;
}

void MapGuardAnalyses::forget(ClangTidyContext *C) {
  std::lock_guard<std::mutex> Lock(RegistryMutex);
  registry().erase(C);
}

MapGuardAnalyses::MapGuardAnalyses() = default;
MapGuardAnalyses::~MapGuardAnalyses() = default;

void MapGuardAnalyses::reset() {
  Scopes.clear();
  CFGs.clear();
  Parents.clear();
  Orderings.clear();
  Calls.reset();
  Virtuals.reset();
  Skips.clear();
  SkipKeys.clear();
  CheckSkips.clear();
  UnitFacts = ProjectIndex();
  for (auto &[Key, M] : Models)
    M->clearCaches();
}

void MapGuardAnalyses::attachPreprocessor(Preprocessor &NewPP) {
  if (PP == &NewPP)
    return;
  reset();
  Ctx = nullptr;
  PP = &NewPP;
  Asserts.attach(NewPP);
}

void MapGuardAnalyses::beginTranslationUnit(ASTContext &NewCtx) {
  if (Ctx == &NewCtx)
    return;
  if (Ctx)
    reset();
  Ctx = &NewCtx;
}

const MapModel &MapGuardAnalyses::model(const MapModelOptions &O) {
  std::unique_ptr<MapModel> &Slot = Models[O.fingerprint()];
  if (!Slot)
    Slot = std::make_unique<MapModel>(O);
  return *Slot;
}

MapGuardAnalyses::PerModel &MapGuardAnalyses::scope(const MapModel &M) {
  std::unique_ptr<PerModel> &Slot = Scopes[&M];
  if (!Slot)
    Slot = std::make_unique<PerModel>();
  return *Slot;
}

const FunctionParents &MapGuardAnalyses::parents(const FunctionDecl *FD) {
  std::unique_ptr<FunctionParents> &P = Parents[FD];
  if (!P)
    P = std::make_unique<FunctionParents>(FD);
  return *P;
}

const FunctionCFG *MapGuardAnalyses::cfgOf(const FunctionDecl *FD,
                                           const AnalysisBudget &B,
                                           unsigned Asker) {
  if (!FD || !FD->hasBody() || !Ctx)
    return nullptr;
  auto [It, Inserted] = CFGs.try_emplace(FD);
  if (Inserted)
    It->second = FunctionCFG::build(FD, *Ctx, parents(FD));
  const FunctionCFG *G = It->second.get();
  if (G && G->size() > B.MaxBlocks) {
    if (Asker)
      recordSkip(FD, Asker, "MaxBlocks", B.MaxBlocks, B);
    return nullptr;
  }
  return G;
}

void MapGuardAnalyses::recordSkip(const FunctionDecl *FD, unsigned Analysis,
                                  llvm::StringRef Budget, unsigned Limit,
                                  std::optional<AnalysisBudget> RanUnder) {
  if (!FD ||
      !SkipKeys.insert({FD, Analysis, Budget.str(), Limit, RanUnder}).second)
    return;
  Skips.push_back({FD, Analysis, Budget.str(), Limit, RanUnder});
}

const LookupMissAnalysis *
MapGuardAnalyses::lookupMisses(const FunctionDecl *FD, const MapModel &M,
                               const AnalysisBudget &B) {
  if (!FD || !FD->hasBody() || FD->isDependentContext() || !Ctx)
    return nullptr;
  PerModel &S = scope(M);
  auto [It, Inserted] = S.Misses[B].try_emplace(FD);
  if (!Inserted)
    return It->second.get();
  FunctionSummaries &Sum = summaries(M, B);
  if (!LookupMissAnalysis::mayHaveLookup(FD, M, &Sum))
    return nullptr;
  const FunctionCFG *G = cfgOf(FD, B, SkipLookupMiss);
  if (!G)
    return nullptr;
  LookupMissOptions Opts;
  Opts.Summaries = &Sum;
  Opts.Budget = B;
  Opts.Asserts = &Asserts;
  Opts.Cleanups = &cleanups(M);
  // Computing may ask this context for more (the iterator above is not
  // kept across it).
  std::string OverBudget;
  unsigned Limit = 0;
  std::unique_ptr<LookupMissAnalysis> R =
      LookupMissAnalysis::compute(*G, *Ctx, M, Opts, &OverBudget, &Limit);
  if (!R && !OverBudget.empty())
    recordSkip(FD, SkipLookupMiss, OverBudget, Limit, B);
  auto &Slot = S.Misses[B][FD];
  Slot = std::move(R);
  return Slot.get();
}

FunctionSummaries &MapGuardAnalyses::summaries(const MapModel &M,
                                               const AnalysisBudget &B) {
  std::unique_ptr<FunctionSummaries> &Slot = scope(M).Summaries[B];
  if (!Slot)
    Slot = std::make_unique<FunctionSummaries>(*this, M, B);
  return *Slot;
}

DeferredCleanupFinder &MapGuardAnalyses::cleanups(const MapModel &M) {
  PerModel &S = scope(M);
  if (!S.Cleanups)
    S.Cleanups = std::make_unique<DeferredCleanupFinder>(M);
  return *S.Cleanups;
}

LockState &MapGuardAnalyses::locks(const MapModel &M, const AnalysisBudget &B) {
  std::unique_ptr<LockState> &Slot = scope(M).Locks[B];
  if (!Slot)
    Slot = std::make_unique<LockState>(M, *this, B);
  return *Slot;
}

ThreadEntries &MapGuardAnalyses::threads(const MapModel &M,
                                         const ThreadEntriesOptions &O) {
  std::unique_ptr<ThreadEntries> &Slot =
      scope(M).Threads[{O.MaxFunctions, O.MaxDepth}];
  if (!Slot)
    Slot = std::make_unique<ThreadEntries>(M, O, virtualTargets());
  return *Slot;
}

ThreadOrdering &MapGuardAnalyses::ordering(const AnalysisBudget &B) {
  std::unique_ptr<ThreadOrdering> &Slot = Orderings[B];
  if (!Slot)
    Slot = std::make_unique<ThreadOrdering>(*Ctx, *this, B);
  return *Slot;
}

VirtualTargets &MapGuardAnalyses::virtualTargets() {
  if (!Virtuals)
    Virtuals = std::make_unique<VirtualTargets>(*Ctx);
  return *Virtuals;
}

const CallIndex &MapGuardAnalyses::calls() {
  if (!Calls)
    Calls = std::make_unique<CallIndex>(*Ctx);
  return *Calls;
}

std::string MapGuardAnalyses::mainFile() const {
  if (!Ctx)
    return std::string();
  const SourceManager &SM = Ctx->getSourceManager();
  auto Main = SM.getFileEntryRefForID(SM.getMainFileID());
  if (!Main)
    return std::string();
  llvm::SmallString<256> Path(Main->getName());
  SM.getFileManager().makeAbsolutePath(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

bool MapGuardAnalyses::isProjectFunction(const FunctionDecl *FD) const {
  const FunctionDecl *Def = nullptr;
  if (!Ctx || !FD || !FD->hasBody(Def) || !Def)
    return false;
  const SourceManager &SM = Ctx->getSourceManager();
  SourceLocation Loc = SM.getFileLoc(Def->getLocation());
  return Loc.isValid() && !SM.isInSystemHeader(Loc);
}

IndexedFunction &MapGuardAnalyses::recordFunction(const FunctionDecl *FD) {
  std::string USR = usrOf(FD);
  bool New = !UnitFacts.find(USR);
  IndexedFunction &F = UnitFacts.function(USR, FD->getQualifiedNameAsString());
  if (!New)
    return F;
  std::string Main = mainFile();
  F.Unit = Main;
  UnitFacts.addUnit(Main);
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def) && Def && Ctx)
    F.Definition = spotOf(Def->getLocation(), Ctx->getSourceManager());
  return F;
}

IndexView MapGuardAnalyses::indexView() {
  if (!Project)
    return IndexView(nullptr, nullptr, std::string());
  return IndexView(Project.get(), &UnitFacts, mainFile());
}

} // namespace clang::tidy::mapguard
