//===--- AnalysesTest.cpp - unit tests of the shared analyses -------------===//
//
// The per-TU context, the dataflow engine, and each analysis that runs on it
// (LookupMiss, LockState, CleanupPaths, ThreadOrdering), on small snippets.
//
//===----------------------------------------------------------------------===//

#include "AnalysisTestUtil.h"
#include "analysis/calls/CallIndex.h"
#include "analysis/cleanup/CleanupPaths.h"
#include "analysis/core/Dataflow.h"
#include "analysis/core/FunctionParents.h"
#include "analysis/threads/LockState.h"
#include "analysis/lookup/LookupMiss.h"
#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/lookup/Summaries.h"
#include "analysis/threads/ThreadEntries.h"
#include "analysis/threads/ThreadLifetime.h"
#include "analysis/threads/ThreadOrdering.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::tidy::mapguard;
using mapguard_test::declOf;
using mapguard_test::function;
using mapguard_test::parse;

namespace {

constexpr const char *Prelude = R"cc(
#include <map>
#include <memory>
#include <mutex>
#include <thread>
struct Worker { void run(); };
std::map<int, Worker *> ptrs;
std::map<int, std::shared_ptr<Worker>> shared;
void log(const char *);
)cc";

/// A parsed snippet and a context set to it.
struct Snippet {
  std::unique_ptr<ASTUnit> AST;
  MapGuardAnalyses A;
  MapModelOptions Opts = defaultOptions();
  explicit Snippet(llvm::StringRef Code)
      : AST(parse(std::string(Prelude) + Code.str())) {
    A.beginTranslationUnit(AST->getASTContext());
  }
  ASTContext &ctx() { return AST->getASTContext(); }
  const MapModel &model() { return A.model(Opts); }
  const FunctionDecl *fn(llvm::StringRef Name) { return function(ctx(), Name); }
  static MapModelOptions defaultOptions() {
    MapModelOptions O;
    O.NoReturn = {"abort", "exit"};
    O.Close = {"close", "fclose"};
    return O;
  }
  /// The first statement in \p FD matching \p M.
  template <typename T, typename MatcherT>
  const T *find(const FunctionDecl *FD, MatcherT M) {
    auto Found = match(functionDecl(hasBody(forEachDescendant(M.bind("x")))),
                       *FD, ctx());
    return Found.empty() ? nullptr : Found.front().template getNodeAs<T>("x");
  }
};

// --- The context ------------------------------------------------------------

TEST(MapGuardAnalysesTest, ModelsAreSharedByContentNotByReader) {
  Snippet S("void f() {}");
  MapModelOptions A = Snippet::defaultOptions();
  MapModelOptions B = Snippet::defaultOptions();
  B.Used = MapModelOptions::HandleTypes; // read other groups, same content
  MapModelOptions C = Snippet::defaultOptions();
  C.ExtraHandleTypes = {"Conn"};
  EXPECT_EQ(&S.A.model(A), &S.A.model(B));
  EXPECT_NE(&S.A.model(A), &S.A.model(C));
}

