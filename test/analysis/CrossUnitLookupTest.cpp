//===--- CrossUnitLookupTest.cpp - lookup summaries through the index -----===//
//
// Two translation units, as a project splits them: the helpers are defined
// in registry.cpp, called in main.cpp, which only sees their declarations.
// registry.cpp's facts are extracted (extract mode), written and read back
// as the index file is, and main.cpp is analysed with them.
//
//===----------------------------------------------------------------------===//

#include "AnalysisTestUtil.h"
#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/index/FactKeys.h"
#include "analysis/index/ProjectIndex.h"
#include "analysis/lookup/LookupMiss.h"
#include "analysis/lookup/Summaries.h"

using namespace clang;
using namespace clang::tidy::mapguard;

namespace {

constexpr const char *Header = R"cc(
#include <map>
#include <memory>
#include <stdexcept>
struct Session { void send(const char *); };
struct Registry {
  std::map<int, Session *> sessions_;
  Session *find_session(int id);             // may return null on a miss
  std::map<int, Session *>::iterator locate(int id);
  bool has(int id) const;                    // membership of sessions_
  Session *checked(int id);                  // tests, throws on a miss
};
void flush_to(Session *s);                   // uses s on every path
[[noreturn]] void die(const char *);
void fail(const char *why);                  // never returns (inferred)
)cc";

constexpr const char *Registry = R"cc(
Session *Registry::find_session(int id) { return sessions_[id]; }
std::map<int, Session *>::iterator Registry::locate(int id) {
  return sessions_.find(id);
}
bool Registry::has(int id) const { return sessions_.count(id) != 0; }
Session *Registry::checked(int id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end())
    throw std::out_of_range("no session");
  return it->second;
}
void flush_to(Session *s) { s->send("bye"); }
void fail(const char *why) { throw std::runtime_error(why); }
static Session *internal_only(Registry &r) { return r.sessions_[1]; }
)cc";

struct Unit {
  std::unique_ptr<ASTUnit> AST;
  MapGuardAnalyses A;
  MapModelOptions Opts;
  Unit(llvm::StringRef Code, llvm::StringRef Name)
      : AST(tooling::buildASTFromCodeWithArgs(
            std::string(Header) + Code.str(),
            {"-std=c++20", "-resource-dir=" MAPGUARD_CLANG_RESOURCE_DIR},
            Name)) {
    EXPECT_TRUE(AST);
    EXPECT_FALSE(AST->getDiagnostics().hasErrorOccurred());
    A.beginTranslationUnit(AST->getASTContext());
  }
  ASTContext &ctx() { return AST->getASTContext(); }
  const MapModel &model() { return A.model(Opts); }
  FunctionSummaries &summaries() {
    return A.summaries(model(), AnalysisBudget{});
  }
  /// Every function defined in the main file.
  std::vector<const FunctionDecl *> definitions() {
    std::vector<const FunctionDecl *> Out;
    for (const Decl *D : ctx().getTranslationUnitDecl()->decls()) {
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (FD && FD->doesThisDeclarationHaveABody() &&
          ctx().getSourceManager().isInMainFile(FD->getLocation()))
        Out.push_back(FD);
    }
    return Out;
  }
};

/// registry.cpp's facts, through the index file's text.
std::shared_ptr<const ProjectIndex> registryIndex() {
  Unit R(Registry, "/project/registry.cpp");
  R.A.extractFacts();
  for (const FunctionDecl *FD : R.definitions())
    R.summaries().exportFacts(FD);
  std::string Text = R.A.unitFacts().toJSON();
  llvm::Expected<ProjectIndex> Read = ProjectIndex::fromJSON(Text, "index");
  EXPECT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  return std::make_shared<const ProjectIndex>(std::move(*Read));
}

std::vector<LookupMissFinding> findingsOf(Unit &U, llvm::StringRef Name) {
  const FunctionDecl *FD = mapguard_test::function(U.ctx(), Name);
  const LookupMissAnalysis *R =
      FD ? U.A.lookupMisses(FD, U.model(), AnalysisBudget{}) : nullptr;
  return R ? R->findings() : std::vector<LookupMissFinding>();
}

} // namespace

TEST(CrossUnitLookupTest, ExtractedFactsAreWhatOtherUnitsCanUse) {
  std::shared_ptr<const ProjectIndex> Index = registryIndex();
  auto Facts = [&](llvm::StringRef Name) -> const IndexedFunction * {
    const IndexedFunction *Found = nullptr;
    Index->forEach([&](const IndexedFunction &F) {
      if (F.Name == Name)
        Found = &F;
    });
    return Found;
  };
  EXPECT_EQ(Index->units().count("/project/registry.cpp"), 1u);
  const IndexedFunction *Find = Facts("Registry::find_session");
  ASSERT_TRUE(Find && Find->Lookup.ReturnedMiss);
  EXPECT_FALSE(Find->Lookup.ReturnedMiss->IsIterator);
  EXPECT_EQ(shortPlace(Find->Lookup.ReturnedMiss->Lookup),
            "registry.cpp:" +
                std::to_string(Find->Lookup.ReturnedMiss->Lookup.Line));
  ASSERT_TRUE(Find->Definition);
  EXPECT_EQ(Find->Unit, "/project/registry.cpp");
  const IndexedFunction *Locate = Facts("Registry::locate");
  ASSERT_TRUE(Locate && Locate->Lookup.ReturnedMiss);
  EXPECT_TRUE(Locate->Lookup.ReturnedMiss->IsIterator);
  const IndexedFunction *Has = Facts("Registry::has");
  ASSERT_TRUE(Has && Has->Lookup.Membership);
  EXPECT_EQ(Has->Lookup.Membership->FieldName, "sessions_");
  const IndexedFunction *Flush = Facts("flush_to");
  ASSERT_TRUE(Flush);
  ASSERT_EQ(Flush->Lookup.ParamUses.size(), 1u);
  const IndexedFunction *Fail = Facts("fail");
  ASSERT_TRUE(Fail);
  EXPECT_TRUE(Fail->Lookup.NeverReturns);
  // Nothing a caller could use, or nothing another unit can call: no record.
  EXPECT_EQ(Facts("Registry::checked"), nullptr) << "tests before returning";
  EXPECT_EQ(Facts("internal_only"), nullptr) << "internal linkage";
}

