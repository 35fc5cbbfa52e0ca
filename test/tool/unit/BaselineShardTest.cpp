//===--- BaselineShardTest.cpp - baseline matching and shards -------------===//

#include "Baseline.h"
#include "Shard.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"
#include <set>

namespace clang::tidy::mapguard {
namespace {

Finding finding(std::string File, std::string Print,
                std::string Check = "mapguard-miss-default-use") {
  Finding F;
  F.Check = std::move(Check);
  F.Where.File = std::move(File);
  F.Fingerprint = std::move(Print);
  F.Message = "m";
  return F;
}

TEST(RelativeToRoot, InsideAndOutside) {
  EXPECT_EQ(relativeToRoot("/repo/src/a.cpp", "/repo"), "src/a.cpp");
  EXPECT_EQ(relativeToRoot("/repo/./src/../a.cpp", "/repo"), "a.cpp");
  EXPECT_EQ(relativeToRoot("/other/a.cpp", "/repo"), "/other/a.cpp");
  EXPECT_EQ(relativeToRoot("/repository/a.cpp", "/repo"),
            "/repository/a.cpp");
}

TEST(Baseline, MatchesByCheckFileAndFingerprint) {
  Baseline B("/repo");
  B.add(finding("/repo/a.cpp", "abc:0"));
  EXPECT_TRUE(B.contains(finding("/repo/a.cpp", "abc:0")));
  EXPECT_FALSE(B.contains(finding("/repo/a.cpp", "abc:1")));
  EXPECT_FALSE(B.contains(finding("/repo/b.cpp", "abc:0")));
  EXPECT_FALSE(
      B.contains(finding("/repo/a.cpp", "abc:0", "mapguard-unhandled-miss")));
}

TEST(Baseline, WriteLoadFilterAcrossCheckouts) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mapguard-baseline", Dir));
  llvm::SmallString<128> Path(Dir);
  llvm::sys::path::append(Path, "baseline.json");
  std::string Root(Dir);
  ASSERT_FALSE(bool(Baseline::write(
      Path, {finding(Root + "/src/a.cpp", "abc:0"),
             finding(Root + "/src/b.cpp", "def:0")})));

  // Moved to another checkout directory: paths are relative to the file.
  llvm::SmallString<128> Moved(Dir);
  llvm::sys::path::append(Moved, "elsewhere");
  ASSERT_FALSE(llvm::sys::fs::create_directory(Moved));
  llvm::SmallString<128> MovedPath(Moved);
  llvm::sys::path::append(MovedPath, "baseline.json");
  ASSERT_FALSE(llvm::sys::fs::copy_file(Path, MovedPath));

  llvm::Expected<Baseline> B = Baseline::load(MovedPath);
  ASSERT_TRUE(bool(B)) << llvm::toString(B.takeError());
  EXPECT_EQ(B->size(), 2u);
  std::string MovedRoot(Moved);
  std::vector<Finding> Now{finding(MovedRoot + "/src/a.cpp", "abc:0"),
                           finding(MovedRoot + "/src/a.cpp", "abc:1"),
                           finding(MovedRoot + "/src/b.cpp", "def:0")};
  EXPECT_EQ(B->filter(Now), 2u);
  ASSERT_EQ(Now.size(), 1u);
  EXPECT_EQ(Now[0].Fingerprint, "abc:1");
  llvm::sys::fs::remove_directories(Dir);
}

TEST(Baseline, LoadErrors) {
  llvm::Expected<Baseline> Missing = Baseline::load("/nonexistent/b.json");
  ASSERT_FALSE(bool(Missing));
  EXPECT_NE(llvm::toString(Missing.takeError()).find("cannot read baseline"),
            std::string::npos);
}

TEST(Shard, ParsesOnlyValidSpecs) {
  llvm::Expected<ShardSpec> S = parseShard("2/3");
  ASSERT_TRUE(bool(S));
  EXPECT_EQ(S->Index, 2u);
  EXPECT_EQ(S->Count, 3u);
  for (const char *Bad : {"0/3", "4/3", "1/0", "x", "1/", "/2", "1/2/3", ""}) {
    llvm::Expected<ShardSpec> E = parseShard(Bad);
    EXPECT_FALSE(bool(E)) << Bad;
    llvm::consumeError(E.takeError());
  }
}

TEST(Shard, DisjointCompleteAndOrderIndependent) {
  std::vector<std::string> Files{"/e.cpp", "/a.cpp", "/d.cpp", "/b.cpp",
                                 "/c.cpp", "/a.cpp"};
  std::vector<std::string> Reversed(Files.rbegin(), Files.rend());
  for (unsigned Count : {1u, 2u, 3u, 7u}) {
    std::set<std::string> Seen;
    size_t Total = 0;
    for (unsigned I = 1; I <= Count; ++I) {
      std::vector<std::string> Slice = selectShard(Files, {I, Count});
      EXPECT_EQ(Slice, selectShard(Reversed, {I, Count}));
      Total += Slice.size();
      Seen.insert(Slice.begin(), Slice.end());
      // Balanced: sizes differ by at most one.
      EXPECT_LE(Slice.size(), (5 + Count - 1) / Count);
    }
    EXPECT_EQ(Total, 5u) << Count;
    EXPECT_EQ(Seen.size(), 5u) << Count;
  }
}

} // namespace
} // namespace clang::tidy::mapguard