TEST(MapGuardAnalysesTest, ResultsArePerModelAndComputedOnce) {
  Snippet S(R"cc(
    struct Conn { void send(); Conn *operator->(); explicit operator bool() const; };
    std::map<int, Conn> conns;
    void f(int k) { conns[k]->send(); }
  )cc");
  const FunctionDecl *F = S.fn("f");
  AnalysisBudget B;
  const MapModel &Plain = S.model();
  MapModelOptions WithConn = Snippet::defaultOptions();
  WithConn.ExtraHandleTypes = {"Conn"};
  const MapModel &Conn = S.A.model(WithConn);
  // Conn is not a handle for the plain model: no lookup to analyse.
  EXPECT_EQ(S.A.lookupMisses(F, Plain, B), nullptr);
  const LookupMissAnalysis *R = S.A.lookupMisses(F, Conn, B);
  ASSERT_NE(R, nullptr);
  ASSERT_EQ(R->findings().size(), 1u);
  EXPECT_EQ(R->findings()[0].Kind, LookupMissFinding::DefaultUse);
  EXPECT_EQ(S.A.lookupMisses(F, Conn, B), R) << "computed once";
  // A budget too small for the function: skipped, not guessed, and said.
  EXPECT_TRUE(S.A.skipped().empty());
  EXPECT_EQ(S.A.lookupMisses(F, Conn, AnalysisBudget{1, 40}), nullptr);
  ASSERT_EQ(S.A.skipped().size(), 1u);
  EXPECT_EQ(S.A.skipped()[0].Function, F);
  EXPECT_EQ(S.A.skipped()[0].Analysis, unsigned(SkipLookupMiss));
  EXPECT_EQ(S.A.skipped()[0].Budget, "MaxBlocks");
  EXPECT_EQ(S.A.skipped()[0].Limit, 1u);
  // Asked again (cached), it is recorded once.
  EXPECT_EQ(S.A.lookupMisses(F, Conn, AnalysisBudget{1, 40}), nullptr);
  EXPECT_EQ(S.A.skipped().size(), 1u);
  // Over the visit budget and over the tracked-slot budget.
  EXPECT_EQ(S.A.lookupMisses(F, Conn, AnalysisBudget{3000, 40, 0}), nullptr);
  ASSERT_EQ(S.A.skipped().size(), 2u);
  EXPECT_EQ(S.A.skipped()[1].Budget, "MaxTrackedSlots");
}

TEST(MapGuardAnalysesTest, ANewTranslationUnitForgetsResults) {
  Snippet S("void f(int k) { ptrs[k]->run(); }");
  Snippet T("void f(int k) { ptrs[k]->run(); }");
  const MapModel &M = S.model();
  AnalysisBudget B;
  ASSERT_NE(S.A.lookupMisses(S.fn("f"), M, B), nullptr);
  ASSERT_NE(S.A.cfgOf(S.fn("f"), B), nullptr);
  S.A.recordSkip(S.fn("f"), SkipLocks, "MaxBlockVisits", 40, B);
  EXPECT_EQ(S.A.skipped().size(), 1u);
  S.A.beginTranslationUnit(T.ctx());
  EXPECT_EQ(S.A.astContext(), &T.ctx());
  EXPECT_TRUE(S.A.skipped().empty()) << "skips are per translation unit";
  EXPECT_EQ(&S.A.model(S.Opts), &M) << "models outlive a translation unit";
  const LookupMissAnalysis *R = S.A.lookupMisses(T.fn("f"), M, B);
  ASSERT_NE(R, nullptr);
  EXPECT_EQ(R->findings().size(), 1u);
}

// --- The engine -------------------------------------------------------------

/// How many times the statement `mark()` may have run: 0, 1, or 2 (many).
struct CountMarks {
  using Lattice = unsigned;
  unsigned initial() { return 0; }
  bool reachable(const unsigned &) { return true; }
  void join(unsigned &Into, const unsigned &From) {
    Into = std::max(Into, From);
  }
  void transferEdge(const CFGBlock &, unsigned, unsigned &) {}
  void transfer(const CFGElement &E, CFGPoint, unsigned &N) {
    if (auto CS = E.getAs<CFGStmt>())
      if (const auto *C = dyn_cast<CallExpr>(CS->getStmt()))
        if (const auto *FD = C->getDirectCallee();
            FD && FD->getName() == "mark")
          N = std::min(N + 1, 2u);
  }
};

TEST(DataflowTest, LoopsReachAFixpointAndTheBudgetStopsThem) {
  Snippet S(R"cc(
    void mark(); void after();
    void straight() { mark(); after(); }
    void loop(int n) { for (int i = 0; i < n; ++i) mark(); after(); }
  )cc");
  auto MarksBeforeAfter = [&](const char *Name, unsigned Visits) {
    const FunctionCFG *G = S.A.cfgOf(S.fn(Name), AnalysisBudget{});
    EXPECT_NE(G, nullptr);
    CountMarks P;
    ForwardDataflow<CountMarks> E(G->cfg(), P);
    if (!E.run(Visits))
      return -1;
    const auto *After = S.find<CallExpr>(
        S.fn(Name), callExpr(callee(functionDecl(hasName("after")))));
    std::optional<CFGPoint> At = G->elementOf(After);
    EXPECT_TRUE(At);
    std::optional<unsigned> N = E.stateBefore(*At->Block, At->Index);
    return N ? int(*N) : -2;
  };
  EXPECT_EQ(MarksBeforeAfter("straight", 40), 1);
  EXPECT_EQ(MarksBeforeAfter("loop", 40), 2) << "the loop runs mark() again";
  EXPECT_EQ(MarksBeforeAfter("loop", 1), -1) << "over budget";
}

