// mapguard/sync.h — Go's sync package: Mutex, RWMutex, WaitGroup, Once.
//
// Each type is also a happens-before edge for the shim's race checks (Map, see map.h);
// nothing else orders accesses — not a std::mutex, not std::thread::join, not an atomic.
// A goroutine blocked here counts as asleep for the deadlock check: if every goroutine is,
// the process ends with `fatal error: all goroutines are asleep - deadlock!` (exit 2).
//
// Every operation takes the caller's std::source_location as a defaulted last argument;
// called through std::lock_guard & co. the recorded line is the library's, not yours.
//
// Destruction. Go's garbage collector keeps a sync object alive while anyone uses it;
// here the caller decides, and each type says below when it may be destroyed. None of
// them touches its own memory after the step that lets another goroutine go on (the
// releasing store of an unlock, of the done() that ends a wait), so the rules are the
// ones POSIX gives pthread mutexes: once no call is in progress or can start.
//
// Clang: Mutex and RWMutex are capabilities (`-Wthread-safety`, and mapguard's own lock
// analysis): annotate your fields with __attribute__((guarded_by(mu))). The macros are
// empty for other compilers.
#pragma once

#include <atomic>
#include <cstdint>
#include <source_location>
#include <utility>

#include "mapguard/detail/runtime.h"

namespace mapguard::shim {

// Go's sync.Mutex; a C++ Lockable, so std::lock_guard, std::unique_lock and
// std::scoped_lock work.
//
// The caller must: unlock only a mutex it locked; not lock it again while holding it
// (like Go, that blocks forever — and is reported as a deadlock if nothing else runs).
// Destruction: a Mutex may be destroyed once it is unlocked and no goroutine is inside,
// or can still call, lock/try_lock/unlock on it — in particular right after another
// goroutine's lock() or successful try_lock() returned and it unlocked again: the unlock
// that let it in no longer touches the Mutex (the refcount pattern is tested).
// Guaranteed: mutual exclusion; an unlock happens before the next lock that acquires the
// mutex (memory: release/acquire, and the same edge for the race checks). Not fair: a
// woken waiter competes with newcomers, as in Go's normal mode.
// Cost: uncontended lock and unlock are one compare-and-swap each, inline; unlock's
// happens-before release is O(1) when the same goroutine relocks a mutex and has learnt
// nothing from other goroutines since; a contended lock spins briefly, then sleeps.
//
//   mapguard::shim::Mutex mu;
//   mapguard::shim::Map<std::string, int> hits;
//   mapguard::shim::go([&] { std::lock_guard lk(mu); hits["a"]++; });
//   { std::lock_guard lk(mu); hits["b"]++; }   // ordered: no race reported
class MAPGUARD_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock(std::source_location where = std::source_location::current()) MAPGUARD_ACQUIRE() {
    detail::GoroutineHead& me = detail::current();
    std::uint32_t expected = 0;
    if (!state_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire, std::memory_order_relaxed))
      [[unlikely]]
      lock_slow(me, where);
    acquired(me);
  }
  [[nodiscard]] bool try_lock(std::source_location where = std::source_location::current())
      MAPGUARD_TRY_ACQUIRE(true) {
    (void)where;
    detail::GoroutineHead& me = detail::current();
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    do {
      if ((s & kLocked) != 0) return false;
    } while (!state_.compare_exchange_weak(s, s | kLocked, std::memory_order_acquire, std::memory_order_relaxed));
    acquired(me);
    return true;
  }
  void unlock(std::source_location where = std::source_location::current()) MAPGUARD_RELEASE() {
    (void)where;
    detail::GoroutineHead& me = detail::current();
    if (last_id_ == me.id && last_joins_ == me.joins) {
      clock_.set(me.slot, me.epoch());  // nothing learnt since my last release: O(1)
    } else {
      clock_.join(me.clock);
      last_id_ = me.id;
      last_joins_ = me.joins;
    }
    me.tick();
    std::uint32_t expected = kLocked;
    if (!state_.compare_exchange_strong(expected, 0, std::memory_order_release, std::memory_order_relaxed))
      [[unlikely]]
      unlock_slow();
    // *this is not touched past this point: it may be gone.
  }

 private:
  static constexpr std::uint32_t kLocked = 1;     // held
  static constexpr std::uint32_t kQueueLock = 2;  // someone edits waiters_
  static constexpr std::uint32_t kWaiters = 4;    // waiters_ is not empty

  void acquired(detail::GoroutineHead& me) {
    // Relocking what we unlocked last: our clock already covers the mutex's.
    if (last_id_ != me.id) me.acquire(clock_);
  }
  void lock_slow(detail::GoroutineHead& me, Site where);
  void unlock_slow();

  std::atomic<std::uint32_t> state_{0};
  // Guarded by the mutex itself:
  detail::VectorClock clock_;
  goroutine_id last_id_ = 0;      // the last goroutine to unlock
  std::uint32_t last_joins_ = 0;  // its `joins` then
  // Guarded by kQueueLock:
  detail::WaitQueue waiters_;
};

