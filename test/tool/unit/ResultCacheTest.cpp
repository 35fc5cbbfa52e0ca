//===--- ResultCacheTest.cpp - cache keys and dependency checks -----------===//

#include "ResultCache.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

namespace clang::tidy::mapguard {
namespace {

std::string key(std::vector<std::string> Args, std::string Config = "cfg",
                std::string Content = "int x;", std::string Version = "1",
                std::string Dir = "/build") {
  return computeCacheKey(Version, Args, Dir, Config, Content);
}

TEST(CacheKey, DependsOnEveryInput) {
  std::string Base = key({"c++", "-O2", "a.cpp"});
  EXPECT_EQ(Base, key({"c++", "-O2", "a.cpp"}));
  EXPECT_NE(Base, key({"c++", "-O3", "a.cpp"}));
  EXPECT_NE(Base, key({"c++", "-O2", "a.cpp"}, "other"));
  EXPECT_NE(Base, key({"c++", "-O2", "a.cpp"}, "cfg", "int y;"));
  EXPECT_NE(Base, key({"c++", "-O2", "a.cpp"}, "cfg", "int x;", "2"));
  EXPECT_NE(Base, key({"c++", "-O2", "a.cpp"}, "cfg", "int x;", "1", "/b"));
  // Field boundaries matter: ("-O", "2a") is not ("-O2", "a").
  EXPECT_NE(key({"-O", "2a"}), key({"-O2", "a"}));
  EXPECT_EQ(Base.size(), 32u);
}

TEST(CacheKey, FactsAndResultsNeverShareAKey) {
  std::vector<std::string> Args{"c++", "a.cpp"};
  EXPECT_NE(computeCacheKey("1", Args, "/b", "cfg", "int x;"),
            computeCacheKey("1", Args, "/b", "cfg", "int x;", CacheKind::Facts));
  EXPECT_EQ(computeCacheKey("1", Args, "/b", "cfg", "int x;"),
            computeCacheKey("1", Args, "/b", "cfg", "int x;",
                            CacheKind::Results));
}

class ResultCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mapguard-cache", Dir));
    Header = path("h.h");
    write(Header, "#define X 1\n");
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string path(llvm::StringRef Name) {
    llvm::SmallString<128> P(Dir);
    llvm::sys::path::append(P, Name);
    return std::string(P);
  }
  static void write(llvm::StringRef Path, llvm::StringRef Text) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    ASSERT_FALSE(EC);
    OS << Text;
  }
  FileResult result() {
    FileResult R;
    Finding F;
    F.Check = "mapguard-miss-default-use";
    F.Message = "m";
    F.Where = {"/a.cpp", 3, 4, 20};
    F.Fingerprint = "abc:0";
    R.Findings.push_back(F);
    return R;
  }

  llvm::SmallString<128> Dir;
  std::string Header;
};

TEST_F(ResultCacheTest, HitWhileDependenciesUnchanged) {
  ResultCache Cache(path("cache"));
  EXPECT_FALSE(Cache.lookup("0123456789abcdef").has_value());
  Cache.store("0123456789abcdef", {Header}, result());
  std::optional<FileResult> Hit = Cache.lookup("0123456789abcdef");
  ASSERT_TRUE(Hit.has_value());
  ASSERT_EQ(Hit->Findings.size(), 1u);
  EXPECT_EQ(Hit->Findings[0].Fingerprint, "abc:0");
  EXPECT_EQ(Hit->Findings[0].Where.Line, 3u);
}

TEST_F(ResultCacheTest, SameContentRewrittenStillHits) {
  ResultCache Cache(path("cache"));
  Cache.store("00aa", {Header}, result());
  write(Header, "#define X 1\n"); // New mtime, same bytes.
  // A cache object lives for one scan; the next scan looks afresh.
  EXPECT_TRUE(ResultCache(path("cache")).lookup("00aa").has_value());
}

TEST_F(ResultCacheTest, ChangedOrMissingDependencyMisses) {
  ResultCache Cache(path("cache"));
  Cache.store("00bb", {Header}, result());
  write(Header, "#define X 2\n");
  EXPECT_FALSE(ResultCache(path("cache")).lookup("00bb").has_value());
  ResultCache NextScan(path("cache"));
  NextScan.store("00cc", {Header}, result());
  llvm::sys::fs::remove(Header);
  EXPECT_FALSE(ResultCache(path("cache")).lookup("00cc").has_value());
}

TEST_F(ResultCacheTest, UnreadableDependencyIsNotCached) {
  ResultCache Cache(path("cache"));
  Cache.store("00dd", {path("missing.h")}, result());
  EXPECT_FALSE(Cache.lookup("00dd").has_value());
}

TEST_F(ResultCacheTest, DamagedEntryMisses) {
  ResultCache Cache(path("cache"));
  Cache.store("00ee", {Header}, result());
  write(path("cache/00/00ee.json"), "{not json");
  EXPECT_FALSE(Cache.lookup("00ee").has_value());
}

TEST_F(ResultCacheTest, FactsEntriesRoundTripAndFollowTheirDependencies) {
  ResultCache Cache(path("cache"));
  ProjectIndex Facts;
  Facts.function("c:@F@f#", "f").Unit = "/a.cpp";
  Facts.addUnit("/a.cpp");
  std::string Key(32, 'f');
  EXPECT_FALSE(Cache.lookupFacts(Key).has_value());
  ASSERT_FALSE(Cache.storeFacts(Key, {Header}, Facts).has_value());
  std::optional<ProjectIndex> Hit = Cache.lookupFacts(Key);
  ASSERT_TRUE(Hit.has_value());
  EXPECT_EQ(Hit->toJSON(), Facts.toJSON());
  // A facts entry is no result, whatever key it is read under.
  EXPECT_FALSE(Cache.lookup(Key).has_value());
  // An edited dependency is a miss.
  write(Header, "#define X 2\n");
  EXPECT_FALSE(ResultCache(path("cache")).lookupFacts(Key).has_value());
}

} // namespace
} // namespace clang::tidy::mapguard
