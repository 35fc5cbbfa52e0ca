// mapguard/sync.h — Go's sync package: Mutex, RWMutex, WaitGroup, Once.
//
// Each type is also a happens-before edge for the shim's race checks (Map, see map.h);
// nothing else orders accesses — not a std::mutex, not std::thread::join, not an atomic.
// A goroutine blocked here counts as asleep for the deadlock check: if every goroutine is,
// the process ends with `fatal error: all goroutines are asleep - deadlock!` (exit 2).
//
// Every operation takes the caller's std::source_location as a defaulted last argument;
// called through std::lock_guard & co. the recorded line is the library's, not yours.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <source_location>
#include <utility>

#include "mapguard/detail/runtime.h"

namespace mapguard::shim {

// Go's sync.Mutex; a C++ Lockable, so std::lock_guard, std::unique_lock and
// std::scoped_lock work.
//
// The caller must: unlock only a mutex it locked; not lock it again while holding it
// (like Go, that blocks forever — and is reported as a deadlock if nothing else runs).
// Guaranteed: mutual exclusion; an unlock happens before the next lock that acquires the
// mutex (memory: release/acquire, and the same edge for the race checks). Uncontended
// lock/unlock are one atomic each plus a vector-clock join.
//
//   mapguard::shim::Mutex mu;
//   mapguard::shim::Map<std::string, int> hits;
//   mapguard::shim::go([&] { std::lock_guard lk(mu); hits["a"]++; });
//   { std::lock_guard lk(mu); hits["b"]++; }   // ordered: no race reported
class Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock(std::source_location where = std::source_location::current());
  bool try_lock(std::source_location where = std::source_location::current());
  void unlock(std::source_location where = std::source_location::current());

 private:
  void lock_slow(detail::Goroutine& me, Site where);
  std::atomic<int> state_{0};              // 0 free, 1 locked, 2 locked and maybe waiters
  detail::VectorClock clock_;              // guarded by the mutex itself
  goroutine_id last_unlocker_ = 0;         // guarded by the mutex itself
  std::deque<detail::Goroutine*> waiters_;  // guarded by the scheduler lock
};

// Go's sync.RWMutex; Lockable and SharedLockable (std::shared_lock works).
//
// The caller must: pair lock/unlock and lock_shared/unlock_shared; not take a read lock
// recursively while a writer may be waiting (as in Go, a waiting writer blocks new readers).
// Guaranteed: one writer or many readers; unlock happens before every later lock and
// lock_shared; each unlock_shared happens before the next lock.
class RWMutex {
 public:
  RWMutex() = default;
  RWMutex(const RWMutex&) = delete;
  RWMutex& operator=(const RWMutex&) = delete;

  void lock(std::source_location where = std::source_location::current());
  bool try_lock(std::source_location where = std::source_location::current());
  void unlock(std::source_location where = std::source_location::current());
  void lock_shared(std::source_location where = std::source_location::current());
  bool try_lock_shared(std::source_location where = std::source_location::current());
  void unlock_shared(std::source_location where = std::source_location::current());

 private:
  void wake_all();
  // All guarded by the scheduler lock.
  int readers_ = 0;
  bool writer_ = false;
  int writers_waiting_ = 0;
  detail::VectorClock write_clock_;
  detail::VectorClock read_clock_;
  std::deque<detail::Goroutine*> waiters_;
};

// Go's sync.WaitGroup.
//
// The caller must: add() before starting what will call done(), never let the counter go
// below zero (`panic: sync: negative WaitGroup counter`; record mode clamps it to 0).
// Guaranteed: every done() happens before the wait() that it lets return.
//
//   mapguard::shim::WaitGroup wg;
//   for (int i = 0; i < 4; ++i) { wg.add(1); mapguard::shim::go([&] { work(); wg.done(); }); }
//   wg.wait();
class WaitGroup {
 public:
  WaitGroup() = default;
  WaitGroup(const WaitGroup&) = delete;
  WaitGroup& operator=(const WaitGroup&) = delete;

  void add(int delta, std::source_location where = std::source_location::current());
  void done(std::source_location where = std::source_location::current()) { add(-1, where); }
  void wait(std::source_location where = std::source_location::current());

 private:
  // All guarded by the scheduler lock.
  std::int64_t counter_ = 0;
  detail::VectorClock clock_;
  std::deque<detail::Goroutine*> waiters_;
};

// Go's sync.Once: call(f) runs f the first time only; later and concurrent callers wait
// until that first f has returned.
//
// The caller must not call the same Once from inside f: Go deadlocks there; the shim
// reports `panic: sync: recursive call of Once.call (Go deadlocks here)` (kind
// `recursive-once`), and in record mode returns without running f again.
// Guaranteed: the first f returns (or throws) before any call returns, and happens before
// it. If f throws, the Once still counts as done (as in Go).
//
//   mapguard::shim::Once once;
//   once.call([&] { config = load(); });
class Once {
 public:
  Once() = default;
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;

  template <class F>
  void call(F&& f, std::source_location where = std::source_location::current()) {
    if (done_.load(std::memory_order_acquire)) {
      detail::acquire_from(clock_);  // immutable once done
      return;
    }
    if (!begin(where)) return;
    struct Finish {
      Once* once;
      ~Finish() { once->finish(); }
    } finish{this};
    std::forward<F>(f)();
  }

 private:
  bool begin(Site where);  // true: the caller runs f
  void finish();
  std::atomic<bool> done_{false};
  // Guarded by the scheduler lock (clock_ is immutable once done_).
  bool running_ = false;
  const detail::Goroutine* runner_ = nullptr;
  Site running_at_;
  detail::VectorClock clock_;
  std::deque<detail::Goroutine*> waiters_;
};

}  // namespace mapguard::shim
