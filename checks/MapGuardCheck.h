//===--- MapGuardCheck.h - what every mapguard check shares -----*- C++ -*-===//

#ifndef MAPGUARD_CHECKS_MAPGUARDCHECK_H
#define MAPGUARD_CHECKS_MAPGUARDCHECK_H

#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/core/MapModel.h"
#include "clang-tidy/ClangTidyCheck.h"
#include <memory>
#include <set>
#include <string>

namespace clang::tidy::mapguard {

/// For a host (mapguard-clangd): the project index read when no
/// ProjectIndex option is given, relative to the build directory (or, when
/// the host sets none, the compile command's directory), if that file
/// exists. Empty by default: no index without the option. Set before any
/// check is built.
void setDefaultProjectIndex(llvm::StringRef RelativePath);

/// A mapguard check: its map-model options and budgets, validated, and the
/// per-TU analysis context (MapGuardAnalyses) it shares with the others.
class MapGuardCheck : public ClangTidyCheck {
public:
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

protected:
  /// Reads the MapModel option groups in \p ModelGroups and the budgets.
  MapGuardCheck(StringRef Name, ClangTidyContext *Context,
                unsigned ModelGroups);

  /// The context, set to the translation unit of \p Ctx.
  MapGuardAnalyses &analyses(ASTContext &Ctx);
  const MapModel &model() const { return *Model; }
  const AnalysisBudget &budget() const { return Budget; }

  /// With the option ReportSkipped: a warning at each function that an
  /// analysis in \p Analyses (SkippedAnalysis bits) gave up on since the
  /// last call, naming the budget. Each function and budget once per TU.
  /// When the host collects skips (MapGuardAnalyses::collectCheckSkips),
  /// they go to the context instead, whatever ReportSkipped says.
  void reportSkipped(ASTContext &Ctx, unsigned Analyses);
  /// Runs \p Body, work of this check on \p Ctx's translation unit outside
  /// a match (onEndOfTranslationUnit), as matches run (CrashGuard.h).
  void guarded(const ASTContext &Ctx, llvm::function_ref<void()> Body);

  /// A positive integer option; a bad value is reported and replaced.
  unsigned positiveOption(StringRef Name, unsigned Default);
  /// A boolean option (with \p LocalOrGlobal, also read without the check's
  /// prefix); a bad value is reported and replaced.
  bool boolOption(StringRef Name, bool Default, bool LocalOrGlobal = false);

private:
  /// ClangTidyCheck::run (which only calls check()), guarded for hosts that
  /// survive a crashing check (CrashGuard.h).
  void run(const ast_matchers::MatchFinder::MatchResult &Result) override;

  /// Whether \p R comes from a run under this check's budgets: the skips of
  /// a TU are shared by every check, and two checks with other budgets run
  /// their analyses apart (one may skip a function the other analyses).
  /// Budgets that are not AnalysisBudget's (MaxFunctions) are the reading
  /// check's own.
  bool ranUnder(const SkipRecord &R) const;

  /// Loads the index named by the ProjectIndex option (or the host's
  /// default) into the context, a relative name resolved against
  /// \p Directory. False when it is relative and \p Directory is empty:
  /// registerPPCallbacks tries again with the compile command's directory
  /// (clangd sets no build directory).
  bool loadProjectIndex(llvm::StringRef Directory);

  /// The check's name (ClangTidyCheck::getID() is private before LLVM 19).
  std::string ID;
  std::shared_ptr<MapGuardAnalyses> Analyses;
  MapModelOptions ModelOptions;
  const MapModel *Model;
  AnalysisBudget Budget;
  /// Report the functions the analyses gave up on (off by default).
  bool ReportSkipped = false;
  /// The ProjectIndex option (global): the project index to read, relative
  /// to the build directory; empty for none.
  std::string ProjectIndexPath;
  /// loadProjectIndex waits for the compile command's directory.
  bool IndexPending = false;
  /// The TU whose skips were reported, how many of its records were seen,
  /// and the functions and budgets reported.
  const ASTContext *SkipsOf = nullptr;
  size_t SkipsSeen = 0;
  std::set<std::pair<const FunctionDecl *, std::string>> SkipsReported;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_MAPGUARDCHECK_H