// --- LookupMiss -------------------------------------------------------------

std::vector<LookupMissFinding> findingsOf(Snippet &S, const char *Name) {
  const LookupMissAnalysis *R =
      S.A.lookupMisses(S.fn(Name), S.model(), AnalysisBudget{});
  return R ? R->findings() : std::vector<LookupMissFinding>{};
}

TEST(LookupMissTest, UncheckedNoticedAndChecked) {
  Snippet S(R"cc(
    void unchecked(int k) { Worker *w = ptrs[k]; w->run(); }
    void noticed(int k) { Worker *w = ptrs[k]; if (!w) log("x"); w->run(); }
    void checked(int k) { Worker *w = ptrs[k]; if (!w) return; w->run(); }
    void viaFlag(int k) {
      auto it = ptrs.find(k);
      bool found = it != ptrs.end();
      if (found) it->second->run();
    }
  )cc");
  auto U = findingsOf(S, "unchecked");
  ASSERT_EQ(U.size(), 1u);
  EXPECT_EQ(U[0].Kind, LookupMissFinding::DefaultUse);
  EXPECT_EQ(U[0].Name, "w");
  auto N = findingsOf(S, "noticed");
  ASSERT_EQ(N.size(), 1u);
  EXPECT_EQ(N[0].Kind, LookupMissFinding::UnhandledMiss);
  EXPECT_NE(N[0].Check, nullptr);
  EXPECT_TRUE(findingsOf(S, "checked").empty());
  EXPECT_TRUE(findingsOf(S, "viaFlag").empty());
}

// A bool that holds a different check on each path says nothing after the
// join (it used to keep one path's check when both had one fact).
TEST(LookupMissTest, AFlagHoldingDifferentChecksIsForgottenAtTheJoin) {
  Snippet S(R"cc(
    void f(bool c, int k) {
      auto it = ptrs.find(k);
      Worker *p = ptrs[k];
      bool ok = it != ptrs.end();
      if (c)
        ok = p != nullptr;
      if (ok) {
        it->second->run();
        p->run();
      }
    }
  )cc");
  auto F = findingsOf(S, "f");
  ASSERT_EQ(F.size(), 2u) << "both values may be missing under `ok`";
  EXPECT_EQ(F[0].Kind, LookupMissFinding::DefaultUse);
  EXPECT_EQ(F[1].Kind, LookupMissFinding::DefaultUse);
}

TEST(LookupMissTest, StateBeforeAStatement) {
  Snippet S(R"cc(
    void g(Worker *);
    void f(int k) {
      Worker *w = ptrs[k];
      int before = 0;
      if (!w) return;
      int after = 0;
      g(w);
    }
  )cc");
  const FunctionDecl *F = S.fn("f");
  const LookupMissAnalysis *R =
      S.A.lookupMisses(F, S.model(), AnalysisBudget{});
  ASSERT_NE(R, nullptr);
  const auto *W = mapguard_test::findNamed<VarDecl>(S.ctx(), "w");
  auto Before = R->stateBefore(declOf(S.ctx(), "before"), W);
  ASSERT_TRUE(Before);
  EXPECT_TRUE(Before->MayBeUnchecked);
  EXPECT_NE(Before->Lookup, nullptr);
  auto After = R->stateBefore(declOf(S.ctx(), "after"), W);
  ASSERT_TRUE(After);
  EXPECT_FALSE(After->mayBeMissing());
}

