//===--- ConcurrentWriteCrossUnit.cpp - concurrent-write across TUs -------===//
//
// The second query of mapguard-concurrent-write, run when the checks have a
// project index: races whose story needs another translation unit
// (analysis/threads/CrossUnitRaces), with notes that name the other file in
// text, placed at the closest location of this TU.
//
//===----------------------------------------------------------------------===//

#include "ConcurrentWriteCheck.h"
#include "analysis/calls/CallIndex.h"
#include "analysis/index/FactKeys.h"
#include "analysis/threads/CrossUnitRaces.h"
#include "clang/Basic/FileManager.h"

namespace clang::tidy::mapguard {

SourceLocation ConcurrentWriteCheck::locationOf(const SourceSpot &S) const {
  if (!Ctx || S.File.empty() || S.Line == 0)
    return SourceLocation();
  const SourceManager &SM = Ctx->getSourceManager();
  auto File = SM.getFileManager().getOptionalFileRef(S.File);
  if (!File)
    return SourceLocation();
  return SM.translateFileLineCol(&File->getFileEntry(), S.Line,
                                 S.Column ? S.Column : 1);
}

void ConcurrentWriteCheck::reportCrossUnitRaces(
    const std::set<SourceLocation> &Reported) {
  MapGuardAnalyses &A = analyses(*Ctx);
  CrossUnitOptions Opts{CheckReads, MaxFunctions};
  std::vector<std::string> Cut;
  std::vector<CrossUnitRace> Races =
      findCrossUnitRaces(A.indexView(), A.unitFacts(), Opts, &Cut);
  if (!Cut.empty()) {
    // This TU's roots whose reach stopped at MaxFunctions: said, as the
    // per-TU walks' cuts are (ReportSkipped).
    llvm::SmallVector<const FunctionDecl *, 64> Functions;
    collectFunctionDefinitions(*Ctx, Functions);
    for (const FunctionDecl *FD : Functions)
      if (llvm::is_contained(Cut, usrOf(FD)))
        A.recordSkip(FD, SkipThreadWalk, "MaxFunctions", MaxFunctions,
                     std::nullopt);
  }
  for (const CrossUnitRace &R : Races) {
    SourceLocation At = locationOf(R.At.At);
    if (At.isInvalid() || Reported.count(At))
      continue; // not placeable here, or the per-TU analysis said it
    std::string Map = "'" + R.MapName + "'";
    if (R.BothWrites)
      diag(At, "map %0 is written from a thread without holding a lock")
          << Map;
    else
      diag(At, "concurrent map read and map write: map %0 is read and "
               "written from threads without holding a lock")
          << Map;
    // A note at its own place when it is in this TU, else at the closest
    // place of this TU: the access of its side, else the finding.
    auto Note = [&](const SourceSpot &S, SourceLocation Near,
                    llvm::StringRef Text) {
      SourceLocation L = locationOf(S);
      diag(L.isValid() ? L : Near, Text, DiagnosticIDs::Note);
    };
    std::string LastRoot;
    auto Side = [&](const CrossUnitAccess &X) {
      SourceLocation Near = locationOf(X.At);
      if (Near.isInvalid())
        Near = At;
      // The calls that lead here, innermost first; a call outside this TU
      // is said at the closest place it leads to.
      for (auto It = X.Path.rbegin(); It != X.Path.rend(); ++It) {
        Note(It->At, Near,
             "called from '" + It->Caller + "' (" + shortPlace(It->At) + ")");
        if (SourceLocation L = locationOf(It->At); L.isValid())
          Near = L;
      }
      std::string Root;
      if (X.Kind == CrossUnitRootKind::Callback)
        Root = "'" + X.Entry + "' is handed to '" + X.HandedTo + "' in " +
               shortPlace(X.Start) + " and runs on the library's thread";
      else
        Root = "thread started in " + shortPlace(X.Start) + " ('" + X.Entry +
               "' runs on it)";
      if (Root != LastRoot)
        Note(X.Start, Near, Root);
      LastRoot = Root;
    };
    Side(R.At);
    Note(R.Other.At, At,
         "conflicting access in " + shortPlace(R.Other.At) + " ('" +
             R.Other.Function + "')");
    Side(R.Other);
  }
}

} // namespace clang::tidy::mapguard
