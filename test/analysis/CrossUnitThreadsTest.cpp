//===--- CrossUnitThreadsTest.cpp - concurrent-write across TUs -----------===//
//
// Thread facts extracted from two or three translation units (each parsed
// from a string, as `mapguard index` would), merged into one project index,
// then one TU analysed with it: the races whose story needs another TU, and
// the look-alikes that must stay silent.
//
//===----------------------------------------------------------------------===//

#include "AnalysisTestUtil.h"
#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/index/FactKeys.h"
#include "analysis/threads/CrossUnitRaces.h"
#include "analysis/threads/ThreadEntries.h"
#include "analysis/threads/ThreadFactsExtractor.h"

using namespace clang;
using namespace clang::tidy::mapguard;
using mapguard_test::parse;

namespace {

/// What every TU includes: the server's class, as a header would give it.
constexpr const char *Header = R"cc(
#include <functional>
#include <map>
#include <mutex>
#include <thread>
struct Server {
  void run();
  void add(int k);
  void start();
  void on_open(int k);
  std::map<int, int> m_;
  std::mutex mu_;
};
void set_open_handler(std::function<void(int)> f);
void each_item(std::function<void(int)> f);
void run_async(std::function<void()> f);
)cc";

/// One TU: parsed, its facts extracted into its context's unitFacts().
struct Unit {
  std::unique_ptr<ASTUnit> AST;
  MapGuardAnalyses A;
  Unit(llvm::StringRef Name, llvm::StringRef Code,
       std::shared_ptr<const ProjectIndex> Index = nullptr) {
    AST = parse(std::string(Header) + Code.str(), Name);
    if (Index)
      A.setProjectIndex(std::move(Index));
    else
      A.extractFacts();
    A.beginTranslationUnit(AST->getASTContext());
    const MapModel &M = A.model(MapModelOptions{});
    extractThreadFacts(A, M, A.threads(M, ThreadEntriesOptions{}),
                       AnalysisBudget{});
  }
  const IndexedFunction *fn(llvm::StringRef Name) {
    const IndexedFunction *Found = nullptr;
    A.unitFacts().forEach([&](const IndexedFunction &F) {
      if (F.Name == Name)
        Found = &F;
    });
    return Found;
  }
};

/// The index of \p Units ({file name, code}) merged, then the cross-unit
/// races of the unit named \p Analysed.
std::vector<CrossUnitRace>
racesIn(llvm::StringRef Analysed,
        std::vector<std::pair<const char *, const char *>> Units,
        bool CheckReads = true) {
  auto Index = std::make_shared<ProjectIndex>();
  const char *Code = nullptr;
  for (const auto &[Name, Text] : Units) {
    Unit U(Name, Text);
    Index->merge(U.A.unitFacts());
    if (Analysed == Name)
      Code = Text;
  }
  EXPECT_TRUE(Code) << "no unit " << Analysed.str();
  if (!Code)
    return {};
  Unit U(Analysed, Code, Index);
  return findCrossUnitRaces(U.A.indexView(), U.A.unitFacts(),
                            CrossUnitOptions{CheckReads, 500});
}

/// main.cpp: a thread on `&Server::run`, and `s.add()` while it runs.
constexpr const char *MainAddsAfterSpawn = R"cc(
  int main() {
    Server s;
    std::thread t(&Server::run, &s);
    s.add(3);
    t.join();
  }
)cc";

constexpr const char *ServerCpp = R"cc(
void Server::run() { m_[1] = 2; }
void Server::add(int k) { m_[k] = 1; }
)cc";

constexpr const char *LockedServerCpp = R"cc(
void Server::run() { std::lock_guard<std::mutex> g(mu_); m_[1] = 2; }
void Server::add(int k) { std::lock_guard<std::mutex> g(mu_); m_[k] = 1; }
)cc";

// --- The facts --------------------------------------------------------------

