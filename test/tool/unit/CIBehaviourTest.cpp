//===--- CIBehaviourTest.cpp - what issue 17 made of the scanner ----------===//
//
// Build-only arguments neutralised, failure kinds and the JSON format
// version, SARIF rule names, one-line descriptions, doc links, %SRCROOT%.
//
//===----------------------------------------------------------------------===//

#include "DocLinks.h"
#include "Output.h"
#include "Scanner.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

namespace clang::tidy::mapguard {
namespace {

using Args = std::vector<std::string>;

TEST(NeutralizeArguments, DemotesWarningsAsErrors) {
  EXPECT_EQ(neutralizeBuildOnlyArguments(
                {"g++", "-Werror", "-Wall", "-Werror=conversion",
                 "-pedantic-errors", "-Wno-error=unused", "-c", "a.cpp"}),
            (Args{"g++", "-Wall", "-Wno-error=unused", "-c", "a.cpp"}));
}

TEST(NeutralizeArguments, DropsWhatClangDoesNotKnow) {
  EXPECT_EQ(neutralizeBuildOnlyArguments(
                {"g++", "-fipa-pta", "-O2", "-fstack-reuse=none", "-DX=1",
                 "-fno-var-tracking-assignments", "-c", "a.cpp"}),
            (Args{"g++", "-O2", "-DX=1", "-c", "a.cpp"}));
}

TEST(NeutralizeArguments, KeepsValuesAndInputs) {
  // A value that looks like a flag, after an option that takes one; and
  // everything after "--".
  EXPECT_EQ(neutralizeBuildOnlyArguments(
                {"clang++", "-include", "-Werror", "-o", "-fipa-pta", "--",
                 "-Werror", "a.cpp"}),
            (Args{"clang++", "-include", "-Werror", "-o", "-fipa-pta", "--",
                  "-Werror", "a.cpp"}));
  EXPECT_EQ(neutralizeBuildOnlyArguments({}), Args{});
}

TEST(NeutralizeArguments, ClangCl) {
  EXPECT_EQ(neutralizeBuildOnlyArguments({"clang-cl", "/WX", "/W4", "a.cpp"}),
            (Args{"clang-cl", "/W4", "a.cpp"}));
}

TEST(FailureKinds, JSONRoundTripAndFormatVersion) {
  ScanResult R;
  R.Failures.push_back(
      {"/a.cpp", "no member", "/a.cpp:1:2", FailureKind::AnalysedWithErrors});
  R.Failures.push_back({"/b.cpp", "cannot read file", "", FailureKind::NotAnalysed});
  std::string Text;
  llvm::raw_string_ostream(Text) << toJSON(R);
  EXPECT_NE(Text.find("\"formatVersion\":2"), std::string::npos) << Text;
  EXPECT_NE(Text.find("\"status\":\"analysed-with-errors\""), std::string::npos);
  llvm::Expected<ScanResult> Back = parseScanResult(Text);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_EQ(Back->Failures.size(), 2u);
  EXPECT_EQ(Back->Failures[0].Kind, FailureKind::AnalysedWithErrors);
  EXPECT_EQ(Back->Failures[1].Kind, FailureKind::NotAnalysed);

  // A newer format than this binary knows is refused, not misread.
  llvm::Expected<ScanResult> Newer =
      parseScanResult("{\"formatVersion\": 99, \"findings\": []}");
  ASSERT_FALSE(bool(Newer));
  EXPECT_NE(llvm::toString(Newer.takeError()).find("formatVersion"),
            std::string::npos);
  // Documents before the version existed still read.
  EXPECT_TRUE(bool(parseScanResult("{\"findings\": []}")));

  // A status no kind has is refused, with its value; no status is the
  // version 1 "not analysed"; a newer format says so first.
  const char *Unknown = "{\"findings\": [], \"failures\": [{\"file\": \"/a\", "
                        "\"message\": \"m\", \"status\": \"bogus\"}]}";
  llvm::Expected<ScanResult> Bad = parseScanResult(Unknown);
  ASSERT_FALSE(bool(Bad));
  EXPECT_EQ(llvm::toString(Bad.takeError()),
            "unknown status 'bogus' at mapguard result.failures[0].status "
            "(expected \"not-analysed\" or \"analysed-with-errors\")");
  llvm::Expected<llvm::json::Value> UnknownV = llvm::json::parse(Unknown);
  ASSERT_TRUE(bool(UnknownV));
  ScanResult Direct; // as the result cache reads an entry
  llvm::json::Path::Root Root;
  EXPECT_FALSE(fromJSON(*UnknownV, Direct, Root));
  llvm::consumeError(Root.getError());
  llvm::Expected<ScanResult> NoStatus = parseScanResult(
      "{\"findings\": [], \"failures\": [{\"file\": \"/a\", \"message\": "
      "\"m\"}]}");
  ASSERT_TRUE(bool(NoStatus)) << llvm::toString(NoStatus.takeError());
  EXPECT_EQ(NoStatus->Failures[0].Kind, FailureKind::NotAnalysed);
  llvm::Expected<ScanResult> NewerUnknown = parseScanResult(
      "{\"formatVersion\": 99, \"findings\": [], \"failures\": [{\"file\": "
      "\"/a\", \"message\": \"m\", \"status\": \"bogus\"}]}");
  ASSERT_FALSE(bool(NewerUnknown));
  EXPECT_NE(llvm::toString(NewerUnknown.takeError()).find("newer format"),
            std::string::npos);
}

TEST(Sarif, RuleNamesAndSentences) {
  EXPECT_EQ(sarifRuleName("mapguard-miss-default-use"), "MissDefaultUse");
  EXPECT_EQ(sarifRuleName("mapguard-concurrent-write"), "ConcurrentWrite");
  EXPECT_EQ(firstSentence("Finds a map, e.g. a `std::map`.\nSecond one."),
            "Finds a map, e.g. a `std::map`.");
  EXPECT_EQ(firstSentence("No period\nat all"), "No period at all");
  EXPECT_EQ(firstSentence("Version 1.2 is fine. Next."), "Version 1.2 is fine.");
}

TEST(DocLinks, BaseURLPatternAndFiles) {
  EXPECT_EQ(checkDocURL("mapguard-miss-default-use", "https://x.org/docs", {}),
            "https://x.org/docs/miss-default-use.md");
  EXPECT_EQ(checkDocURL("mapguard-miss-default-use", "https://x.org/d/", {}),
            "https://x.org/d/miss-default-use.md");
  EXPECT_EQ(checkDocURL("mapguard-miss-default-use",
                        "https://x.org/{check}.html", {}),
            "https://x.org/miss-default-use.html");
  EXPECT_EQ(fileURI("/a b/c#d.md"), "file:///a%20b/c%23d.md");

  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mapguard-docs", Dir));
  EXPECT_EQ(checkDocURL("mapguard-x", "", {std::string(Dir)}), "");
  llvm::SmallString<128> Page(Dir);
  llvm::sys::path::append(Page, "x.md");
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Page, EC);
    ASSERT_FALSE(EC);
    OS << "# x\n";
  }
  EXPECT_EQ(checkDocURL("mapguard-x", "", {"/nonexistent", std::string(Dir)}),
            fileURI(Page));
  // The installed share/ directory comes first.
  std::vector<std::string> Dirs =
      checkDocDirectories("/opt/mg/bin/mapguard", "/src/docs/checks");
  ASSERT_EQ(Dirs.size(), 2u);
  EXPECT_EQ(Dirs[0], "/opt/mg/share/mapguard/docs/checks");
  EXPECT_EQ(Dirs[1], "/src/docs/checks");
  llvm::sys::fs::remove(Page);
  llvm::sys::fs::remove(Dir);
}

