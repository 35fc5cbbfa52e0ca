// Mutex, RWMutex, WaitGroup, Once: behaviour, Go's panics, and deadlock detection.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "shim_test_util.h"

namespace mapguard::shim {
namespace {

using namespace std::chrono_literals;
using namespace mapguard::shim::testing;  // NOLINT(google-build-using-namespace)

TEST(Mutex, IsExclusiveAndWorksWithStdGuards) {
  Mutex mu;
  int counter = 0;  // a plain int: TSan builds check the exclusion too
  WaitGroup wg;
  for (int i = 0; i < 4; ++i) {
    wg.add(1);
    go([&, i] {
      for (int j = 0; j < 200; ++j) {
        if (i == 0) {
          std::lock_guard lk(mu);
          ++counter;
        } else if (i == 1) {
          std::unique_lock lk(mu);
          ++counter;
        } else if (i == 2) {
          std::scoped_lock lk(mu);
          ++counter;
        } else {
          while (!mu.try_lock()) std::this_thread::yield();
          ++counter;
          mu.unlock();
        }
      }
      wg.done();
    });
  }
  wg.wait();
  EXPECT_EQ(counter, 800);
}

TEST(Mutex, TryLockFailsWhileHeld) {
  Mutex mu;
  mu.lock();
  std::atomic<bool> got{true};
  WaitGroup wg;
  wg.add(1);
  go([&] { got = mu.try_lock(); wg.done(); });
  wg.wait();
  EXPECT_FALSE(got);
  mu.unlock();
}

// The refcount pattern that POSIX allows for a pthread mutex: the last user frees the
// object right after its unlock, while the other user may still be inside its own unlock.
// Main holds the mutex while the goroutine queues on it, so the goroutine's unlock takes
// the slow path (a waiter was seen); main then takes the mutex with try_lock (it never
// queues), sees the other reference gone and frees it. `returned` is relaxed on purpose:
// it orders nothing for TSan. An unlock that touches the mutex after its releasing store
// is a use-after-free here: TSan reports it in every round where the goroutine had queued.
TEST(Mutex, MayBeDestroyedOnceAnotherGoroutineHasLockedAndUnlockedIt) {
  struct Shared {
    Mutex mu;
    int users = 2;  // guarded by mu
  };
  for (int round = 0; round < 40; ++round) {
    auto* s = new Shared;
    auto returned = std::make_shared<std::atomic<bool>>(false);
    s->mu.lock();
    go([s, returned] {
      s->mu.lock();  // contended: queues behind main
      --s->users;
      s->mu.unlock();
      returned->store(true, std::memory_order_relaxed);
    });
    for (int i = 0; i < 2000; ++i) std::this_thread::yield();  // let it queue
    s->mu.unlock();
    while (!returned->load(std::memory_order_relaxed)) std::this_thread::yield();
    ASSERT_TRUE(s->mu.try_lock());
    const bool last = --s->users == 0;
    s->mu.unlock();
    ASSERT_TRUE(last);
    delete s;
  }
}

TEST(RWMutex, ReadersShareWritersExclude) {
  RWMutex mu;
  std::atomic<int> readers{0}, max_readers{0}, arrived{0};
  int value = 0;
  WaitGroup wg;
  auto both_in = make_chan<int>(2);
  for (int i = 0; i < 2; ++i) {
    wg.add(1);
    go([&] {
      MAPGUARD_DEFER(wg.done());  // after the unlock: try_lock below needs both readers gone
      std::shared_lock lk(mu);
      const int now = ++readers;
      int seen = max_readers;
      while (now > seen && !max_readers.compare_exchange_weak(seen, now)) {}
      both_in.send(1);
      ++arrived;
      while (arrived < 2) std::this_thread::yield();  // both hold the read lock at once
      (void)value;
      --readers;
    });
  }
  (void)both_in.recv();
  (void)both_in.recv();
  {
    std::unique_lock lk(mu);
    EXPECT_EQ(readers, 0);
    ++value;
  }
  wg.wait();
  EXPECT_EQ(max_readers, 2);
  EXPECT_TRUE(mu.try_lock());
  EXPECT_FALSE(mu.try_lock_shared());
  mu.unlock();
}

TEST(WaitGroup, WaitReturnsAfterEveryDone) {
  WaitGroup wg;
  std::atomic<int> finished{0};
  for (int i = 0; i < 5; ++i) {
    wg.add(1);
    go([&] {
      std::this_thread::sleep_for(2ms);
      ++finished;
      wg.done();
    });
  }
  wg.wait();
  EXPECT_EQ(finished, 5);
  wg.wait();  // zero: returns at once
}

// The contract in sync.h: the done() that releases wait() does not touch the WaitGroup
// afterwards, so the waiter may free it at once (ASan/TSan builds check the memory).
TEST(WaitGroup, MayBeDestroyedAsSoonAsWaitReturns) {
  for (int round = 0; round < 50; ++round) {
    auto* wg = new WaitGroup;
    wg->add(2);
    go([wg] { wg->done(); });
    go([wg] { wg->done(); });
    wg->wait();
    delete wg;
  }
}

TEST(WaitGroupDeathTest, NegativeCounterPanics) {
  EXPECT_EXIT(as_main([] {
                WaitGroup wg;
                wg.done();
              }),
              ::testing::ExitedWithCode(2), "^panic: sync: negative WaitGroup counter\n");
}

TEST(WaitGroup, NegativeCounterInRecordModeClampsToZero) {
  EventsFile events;
  RecordMode record;
  WaitGroup wg;
  const int line = __LINE__ + 1;
  wg.add(-2);
  wg.wait();  // does not block
  const auto lines = events.lines();
  ASSERT_EQ(kinds(lines), std::vector<std::string>{"negative-waitgroup"});
  EXPECT_EQ(field(lines[0], "message"), "panic: sync: negative WaitGroup counter");
  EXPECT_EQ(field(lines[0], "line"), std::to_string(line));
}

TEST(Once, RunsOnceAndLaterCallersWaitForIt) {
  Once once;
  std::atomic<int> runs{0};
  int value = 0;
  WaitGroup wg;
  for (int i = 0; i < 4; ++i) {
    wg.add(1);
    go([&] {
      once.call([&] {
        std::this_thread::sleep_for(10ms);
        value = 42;
        ++runs;
      });
      EXPECT_EQ(value, 42);  // every caller returns after f, and sees its writes
      wg.done();
    });
  }
  wg.wait();
  EXPECT_EQ(runs, 1);
}

TEST(Once, ThrowingFunctionStillCountsAsDone) {
  Once once;
  EXPECT_THROW(once.call([] { throw std::runtime_error("x"); }), std::runtime_error);
  bool ran = false;
  once.call([&] { ran = true; });
  EXPECT_FALSE(ran);
}

TEST(OnceDeathTest, RecursiveCallIsReported) {
  EXPECT_EXIT(as_main([] {
                Once once;
                once.call([&] { once.call([] {}); });
              }),
              ::testing::ExitedWithCode(2),
              "^panic: sync: recursive call of Once\\.call \\(Go deadlocks here\\)\n(.|\n)*the outer call is at:");
}

TEST(Once, RecursiveCallInRecordModeReturnsWithoutRunning) {
  EventsFile events;
  RecordMode record;
  Once once;
  int inner_runs = 0;
  const int outer_line = __LINE__ + 1;
  once.call([&] {
    once.call([&] { ++inner_runs; });
  });
  EXPECT_EQ(inner_runs, 0);
  const auto lines = events.lines();
  ASSERT_EQ(kinds(lines), std::vector<std::string>{"recursive-once"});
  EXPECT_EQ(field(lines[0], "line"), std::to_string(outer_line + 1));
  EXPECT_EQ(field(lines[0], "line", true), std::to_string(outer_line));
}

TEST(DeadlockDeathTest, MutexLockedTwiceByTheOnlyGoroutine) {
  EXPECT_EXIT(
      {
        Mutex mu;
        mu.lock();
        mu.lock();
      },
      ::testing::ExitedWithCode(2), "^fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[sync\\.Mutex\\.Lock\\]:");
}

TEST(DeadlockDeathTest, EveryGoroutineBlockedAcrossPrimitives) {
  EXPECT_EXIT(
      {
        WaitGroup wg;
        wg.add(2);
        auto ch = make_chan<int>();
        go([&] { (void)ch.recv(); wg.done(); });
        RWMutex rw;
        rw.lock();
        go([&] { rw.lock_shared(); wg.done(); });
        wg.wait();
      },
      ::testing::ExitedWithCode(2),
      "all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[sync\\.WaitGroup\\.Wait\\]:(.|\n)*"
      "\\[chan receive\\](.|\n)*\\[sync\\.RWMutex\\.RLock\\]");
}

TEST(Deadlock, GoroutineRunningOutsideTheShimIsNotADeadlock) {
  auto ch = make_chan<int>();
  go([=]() mutable {
    std::this_thread::sleep_for(200ms);  // asleep for the OS, running for Go
    ch.send(1);
  });
  EXPECT_EQ(ch.recv(), 1);
}

}  // namespace
}  // namespace mapguard::shim