TEST(ThreadFactsTest, SpawnsCallsAccessesAndLocksAreRecordedByUSR) {
  Unit Main("main.cpp", MainAddsAfterSpawn);
  const IndexedFunction *M = Main.fn("main");
  ASSERT_NE(M, nullptr);
  EXPECT_TRUE(M->Threads.Known);
  EXPECT_TRUE(M->Threads.IsMain);
  ASSERT_EQ(M->Threads.Spawns.size(), 1u);
  EXPECT_EQ(M->Threads.Spawns[0].Entry, "c:@S@Server@F@run#");
  EXPECT_TRUE(M->Threads.Spawns[0].JoinedAt) << "t.join() ends the window";
  ASSERT_EQ(M->Threads.Calls.size(), 1u) << "s.add (join is the library's)";
  EXPECT_EQ(M->Threads.Calls[0].Callee, "c:@S@Server@F@add#I#");
  EXPECT_FALSE(M->Threads.Calls[0].Virtual);

  Unit Server("server.cpp", LockedServerCpp);
  const IndexedFunction *Run = Server.fn("Server::run");
  ASSERT_NE(Run, nullptr);
  ASSERT_EQ(Run->Threads.Accesses.size(), 1u);
  const MapAccessFact &W = Run->Threads.Accesses[0];
  EXPECT_EQ(W.Map, "c:@S@Server@FI@m_") << "class-level: the field";
  EXPECT_EQ(W.MapName, "m_");
  EXPECT_TRUE(W.Write);
  EXPECT_FALSE(W.Guarded);
  ASSERT_EQ(W.Locks.size(), 1u);
  EXPECT_EQ(W.Locks[0].Mutex, "c:@S@Server@FI@mu_");
  EXPECT_FALSE(W.Locks[0].Shared);
}

TEST(ThreadFactsTest, CallbacksSpawnerParametersAndOverrides) {
  Unit U("cb.cpp", R"cc(
    void Server::start() {
      set_open_handler(std::bind(&Server::on_open, this, std::placeholders::_1));
      std::function<void(int)> kept = [this](int k) { on_open(k); };
      int xs[] = {1, 2};
      std::for_each(xs, xs + 2, [this](int k) { add(k); });
    }
    void spawn_it(std::function<void()> f) { std::thread(f).detach(); }
    struct Base { virtual void work(); };
    struct Derived : Base { void work() override; };
    void Derived::work() {}
    void local_only() { std::map<int, int> mine; mine[1] = 1; }
  )cc");
  const IndexedFunction *Start = U.fn("Server::start");
  ASSERT_NE(Start, nullptr);
  const auto &CBs = Start->Threads.Callbacks;
  ASSERT_EQ(CBs.size(), 2u);
  EXPECT_EQ(CBs[0].Callable, "c:@S@Server@F@on_open#I#");
  EXPECT_EQ(CBs[0].HandedTo, "c:@F@set_open_handler#$@N@std@S@function>#Fv(#I)#");
  EXPECT_TRUE(CBs[0].ToLibrary) << "declared only";
  EXPECT_TRUE(CBs[1].HandedTo.empty()) << "stored in a std::function";
  // std::for_each calls the lambda at once: a call, not a callback.
  bool CallsLambda = false;
  for (const CallFact &C : Start->Threads.Calls)
    CallsLambda = CallsLambda || llvm::StringRef(C.Callee).contains("operator()");
  EXPECT_TRUE(CallsLambda);
  const IndexedFunction *Spawner = U.fn("spawn_it");
  ASSERT_NE(Spawner, nullptr);
  EXPECT_EQ(Spawner->Threads.SpawnerParam, 0);
  const IndexedFunction *Work = U.fn("Derived::work");
  ASSERT_NE(Work, nullptr);
  ASSERT_EQ(Work->Threads.Overrides.size(), 1u);
  EXPECT_EQ(Work->Threads.Overrides[0], "c:@S@Base@F@work#");
  const IndexedFunction *Local = U.fn("local_only");
  ASSERT_NE(Local, nullptr);
  EXPECT_TRUE(Local->Threads.Accesses.empty()) << "a local map is not shared";
}