// Go's sync.RWMutex; Lockable and SharedLockable (std::shared_lock works).
//
// The caller must: pair lock/unlock and lock_shared/unlock_shared; not take a read lock
// recursively while a writer may be waiting (as in Go, a waiting writer blocks new readers).
// Destruction: as Mutex — once unlocked and no goroutine is inside or can still call it.
// Guaranteed: one writer or many readers; unlock happens before every later lock and
// lock_shared; each unlock_shared happens before the next lock.
class MAPGUARD_CAPABILITY("mutex") RWMutex {
 public:
  RWMutex() = default;
  RWMutex(const RWMutex&) = delete;
  RWMutex& operator=(const RWMutex&) = delete;

  void lock(std::source_location where = std::source_location::current()) MAPGUARD_ACQUIRE();
  [[nodiscard]] bool try_lock(std::source_location where = std::source_location::current())
      MAPGUARD_TRY_ACQUIRE(true);
  void unlock(std::source_location where = std::source_location::current()) MAPGUARD_RELEASE();
  void lock_shared(std::source_location where = std::source_location::current()) MAPGUARD_ACQUIRE_SHARED();
  [[nodiscard]] bool try_lock_shared(std::source_location where = std::source_location::current())
      MAPGUARD_TRY_ACQUIRE_SHARED(true);
  void unlock_shared(std::source_location where = std::source_location::current()) MAPGUARD_RELEASE_SHARED();

 private:
  // All guarded by lock_.
  detail::SpinLock lock_;
  int readers_ = 0;
  bool writer_ = false;
  int writers_waiting_ = 0;
  detail::VectorClock write_clock_;
  detail::VectorClock read_clock_;
  detail::WaitQueue waiters_;
};

// Go's sync.WaitGroup.
//
// The caller must: add() before starting what will call done(), never let the counter go
// below zero (`panic: sync: negative WaitGroup counter`; record mode clamps it to 0).
// Destruction: a WaitGroup may be destroyed as soon as a wait() has returned, if no add()
// or done() can still be called on it: the done() that released the wait does not touch
// it afterwards (tested).
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
  // All guarded by lock_.
  detail::SpinLock lock_;
  std::int64_t counter_ = 0;
  detail::VectorClock clock_;
  detail::WaitQueue waiters_;
};

// Go's sync.Once: call(f) runs f the first time only; later and concurrent callers wait
// until that first f has returned.
//
// The caller must not call the same Once from inside f: Go deadlocks there; the shim
// reports `panic: sync: recursive call of Once.call (Go deadlocks here)` (kind
// `recursive-once`), and in record mode returns without running f again.
// Destruction: once no call() is in progress or can start.
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
  // Guarded by lock_ (clock_ is immutable once done_).
  detail::SpinLock lock_;
  bool running_ = false;
  const detail::GoroutineHead* runner_ = nullptr;
  Site running_at_;
  detail::VectorClock clock_;
  detail::WaitQueue waiters_;
};

}  // namespace mapguard::shim
