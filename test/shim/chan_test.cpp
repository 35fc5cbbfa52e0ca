// Chan: rendezvous, buffering, close, range-for, select, and Go's channel panics.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "shim_test_util.h"

namespace mapguard::shim {
namespace {

using namespace std::chrono_literals;
using namespace mapguard::shim::testing;  // NOLINT(google-build-using-namespace)
using ChanMap = Map<std::string, Chan<int>>;
constexpr int round_trip_value = 17;

TEST(Chan, DefaultIsNilAndMakeChanIsNot) {
  Chan<int> nil_chan;
  EXPECT_TRUE(nil_chan.is_nil());
  EXPECT_FALSE(nil_chan);
  auto ch = make_chan<int>(3);
  EXPECT_FALSE(ch.is_nil());
  EXPECT_EQ(ch.capacity(), 3u);
  Chan<int> copy = ch;
  EXPECT_TRUE(copy == ch);
}

TEST(Chan, CapacityZeroIsATrueRendezvous) {
  auto ch = make_chan<int>();
  std::atomic<bool> send_returned{false};
  WaitGroup wg;
  wg.add(1);
  go([&] {
    ch.send(7);
    send_returned = true;
    wg.done();
  });
  std::this_thread::sleep_for(30ms);
  EXPECT_FALSE(send_returned) << "an unbuffered send returned with no receiver";
  EXPECT_FALSE(ch.try_send(8)) << "no receiver is waiting";
  EXPECT_EQ(ch.recv(), 7);
  wg.wait();
  EXPECT_TRUE(send_returned);
}

// The contract in chan.h: a goroutine woken from send touches neither the channel nor
// the handle it used, so the handle (here the last one) may go once the receive returned.
TEST(Chan, HandleMayBeDestroyedOnceThePartnerOperationReturned) {
  for (int round = 0; round < 50; ++round) {
    auto* ch = new Chan<int>(make_chan<int>());
    go([ch] { ch->send(round_trip_value); });
    EXPECT_EQ(ch->recv(), round_trip_value);
    delete ch;
  }
}

TEST(Chan, BufferedIsFifoAndTryOpsDoNotBlock) {
  auto ch = make_chan<std::string>(2);
  EXPECT_TRUE(ch.try_send("a"));
  ch.send("b");
  EXPECT_FALSE(ch.try_send("c"));
  EXPECT_EQ(ch.size(), 2u);
  EXPECT_EQ(ch.recv(), "a");
  EXPECT_EQ(ch.try_recv(), "b");
  bool closed = true;
  EXPECT_EQ(ch.try_recv(&closed), std::nullopt);
  EXPECT_FALSE(closed);
  ch.close();
  EXPECT_EQ(ch.try_recv(&closed), std::nullopt);
  EXPECT_TRUE(closed);
}

TEST(Chan, RecvDrainsThenReportsClosed) {
  auto ch = make_chan<int>(2);
  ch.send(1);
  ch.send(2);
  ch.close();
  EXPECT_EQ(ch.recv(), 1);
  EXPECT_EQ(ch.recv(), 2);
  EXPECT_EQ(ch.recv(), std::nullopt);
  EXPECT_EQ(ch.recv(), std::nullopt);
}

TEST(Chan, RangeForRunsUntilClosed) {
  auto ch = make_chan<int>();
  go([ch]() mutable {
    MAPGUARD_DEFER(ch.close());
    for (int i = 1; i <= 10; ++i) ch.send(i);
  });
  int sum = 0;
  for (int v : ch) sum += v;
  EXPECT_EQ(sum, 55);
}

TEST(Chan, CloseWakesEveryBlockedReceiver) {
  auto ch = make_chan<int>();
  auto results = make_chan<bool>(3);
  for (int i = 0; i < 3; ++i) go([=]() mutable { results.send(ch.recv().has_value()); });
  std::this_thread::sleep_for(10ms);
  ch.close();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(results.recv(), false);
}

TEST(Select, TakesTheReadyCase) {
  auto a = make_chan<int>(1);
  auto b = make_chan<int>(1);
  b.send(5);
  std::optional<int> got_a, got_b;
  EXPECT_EQ(select(on_recv(a, got_a), on_recv(b, got_b)), 1);
  EXPECT_EQ(got_b, 5);
  EXPECT_EQ(select(on_recv(a, got_a), on_send(b, 6)), 1);
  EXPECT_EQ(b.recv(), 6);
}

TEST(Select, DefaultWhenNothingIsReady) {
  auto a = make_chan<int>();
  Chan<int> nil_chan;
  std::optional<int> got;
  EXPECT_EQ(select(on_recv(a, got), on_send(nil_chan, 1), on_default()), 2);
  EXPECT_FALSE(got.has_value());
}

TEST(Select, BlocksUntilACaseCanRunAndPairsWithPlainOps) {
  auto in = make_chan<int>();
  auto out = make_chan<int>();
  Chan<int> nil_chan;  // never ready: ignored
  go([=]() mutable {
    std::this_thread::sleep_for(5ms);
    in.send(1);
    EXPECT_EQ(out.recv(), 2);
  });
  std::optional<int> got, never;
  EXPECT_EQ(select(on_recv(in, got), on_recv(nil_chan, never)), 0);
  EXPECT_EQ(got, 1);
  EXPECT_EQ(select(on_send(out, 2), on_recv(nil_chan, never)), 0);  // unbuffered: waits for the receiver
  EXPECT_TRUE(verify_no_leaks());
}

TEST(Select, RecvCaseSeesClose) {
  auto a = make_chan<int>();
  go([=]() mutable { a.close(); });
  std::optional<int> got = 9;
  EXPECT_EQ(select(on_recv(a, got)), 0);
  EXPECT_FALSE(got.has_value());
}

TEST(Select, TwoSelectsRendezvous) {
  auto ch = make_chan<int>();
  auto stop = make_chan<int>();
  go([=]() mutable {
    std::optional<int> s;
    (void)select(on_send(ch, 42), on_recv(stop, s));
  });
  std::optional<int> got;
  std::optional<int> unused;
  auto never = make_chan<int>();
  EXPECT_EQ(select(on_recv(never, unused), on_recv(ch, got)), 1);
  EXPECT_EQ(got, 42);
}

TEST(ChanDeathTest, CloseOfNilChannelPanics) {
  Map<std::string, Chan<int>> chans;
  EXPECT_EXIT(as_main([&] {
                auto ch = chans["missing"];
                ch.close();
              }),
              ::testing::ExitedWithCode(2), "^panic: close of nil channel\n");
}

TEST(ChanDeathTest, CloseOfClosedChannelPanicsAtTheDeferLine) {
  int defer_line = 0;
  EXPECT_EXIT(as_main([&] {
                auto ch = make_chan<int>();
                defer_line = __LINE__ + 1;
                MAPGUARD_DEFER(ch.close());
                ch.close();
              }),
              ::testing::ExitedWithCode(2),
              "^panic: close of closed channel\n\ngoroutine 1 \\[running\\]:\n\t.*chan_test\\.cpp:[0-9]+\n\tfirst closed at:");
}

TEST(ChanDeathTest, SendOnClosedChannelPanics) {
  EXPECT_EXIT(as_main([] {
                auto ch = make_chan<int>(1);
                ch.close();
                ch.send(1);
              }),
              ::testing::ExitedWithCode(2), "^panic: send on closed channel\n");
}

TEST(ChanDeathTest, BlockedSenderPanicsWhenTheChannelIsClosed) {
  EXPECT_EXIT(
      {
        auto ch = make_chan<int>();
        go([=]() mutable { ch.send(1); });
        std::this_thread::sleep_for(20ms);
        ch.close();
        std::this_thread::sleep_for(2s);
      },
      ::testing::ExitedWithCode(2), "panic: send on closed channel");
}

TEST(Chan, PanicsAreRecoverableAndRecorded) {
  EventsFile events;
  Chan<int> nil_chan;
  auto ch = make_chan<int>(1);
  ch.close();
  try {
    ch.close();
    FAIL() << "no panic";
  } catch (const Panic& p) {
    EXPECT_STREQ(p.what(), "close of closed channel");
    EXPECT_EQ(p.kind(), EventKind::close_closed_chan);
  }
  EXPECT_THROW(ch.send(1), Panic);
  EXPECT_THROW(nil_chan.close(), Panic);
  EXPECT_EQ(kinds(events.lines()),
            (std::vector<std::string>{"close-closed-chan", "send-closed-chan", "close-nil-chan"}));
  EXPECT_EQ(field(events.lines()[2], "message"), "panic: close of nil channel");
}

TEST(Chan, RecordModeCarriesOnPastChannelPanics) {
  EventsFile events;
  RecordMode record;
  Chan<int> nil_chan;
  const int nil_line = __LINE__ - 1;
  auto ch = make_chan<int>(1);
  const int first_close = __LINE__ + 1;
  ch.close();
  const int second_close = __LINE__ + 1;
  ch.close();
  ch.send(1);  // dropped
  nil_chan.close();
  EXPECT_EQ(ch.recv(), std::nullopt);
  const auto lines = events.lines();
  ASSERT_EQ(kinds(lines), (std::vector<std::string>{"close-closed-chan", "send-closed-chan", "close-nil-chan"}));
  EXPECT_EQ(field(lines[0], "line"), std::to_string(second_close));
  EXPECT_EQ(field(lines[0], "line", true), std::to_string(first_close));
  EXPECT_EQ(field(lines[1], "line", true), std::to_string(first_close));
  EXPECT_EQ(field(lines[2], "line", true), std::to_string(nil_line));
}

TEST(ChanDeathTest, NilChanOpsAreReportedAtOnceAndBlockForever) {
  // In a child process: the goroutines stay blocked forever, as in Go.
  EventsFile events;
  const int miss_line = __LINE__ + 4;
  const int send_line = __LINE__ + 5;
  auto body = [] {
    Map<std::string, Chan<int>> chans;
    Chan<int> ch = chans["missing"];
    std::atomic<int> returned{0};
    go([&] { ch.send(1); ++returned; });
    go([&] { (void)ch.recv(); ++returned; });
    std::this_thread::sleep_for(100ms);
    std::exit(returned == 0 ? 0 : 1);
  };
  EXPECT_EXIT(body(), ::testing::ExitedWithCode(0), "goroutine blocks forever: chan send \\(nil chan\\)");
  const auto lines = events.wait_for_lines(2);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& l : lines) {
    const bool is_send = field(l, "kind") == "nil-chan-send";
    EXPECT_TRUE(is_send || field(l, "kind") == "nil-chan-recv") << l;
    EXPECT_EQ(field(l, "message"), is_send ? "goroutine blocks forever: chan send (nil chan)"
                                           : "goroutine blocks forever: chan receive (nil chan)");
    EXPECT_EQ(field(l, "file"), __FILE__);
    EXPECT_EQ(field(l, "line"), std::to_string(is_send ? send_line : send_line + 1));
    EXPECT_EQ(field(l, "line", true), std::to_string(miss_line)) << "origin: the map miss";
  }
}

TEST(ChanDeathTest, NilChanRecvOnMainAloneIsGoDeadlock) {
  EXPECT_EXIT(
      {
        ChanMap chans;
        (void)chans["missing"].recv();
      },
      ::testing::ExitedWithCode(2),
      "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[chan receive \\(nil chan\\)\\]:");
}

TEST(ChanDeathTest, DeadlockEventIsWrittenBeforeExit) {
  EventsFile events;
  EXPECT_EXIT(
      {
        auto ch = make_chan<int>();
        go([=]() mutable { ch.send(1); ch.send(2); });
        (void)ch.recv();
        auto never = make_chan<int>();
        (void)never.recv();
      },
      ::testing::ExitedWithCode(2), "all goroutines are asleep - deadlock!(.|\n)*\\[chan send\\]");
  const auto lines = events.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(field(lines[0], "kind"), "deadlock");
  EXPECT_EQ(field(lines[0], "message"), "fatal error: all goroutines are asleep - deadlock!");
  EXPECT_EQ(field(lines[0], "goroutine"), "1");
}

}  // namespace
}  // namespace mapguard::shim