TEST(ThreadFactsTest, JSONRoundTripKeepsThreadFacts) {
  Unit Main("main.cpp", R"cc(
    int main() {
      Server s;
      std::thread t(&Server::run, &s);
      s.add(3);
      t.join();
      s.start();
    }
  )cc");
  Unit Server("server.cpp", std::string(LockedServerCpp) + R"cc(
    void Server::start() {
      set_open_handler(std::bind(&Server::on_open, this, std::placeholders::_1));
    }
  )cc");
  ProjectIndex Merged;
  Merged.merge(Main.A.unitFacts());
  Merged.merge(Server.A.unitFacts());
  std::string Text = Merged.toJSON();
  auto Back = ProjectIndex::fromJSON(Text, "merged.json");
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(Back->toJSON(), Text);
  const IndexedFunction *M = Back->find("c:@F@main#");
  ASSERT_NE(M, nullptr);
  ASSERT_EQ(M->Threads.Spawns.size(), 1u);
  EXPECT_EQ(M->Threads.Spawns[0].JoinedAt,
            Main.fn("main")->Threads.Spawns[0].JoinedAt);
  const IndexedFunction *Run = Back->find("c:@S@Server@F@run#");
  ASSERT_NE(Run, nullptr);
  ASSERT_EQ(Run->Threads.Accesses.size(), 1u);
  EXPECT_EQ(Run->Threads.Accesses[0].Locks,
            Server.fn("Server::run")->Threads.Accesses[0].Locks);
  const IndexedFunction *Start = Back->find("c:@S@Server@F@start#");
  ASSERT_NE(Start, nullptr);
  ASSERT_EQ(Start->Threads.Callbacks.size(), 1u);
  EXPECT_TRUE(Start->Threads.Callbacks[0].ToLibrary);
}

// --- The races --------------------------------------------------------------

TEST(CrossUnitRacesTest, ThreadStartedInMainOnAMethodOfAnotherUnit) {
  auto Races = racesIn("server.cpp", {{"main.cpp", MainAddsAfterSpawn},
                                      {"server.cpp", ServerCpp}});
  ASSERT_EQ(Races.size(), 1u);
  const CrossUnitRace &R = Races[0];
  EXPECT_EQ(R.MapName, "m_");
  EXPECT_TRUE(R.BothWrites);
  // Two unguarded writes: reported on the spawning side, not in the
  // thread's own routine.
  EXPECT_EQ(R.At.Function, "Server::add");
  EXPECT_EQ(R.At.Kind, CrossUnitRootKind::Spawner);
  EXPECT_EQ(R.At.Entry, "Server::run");
  EXPECT_EQ(shortPlace(R.At.Start), "main.cpp:" + std::to_string(R.At.Start.Line));
  ASSERT_EQ(R.At.Path.size(), 1u);
  EXPECT_EQ(R.At.Path[0].Caller, "main");
  EXPECT_EQ(R.Other.Function, "Server::run");
  EXPECT_EQ(R.Other.Kind, CrossUnitRootKind::Thread);
  // main.cpp has no access of its own: it reports nothing (server.cpp does).
  EXPECT_TRUE(racesIn("main.cpp", {{"main.cpp", MainAddsAfterSpawn},
                                   {"server.cpp", ServerCpp}})
                  .empty());
}

