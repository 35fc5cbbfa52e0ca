// go, verify_no_leaks, MAPGUARD_DEFER, Ptr, Panic and the event format.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "shim_test_util.h"

namespace mapguard::shim {
namespace {

using namespace std::chrono_literals;
using namespace mapguard::shim::testing;  // NOLINT(google-build-using-namespace)

struct Worker {
  int runs = 0;
  void run() { ++runs; }
};

TEST(Go, RunsOnAnotherGoroutineAndMainIsOne) {
  EXPECT_EQ(this_goroutine(), 1u);
  auto ids = make_chan<goroutine_id>(1);
  go([=]() mutable { ids.send(this_goroutine()); });
  const auto child = ids.recv();
  ASSERT_TRUE(child.has_value());
  EXPECT_GT(*child, 1u);
}

TEST(Go, MoveOnlyBodies) {
  auto p = std::make_unique<int>(5);
  auto out = make_chan<int>(1);
  go([p = std::move(p), out]() mutable { out.send(*p); });
  EXPECT_EQ(out.recv(), 5);
}

TEST(GoDeathTest, UnrecoveredPanicInAGoroutineExitsTwo) {
  EXPECT_EXIT(
      {
        go([] {
          auto ch = make_chan<int>();
          ch.close();
          ch.close();
        });
        std::this_thread::sleep_for(5s);
      },
      ::testing::ExitedWithCode(2), "^panic: close of closed channel\n\ngoroutine [2-9][0-9]* \\[running\\]:");
}

TEST(GoDeathTest, UnrecoveredPanicOnMainExitsTwo) {
  EXPECT_EXIT(as_main([] { throw Panic(EventKind::nil_deref, "boom", Site{}, Site{}, 1); }),
              ::testing::ExitedWithCode(2), "^panic: boom\n");
}

TEST(Leaks, NoneWhenEveryGoroutineEnded) {
  WaitGroup wg;
  for (int i = 0; i < 3; ++i) {
    wg.add(1);
    go([&] { wg.done(); });
  }
  wg.wait();
  EXPECT_TRUE(verify_no_leaks());
}

TEST(Leaks, WaitsBrieflyForGoroutinesFinishing) {
  go([] { std::this_thread::sleep_for(30ms); });
  EXPECT_TRUE(verify_no_leaks());
}

TEST(LeaksDeathTest, BlockedGoroutineIsFoundAtItsLine) {
  // Lines inside a macro argument all read as the macro's line: keep the body outside.
  const int blocked_line = __LINE__ + 4;
  auto body = [] {
    auto ch = make_chan<int>();
    go([=]() mutable {
      (void)ch.recv();
    });
    verify_no_leaks({.timeout = 50ms});
  };
  EXPECT_EXIT(as_main(body), ::testing::ExitedWithCode(2),
              "^panic: found unexpected goroutines:\n\\[Goroutine [0-9]+ in state chan receive, at .*go_test\\.cpp:" +
                  std::to_string(blocked_line) + ", created by go at .*go_test\\.cpp:" +
                  std::to_string(blocked_line - 1) + "\\]");
}

TEST(Leaks, RecordModeReportsEachLeakAndReturnsFalse) {
  EventsFile events;
  RecordMode record;
  const auto before = current_goroutines();
  auto ch = make_chan<int>();
  const int go_line = __LINE__ + 1;
  go([=]() mutable { (void)ch.recv(); });
  go([=]() mutable { (void)ch.recv(); });
  EXPECT_FALSE(verify_no_leaks({.ignore = before, .timeout = 30ms}));
  const auto lines = events.lines();
  ASSERT_EQ(kinds(lines), (std::vector<std::string>{"goroutine-leak", "goroutine-leak"}));
  EXPECT_EQ(field(lines[0], "message"), "found unexpected goroutines");
  EXPECT_EQ(field(lines[0], "line"), std::to_string(go_line));
  EXPECT_EQ(field(lines[0], "line", true), std::to_string(go_line));
  EXPECT_EQ(field(lines[1], "line"), std::to_string(go_line + 1));
  ch.close();  // release them
  EXPECT_TRUE(verify_no_leaks({.ignore = before}));
}

TEST(Leaks, IgnoreSkipsKnownGoroutines) {
  auto ch = make_chan<int>();
  go([=]() mutable { (void)ch.recv(); });
  EXPECT_TRUE(verify_no_leaks({.ignore = current_goroutines(), .timeout = 10ms}));
  ch.close();
  EXPECT_TRUE(verify_no_leaks());
}

TEST(Defer, RunsAtScopeExitInReverseOrder) {
  std::vector<int> order;
  {
    MAPGUARD_DEFER(order.push_back(1));
    MAPGUARD_DEFER(order.push_back(2));
    order.push_back(0);
  }
  EXPECT_EQ(order, (std::vector<int>{0, 2, 1}));
}

TEST(Defer, RunsWhenAPanicUnwinds) {
  bool ran = false;
  try {
    MAPGUARD_DEFER(ran = true);
    Chan<int>().close();
  } catch (const Panic&) {
  }
  EXPECT_TRUE(ran);
}

TEST(Defer, PanicFromADeferredCallPropagates) {
  auto ch = make_chan<int>();
  ch.close();
  EXPECT_THROW({ MAPGUARD_DEFER(ch.close()); }, Panic);
}

TEST(Ptr, MakePtrSharesAndDereferences) {
  auto p = make_ptr<Worker>();
  Ptr<Worker> q = p;
  q->run();
  (*p).run();
  EXPECT_EQ(p->runs, 2);
  EXPECT_TRUE(p);
  EXPECT_FALSE(Ptr<Worker>());
  EXPECT_TRUE(Ptr<Worker>() == nullptr);
}

TEST(PtrDeathTest, NilDereferencePanicsWithTheMissAsOrigin) {
  const int miss_line = __LINE__ + 4;
  auto body = [] {
    Map<std::string, Ptr<Worker>> workers;
    workers["w0"] = make_ptr<Worker>();
    auto [w, ok] = workers.lookup("w1");
    if (!ok) std::fprintf(stderr, "no worker\n");
    w->run();
  };
  EXPECT_EXIT(as_main(body), ::testing::ExitedWithCode(2),
              "panic: runtime error: invalid memory address or nil pointer dereference\n\ngoroutine 1 "
              "\\[running\\]:\n\t.*go_test\\.cpp:" + std::to_string(miss_line + 2) +
              "\n\tthe nil value comes from:\n\t.*go_test\\.cpp:" + std::to_string(miss_line));
}

TEST(Ptr, NilDereferenceEventNamesTheDerefLineWithDebugInfo) {
  EventsFile events;
  RecordMode record;  // a nil dereference cannot carry on: it still panics
  Ptr<Worker> nil_worker;
  const int decl_line = __LINE__ - 1;
  const int deref_line = __LINE__ + 2;
  try {
    nil_worker->run();
    FAIL() << "no panic";
  } catch (const Panic& p) {
    EXPECT_STREQ(p.what(), "runtime error: invalid memory address or nil pointer dereference");
  }
  const auto lines = events.lines();
  ASSERT_EQ(kinds(lines), std::vector<std::string>{"nil-deref"});
  EXPECT_EQ(field(lines[0], "line", true), std::to_string(decl_line));
  EXPECT_EQ(field(lines[0], "line"), std::to_string(deref_line)) << "needs -g and addr2line";
}

TEST(Events, JsonLineHasTheDocumentedFields) {
  const Event e{EventKind::close_closed_chan, "panic: close of closed channel", Site{"/a \"b\"\\c.cpp", 42},
                Site{"/a.cpp", 30}, 3};
  EXPECT_EQ(to_json(e),
            "{\"kind\":\"close-closed-chan\",\"message\":\"panic: close of closed channel\","
            "\"file\":\"/a \\\"b\\\"\\\\c.cpp\",\"line\":42,\"origin\":{\"file\":\"/a.cpp\",\"line\":30},"
            "\"goroutine\":3}");
  const Event no_origin{EventKind::deadlock, "m", Site{"/f.cpp", 1}, Site{}, 1};
  EXPECT_NE(to_json(no_origin).find("\"origin\":null"), std::string::npos);
}

TEST(Events, EveryKindHasItsNameAndGoMessage) {
  const std::vector<std::tuple<EventKind, std::string, std::string>> table = {
      {EventKind::concurrent_map_write, "concurrent-map-write", "concurrent map writes"},
      {EventKind::concurrent_map_read_write, "concurrent-map-read-write", "concurrent map read and map write"},
      {EventKind::nil_chan_send, "nil-chan-send", "chan send (nil chan)"},
      {EventKind::nil_chan_recv, "nil-chan-recv", "chan receive (nil chan)"},
      {EventKind::close_nil_chan, "close-nil-chan", "close of nil channel"},
      {EventKind::close_closed_chan, "close-closed-chan", "close of closed channel"},
      {EventKind::send_closed_chan, "send-closed-chan", "send on closed channel"},
      {EventKind::nil_deref, "nil-deref", "runtime error: invalid memory address or nil pointer dereference"},
      {EventKind::negative_waitgroup, "negative-waitgroup", "sync: negative WaitGroup counter"},
      {EventKind::recursive_once, "recursive-once", "sync: recursive call of Once.call (Go deadlocks here)"},
      {EventKind::goroutine_leak, "goroutine-leak", "found unexpected goroutines"},
      {EventKind::deadlock, "deadlock", "all goroutines are asleep - deadlock!"},
  };
  for (const auto& [kind, name, message] : table) {
    EXPECT_EQ(kind_name(kind), name);
    EXPECT_EQ(detail::go_message(kind), message);
  }
}

TEST(Events, ModeFollowsTheEnvironment) {
  EXPECT_FALSE(record_mode());
  {
    RecordMode record;
    EXPECT_TRUE(record_mode());
  }
  EXPECT_FALSE(record_mode());
}

}  // namespace
}  // namespace mapguard::shim
