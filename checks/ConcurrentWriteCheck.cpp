//===--- ConcurrentWriteCheck.cpp - mapguard-concurrent-write -------------===//
//
// Pattern 1 of patterns.md: a shared map written from several threads with
// no lock held (and 1': a read racing a write). Found with no annotations.
// This file is the matchers that find where threads start, one query
// (analysis/Races: ThreadEntries, ThreadOrdering and LockState of the per-TU
// context) and the diagnostics.
//
//===----------------------------------------------------------------------===//

#include "ConcurrentWriteCheck.h"
#include "Compat.h"
#include "analysis/threads/Races.h"
#include "analysis/threads/SpawnRecognition.h"
#include "analysis/threads/ThreadFactsExtractor.h"
#include "analysis/threads/ThreadEntries.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::mapguard {

namespace {

// The forms of a spawn, one matcher of one node kind each; what each means
// is SpawnRecognition's (shared with the facts of the project index).
AST_MATCHER_P(CXXConstructExpr, startsThread, const MapModel *, Model) {
  return mapguard::startsThread(&Node, *Model);
}
AST_MATCHER_P(CallExpr, callsSpawner, const MapModel *, Model) {
  return mapguard::callsSpawner(&Node, *Model);
}
AST_MATCHER_P(CallExpr, makesThread, const MapModel *, Model) {
  return mapguard::makesThread(&Node, *Model);
}
AST_MATCHER_P(CXXMemberCallExpr, emplacesThread, const MapModel *, Model) {
  return mapguard::emplacesThread(&Node, *Model);
}

} // namespace

ConcurrentWriteCheck::ConcurrentWriteCheck(StringRef Name,
                                           ClangTidyContext *Context)
    : MapGuardCheck(Name, Context,
                    MapModelOptions::MapTypes | MapModelOptions::IgnoredTypes |
                        MapModelOptions::LockTypes |
                        MapModelOptions::ThreadSpawners),
      CheckReads(boolOption("CheckReads", true)),
      MaxFunctions(positiveOption("MaxFunctions", 500)) {}

void ConcurrentWriteCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  MapGuardCheck::storeOptions(Opts);
  Options.store(Opts, "CheckReads", CheckReads ? "true" : "false");
  Options.store(Opts, "MaxFunctions", MaxFunctions);
}

void ConcurrentWriteCheck::registerMatchers(MatchFinder *Finder) {
  // Where a thread starts. Each form is its own matcher of one node kind, so
  // the finder tries it only on nodes of that kind; the cheap cached
  // type/name test comes first.
  auto ThreadSpawns = {
      // std::thread t(f, ...), std::jthread, a std::thread(...) temporary.
      expr(cxxConstructExpr(startsThread(&model()))),
      // threads.emplace_back([&] { ... }): the thread is built in the library.
      expr(cxxMemberCallExpr(emplacesThread(&model()))),
      // std::async, pthread_create, thrd_create, the shim's go,
      // ThreadSpawners.
      expr(callExpr(callsSpawner(&model()))),
      // std::make_unique<Worker>(callable): the thread type is constructed
      // in the library (or in a project's make_unique, where the callable
      // is only a forwarded parameter).
      expr(callExpr(makesThread(&model())))};
  // Spawns inside the standard library (std::async's own thread) are not the
  // program's. The function each spawn is in is found at the end of the TU
  // (enclosingFunctions), not with forCallable: that would build the parent
  // map of the whole TU, dearer than the whole analysis.
  for (const auto &ThreadSpawn : ThreadSpawns)
    Finder->addMatcher(
        expr(ThreadSpawn, unless(isExpansionInSystemHeader())).bind("spawn"),
        this);
  // The TU itself (one node): a TU that starts no thread still has facts
  // for the project index, and races through other TUs' threads.
  Finder->addMatcher(translationUnitDecl().bind("unit"), this);
}

void ConcurrentWriteCheck::check(const MatchFinder::MatchResult &Result) {
  Ctx = Result.Context;
  const auto *Spawn = Result.Nodes.getNodeAs<Expr>("spawn");
  // Spawns inside the standard library (std::async's own thread) are not
  // the program's.
  if (Spawn && !Result.SourceManager->isInSystemHeader(Spawn->getBeginLoc()))
    Spawns.push_back(Spawn);
}

ThreadEntries &ConcurrentWriteCheck::threads() {
  return analyses(*Ctx).threads(model(), ThreadEntriesOptions{MaxFunctions, 8});
}

void ConcurrentWriteCheck::onEndOfTranslationUnit() {
  // The race search runs here, not in a match: guarded as matches are.
  if (Ctx)
    guarded(*Ctx, [this] {
      MapGuardAnalyses &A = analyses(*Ctx);
      // Extract mode (`mapguard index`): the facts, no finding. With an
      // index: this TU's own facts replace the index's (the view).
      if (A.extractsFacts() || A.projectIndex())
        extractThreadFacts(A, model(), threads(), budget());
      if (A.extractsFacts())
        return;
      std::set<SourceLocation> Reported;
      reportRaces(Reported);
      if (A.projectIndex())
        reportCrossUnitRaces(Reported);
      reportSkipped(*Ctx,
                    SkipLocks | SkipOrdering | SkipThreadWalk | SkipRaces);
    });
  // Also after a crash in the search: nothing of this TU outlives it.
  Spawns.clear();
  Ctx = nullptr;
}

void ConcurrentWriteCheck::reportRaces(std::set<SourceLocation> &Reported) {
  MapGuardAnalyses &A = analyses(*Ctx);
  std::vector<const Stmt *> At(Spawns.begin(), Spawns.end());
  auto Functions = enclosingFunctions(At, *Ctx);
  for (const Expr *Spawn : Spawns)
    if (const FunctionDecl *FD = Functions.lookup(Spawn); FD && FD->hasBody())
      threads().addSpawn(Spawn, FD, A.parents(FD), *Ctx);
  Spawns.clear();
  RaceOptions Opts{budget(), CheckReads};
  for (const RaceFinding &R :
       findRaces(A, model(), threads(), Opts)) {
    if (R.BothWrites)
      diag(R.At, "map %0 is written from a thread without holding a lock")
          << R.Map;
    else
      diag(R.At, "concurrent map read and map write: map %0 is read and "
                 "written from threads without holding a lock")
          << R.Map;
    Reported.insert(R.At);
    if (R.Thread)
      diag(R.Thread->Spawn->getBeginLoc(), "thread started here",
           DiagnosticIDs::Note);
    if (R.Other.isValid())
      diag(R.Other, "conflicting access here", DiagnosticIDs::Note);
  }
}

} // namespace clang::tidy::mapguard
