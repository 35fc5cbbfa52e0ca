//===--- FingerprintTest.cpp - fingerprints survive line shifts -----------===//

#include "Finding.h"
#include "gtest/gtest.h"

namespace clang::tidy::mapguard {
namespace {

Finding makeFinding(std::string File, unsigned Line, std::string Text,
                    std::string Check = "mapguard-miss-default-use",
                    std::string Message = "value may be a default") {
  Finding F;
  F.Check = std::move(Check);
  F.Message = std::move(Message);
  F.Where.File = std::move(File);
  F.Where.Line = Line;
  F.Where.Column = 3;
  F.LineText = std::move(Text);
  return F;
}

std::string fingerprintOf(Finding F) {
  std::vector<Finding> V{std::move(F)};
  computeFingerprints(V);
  return V.front().Fingerprint;
}

TEST(NormalizeLineText, CollapsesAndTrimsBlanks) {
  EXPECT_EQ(normalizeLineText("  *m[1]\t=   2;  \r"), "*m[1] = 2;");
  EXPECT_EQ(normalizeLineText(""), "");
  EXPECT_EQ(normalizeLineText("a"), "a");
}

TEST(Fingerprint, SurvivesLineShiftAndReindentation) {
  EXPECT_EQ(fingerprintOf(makeFinding("/a.cpp", 5, "  *m[1] = 2;")),
            fingerprintOf(makeFinding("/a.cpp", 42, "\t*m[1]  =  2;")));
}

TEST(Fingerprint, DependsOnCheckMessageAndCode) {
  std::string Base = fingerprintOf(makeFinding("/a.cpp", 5, "*m[1] = 2;"));
  EXPECT_NE(Base, fingerprintOf(makeFinding("/a.cpp", 5, "*m[2] = 2;")));
  EXPECT_NE(Base, fingerprintOf(makeFinding("/a.cpp", 5, "*m[1] = 2;",
                                            "mapguard-unhandled-miss")));
  EXPECT_NE(Base, fingerprintOf(makeFinding("/a.cpp", 5, "*m[1] = 2;",
                                            "mapguard-miss-default-use",
                                            "another message")));
}

TEST(Fingerprint, OccurrenceIndexSeparatesIdenticalLinesPerFile) {
  std::vector<Finding> V{makeFinding("/a.cpp", 5, "*m[1] = 2;"),
                         makeFinding("/a.cpp", 9, "*m[1] = 2;"),
                         makeFinding("/b.cpp", 5, "*m[1] = 2;")};
  computeFingerprints(V);
  EXPECT_NE(V[0].Fingerprint, V[1].Fingerprint);
  EXPECT_EQ(V[0].Fingerprint, V[2].Fingerprint); // Counted per file.
  EXPECT_EQ(V[0].Fingerprint.substr(V[0].Fingerprint.size() - 2), ":0");
  EXPECT_EQ(V[1].Fingerprint.substr(V[1].Fingerprint.size() - 2), ":1");
}

TEST(ScanResult, NormalizeSortsAndDropsDuplicates) {
  ScanResult R;
  R.Findings = {makeFinding("/b.cpp", 1, "x"), makeFinding("/a.cpp", 7, "y"),
                makeFinding("/a.cpp", 7, "y"), makeFinding("/a.cpp", 2, "z")};
  R.normalize();
  ASSERT_EQ(R.Findings.size(), 3u);
  EXPECT_EQ(R.Findings[0].Where.Line, 2u);
  EXPECT_EQ(R.Findings[1].Where.Line, 7u);
  EXPECT_EQ(R.Findings[2].Where.File, "/b.cpp");
}

TEST(ScanResult, JSONRoundTrip) {
  ScanResult R;
  Finding F = makeFinding("/a.cpp", 5, "*m[1] = 2;");
  F.Notes.push_back({{"/a.cpp", 4, 10, 40}, "lookup here"});
  R.Findings.push_back(F);
  R.Failures.push_back({"/b.cpp", "no member named 'x'", "/b.cpp:3:1"});
  R.FilesScanned = 2;
  computeFingerprints(R.Findings);
  std::string Text;
  llvm::raw_string_ostream(Text) << toJSON(R);
  llvm::Expected<ScanResult> Back = parseScanResult(Text);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_EQ(Back->Findings.size(), 1u);
  EXPECT_EQ(Back->Findings[0].Fingerprint, R.Findings[0].Fingerprint);
  ASSERT_EQ(Back->Findings[0].Notes.size(), 1u);
  EXPECT_EQ(Back->Findings[0].Notes[0].Message, "lookup here");
  EXPECT_EQ(Back->Findings[0].Notes[0].Where.Line, 4u);
  ASSERT_EQ(Back->Failures.size(), 1u);
  EXPECT_EQ(Back->Failures[0].Location, "/b.cpp:3:1");
  EXPECT_EQ(Back->FilesScanned, 2u);
}

TEST(ScanResult, ParseRejectsMalformed) {
  EXPECT_FALSE(bool(parseScanResult("{")));
  llvm::consumeError(parseScanResult("{").takeError());
  llvm::Expected<ScanResult> NoFindings = parseScanResult("{\"x\": 1}");
  EXPECT_FALSE(bool(NoFindings));
  llvm::consumeError(NoFindings.takeError());
}

} // namespace
} // namespace clang::tidy::mapguard