TEST(Sarif, SourceRootRoundTrip) {
  ScanResult R;
  Finding F;
  F.Check = "mapguard-miss-default-use";
  F.Message = "m[1] may be";
  F.Where = {"/src/project/a.cpp", 2, 3, 0};
  F.Notes.push_back({{"/src/project/a.cpp", 2, 4, 0}, "lookup [here]", {}});
  F.Fingerprint = "abc:0";
  R.Findings.push_back(F);
  Finding G = F;
  G.Where.File = "/elsewhere/b.cpp";
  G.Notes.clear();
  R.Findings.push_back(G);
  SarifOptions Options;
  Options.SourceRoot = "/src/project";
  llvm::json::Value Doc = toSarif(R, {}, Options);
  std::string Text;
  llvm::raw_string_ostream(Text) << Doc;
  EXPECT_NE(Text.find("\"uri\":\"a.cpp\",\"uriBaseId\":\"%SRCROOT%\""),
            std::string::npos)
      << Text;
  EXPECT_NE(Text.find("\"uri\":\"file:///elsewhere/b.cpp\""), std::string::npos);
  EXPECT_NE(Text.find("m\\\\[1\\\\] may be (notes: [lookup \\\\[here\\\\]](1))"),
            std::string::npos)
      << Text;
  llvm::Expected<ScanResult> Back = parseReport(Text);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_EQ(Back->Findings.size(), 2u);
  EXPECT_EQ(Back->Findings[0].Where.File, "/src/project/a.cpp");
  EXPECT_EQ(Back->Findings[0].Message, "m[1] may be");
  ASSERT_EQ(Back->Findings[0].Notes.size(), 1u);
  EXPECT_EQ(Back->Findings[0].Notes[0].Where.File, "/src/project/a.cpp");
  EXPECT_EQ(Back->Findings[1].Where.File, "/elsewhere/b.cpp");
}

} // namespace
} // namespace clang::tidy::mapguard