// A temporary whose destructor is [[noreturn]] ends the path (temporary
// destructors are in the shared CFG).
TEST(LookupMissTest, NoReturnTemporaryDestructorEndsThePath) {
  Snippet S(R"cc(
    struct Fatal { Fatal(const char *); [[noreturn]] ~Fatal(); };
    void f(int k) {
      Worker *w = ptrs[k];
      if (!w)
        Fatal("no worker");
      w->run();
    }
  )cc");
  EXPECT_TRUE(findingsOf(S, "f").empty());
}

// --- Summaries --------------------------------------------------------------

TEST(SummariesTest, WhatHelpersReturnUseTestAndEnd) {
  Snippet S(R"cc(
    #include <stdexcept>
    struct Graph {
      std::map<int, Worker *> nodes_;
      Worker *node(int id) { return nodes_[id]; }
      Worker *viaNode(int id) { return node(id); }
      Worker *checked(int id) {
        auto it = nodes_.find(id);
        return it == nodes_.end() ? nullptr : it->second;
      }
      bool known(int id) const { return nodes_.count(id); }
      bool unknown(int id) const { return nodes_.find(id) == nodes_.end(); }
      bool other(int id) const { return id > 0; }
      virtual Worker *virt(int id) { return nodes_[id]; }
    };
    void use(Worker *p) { p->run(); }
    void useAfterTest(Worker *p) { if (p) p->run(); }
    void useSometimes(Worker *p, bool b) { if (b) p->run(); }
    void useVia(Worker *p) { use(p); }
    void fail() { throw std::runtime_error("x"); }
    void failVia() { fail(); }
    void mayFail(bool b) { if (b) fail(); }
    void caught() { try { fail(); } catch (...) {} }
  )cc");
  FunctionSummaries &F = S.A.summaries(S.model(), AnalysisBudget{});
  auto Ret = [&](const char *N) { return F.returnedMiss(S.fn(N)).has_value(); };
  EXPECT_TRUE(Ret("node"));
  EXPECT_TRUE(Ret("viaNode")) << "a chain of two helpers";
  EXPECT_FALSE(Ret("checked")) << "returns nullptr explicitly, not a default";
  auto Use = [&](const char *N) { return F.unconditionalUse(S.fn(N), 0) != nullptr; };
  EXPECT_TRUE(Use("use"));
  EXPECT_TRUE(Use("useVia"));
  EXPECT_FALSE(Use("useAfterTest"));
  EXPECT_FALSE(Use("useSometimes"));
  auto Known = F.membership(S.fn("known"));
  ASSERT_TRUE(Known);
  EXPECT_TRUE(Known->TrueMeansFound);
  EXPECT_NE(Known->Field, nullptr);
  EXPECT_EQ(Known->KeyParam, 0u);
  auto Unknown = F.membership(S.fn("unknown"));
  ASSERT_TRUE(Unknown);
  EXPECT_FALSE(Unknown->TrueMeansFound);
  EXPECT_FALSE(F.membership(S.fn("other")));
  EXPECT_TRUE(F.neverReturns(S.fn("fail")));
  EXPECT_TRUE(F.neverReturns(S.fn("failVia")));
  EXPECT_FALSE(F.neverReturns(S.fn("mayFail")));
  EXPECT_FALSE(F.neverReturns(S.fn("caught")));
}

