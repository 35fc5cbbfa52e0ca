//===--- InputFileTest.cpp - input kinds, sizes, the JSON checker ---------===//

#include "InputFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <sys/stat.h>

namespace clang::tidy::mapguard {
namespace {

/// Whether the checker accepts \p Text; llvm::json::parse must agree when it
/// does (what the checker lets through is read).
bool accepted(llvm::StringRef Text, unsigned Depth = limits::JSONDepth) {
  llvm::Error E = checkJSONStructure(Text, Depth);
  if (E) {
    llvm::consumeError(std::move(E));
    return false;
  }
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  EXPECT_TRUE(bool(V)) << "checked but not parsed: " << Text.str();
  if (!V)
    llvm::consumeError(V.takeError());
  return true;
}

std::string message(llvm::Error E) {
  return E ? llvm::toString(std::move(E)) : "";
}

TEST(JSONChecker, AcceptsWhatWeWrite) {
  for (const char *Text :
       {"{}", "[]", " { \"a\" : [1, -2, 3.5, -0.0e+10, 1E3, true, false, null] } ",
        "\"[{\\\"]\"", "[\"\\u00e9\\n\\t\\\\\\/\"]", "{\"a\": {\"b\": [[], {}]}}",
        "0", "\"\"", "[\r\n]"})
    EXPECT_TRUE(accepted(Text)) << Text;
}

TEST(JSONChecker, RefusesWhatIsNotOneDocument) {
  for (const char *Text :
       {"", "   ", "[", "[1,", "{\"a\"", "{\"a\":", "{\"a\": 1,}", "[1,]",
        "[1 2]", "{1: 2}", "\"abc", "[\"\\x\"]", "[\"\\u12\"]", "01x", "-",
        "1.", "1e", "tru", "[] []", "]", "[}", "{]", "[\"a\x01\"]",
        "nul"})
    EXPECT_FALSE(accepted(Text)) << Text;
  EXPECT_FALSE(accepted("[\"\xff\"]"));
}

TEST(JSONChecker, SaysWhereAndWhy) {
  EXPECT_EQ(message(checkJSONStructure("[1,\n 2")),
            "line 2 column 3: the document ends early (truncated?)");
  EXPECT_EQ(message(checkJSONStructure("{\"a\": [1 2]}")),
            "line 1 column 10: expected ',' or ']'");
  EXPECT_EQ(message(checkJSONStructure("[[[1]]]", 2)),
            "line 1 column 3: nested deeper than 2 levels");
  EXPECT_TRUE(accepted("[[1]]", 2));
  EXPECT_EQ(message(checkJSONStructure("[\"\xc3\"]")),
            "line 1 column 1: the document is not UTF-8 text");
}

TEST(JSONChecker, DeepInputIsRefusedWithoutRecursion) {
  std::string Deep(1000000, '[');
  EXPECT_EQ(message(checkJSONStructure(Deep)),
            "line 1 column 65: nested deeper than 64 levels");
  llvm::Expected<llvm::json::Value> V = parseJSONInput(Deep);
  ASSERT_FALSE(bool(V));
  llvm::consumeError(V.takeError());
}

TEST(Printable, EscapesControlAndNonUTF8BytesAndCuts) {
  EXPECT_EQ(printable("a\x01" "b\x1b[2J"), "a\\x01b\\x1b[2J");
  EXPECT_EQ(printable("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(printable("\xff\xc3"), "\\xff\\xc3");
  EXPECT_EQ(printable("abcdef", 3), "abc...");
}

class InputFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mapguard-input", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }
  std::string path(llvm::StringRef Name) {
    llvm::SmallString<256> P(Dir);
    llvm::sys::path::append(P, Name);
    return std::string(P);
  }
  std::string write(llvm::StringRef Name, llvm::StringRef Text) {
    std::string P = path(Name);
    std::error_code EC;
    llvm::raw_fd_ostream(P, EC) << Text;
    return P;
  }
  std::string readError(llvm::StringRef Path, uint64_t Limit = 100) {
    auto B = readInputFile(Path, Limit, "thing");
    if (B)
      return "";
    return llvm::toString(B.takeError());
  }
  llvm::SmallString<256> Dir;
};

TEST_F(InputFileTest, ReadsARegularFileWithinTheLimit) {
  std::string P = write("a.json", "[1]");
  auto B = readInputFile(P, 3, "thing");
  ASSERT_TRUE(bool(B));
  EXPECT_EQ((*B)->getBuffer(), "[1]");
  EXPECT_EQ(readError(P, 2),
            "cannot read thing '" + P + "': is larger than the limit of 2 bytes");
}

TEST_F(InputFileTest, RefusesWhatIsNotARegularFile) {
  std::string Fifo = path("fifo");
  ASSERT_EQ(::mkfifo(Fifo.c_str(), 0600), 0);
  EXPECT_EQ(readError(Fifo), "cannot read thing '" + Fifo + "': is a FIFO, not a regular file");
  EXPECT_EQ(readError("/dev/zero"), "cannot read thing '/dev/zero': is a device, not a regular file");
  std::string Link = path("link");
  ASSERT_FALSE(llvm::sys::fs::create_link("/dev/zero", Link));
  EXPECT_EQ(readError(Link), "cannot read thing '" + Link + "': is a device, not a regular file");
  EXPECT_EQ(readError(std::string(Dir)), "cannot read thing '" + std::string(Dir) + "': is a directory");
  EXPECT_NE(readError(path("missing")).find("cannot read thing '"), std::string::npos);
  EXPECT_EQ(checkInputFileKind(write("ok", "x"), 1), "");
}

} // namespace
} // namespace clang::tidy::mapguard
