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
#include "analysis/Races.h"
#include "analysis/ThreadEntries.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::mapguard {

namespace {

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
      !compat::startsWith(MD->getName(), "emplace") || Node.getNumArgs() == 0 ||
      Model->isThreadType(Node.getArg(0)->getType()))
    return false;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      MD->getParent());
  return Spec && Spec->getTemplateArgs().size() > 0 &&
         Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
         Model->isThreadType(Spec->getTemplateArgs()[0].getAsType());
}

} // namespace

ConcurrentWriteCheck::ConcurrentWriteCheck(StringRef Name,
                                           ClangTidyContext *Context)
    : MapGuardCheck(Name, Context,
                    MapModelOptions::MapTypes | MapModelOptions::IgnoredTypes |
                        MapModelOptions::LockTypes |
                        MapModelOptions::ThreadSpawners),
      CheckReads(boolOption("CheckReads", true)),
      MaxFunctions(positiveOption("MaxFunctions", 200)) {}

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
      expr(callExpr(callsSpawner(&model())))};
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
    threads().addSpawn(Spawn, FD, *Result.Context);
}

ThreadEntries &ConcurrentWriteCheck::threads() {
  return analyses(*Ctx).threads(model(), ThreadEntriesOptions{MaxFunctions, 8});
}

void ConcurrentWriteCheck::onEndOfTranslationUnit() {
  // The race search runs here, not in a match: guarded as matches are.
  if (Ctx)
    guarded(*Ctx, [this] { reportRaces(); });
  Ctx = nullptr;
}

void ConcurrentWriteCheck::reportRaces() {
  if (!Ctx)
    return;
  RaceOptions Opts{budget(), CheckReads};
  for (const RaceFinding &R :
       findRaces(analyses(*Ctx), model(), threads(), Opts)) {
    if (R.BothWrites)
      diag(R.At, "map %0 is written from a thread without holding a lock")
          << R.Map;
    else
      diag(R.At, "concurrent map read and map write: map %0 is read and "
                 "written from threads without holding a lock")
          << R.Map;
    if (R.Thread)
      diag(R.Thread->Spawn->getBeginLoc(), "thread started here",
           DiagnosticIDs::Note);
    if (R.Other.isValid())
      diag(R.Other, "conflicting access here", DiagnosticIDs::Note);
  }
  Ctx = nullptr;
}

} // namespace clang::tidy::mapguard