TEST(SummariesTest, FactsArePlainDataKeyedByUSR) {
  Snippet S(R"cc(
    #include <cstdlib>
    struct Table {
      std::map<int, Worker *> rows_;
      Worker *row(int id) { return rows_[id]; }
      std::map<int, Worker *>::iterator at(int id) { return rows_.find(id); }
      bool has(int id) const { return rows_.count(id) != 0; }
    };
    void use(int n, Worker *p) { p->run(); }
    void stop() { abort(); }
    bool noTest(std::map<int, int> &m, int k) { return k > 0; }
  )cc");
  FunctionSummaries &F = S.A.summaries(S.model(), AnalysisBudget{});
  const SummaryStore &Store = F.facts();
  EXPECT_EQ(Store.size(), 0u) << "nothing is summarised before a question";
  ASSERT_TRUE(F.returnedMiss(S.fn("row")));
  ASSERT_TRUE(F.returnedMiss(S.fn("at")));
  ASSERT_TRUE(F.unconditionalUse(S.fn("use"), 1));
  ASSERT_TRUE(F.membership(S.fn("has")));
  EXPECT_FALSE(F.membership(S.fn("noTest")));
  EXPECT_TRUE(F.neverReturns(S.fn("stop")));

  // Each function is found by its USR, not by its declaration.
  const FunctionFacts *Row = Store.find(FunctionSummaries::usrOf(S.fn("row")));
  ASSERT_NE(Row, nullptr);
  EXPECT_EQ(Row->USR.rfind("c:", 0), 0u) << Row->USR;
  EXPECT_EQ(Row->Name, "Table::row");
  EXPECT_TRUE(Row->knows(FunctionFacts::KnowsReturnedMiss));
  EXPECT_FALSE(Row->knows(FunctionFacts::KnowsMembership));
  ASSERT_TRUE(Row->ReturnedMiss);
  EXPECT_FALSE(Row->ReturnedMiss->IsIterator);
  // The lookup `rows_[id]` as a place: the snippet's file, line and column.
  const SourceManager &SM = S.ctx().getSourceManager();
  const Expr *Lookup = F.returnedMiss(S.fn("row"))->Lookup;
  EXPECT_EQ(Row->ReturnedMiss->Lookup,
            FunctionSummaries::spotOf(Lookup, SM));
  EXPECT_GT(Row->ReturnedMiss->Lookup.Line, 0u);
  EXPECT_FALSE(Row->ReturnedMiss->Lookup.File.empty());

  const FunctionFacts *At = Store.find(FunctionSummaries::usrOf(S.fn("at")));
  ASSERT_TRUE(At && At->ReturnedMiss);
  EXPECT_TRUE(At->ReturnedMiss->IsIterator);

  const FunctionFacts *Use = Store.find(FunctionSummaries::usrOf(S.fn("use")));
  ASSERT_TRUE(Use && Use->knows(FunctionFacts::KnowsParamUses));
  ASSERT_EQ(Use->ParamUses.size(), 1u) << "only the handle parameter";
  EXPECT_EQ(Use->ParamUses[0].Param, 1u);

  const FunctionFacts *Has = Store.find(FunctionSummaries::usrOf(S.fn("has")));
  ASSERT_TRUE(Has && Has->Membership);
  EXPECT_EQ(Has->Membership->FieldName, "rows_");
  EXPECT_NE(Has->Membership->FieldUSR.find("rows_"), std::string::npos);
  EXPECT_EQ(Has->Membership->MapParam, -1);
  EXPECT_EQ(Has->Membership->KeyParam, 0u);
  EXPECT_TRUE(Has->Membership->TrueMeansFound);

  const FunctionFacts *NoTest =
      Store.find(FunctionSummaries::usrOf(S.fn("noTest")));
  ASSERT_TRUE(NoTest && NoTest->knows(FunctionFacts::KnowsMembership));
  EXPECT_FALSE(NoTest->Membership) << "known, and known to be no test";

  const FunctionFacts *Stop = Store.find(FunctionSummaries::usrOf(S.fn("stop")));
  ASSERT_TRUE(Stop && Stop->knows(FunctionFacts::KnowsNeverReturns));
  EXPECT_TRUE(Stop->NeverReturns);

  // Two functions, two keys.
  EXPECT_NE(FunctionSummaries::usrOf(S.fn("row")),
            FunctionSummaries::usrOf(S.fn("at")));
}

TEST(SummariesTest, VirtualCallsHaveNoDefinition) {
  Snippet S(R"cc(
    struct B { virtual Worker *get(int k) { return ptrs[k]; } };
    struct F final : B { Worker *get(int k) override { return ptrs[k]; } };
    void viaBase(B &b) { b.get(1); }
    void viaFinal(F &f) { f.get(1); }
    void qualified(B &b) { b.B::get(1); }
  )cc");
  auto Called = [&](const char *Fn) {
    const auto *C = S.find<CallExpr>(S.fn(Fn), cxxMemberCallExpr());
    return FunctionSummaries::definitionCalled(C) != nullptr;
  };
  EXPECT_FALSE(Called("viaBase")) << "may dispatch to an override elsewhere";
  EXPECT_TRUE(Called("viaFinal"));
  EXPECT_TRUE(Called("qualified"));
}