TEST(CrossUnitRacesTest, SilentLookAlikes) {
  // A lock in both.
  EXPECT_TRUE(racesIn("server.cpp", {{"main.cpp", MainAddsAfterSpawn},
                                     {"server.cpp", LockedServerCpp}})
                  .empty());
  // The access before the spawn only.
  EXPECT_TRUE(racesIn("server.cpp", {{"main.cpp", R"cc(
    int main() {
      Server s;
      s.add(3);
      std::thread t(&Server::run, &s);
      t.join();
    }
  )cc"},
                                     {"server.cpp", ServerCpp}})
                  .empty());
  // The join before the access.
  EXPECT_TRUE(racesIn("server.cpp", {{"main.cpp", R"cc(
    int main() {
      Server s;
      std::thread t(&Server::run, &s);
      t.join();
      s.add(3);
    }
  )cc"},
                                     {"server.cpp", ServerCpp}})
                  .empty());
  // The whole story in one TU: the per-TU analysis' own.
  EXPECT_TRUE(racesIn("all.cpp", {{"all.cpp", R"cc(
    void Server::run() { m_[1] = 2; }
    void Server::add(int k) { m_[k] = 1; }
    int main() {
      Server s;
      std::thread t(&Server::run, &s);
      s.add(3);
      t.join();
    }
  )cc"}})
                  .empty());
}

constexpr const char *MainStartsThenSpawns = R"cc(
  int main() {
    Server s;
    s.start();
    std::thread t(&Server::run, &s);
    t.join();
  }
)cc";

TEST(CrossUnitRacesTest, CallbackHandedToALibraryRunsBesideTheThreads) {
  auto Races = racesIn("server.cpp", {{"main.cpp", MainStartsThenSpawns},
                                      {"server.cpp", R"cc(
    void Server::run() { m_[1] = 2; }
    void Server::start() {
      set_open_handler(std::bind(&Server::on_open, this, std::placeholders::_1));
    }
    void Server::on_open(int k) { m_[k] = 1; }
  )cc"}});
  ASSERT_EQ(Races.size(), 1u);
  const CrossUnitRace &R = Races[0];
  EXPECT_EQ(R.At.Function, "Server::on_open");
  EXPECT_EQ(R.At.Kind, CrossUnitRootKind::Callback);
  EXPECT_EQ(R.At.HandedTo, "set_open_handler");
  EXPECT_EQ(R.Other.Function, "Server::run");
}

TEST(CrossUnitRacesTest, CallbackHandedToAProjectFunctionIsASynchronousCall) {
  constexpr const char *Util = R"cc(
    void each_item(std::function<void(int)> f) { f(1); }
  )cc";
  constexpr const char *Server = R"cc(
    void Server::run() { m_[1] = 2; }
    void Server::start() {
      each_item(std::bind(&Server::on_open, this, std::placeholders::_1));
    }
    void Server::on_open(int k) { m_[k] = 1; }
  )cc";
  // Called by main before the thread starts: on the same side, silent.
  EXPECT_TRUE(racesIn("server.cpp", {{"main.cpp", MainStartsThenSpawns},
                                     {"server.cpp", Server},
                                     {"util.cpp", Util}})
                  .empty());
  // Called after the spawn: the synchronous edge reaches on_open beside the
  // thread.
  auto Races = racesIn("server.cpp", {{"main.cpp", R"cc(
    int main() {
      Server s;
      std::thread t(&Server::run, &s);
      s.start();
      t.join();
    }
  )cc"},
                                      {"server.cpp", Server},
                                      {"util.cpp", Util}});
  ASSERT_EQ(Races.size(), 1u);
  EXPECT_EQ(Races[0].At.Function, "Server::on_open");
  EXPECT_EQ(Races[0].At.Kind, CrossUnitRootKind::Spawner);
  ASSERT_EQ(Races[0].At.Path.size(), 2u);
  EXPECT_EQ(Races[0].At.Path[0].Caller, "main");
  EXPECT_EQ(Races[0].At.Path[1].Caller, "Server::start");
}

TEST(CrossUnitRacesTest, TwoInstancesShareTheFieldAKnownLimit) {
  // Class-level identity: `a.m_` and `b.m_` are one map to the index, so a
  // thread on `a` and a write through `b` are reported
  // (docs/checks/concurrent-write.md, "Across translation units").
  auto Races = racesIn("server.cpp", {{"main.cpp", R"cc(
    int main() {
      Server a, b;
      std::thread t(&Server::run, &a);
      b.add(3);
      t.join();
    }
  )cc"},
                                      {"server.cpp", ServerCpp}});
  EXPECT_EQ(Races.size(), 1u);
}

/// main.cpp: two lambdas handed to run_async.
constexpr const char *MainRunsAsync = R"cc(
  int main() {
    Server s;
    run_async([&s] { s.add(1); });
    run_async([&s] { s.add(2); });
  }
)cc";

