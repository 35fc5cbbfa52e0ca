//===--- SarifTest.cpp - SARIF written and read back ----------------------===//

#include "Output.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

namespace clang::tidy::mapguard {
namespace {

TEST(Sarif, FindingsRulesNotesAndFailuresRoundTrip) {
  llvm::SmallString<128> Source;
  int FD;
  ASSERT_FALSE(
      llvm::sys::fs::createTemporaryFile("mapguard-sarif", "cpp", FD, Source));
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << "void f(std::map<int, int *> &m) {\n  *m[1] = 2;\n}\n";
  }
  ScanResult R;
  Finding F;
  F.Check = "mapguard-miss-default-use";
  F.Message = "dereference of a default";
  F.Where = {std::string(Source), 2, 3, 0};
  F.Notes.push_back({{std::string(Source), 2, 4, 0}, "lookup here"});
  F.Fingerprint = "abc:0";
  R.Findings.push_back(F);
  // A file that cannot be opened gets a hand-written location.
  Finding G = F;
  G.Where.File = "/nonexistent/x.cpp";
  G.Notes.clear();
  R.Findings.push_back(G);
  R.Failures.push_back({"/b.cpp", "no member", "/b.cpp:3:1"});
  R.FilesScanned = 3;

  llvm::json::Value Doc = toSarif(
      R, {{"mapguard-miss-default-use", "short", "# help"},
          {"mapguard-unhandled-miss", "other", "# other"}});
  const llvm::json::Object &Run =
      *Doc.getAsObject()->getArray("runs")->front().getAsObject();
  const llvm::json::Array &Rules =
      *Run.getObject("tool")->getObject("driver")->getArray("rules");
  ASSERT_EQ(Rules.size(), 2u);
  EXPECT_EQ(*Rules[0].getAsObject()->getObject("help")->getString("markdown"),
            "# help");
  const llvm::json::Array &Results = *Run.getArray("results");
  ASSERT_EQ(Results.size(), 2u);
  const llvm::json::Object &First = *Results[0].getAsObject();
  EXPECT_EQ(*First.getString("ruleId"), "mapguard-miss-default-use");
  EXPECT_TRUE(First.getArray("codeFlows"));
  EXPECT_EQ(*(*First.getArray("relatedLocations"))[0]
                 .getAsObject()
                 ->getObject("message")
                 ->getString("text"),
            "lookup here");

  std::string Text;
  llvm::raw_string_ostream(Text) << Doc;
  llvm::Expected<ScanResult> Back = parseReport(Text);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_EQ(Back->Findings.size(), 2u);
  EXPECT_EQ(Back->Findings[0].Where.File, std::string(Source));
  EXPECT_EQ(Back->Findings[0].Where.Line, 2u);
  EXPECT_EQ(Back->Findings[0].Where.Column, 3u);
  EXPECT_EQ(Back->Findings[0].Fingerprint, "abc:0");
  ASSERT_EQ(Back->Findings[0].Notes.size(), 1u);
  EXPECT_EQ(Back->Findings[0].Notes[0].Message, "lookup here");
  EXPECT_EQ(Back->Findings[1].Where.File, "/nonexistent/x.cpp");
  EXPECT_EQ(Back->Findings[1].Where.Line, 2u);
  ASSERT_EQ(Back->Failures.size(), 1u);
  EXPECT_EQ(Back->Failures[0].Message, "no member");
  EXPECT_EQ(Back->Failures[0].Location, "/b.cpp:3:1");
  EXPECT_EQ(Back->FilesScanned, 3u);
  llvm::sys::fs::remove(Source);
}

TEST(Sarif, SkippedFunctionsAreNotificationsApartFromFailures) {
  ScanResult R;
  R.Failures.push_back({"/b.cpp", "no member", "/b.cpp:3:1"});
  // A check with no rule of its own gets one, for associatedRule.
  R.Skipped.push_back({"mapguard-other", "ns::drain", {"/a.h", 10, 13, 210},
                       "MaxBlockVisits", 2});
  llvm::json::Value Doc =
      toSarif(R, {{"mapguard-miss-default-use", "short", "# help"}});
  const llvm::json::Object &Run =
      *Doc.getAsObject()->getArray("runs")->front().getAsObject();
  const llvm::json::Array &Notes = *(*Run.getArray("invocations"))[0]
                                        .getAsObject()
                                        ->getArray("toolExecutionNotifications");
  ASSERT_EQ(Notes.size(), 2u);
  const llvm::json::Object &Skip = *Notes[1].getAsObject();
  EXPECT_EQ(*Skip.getString("level"), "note");
  EXPECT_EQ(*Skip.getObject("message")->getString("text"),
            "mapguard skipped 'ns::drain': budget MaxBlockVisits (2) exceeded");
  EXPECT_EQ(*Skip.getObject("associatedRule")->getInteger("index"), 1);

  std::string Text;
  llvm::raw_string_ostream(Text) << Doc;
  llvm::Expected<ScanResult> Back = parseReport(Text);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_EQ(Back->Failures.size(), 1u);
  ASSERT_EQ(Back->Skipped.size(), 1u);
  const SkippedFunction &S = Back->Skipped[0];
  EXPECT_EQ(S.Check, "mapguard-other");
  EXPECT_EQ(S.Function, "ns::drain");
  EXPECT_EQ(S.Budget, "MaxBlockVisits");
  EXPECT_EQ(S.Limit, 2u);
  EXPECT_EQ(S.Where.File, "/a.h");
  EXPECT_EQ(S.Where.Line, 10u);
  EXPECT_EQ(S.Where.Column, 13u);
  EXPECT_EQ(Back->functionsSkipped(), 1u);

  // A skip notification without its properties is an error, not a failure.
  std::string Damaged = Text;
  size_t At = Damaged.find("\"budget\"");
  ASSERT_NE(At, std::string::npos);
  Damaged.replace(At, 8, "\"bxdget\"");
  llvm::Expected<ScanResult> Bad = parseReport(Damaged);
  EXPECT_FALSE(bool(Bad));
  llvm::consumeError(Bad.takeError());
}

TEST(Sarif, NotSarifIsAnError) {
  llvm::Expected<ScanResult> R = parseSarif("{\"version\": \"2.1.0\"}");
  EXPECT_FALSE(bool(R));
  llvm::consumeError(R.takeError());
}

TEST(OutputFormat, Names) {
  EXPECT_TRUE(bool(parseOutputFormat("sarif")));
  llvm::Expected<OutputFormat> Bad = parseOutputFormat("xml");
  EXPECT_FALSE(bool(Bad));
  llvm::consumeError(Bad.takeError());
}

} // namespace
} // namespace clang::tidy::mapguard