// --- LockState --------------------------------------------------------------

TEST(LockStateTest, GuardsAndUnlock) {
  Snippet S(R"cc(
    std::mutex mu;
    std::map<int, int> m;
    void f() {
      {
        std::lock_guard<std::mutex> g(mu);
        m[1] = 1;
      }
      m[2] = 2;
      std::unique_lock<std::mutex> l(mu);
      m[3] = 3;
      l.unlock();
      m[4] = 4;
    }
  )cc");
  const FunctionDecl *F = S.fn("f");
  LockState &L = S.A.locks(S.model(), AnalysisBudget{});
  auto HeldAtWrite = [&](int Key) -> int {
    const auto *Call = S.find<CXXOperatorCallExpr>(
        F, cxxOperatorCallExpr(hasOverloadedOperatorName("[]"),
                               hasArgument(1, integerLiteral(equals(Key)))));
    EXPECT_NE(Call, nullptr);
    auto H = L.heldAt(F, Call);
    return H ? int(H->size()) : -1;
  };
  EXPECT_EQ(HeldAtWrite(1), 1);
  EXPECT_EQ(HeldAtWrite(2), 0) << "the guard died at the brace";
  EXPECT_EQ(HeldAtWrite(3), 1);
  EXPECT_EQ(HeldAtWrite(4), 0) << "unique_lock::unlock releases";
}

// --- CleanupPaths -----------------------------------------------------------

TEST(CleanupPathsTest, MissingValueAndDoubleClose) {
  Snippet S(R"cc(
    #include <cstdio>
    #include <functional>
    struct ScopeExit {
      std::function<void()> F;
      explicit ScopeExit(std::function<void()> f) : F(std::move(f)) {}
      ~ScopeExit() { F(); }
    };
    std::map<int, std::FILE *> files;
    void missing(int k) {
      std::FILE *f = files[k];
      ScopeExit g([&] { std::fclose(f); });
    }
    void guarded(int k) {
      std::FILE *f = files[k];
      if (!f) return;
      ScopeExit g([&] { std::fclose(f); });
    }
    void twice(std::FILE *f) {
      ScopeExit g([&] { std::fclose(f); });
      std::fclose(f);
    }
  )cc");
  auto Problems = [&](const char *Name) {
    return findCleanupProblems(S.fn(Name), S.A, S.model(), AnalysisBudget{});
  };
  auto M = Problems("missing");
  ASSERT_EQ(M.size(), 1u);
  EXPECT_EQ(M[0].Kind, CleanupFinding::MayBeMissing);
  EXPECT_EQ(M[0].Name, "f");
  EXPECT_TRUE(Problems("guarded").empty());
  auto T = Problems("twice");
  ASSERT_EQ(T.size(), 1u);
  EXPECT_EQ(T[0].Kind, CleanupFinding::ClosedAgainByCleanup);
}

// --- ThreadOrdering ---------------------------------------------------------

TEST(ThreadOrderingTest, WindowEndsAtTheJoinAndOtherBranchesDoNotFollow) {
  Snippet S(R"cc(
    void work() {}
    void other(); void later();
    void f(bool spawn) {
      if (spawn) {
        std::thread t(work);
        other();
        t.join();
      } else {
        work();
      }
      later();
    }
  )cc");
  const FunctionDecl *F = S.fn("f");
  const auto *Spawn = S.find<CXXConstructExpr>(
      F, cxxConstructExpr(hasType(cxxRecordDecl(hasName("::std::thread")))));
  ASSERT_NE(Spawn, nullptr);
  ThreadEntries &E = S.A.threads(S.model(), ThreadEntriesOptions{});
  ASSERT_TRUE(E.addSpawn(Spawn, F, S.A.parents(F), S.ctx()));
  const SpawnSite &Site = E.sites().front();
  ThreadOrdering &O = S.A.ordering(AnalysisBudget{});
  ThreadWindow W = O.windowOf(Site);
  EXPECT_FALSE(W.Escapes);
  auto CallTo = [&](const char *Name) {
    return S.find<CallExpr>(F, callExpr(callee(functionDecl(hasName(Name))),
                                        unless(hasAncestor(cxxConstructExpr()))));
  };
  EXPECT_TRUE(O.within(CallTo("other")->getBeginLoc(), W));
  EXPECT_FALSE(O.within(CallTo("later")->getBeginLoc(), W)) << "joined before";
  EXPECT_TRUE(O.mayFollow(Site, CallTo("other")));
  EXPECT_FALSE(O.mayFollow(Site, CallTo("work")))
      << "the branch that calls the work directly does not follow the spawn";
}