TEST(CrossUnitLookupTest, CallersInAnotherUnitAreJudgedByTheIndex) {
  constexpr const char *Main = R"cc(
    void greet(Registry &r, int id) {
      r.find_session(id)->send("hi");          // default use, via registry
    }
    void greetChecked(Registry &r, int id) {
      if (Session *s = r.find_session(id))     // tested: silent
        s->send("hi");
    }
    void greetMember(Registry &r, int id) {
      if (!r.has(id))                          // the index's membership
        return;
      r.sessions_[id]->send("hi");             // silent
    }
    void greetIter(Registry &r, int id) {
      auto it = r.locate(id);
      it->second->send("hi");                  // end() dereferenced
    }
    void greetFlush(Registry &r, int id) {
      Session *s = r.sessions_[id];
      flush_to(s);                             // uses it in registry.cpp
    }
    void greetFail(Registry &r, int id) {
      Session *s = r.sessions_[id];
      if (!s)
        fail("none");                          // never returns
      s->send("hi");                           // silent
    }
    void greetThrowing(Registry &r, int id) {
      r.checked(id)->send("hi");               // no summary: silent
    }
  )cc";
  // Without the index, the helpers of registry.cpp are opaque.
  {
    Unit U(Main, "/project/main.cpp");
    EXPECT_TRUE(findingsOf(U, "greet").empty());
    EXPECT_TRUE(findingsOf(U, "greetIter").empty());
  }
  Unit U(Main, "/project/main.cpp");
  U.A.setProjectIndex(registryIndex());
  std::vector<LookupMissFinding> Greet = findingsOf(U, "greet");
  ASSERT_EQ(Greet.size(), 1u);
  EXPECT_EQ(Greet[0].Kind, LookupMissFinding::DefaultUse);
  ASSERT_EQ(Greet[0].Via.size(), 1u);
  ASSERT_NE(Greet[0].RemoteLookup, nullptr);
  EXPECT_EQ(Greet[0].RemoteLookup->Name, "Registry::find_session");
  EXPECT_EQ(Greet[0].Lookup, nullptr) << "the lookup is in registry.cpp";

  EXPECT_TRUE(findingsOf(U, "greetChecked").empty());
  EXPECT_TRUE(findingsOf(U, "greetMember").empty());

  std::vector<LookupMissFinding> Iter = findingsOf(U, "greetIter");
  ASSERT_EQ(Iter.size(), 1u);
  EXPECT_TRUE(Iter[0].IsIterator);

  std::vector<LookupMissFinding> Flush = findingsOf(U, "greetFlush");
  ASSERT_EQ(Flush.size(), 1u);
  ASSERT_TRUE(Flush[0].RemoteCalleeUse);
  EXPECT_EQ(llvm::sys::path::filename(Flush[0].RemoteCalleeUse->File),
            "registry.cpp");

  EXPECT_TRUE(findingsOf(U, "greetFail").empty());
  EXPECT_TRUE(findingsOf(U, "greetThrowing").empty());
}

TEST(CrossUnitLookupTest, AUnitIsNeverJudgedByItsOwnOldRecords) {
  // registry.cpp edited: find_session now tests. Its old record in the
  // index says it may return a miss; the fresh AST wins, and a caller in
  // registry.cpp itself sees the body, not the record.
  constexpr const char *Edited = R"cc(
    Session *Registry::find_session(int id) {
      auto it = sessions_.find(id);
      if (it == sessions_.end())
        throw std::out_of_range("no session");
      return it->second;
    }
    void local(Registry &r) { r.find_session(1)->send("x"); }
  )cc";
  Unit U(Edited, "/project/registry.cpp");
  U.A.setProjectIndex(registryIndex());
  EXPECT_TRUE(findingsOf(U, "local").empty());
  // A declaration-only helper whose only record was written by this unit
  // (locate, not defined in the edited file) is not taken from the index.
  IndexView View = U.A.indexView();
  std::string LocateUSR;
  registryIndex()->forEach([&](const IndexedFunction &F) {
    if (F.Name == "Registry::locate")
      LocateUSR = F.USR;
  });
  ASSERT_FALSE(LocateUSR.empty());
  EXPECT_EQ(View.find(LocateUSR), nullptr);
}
