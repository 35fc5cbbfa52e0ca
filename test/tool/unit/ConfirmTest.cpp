//===--- ConfirmTest.cpp - matching findings with runtime events ----------===//

#include "Confirm.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

namespace clang::tidy::mapguard {
namespace {

constexpr const char *A = "/src/a.cpp";
constexpr const char *B = "/src/b.cpp";

Finding finding(std::string Check, unsigned Line,
                std::vector<std::pair<unsigned, std::string>> Notes = {},
                std::string File = A) {
  Finding F;
  F.Check = std::move(Check);
  F.Message = "m";
  F.Where.File = File;
  F.Where.Line = Line;
  for (auto &[NoteLine, Message] : Notes) {
    FindingNote N;
    N.Where.File = File;
    N.Where.Line = NoteLine;
    N.Message = Message;
    F.Notes.push_back(N);
  }
  return F;
}

RuntimeEvent event(std::string Kind, unsigned Line, unsigned OriginLine = 0,
                   std::string File = A) {
  RuntimeEvent E;
  E.Kind = std::move(Kind);
  E.File = File;
  E.Line = Line;
  if (OriginLine) {
    E.OriginFile = File;
    E.OriginLine = OriginLine;
  }
  return E;
}

TEST(ParseEvents, ShimLines) {
  auto Events = parseEvents(
      "{\"kind\":\"close-closed-chan\",\"message\":\"panic: close of closed "
      "channel\",\"file\":\"/src/a.cpp\",\"line\":42,\"origin\":{\"file\":"
      "\"/src/a.cpp\",\"line\":30},\"goroutine\":3}\n\n"
      "{\"kind\":\"deadlock\",\"message\":\"fatal error: all goroutines are "
      "asleep - deadlock!\",\"file\":\"/src/a.cpp\",\"line\":7,\"origin\":"
      "null,\"goroutine\":1}\n");
  ASSERT_TRUE(static_cast<bool>(Events)) << toString(Events.takeError());
  ASSERT_EQ(Events->size(), 2u);
  EXPECT_EQ((*Events)[0].Kind, "close-closed-chan");
  EXPECT_EQ((*Events)[0].Line, 42u);
  ASSERT_TRUE((*Events)[0].OriginFile.has_value());
  EXPECT_EQ((*Events)[0].OriginLine, 30u);
  EXPECT_EQ((*Events)[0].Goroutine, 3u);
  EXPECT_FALSE((*Events)[1].OriginFile.has_value());
}

TEST(ParseEvents, MalformedLineIsAnError) {
  auto Bad = parseEvents("{\"kind\":\"nil-deref\",\"file\":\"/a\",\"line\":1}\n"
                         "{not json\n");
  ASSERT_FALSE(static_cast<bool>(Bad));
  EXPECT_NE(toString(Bad.takeError()).find("line 2"), std::string::npos);
  auto Missing = parseEvents("{\"kind\":\"nil-deref\"}");
  ASSERT_FALSE(static_cast<bool>(Missing));
  llvm::consumeError(Missing.takeError());
}

TEST(KindConfirms, Families) {
  EXPECT_TRUE(kindConfirms("mapguard-concurrent-write", "concurrent-map-write"));
  EXPECT_TRUE(
      kindConfirms("mapguard-concurrent-write", "concurrent-map-read-write"));
  EXPECT_FALSE(kindConfirms("mapguard-concurrent-write", "nil-deref"));
  for (const char *Check :
       {"mapguard-miss-default-use", "mapguard-unhandled-miss"}) {
    for (const char *Kind :
         {"nil-deref", "nil-chan-send", "nil-chan-recv", "goroutine-leak"})
      EXPECT_TRUE(kindConfirms(Check, Kind)) << Check << " " << Kind;
    EXPECT_FALSE(kindConfirms(Check, "close-nil-chan"));
    EXPECT_FALSE(kindConfirms(Check, "concurrent-map-write"));
  }
  for (const char *Kind : {"close-nil-chan", "close-closed-chan", "nil-deref"})
    EXPECT_TRUE(kindConfirms("mapguard-cleanup-on-missing", Kind));
  EXPECT_FALSE(kindConfirms("mapguard-cleanup-on-missing", "nil-chan-send"));
  EXPECT_FALSE(kindConfirms("bugprone-whatever", "nil-deref"));
  EXPECT_FALSE(isMapguardKind("deadlock"));
  EXPECT_FALSE(isMapguardKind("negative-waitgroup"));
  EXPECT_TRUE(isMapguardKind("goroutine-leak"));
}

TEST(Match, FindingLineEqualsEventLine) {
  ConfirmResult R =
      matchFindings({finding("mapguard-concurrent-write", 16)},
                    {event("concurrent-map-write", 16, 16)}, LineCoverage());
  ASSERT_EQ(R.Confirmed.size(), 1u);
  ASSERT_EQ(R.Pairs.size(), 1u);
  EXPECT_TRUE(R.StaticOnly.empty());
  EXPECT_TRUE(R.RuntimeOnly.empty());
}

TEST(Match, NoteLineEqualsOrigin) {
  // The use at 20 is reported; the event is at the dereference (21, say,
  // without debug info it could differ) with the lookup as its origin.
  ConfirmResult R = matchFindings(
      {finding("mapguard-unhandled-miss", 20, {{17, "lookup here"}})},
      {event("nil-deref", 21, 17)}, LineCoverage());
  EXPECT_EQ(R.Confirmed.size(), 1u);
  EXPECT_TRUE(R.RuntimeOnly.empty());
}

TEST(Match, WrongKindIsNotAMatch) {
  ConfirmResult R =
      matchFindings({finding("mapguard-concurrent-write", 16)},
                    {event("nil-deref", 16, 16)}, LineCoverage());
  EXPECT_TRUE(R.Confirmed.empty());
  ASSERT_EQ(R.StaticOnly.size(), 1u);
  EXPECT_EQ(R.StaticOnly[0].second, StaticOnlyReason::Unknown);
  ASSERT_EQ(R.RuntimeOnly.size(), 1u);
}

TEST(Match, OtherLineOrFileIsNotAMatch) {
  ConfirmResult R = matchFindings(
      {finding("mapguard-miss-default-use", 10, {{9, "lookup here"}})},
      {event("nil-deref", 11, 8), event("nil-deref", 10, 9, B)},
      LineCoverage());
  EXPECT_TRUE(R.Confirmed.empty());
  EXPECT_EQ(R.RuntimeOnly.size(), 2u);
}

TEST(Match, OtherKindsAreNeitherConfirmingNorRuntimeOnly) {
  ConfirmResult R = matchFindings(
      {finding("mapguard-miss-default-use", 13)},
      {event("nil-chan-recv", 13, 12), event("deadlock", 13)}, LineCoverage());
  EXPECT_EQ(R.Confirmed.size(), 1u);
  EXPECT_TRUE(R.RuntimeOnly.empty());
  ASSERT_EQ(R.OtherEvents.size(), 1u);
  EXPECT_EQ(R.Events[R.OtherEvents[0]].Kind, "deadlock");
}

TEST(Match, OneEventMayConfirmSeveralFindings) {
  ConfirmResult R = matchFindings(
      {finding("mapguard-miss-default-use", 15, {{14, "lookup here"}}),
       finding("mapguard-unhandled-miss", 15, {{14, "lookup here"}})},
      {event("nil-chan-send", 15, 14), event("goroutine-leak", 15, 12)},
      LineCoverage());
  EXPECT_EQ(R.Confirmed.size(), 2u);
  EXPECT_EQ(R.Pairs.size(), 4u);
  EXPECT_TRUE(R.RuntimeOnly.empty());
}

TEST(Match, CoverageTellsNotExecutedFromNotReproduced) {
  LineCoverage Cov;
  Cov.Known = true;
  Cov.Executed[A].insert(10);
  ConfirmResult R = matchFindings({finding("mapguard-concurrent-write", 10),
                                   finding("mapguard-concurrent-write", 30)},
                                  {}, Cov);
  ASSERT_EQ(R.StaticOnly.size(), 2u);
  EXPECT_EQ(R.StaticOnly[0].second, StaticOnlyReason::NotReproduced);
  EXPECT_EQ(R.StaticOnly[1].second, StaticOnlyReason::NotExecuted);
}

TEST(Report, JSONCountsAndTable) {
  ConfirmResult R = matchFindings(
      {finding("mapguard-concurrent-write", 16),
       finding("mapguard-miss-default-use", 40)},
      {event("concurrent-map-write", 16, 16), event("close-nil-chan", 50, 49)},
      LineCoverage());
  llvm::json::Value V = confirmToJSON(R);
  const llvm::json::Object *O = V.getAsObject();
  ASSERT_TRUE(O);
  EXPECT_EQ(O->getInteger("confirmed"), 1);
  EXPECT_EQ(O->getInteger("static_only"), 1);
  EXPECT_EQ(O->getInteger("runtime_only"), 1);
  ASSERT_TRUE(O->getArray("pairs"));
  EXPECT_EQ(O->getArray("pairs")->size(), 1u);

  std::string Text;
  llvm::raw_string_ostream OS(Text);
  writeConfirmText(R, OS);
  EXPECT_NE(Text.find("confirmed"), std::string::npos);
  EXPECT_NE(Text.find("a.cpp:16"), std::string::npos);
  EXPECT_NE(Text.find("runtime only"), std::string::npos);
  EXPECT_NE(Text.find("1 confirmed, 1 static only, 1 runtime only"),
            std::string::npos);
}

} // namespace
} // namespace clang::tidy::mapguard