// --- ThreadLifetime and the call index ---------------------------------------

TEST(ThreadLifetimeTest, CallersUntilTheJoinerAndPublicMethods) {
  Snippet S(R"cc(
    class Driver {
    public:
      void start() { io = std::thread([this] { loop(); }); }
      void stop() { io.join(); }
      void send(int k) { pending[k] = k; }
      void configure(int k) { pending[k] = k; }
      void onThread() {}
    private:
      void loop() { pending.erase(1); onThread(); }
      std::map<int, int> pending;
      std::thread io;
    };
    void user() {
      Driver d;
      d.configure(1);
      d.start();
      d.send(1);
      d.stop();
    }
  )cc");
  const FunctionDecl *Start = S.fn("start");
  const auto *Spawn = S.find<CXXConstructExpr>(
      Start, cxxConstructExpr(hasType(cxxRecordDecl(hasName("::std::thread")))));
  ASSERT_NE(Spawn, nullptr);
  ThreadEntries &E = S.A.threads(S.model(), ThreadEntriesOptions{});
  ASSERT_TRUE(E.addSpawn(Spawn, Start, S.A.parents(Start), S.ctx()));
  const SpawnSite &Site = E.sites().front();
  ThreadOrdering &O = S.A.ordering(AnalysisBudget{});
  EXPECT_TRUE(O.windowOf(Site).Escapes) << "kept in a member";
  EXPECT_EQ(S.A.calls().callersOf(S.fn("send")).size(), 1u);
  EXPECT_EQ(S.A.calls().callersOf(Start).front().Caller, S.fn("user"));

  llvm::DenseSet<const FunctionDecl *> OnThread;
  E.walkThread(Site, [&](const Frame &F) { OnThread.insert(F.FD); });
  ThreadLifetime L(S.A, E, O, ThreadEntriesOptions{});
  std::vector<ConcurrentRoot> Roots = L.rootsOf(
      Site, [&](const FunctionDecl *FD) { return OnThread.contains(FD); });
  const ConcurrentRoot *Caller = nullptr;
  llvm::SmallVector<const FunctionDecl *, 4> Methods;
  for (const ConcurrentRoot &R : Roots) {
    if (R.ClassMethod)
      Methods.push_back(R.FD);
    else if (R.FD == S.fn("user"))
      Caller = &R;
  }
  ASSERT_NE(Caller, nullptr);
  ASSERT_NE(Caller->Until, nullptr) << "d.stop() joins";
  EXPECT_EQ(cast<CXXMemberCallExpr>(Caller->Until)->getMethodDecl()->getName(),
            "stop");
  EXPECT_TRUE(Caller->Alias) << "d stands for the spawner's this";
  EXPECT_TRUE(llvm::is_contained(Methods, S.fn("send")));
  EXPECT_TRUE(llvm::is_contained(Methods, S.fn("stop")));
  EXPECT_FALSE(llvm::is_contained(Methods, S.fn("configure")))
      << "only called before start()";
  EXPECT_FALSE(llvm::is_contained(Methods, S.fn("onThread")))
      << "only called from the thread";
  EXPECT_FALSE(llvm::is_contained(Methods, Start)) << "the spawner";
}

} // namespace

// --- FunctionParents ------------------------------------------------------------

