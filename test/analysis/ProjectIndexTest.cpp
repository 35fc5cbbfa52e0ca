//===--- ProjectIndexTest.cpp - the project index's format and merge ------===//

#include "analysis/index/ProjectIndex.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <vector>

using namespace clang::tidy::mapguard;

namespace {

/// A record that uses every field of the format.
IndexedFunction &fullRecord(ProjectIndex &I, llvm::StringRef USR,
                            llvm::StringRef Unit) {
  IndexedFunction &F = I.function(USR, "ns::find_session");
  F.Unit = Unit.str();
  F.Definition = SourceSpot{"/p/registry.cpp", 41, 10};
  F.Lookup.Known = FunctionFacts::KnowsReturnedMiss | FunctionFacts::KnowsParamUses |
                   FunctionFacts::KnowsMembership |
                   FunctionFacts::KnowsNeverReturns;
  F.Lookup.ReturnedMiss = ReturnedMissFact{true, {"/p/registry.cpp", 43, 13}};
  F.Lookup.ParamUses.push_back({1, {"/p/registry.h", 7, 3}});
  F.Lookup.Membership =
      MembershipFact{"c:@S@R@FI@m", "m", 0, 1, /*TrueMeansFound=*/false};
  F.Lookup.NeverReturns = true;
  ThreadFacts &T = F.Threads;
  T.Known = true;
  MapAccessFact A;
  A.Map = "c:@S@R@FI@m";
  A.MapName = "R::m";
  A.Write = true;
  A.Locks = {{"c:@S@R@FI@mu", false}, {"c:@S@R@FI@rw", true}};
  A.Guarded = true;
  A.At = {"/p/registry.cpp", 50, 5};
  T.Accesses.push_back(A);
  CallFact C;
  C.Callee = "c:@F@serve#";
  C.Virtual = true;
  C.At = {"/p/main.cpp", 12, 3};
  T.Calls.push_back(C);
  SpawnFact S;
  S.Entry = "c:@F@serve#";
  S.At = {"/p/main.cpp", 20, 15};
  S.JoinedAt = SourceSpot{"/p/main.cpp", 22, 10};
  T.Spawns.push_back(S);
  CallbackFact CB;
  CB.Callable = "c:@S@server@F@on_open#";
  CB.HandedTo = "c:@F@set_handler#";
  CB.ToLibrary = true;
  CB.At = {"/p/server.cpp", 9, 3};
  T.Callbacks.push_back(CB);
  T.Overrides = {"c:@S@Base@F@run#"};
  T.SpawnerParam = 1;
  T.IsMain = false;
  I.addUnit(Unit);
  return F;
}

ProjectIndex roundTrip(const ProjectIndex &I) {
  llvm::Expected<ProjectIndex> Back = ProjectIndex::fromJSON(I.toJSON(), "t");
  EXPECT_TRUE(static_cast<bool>(Back)) << llvm::toString(Back.takeError());
  return Back ? std::move(*Back) : ProjectIndex();
}

std::string readError(llvm::StringRef Text) {
  llvm::Expected<ProjectIndex> R = ProjectIndex::fromJSON(Text, "bad.json");
  if (R)
    return "(read)";
  return llvm::toString(R.takeError());
}

TEST(ProjectIndexTest, RoundTripKeepsEveryField) {
  ProjectIndex I;
  fullRecord(I, "c:@N@ns@F@find_session#", "/p/registry.cpp");
  I.function("c:@F@bare#", "bare").Unit = "/p/main.cpp";
  I.addUnit("/p/main.cpp");
  ProjectIndex Back = roundTrip(I);
  // The same text again: nothing lost, nothing added.
  EXPECT_EQ(I.toJSON(), Back.toJSON());
  EXPECT_EQ(Back.units(), I.units());
  const IndexedFunction *F = Back.find("c:@N@ns@F@find_session#");
  ASSERT_NE(F, nullptr);
  EXPECT_EQ(F->Name, "ns::find_session");
  ASSERT_TRUE(F->Definition.has_value());
  EXPECT_EQ(*F->Definition, (SourceSpot{"/p/registry.cpp", 41, 10}));
  EXPECT_TRUE(F->Lookup.NeverReturns);
  ASSERT_TRUE(F->Lookup.ReturnedMiss.has_value());
  EXPECT_TRUE(F->Lookup.ReturnedMiss->IsIterator);
  ASSERT_EQ(F->Threads.Accesses.size(), 1u);
  EXPECT_EQ(F->Threads.Accesses[0].Locks.size(), 2u);
  EXPECT_TRUE(F->Threads.Accesses[0].Locks[1].Shared);
  ASSERT_EQ(F->Threads.Spawns.size(), 1u);
  EXPECT_TRUE(F->Threads.Spawns[0].JoinedAt.has_value());
  EXPECT_EQ(F->Threads.SpawnerParam, 1);
  EXPECT_EQ(F->Threads.Overrides, std::vector<std::string>{"c:@S@Base@F@run#"});
}

TEST(ProjectIndexTest, MergeOfConflictingRecordsIgnoresOrder) {
  // Three units that each hold a record of one inline function: declared
  // only, defined, defined and knowing more; and two that tie on rank.
  std::vector<ProjectIndex> Parts(4);
  Parts[0].function("c:@F@h#", "h").Unit = "/p/a.cpp";
  Parts[0].addUnit("/p/a.cpp");
  IndexedFunction &B = Parts[1].function("c:@F@h#", "h");
  B.Unit = "/p/b.cpp";
  B.Definition = SourceSpot{"/p/h.h", 3, 6};
  Parts[1].addUnit("/p/b.cpp");
  IndexedFunction &C = Parts[2].function("c:@F@h#", "h");
  C.Unit = "/p/c.cpp";
  C.Definition = SourceSpot{"/p/h.h", 3, 6};
  C.Lookup.Known = FunctionFacts::KnowsNeverReturns;
  C.Lookup.NeverReturns = true;
  Parts[2].addUnit("/p/c.cpp");
  IndexedFunction &D = Parts[3].function("c:@F@h#", "h");
  D.Unit = "/p/d.cpp"; // ties with C but for the unit
  D.Definition = SourceSpot{"/p/h.h", 3, 6};
  D.Lookup.Known = FunctionFacts::KnowsNeverReturns;
  D.Lookup.NeverReturns = true;
  Parts[3].addUnit("/p/d.cpp");
  fullRecord(Parts[3], "c:@F@other#", "/p/d.cpp");

  std::vector<int> Order{0, 1, 2, 3};
  std::string First;
  do {
    ProjectIndex Left; // ((a b) c) d
    for (int I : Order)
      Left.merge(Parts[I]);
    ProjectIndex Pair1, Pair2, Right; // (a b) (c d)
    Pair1.merge(Parts[Order[0]]);
    Pair1.merge(Parts[Order[1]]);
    Pair2.merge(Parts[Order[2]]);
    Pair2.merge(Parts[Order[3]]);
    Right.merge(Pair1);
    Right.merge(Pair2);
    EXPECT_EQ(Left.toJSON(), Right.toJSON());
    if (First.empty())
      First = Left.toJSON();
    EXPECT_EQ(First, Left.toJSON());
  } while (std::next_permutation(Order.begin(), Order.end()));

  ProjectIndex All;
  for (const ProjectIndex &P : Parts)
    All.merge(P);
  EXPECT_EQ(All.units().size(), 4u);
  const IndexedFunction *H = All.find("c:@F@h#");
  ASSERT_NE(H, nullptr);
  // A definition that knows more wins over a declaration.
  EXPECT_TRUE(H->Definition.has_value());
  EXPECT_TRUE(H->Lookup.NeverReturns);
  // Merging an index into itself changes nothing.
  ProjectIndex Twice = All;
  Twice.merge(All);
  EXPECT_EQ(Twice.toJSON(), All.toJSON());
}

TEST(ProjectIndexTest, DamagedInputIsOneLineNamingTheFile) {
  ProjectIndex I;
  fullRecord(I, "c:@F@f#", "/p/f.cpp");
  std::string Good = I.toJSON();
  std::vector<std::string> Bad = {
      Good.substr(0, Good.size() / 2), // truncated
      "",
      "[]",
      R"({"findings": []})",
      R"({"format": "mapguard-index", "version": 2, "units": [], "files": [], "functions": []})",
      R"({"format": "mapguard-index", "version": 0, "units": [], "files": [], "functions": []})",
      R"({"format": "mapguard-index", "version": 1, "units": [], "files": []})",
      R"({"format": "mapguard-index", "version": 1, "units": [3], "files": [], "functions": []})",
      R"({"format": "mapguard-index", "version": 1, "units": [], "files": [], "functions": [{"name": "f"}]})",
      R"({"format": "mapguard-index", "version": 1, "units": [], "files": [], "functions": [{"usr": "u", "name": "f", "def": [0, 1, 1]}]})",
      R"({"format": "mapguard-index", "version": 1, "units": [], "files": ["a"], "functions": [{"usr": "u", "name": "f", "def": [0, -1, 1]}]})",
      R"({"format": "mapguard-index", "version": 1, "units": [], "files": [], "functions": [{"usr": "u", "name": "f"}, {"usr": "u", "name": "f"}]})",
      R"({"format": "mapguard-index", "version": 1, "units": [], "files": [], "functions": [{"usr": "u", "name": "f", "lookup": {"known": 99}}]})",
  };
  for (const std::string &Text : Bad) {
    std::string E = readError(Text);
    EXPECT_NE(E, "(read)") << Text;
    EXPECT_EQ(E.find('\n'), std::string::npos) << E;
    EXPECT_NE(E.find("bad.json"), std::string::npos) << E;
  }
  EXPECT_NE(readError(Bad[4]).find("newer than this mapguard reads"),
            std::string::npos);
  EXPECT_NE(readError(Bad[5]).find("older than this mapguard reads"),
            std::string::npos);
  EXPECT_NE(readError(Bad[8]).find("missing 'usr' at functions[0]"),
            std::string::npos)
      << readError(Bad[8]);
}

TEST(ProjectIndexTest, DeepNestingIsRefusedBeforeParsing) {
  // llvm::json::parse recurses per level: 200,000 levels would overflow the
  // stack of the plugin or clangd. Refused in one line, without parsing.
  std::string Deep(200000, '[');
  std::string E = readError(Deep);
  EXPECT_NE(E.find("nested deeper than 64 levels"), std::string::npos) << E;
  EXPECT_EQ(E.find('\n'), std::string::npos) << E;
  // Brackets inside strings do not count.
  ProjectIndex I;
  I.function("c:@F@f#", std::string(500, '[')).Unit = "/p/f.cpp";
  EXPECT_EQ(readError(I.toJSON()), "(read)");
}

TEST(ProjectIndexTest, WriteFileIsAtomicAndLoadReadsIt) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mapguard-index", Dir));
  llvm::SmallString<128> Path(Dir);
  llvm::sys::path::append(Path, "index.json");
  ProjectIndex One;
  fullRecord(One, "c:@F@one#", "/p/one.cpp");
  ASSERT_FALSE(static_cast<bool>(One.writeFile(Path)));
  auto Loaded = ProjectIndex::load(Path);
  ASSERT_TRUE(static_cast<bool>(Loaded)) << llvm::toString(Loaded.takeError());
  EXPECT_NE((*Loaded)->find("c:@F@one#"), nullptr);
  // No temporary file is left beside it.
  std::error_code EC;
  int Entries = 0;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    ++Entries;
  EXPECT_EQ(Entries, 1);
  // A write into a directory that does not exist fails and says where.
  llvm::SmallString<128> Missing(Dir);
  llvm::sys::path::append(Missing, "no", "such", "index.json");
  llvm::Error E = One.writeFile(Missing);
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("index.json"), std::string::npos);
  llvm::sys::fs::remove_directories(Dir);
}

} // namespace
