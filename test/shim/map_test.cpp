// Map: the unordered_map surface, lookup, and the happens-before race checks.
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string>

#include "shim_test_util.h"

namespace mapguard::shim {
namespace {

using namespace mapguard::shim::testing;  // NOLINT(google-build-using-namespace)
using IntMap = Map<int, int>;

struct Worker {
  int id = 0;
};

TEST(Map, UnorderedMapSurface) {
  EventsFile events;
  Map<std::string, int> m{{"a", 1}};
  m["key"] = 2;  // string literal key, as with std
  m["key"]++;
  EXPECT_EQ(m["key"], 3);
  EXPECT_EQ(m.at("a"), 1);
  EXPECT_THROW((void)m.at("nope"), std::out_of_range);
  EXPECT_NE(m.find("a"), m.end());
  EXPECT_EQ(m.find("nope"), m.end());
  EXPECT_TRUE(m.contains("a"));
  EXPECT_EQ(m.count("nope"), 0u);
  EXPECT_TRUE(m.insert({"b", 4}).second);
  EXPECT_FALSE(m.insert({"b", 5}).second);
  EXPECT_TRUE(m.emplace("c", 6).second);
  EXPECT_TRUE(m.try_emplace("d", 7).second);
  EXPECT_FALSE(m.try_emplace("d", 8).second);
  EXPECT_FALSE(m.insert_or_assign("d", 9).second);
  EXPECT_EQ(m.at("d"), 9);
  EXPECT_EQ(m.size(), 5u);
  int sum = 0;
  for (const auto& [k, v] : m) sum += v;
  EXPECT_EQ(sum, 1 + 3 + 4 + 6 + 9);
  EXPECT_EQ(m.erase("a"), 1u);
  m.erase(m.find("b"));
  Map<std::string, int> copy(m);
  EXPECT_EQ(copy.size(), 3u);
  m.clear();
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(copy.at("c"), 6);
  EXPECT_TRUE(events.lines().empty());
}

TEST(Map, LookupIsGoCommaOkAndNeverInserts) {
  Map<std::string, int> m;
  m["present"] = 5;
  EXPECT_EQ(m.lookup("present"), std::make_pair(5, true));
  EXPECT_EQ(m.lookup("missing"), std::make_pair(0, false));
  EXPECT_FALSE(m.contains("missing"));
  EXPECT_EQ(m.size(), 1u);
}

TEST(Map, HandleMadeByAMissRemembersTheMissLine) {
  EventsFile events;
  RecordMode record;
  Map<std::string, Ptr<Worker>> workers;
  const int lookup_line = __LINE__ + 1;
  auto [w, ok] = workers.lookup("w1");
  EXPECT_FALSE(ok);
  EXPECT_TRUE(w.is_nil());
  EXPECT_THROW(w->id++, Panic);
  const int index_line = __LINE__ + 1;
  Ptr<Worker>& slot = workers["w2"];
  EXPECT_THROW((void)(*slot).id, Panic);
  const auto lines = events.lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(field(lines[0], "line", true), std::to_string(lookup_line));
  EXPECT_EQ(field(lines[1], "line", true), std::to_string(index_line));
  EXPECT_EQ(field(lines[1], "file", true), __FILE__);
}

// Two goroutines, three writes each, no synchronisation between them.
void race_three_writes_each(Map<int, int>& m, int* first_write_line) {
  WaitGroup wg;
  for (int g = 0; g < 2; ++g) {
    wg.add(1);
    go([&m, &wg, g] {
      for (int j = 0; j < 3; ++j) m[g * 10 + j] = j;
      wg.done();
    });
  }
  *first_write_line = __LINE__ - 4;
  wg.wait();
}

TEST(MapDeathTest, ConcurrentWritesAreFatalLikeGo) {
  int line = 0;
  EXPECT_EXIT(
      {
        IntMap m;
        race_three_writes_each(m, &line);
      },
      ::testing::ExitedWithCode(2),
      "fatal error: concurrent map writes\n\ngoroutine [0-9]+ \\[running\\]:\n\t.*map_test\\.cpp:[0-9]+");
}

TEST(Map, RaceOfThreeWritesPerGoroutineIsReportedTwentyRunsOutOfTwenty) {
  EventsFile events;
  RecordMode record;
  int reported_runs = 0;
  std::size_t seen = 0;
  int line = 0;
  for (int run = 0; run < 20; ++run) {
    Map<int, int> m;
    race_three_writes_each(m, &line);
    const auto lines = events.lines();
    bool this_run = false;
    for (std::size_t i = seen; i < lines.size(); ++i) {
      this_run |= field(lines[i], "kind") == "concurrent-map-write";
      EXPECT_EQ(field(lines[i], "message"), "fatal error: concurrent map writes");
      EXPECT_EQ(field(lines[i], "line"), std::to_string(line));
      EXPECT_EQ(field(lines[i], "line", true), std::to_string(line));
    }
    seen = lines.size();
    reported_runs += this_run ? 1 : 0;
  }
  EXPECT_EQ(reported_runs, 20);
}

TEST(Map, WritesThatNeverOverlapInTimeAreStillAReportedRace) {
  // Go misses this one: the second write starts after the first goroutine has ended, but
  // only a std::atomic (not a shim edge) says so.
  EventsFile events;
  RecordMode record;
  Map<std::string, int> m;
  std::atomic<bool> first_done{false};
  WaitGroup wg;
  wg.add(2);
  const int first_line = __LINE__ + 1;
  go([&] { m["k"] = 1; first_done = true; wg.done(); });
  while (!first_done) std::this_thread::yield();
  const int second_line = __LINE__ + 1;
  go([&] { m["k"] = 2; wg.done(); });
  wg.wait();
  const auto lines = events.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(field(lines[0], "kind"), "concurrent-map-write");
  EXPECT_EQ(field(lines[0], "line"), std::to_string(second_line));
  EXPECT_EQ(field(lines[0], "line", true), std::to_string(first_line));
  EXPECT_EQ(field(lines[0], "file"), __FILE__);
  EXPECT_NE(field(lines[0], "goroutine"), "1");
}

TEST(MapDeathTest, ReadRacingAWriteIsFatalLikeGo) {
  EXPECT_EXIT(
      {
        IntMap m;
        WaitGroup wg;
        wg.add(1);
        go([&] { m[1] = 1; wg.done(); });
        (void)m.lookup(1);  // unordered with the write: the go start orders only the other way
        wg.wait();
      },
      ::testing::ExitedWithCode(2), "fatal error: concurrent map read and map write");
}

TEST(Map, ReadWriteRaceIsRecordedWithBothLines) {
  EventsFile events;
  RecordMode record;
  Map<int, int> m;
  WaitGroup wg;
  wg.add(1);
  const int write_line = __LINE__ + 1;
  go([&] { m[1] = 1; wg.done(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const int read_line = __LINE__ + 1;
  (void)m.contains(1);
  wg.wait();
  auto lines = events.lines();
  ASSERT_GE(lines.size(), 1u);
  EXPECT_EQ(field(lines[0], "kind"), "concurrent-map-read-write");
  EXPECT_EQ(field(lines[0], "message"), "fatal error: concurrent map read and map write");
  // Whichever ran second is `line`; the other is the origin.
  const std::string a = field(lines[0], "line"), b = field(lines[0], "line", true);
  EXPECT_TRUE((a == std::to_string(read_line) && b == std::to_string(write_line)) ||
              (b == std::to_string(read_line) && a == std::to_string(write_line)))
      << lines[0];
}

// Each shim edge orders the accesses: no event.
class OrderedAccesses : public ::testing::Test {
 protected:
  EventsFile events;
  RecordMode record;
  Map<std::string, int> m;
  void TearDown() override {
    EXPECT_TRUE(events.lines().empty()) << events.lines().front();
  }
};

TEST_F(OrderedAccesses, GoStart) {
  m["k"] = 1;
  WaitGroup wg;
  wg.add(1);
  go([&] { m["k"] = 2; wg.done(); });
  wg.wait();
  m["k"] = 3;  // WaitGroup: the goroutine's write happens before
}

TEST_F(OrderedAccesses, Mutex) {
  Mutex mu;
  WaitGroup wg;
  for (int i = 0; i < 4; ++i) {
    wg.add(1);
    go([&] {
      for (int j = 0; j < 50; ++j) {
        std::lock_guard lk(mu);
        m["k"]++;
      }
      wg.done();
    });
  }
  wg.wait();
  EXPECT_EQ(m["k"], 200);
}

TEST_F(OrderedAccesses, RWMutexReadersAndWriter) {
  RWMutex mu;
  WaitGroup wg;
  for (int i = 0; i < 3; ++i) {
    wg.add(1);
    go([&, i] {
      for (int j = 0; j < 20; ++j) {
        if (i == 0) {
          std::unique_lock lk(mu);
          m["k"]++;
        } else {
          std::shared_lock lk(mu);
          (void)m.lookup("k");
        }
      }
      wg.done();
    });
  }
  wg.wait();
}

TEST_F(OrderedAccesses, ChanSendBeforeRecv) {
  auto ch = make_chan<int>();
  go([&] { m["k"] = 1; ch.send(1); });
  (void)ch.recv();
  m["k"] = 2;
}

TEST_F(OrderedAccesses, UnbufferedRecvBeforeSendCompletes) {
  auto ch = make_chan<int>();
  auto done = make_chan<int>(1);
  go([&] {
    (void)m.lookup("k");
    (void)ch.recv();
    done.send(0);
  });
  ch.send(1);
  m["k"] = 2;  // the goroutine's read happened before its recv, before this send returned
  (void)done.recv();
}

TEST_F(OrderedAccesses, CloseBeforeRecvOfClosed) {
  auto ch = make_chan<int>();
  go([&] { m["k"] = 1; ch.close(); });
  EXPECT_FALSE(ch.recv().has_value());
  m["k"] = 2;
}

TEST_F(OrderedAccesses, Once) {
  Once once;
  WaitGroup wg;
  for (int i = 0; i < 3; ++i) {
    wg.add(1);
    go([&] {
      once.call([&] { m["k"] = 1; });
      (void)m.lookup("k");
      wg.done();
    });
  }
  wg.wait();
}

TEST(Map, StdMutexIsNotAHappensBeforeEdge) {
  // The contract: only the shim's synchronisation orders accesses.
  EventsFile events;
  RecordMode record;
  Map<std::string, int> m;
  std::mutex mu;
  WaitGroup wg;
  wg.add(2);
  for (int i = 0; i < 2; ++i) {
    go([&] {
      // done() after the unlock: `mu` lives on this test's stack, which is gone once
      // wait() has returned. (Calling done() under the lock_guard made the goroutine
      // unlock a std::mutex in a later test's frame: glibc's tpp.c assertion under TSan.)
      MAPGUARD_DEFER(wg.done());
      std::lock_guard lk(mu);
      m["k"]++;
    });
  }
  wg.wait();
  EXPECT_EQ(kinds(events.lines()), std::vector<std::string>{"concurrent-map-write"});
}

}  // namespace
}  // namespace mapguard::shim