// enclosingFunctions finds, without the TU's parent map, the function the
// AST's parent map (forCallable) names, for every place code can sit.
TEST(FunctionParentsTest, EnclosingFunctionsAgreeWithTheParentMap) {
  Snippet S(R"cc(
    void spawnHere(int);
    #define DEFINE_FN(name) void name() { spawnHere(1); }
    DEFINE_FN(fromMacro)
    #define CALL_IT() spawnHere(2)
    void viaMacro() { CALL_IT(); }
    namespace ns { void free() { spawnHere(3); } }
    extern "C" void cfun() { spawnHere(4); }
    struct Inline {
      Inline() : x((spawnHere(5), 1)) {}
      void m() { spawnHere(6); }
      void outOfLine();
      struct Nested { void n() { spawnHere(7); } };
      int x;
    };
    void Inline::outOfLine() { spawnHere(8); }
    template <typename T> struct Box {
      void put() { spawnHere(9); }
    };
    template <typename T> void tmpl(T) { spawnHere(10); }
    void lambdas() {
      auto l = [] { spawnHere(11); auto in = [] { spawnHere(12); }; in(); };
      l();
      struct Local { void lm() { spawnHere(13); } };
      Box<int>().put();
      Box<char>().put();
      tmpl(1);
      tmpl('c');
    }
  )cc");
  auto Calls = match(
      callExpr(callee(functionDecl(hasName("spawnHere"))),
               forCallable(functionDecl().bind("fn")))
          .bind("call"),
      S.ctx());
  std::vector<const Stmt *> At;
  for (const auto &M : Calls)
    At.push_back(M.getNodeAs<Stmt>("call"));
  // 13 places, two of them in templates instantiated twice.
  ASSERT_EQ(At.size(), 17u);
  auto Found = enclosingFunctions(At, S.ctx());
  for (const auto &M : Calls) {
    const auto *Call = M.getNodeAs<CallExpr>("call");
    EXPECT_EQ(Found.lookup(Call), M.getNodeAs<FunctionDecl>("fn"))
        << "spawnHere(" << Call->getArg(0)->getBeginLoc().printToString(
                               S.ctx().getSourceManager())
        << ")";
  }
}

TEST(FunctionParentsTest, ParentsOfInitialisersAndDeclarations) {
  Snippet S(R"cc(
    struct Holder {
      Holder() : t([] {}) {}
      std::thread t;
    };
    void f() { std::thread a([] {}); { std::thread b([] {}); b.join(); } a.join(); }
  )cc");
  const FunctionDecl *F = S.fn("f");
  const FunctionParents &P = S.A.parents(F);
  const auto *B = S.find<VarDecl>(F, varDecl(hasName("b")));
  ASSERT_NE(B, nullptr);
  const DeclStmt *DS = P.declStmtOf(B);
  ASSERT_NE(DS, nullptr);
  EXPECT_TRUE(isa_and_nonnull<CompoundStmt>(P.parentOf(DS)));
  EXPECT_EQ(P.parentNode(B->getInit()).get<VarDecl>(), B);
  auto Ctors = match(
      cxxConstructorDecl(ofClass(hasName("Holder")), isDefinition(),
                         unless(isImplicit()))
          .bind("c"),
      S.ctx());
  ASSERT_EQ(Ctors.size(), 1u);
  const auto *HolderCtor = Ctors.front().getNodeAs<FunctionDecl>("c");
  auto Threads = match(
      cxxConstructorDecl(forEachConstructorInitializer(
          withInitializer(hasDescendant(cxxConstructExpr(
              hasType(cxxRecordDecl(hasName("::std::thread")))).bind("x"))))),
      *HolderCtor, S.ctx());
  ASSERT_FALSE(Threads.empty());
  const auto *Ctor = Threads.front().getNodeAs<Stmt>("x");
  const FunctionParents &HP = S.A.parents(HolderCtor);
  // The thread's construction is the initialiser of `t`, or inside it.
  const Stmt *Top = Ctor;
  while (HP.parentOf(Top))
    Top = HP.parentOf(Top);
  const auto *CI = HP.parentNode(Top).get<CXXCtorInitializer>();
  ASSERT_NE(CI, nullptr);
  EXPECT_EQ(CI->getMember()->getName(), "t");
}