TEST(CrossUnitRacesTest, AProjectSpawnerInAnotherUnitStartsThreads) {
  // util.cpp's run_async hands its parameter to a thread (SpawnerParam):
  // each lambda main.cpp hands to it is a thread entry.
  auto Races = racesIn("server.cpp", {{"main.cpp", MainRunsAsync},
                                      {"server.cpp", ServerCpp},
                                      {"util.cpp", R"cc(
    void run_async(std::function<void()> f) { std::thread(f).detach(); }
  )cc"}});
  ASSERT_EQ(Races.size(), 1u);
  EXPECT_EQ(Races[0].At.Function, "Server::add");
  EXPECT_EQ(Races[0].At.Kind, CrossUnitRootKind::Thread);
  // Without the spawner's definition, run_async is a library: the lambdas
  // are callbacks, not concurrent with each other.
  EXPECT_TRUE(racesIn("server.cpp", {{"main.cpp", MainRunsAsync},
                                     {"server.cpp", ServerCpp}})
                  .empty());
}

// The thread part of test/crossunit/project (main.cpp, server.cpp, util.cpp
// and their headers, inlined): exactly its two EXPECT lines, at
// Server::add and Server::on_open, and nothing else.
TEST(CrossUnitRacesTest, TheCrossUnitProjectsThreadShapes) {
  constexpr const char *Headers = R"cc(
    #include <string>
    class Project {
    public:
      void configure(const std::string &name);
      void run();
      void add(int id, std::string peer);
      void add_locked(int id, std::string peer);
      void start();
      void on_open(int id);
      void audit();
    private:
      std::map<int, std::string> peers_;
      std::map<int, int> stats_;
      std::map<std::string, std::string> config_;
      std::map<int, int> opened_;
      std::map<int, int> audited_;
      std::mutex mu_;
    };
    namespace netlib {
    void set_open_handler(std::function<void(int)> handler);
    void run_loop();
    }
    void for_each_peer(const std::function<void(int)> &f);
  )cc";
  std::string Main = std::string(Headers) + R"cc(
    int main() {
      Project s;
      s.configure("edge");
      s.audit();
      std::thread worker(&Project::run, &s);
      s.add(1, "alice");
      s.add_locked(2, "bob");
      s.start();
      netlib::run_loop();
      worker.join();
      s.add(3, "carol");
      return 0;
    }
  )cc";
  std::string ServerSrc = std::string(Headers) + R"cc(
    using namespace std::placeholders;
    void Project::configure(const std::string &name) { config_["name"] = name; }
    void Project::run() {
      for (int i = 0; i < 100; ++i) {
        peers_.erase(i);
        {
          std::lock_guard<std::mutex> guard(mu_);
          stats_[i]++;
        }
        opened_.erase(i);
        if (config_.count("name") == 0)
          return;
      }
    }
    void Project::add(int id, std::string peer) { peers_[id] = std::move(peer); }
    void Project::add_locked(int id, std::string peer) {
      std::lock_guard<std::mutex> guard(mu_);
      stats_[id] = static_cast<int>(peer.size());
    }
    void Project::start() {
      netlib::set_open_handler(std::bind(&Project::on_open, this, _1));
    }
    void Project::on_open(int id) { opened_[id] = 1; }
    void Project::audit() {
      for_each_peer([this](int id) { audited_[id] = 1; });
    }
  )cc";
  std::string Util = std::string(Headers) + R"cc(
    void for_each_peer(const std::function<void(int)> &f) {
      for (int id = 0; id < 3; ++id)
        f(id);
    }
  )cc";
  std::vector<std::pair<const char *, const char *>> Units = {
      {"main.cpp", Main.c_str()},
      {"server.cpp", ServerSrc.c_str()},
      {"util.cpp", Util.c_str()}};
  auto Races = racesIn("server.cpp", Units);
  ASSERT_EQ(Races.size(), 2u);
  llvm::sort(Races, [](const CrossUnitRace &A, const CrossUnitRace &B) {
    return A.At.Function < B.At.Function;
  });
  EXPECT_EQ(Races[0].At.Function, "Project::add");
  EXPECT_EQ(Races[0].MapName, "peers_");
  EXPECT_EQ(Races[0].At.Start.File.substr(Races[0].At.Start.File.size() - 8),
            "main.cpp");
  EXPECT_EQ(Races[1].At.Function, "Project::on_open");
  EXPECT_EQ(Races[1].MapName, "opened_");
  EXPECT_EQ(Races[1].At.HandedTo, "netlib::set_open_handler");
  EXPECT_EQ(Races[1].Other.Start.File.substr(Races[1].Other.Start.File.size() - 8),
            "main.cpp");
  EXPECT_TRUE(racesIn("main.cpp", Units).empty());
  EXPECT_TRUE(racesIn("util.cpp", Units).empty());
}

TEST(CrossUnitRacesTest, AReachCutByMaxFunctionsIsSaidByTheRootsUnit) {
  auto Index = std::make_shared<ProjectIndex>();
  for (const auto &[Name, Text] :
       {std::pair{"main.cpp", MainAddsAfterSpawn}, {"server.cpp", ServerCpp}}) {
    Unit U(Name, Text);
    Index->merge(U.A.unitFacts());
  }
  // main's spawning side reaches main and Server::add: two functions.
  for (unsigned Max : {1u, 2u}) {
    Unit Main("main.cpp", MainAddsAfterSpawn, Index);
    std::vector<std::string> Cut;
    findCrossUnitRaces(Main.A.indexView(), Main.A.unitFacts(),
                       CrossUnitOptions{true, Max}, &Cut);
    if (Max == 1) {
      ASSERT_EQ(Cut.size(), 1u);
      EXPECT_EQ(Cut[0], "c:@F@main#");
    } else {
      EXPECT_TRUE(Cut.empty());
    }
  }
}

} // namespace
