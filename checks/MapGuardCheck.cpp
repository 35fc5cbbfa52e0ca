//===--- MapGuardCheck.cpp - what every mapguard check shares -------------===//

#include "MapGuardCheck.h"
#include "CrashGuard.h"

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
}

void MapGuardCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  ModelOptions.store(Options, Opts);
  Options.store(Opts, "MaxBlocks", Budget.MaxBlocks);
  Options.store(Opts, "MaxBlockVisits", Budget.MaxBlockVisits);
}

void MapGuardCheck::registerPPCallbacks(const SourceManager &SM,
                                        Preprocessor *PP, Preprocessor *) {
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

bool MapGuardCheck::boolOption(StringRef Name, bool Default) {
  std::string V = StringRef(Options.get(Name, Default ? "true" : "false"))
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
