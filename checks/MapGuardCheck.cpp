//===--- MapGuardCheck.cpp - what every mapguard check shares -------------===//

#include "MapGuardCheck.h"
#include "CrashGuard.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace clang::tidy::mapguard {

MapGuardCheck::MapGuardCheck(StringRef Name, ClangTidyContext *Context,
                             unsigned ModelGroups)
    : ClangTidyCheck(Name, Context), ID(Name.str()), Analyses(MapGuardAnalyses::get(Context)),
      ModelOptions(MapModelOptions::read(Options, ModelGroups)),
      Model(&Analyses->model(ModelOptions)) {
  AnalysisBudget Defaults;
  Budget.MaxBlocks = positiveOption("MaxBlocks", Defaults.MaxBlocks);
  Budget.MaxBlockVisits =
      positiveOption("MaxBlockVisits", Defaults.MaxBlockVisits);
  Budget.MaxTrackedSlots =
      positiveOption("MaxTrackedSlots", Defaults.MaxTrackedSlots);
  // Also as a global option: one switch for every check.
  ReportSkipped = boolOption("ReportSkipped", false, /*LocalOrGlobal=*/true);
  ProjectIndexPath = Options.getLocalOrGlobal("ProjectIndex", "");
  IndexPending = !loadProjectIndex(Context->getCurrentBuildDirectory());
}

namespace {
std::string &defaultProjectIndex() {
  static std::string Name;
  return Name;
}
} // namespace

void setDefaultProjectIndex(llvm::StringRef RelativePath) {
  defaultProjectIndex() = RelativePath.str();
}

bool MapGuardCheck::loadProjectIndex(llvm::StringRef Directory) {
  if (Analyses->extractsFacts())
    return true;
  // Without the option, the host's default, only when the file is there.
  const bool ByDefault = ProjectIndexPath.empty();
  const std::string &Name =
      ByDefault ? defaultProjectIndex() : ProjectIndexPath;
  if (Name.empty())
    return true;
  // Relative to the build directory, as the compile database's paths are.
  llvm::SmallString<256> Path(Name);
  if (llvm::sys::path::is_relative(Path)) {
    if (Directory.empty())
      return false;
    Path = Directory;
    llvm::sys::path::append(Path, Name);
  }
  if (ByDefault && !llvm::sys::fs::exists(Path))
    return true;
  // The checks of a context share the index: the first one loads it (and
  // reports a bad one, once).
  if (!Analyses->tryProjectIndex(Path))
    return true;
  auto Index = ProjectIndex::load(Path);
  if (!Index) {
    configurationDiag("%0; analysing without it")
        << llvm::toString(Index.takeError());
    return true;
  }
  Analyses->setProjectIndex(std::move(*Index));
  return true;
}

void MapGuardCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  ModelOptions.store(Options, Opts);
  Options.store(Opts, "MaxBlocks", Budget.MaxBlocks);
  Options.store(Opts, "MaxBlockVisits", Budget.MaxBlockVisits);
  Options.store(Opts, "MaxTrackedSlots", Budget.MaxTrackedSlots);
  Options.store(Opts, "ReportSkipped", ReportSkipped ? "true" : "false");
  Options.store(Opts, "ProjectIndex", ProjectIndexPath);
}

void MapGuardCheck::registerPPCallbacks(const SourceManager &SM,
                                        Preprocessor *PP, Preprocessor *) {
  if (IndexPending) {
    // No build directory (clangd's context has none): the compile
    // command's, the working directory of the file system the compiler
    // reads through; the process's as a last resort.
    IndexPending = false;
    std::string Directory =
        SM.getFileManager().getFileSystemOpts().WorkingDir;
    if (Directory.empty())
      if (auto CWD = SM.getFileManager()
                         .getVirtualFileSystem()
                         .getCurrentWorkingDirectory())
        Directory = *CWD;
    if (Directory.empty())
      Directory = ".";
    loadProjectIndex(Directory);
  }
  beginCheckedFile(SM.getFilename(SM.getLocForStartOfFile(SM.getMainFileID())));
  Analyses->attachPreprocessor(*PP);
}

void MapGuardCheck::run(const ast_matchers::MatchFinder::MatchResult &Result) {
  runCheckGuarded(ID, *Result.Context, *Result.SourceManager,
                  [&] { check(Result); });
}

void MapGuardCheck::guarded(const ASTContext &Ctx,
                            llvm::function_ref<void()> Body) {
  runCheckGuarded(ID, Ctx, Ctx.getSourceManager(), Body);
}

MapGuardAnalyses &MapGuardCheck::analyses(ASTContext &Ctx) {
  Analyses->beginTranslationUnit(Ctx);
  return *Analyses;
}

void MapGuardCheck::reportSkipped(ASTContext &Ctx, unsigned Kinds) {
  MapGuardAnalyses &A = analyses(Ctx);
  if (SkipsOf != &Ctx) {
    SkipsOf = &Ctx;
    SkipsSeen = 0;
    SkipsReported.clear();
  }
  llvm::ArrayRef<SkipRecord> Skips = A.skipped();
  if (SkipsSeen > Skips.size())
    SkipsSeen = 0;
  const bool Collect = A.collectsCheckSkips();
  for (const SkipRecord &R : Skips.drop_front(SkipsSeen)) {
    if ((!ReportSkipped && !Collect) || !(R.Analysis & Kinds) ||
        !R.Function || !ranUnder(R))
      continue;
    if (!SkipsReported.insert({R.Function, R.Budget}).second)
      continue;
    if (Collect)
      A.addCheckSkip({ID, R.Function, R.Budget, R.Limit});
    else
      diag(R.Function->getLocation(),
           "mapguard skipped %0: budget %1 (%2) exceeded")
          << R.Function << R.Budget << R.Limit;
  }
  SkipsSeen = Skips.size();
}

bool MapGuardCheck::ranUnder(const SkipRecord &R) const {
  // Analyses are shared by the checks with equal budgets: a skip is theirs.
  return !R.RanUnder || *R.RanUnder == Budget;
}

unsigned MapGuardCheck::positiveOption(StringRef Name, unsigned Default) {
  unsigned V = Options.get(Name, Default);
  if (V == 0) {
    configurationDiag("invalid option '%0' for %1: must be positive; "
                      "using %2")
        << Name << ID << Default;
    return Default;
  }
  return V;
}

bool MapGuardCheck::boolOption(StringRef Name, bool Default,
                               bool LocalOrGlobal) {
  StringRef D = Default ? "true" : "false";
  std::string V = StringRef(LocalOrGlobal ? Options.getLocalOrGlobal(Name, D)
                                          : Options.get(Name, D))
                      .trim()
                      .lower();
  if (V == "true" || V == "1" || V == "on" || V == "yes")
    return true;
  if (V == "false" || V == "0" || V == "off" || V == "no")
    return false;
  configurationDiag("invalid option '%0' for %1: '%2' is not a boolean; "
                    "using %3")
      << Name << ID << V << (Default ? "true" : "false");
  return Default;
}

} // namespace clang::tidy::mapguard
