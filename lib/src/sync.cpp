// Mutex, RWMutex, WaitGroup and Once: parking under the scheduler lock, clocks as edges.
#include <string>

#include "mapguard/sync.h"
#include "scheduler.h"

namespace mapguard::shim {

using detail::Goroutine;

namespace {

void wake(std::deque<Goroutine*>& waiters) {
  for (Goroutine* g : waiters) detail::ready(*g);
  waiters.clear();
}

}  // namespace

// ---- Mutex: a futex-style state word; contended waiters park under the scheduler lock.

void Mutex::lock(std::source_location where) {
  Goroutine& me = detail::current();
  int expected = 0;
  if (!state_.compare_exchange_strong(expected, 1, std::memory_order_acquire)) lock_slow(me, where);
  // Relocking what we unlocked last: our clock already covers the mutex's.
  if (last_unlocker_ != me.id) me.clock.join(clock_);
}

void Mutex::lock_slow(Goroutine& me, Site where) {
  std::unique_lock lk(detail::scheduler().mu);
  while (state_.exchange(2, std::memory_order_acquire) != 0) {
    waiters_.push_back(&me);
    detail::park(lk, me, "sync.Mutex.Lock", where);
  }
}

bool Mutex::try_lock(std::source_location) {
  Goroutine& me = detail::current();
  int expected = 0;
  if (!state_.compare_exchange_strong(expected, 1, std::memory_order_acquire)) return false;
  if (last_unlocker_ != me.id) me.clock.join(clock_);
  return true;
}

void Mutex::unlock(std::source_location) {
  Goroutine& me = detail::current();
  clock_.join(me.clock);
  me.clock.tick(me.id);
  last_unlocker_ = me.id;
  if (state_.exchange(0, std::memory_order_release) == 2) {
    std::lock_guard lk(detail::scheduler().mu);
    if (!waiters_.empty()) {
      Goroutine* g = waiters_.front();
      waiters_.pop_front();
      detail::ready(*g);
    }
  }
}

// ---- RWMutex: all state under the scheduler lock; any release wakes every waiter.

void RWMutex::wake_all() { wake(waiters_); }

void RWMutex::lock(std::source_location where) {
  Goroutine& me = detail::current();
  std::unique_lock lk(detail::scheduler().mu);
  ++writers_waiting_;
  while (writer_ || readers_ > 0) {
    waiters_.push_back(&me);
    detail::park(lk, me, "sync.RWMutex.Lock", where);
  }
  --writers_waiting_;
  writer_ = true;
  me.clock.join(write_clock_);
  me.clock.join(read_clock_);
}

bool RWMutex::try_lock(std::source_location) {
  Goroutine& me = detail::current();
  std::lock_guard lk(detail::scheduler().mu);
  if (writer_ || readers_ > 0) return false;
  writer_ = true;
  me.clock.join(write_clock_);
  me.clock.join(read_clock_);
  return true;
}

void RWMutex::unlock(std::source_location) {
  Goroutine& me = detail::current();
  std::lock_guard lk(detail::scheduler().mu);
  writer_ = false;
  write_clock_.join(me.clock);
  me.clock.tick(me.id);
  wake_all();
}

void RWMutex::lock_shared(std::source_location where) {
  Goroutine& me = detail::current();
  std::unique_lock lk(detail::scheduler().mu);
  while (writer_ || writers_waiting_ > 0) {
    waiters_.push_back(&me);
    detail::park(lk, me, "sync.RWMutex.RLock", where);
  }
  ++readers_;
  me.clock.join(write_clock_);
}

bool RWMutex::try_lock_shared(std::source_location) {
  Goroutine& me = detail::current();
  std::lock_guard lk(detail::scheduler().mu);
  if (writer_ || writers_waiting_ > 0) return false;
  ++readers_;
  me.clock.join(write_clock_);
  return true;
}

void RWMutex::unlock_shared(std::source_location) {
  Goroutine& me = detail::current();
  std::lock_guard lk(detail::scheduler().mu);
  --readers_;
  read_clock_.join(me.clock);
  me.clock.tick(me.id);
  if (readers_ == 0) wake_all();
}

// ---- WaitGroup

void WaitGroup::add(int delta, std::source_location where) {
  Goroutine& me = detail::current();
  std::unique_lock lk(detail::scheduler().mu);
  counter_ += delta;
  if (delta < 0) {
    clock_.join(me.clock);
    me.clock.tick(me.id);
  }
  if (counter_ < 0) {
    counter_ = 0;  // record mode carries on from zero
    lk.unlock();
    const EventKind kind = EventKind::negative_waitgroup;
    detail::raise(Event{kind, "panic: " + std::string(detail::go_message(kind)), where, Site{}, me.id}, true);
    lk.lock();
  }
  if (counter_ == 0) {
    for (Goroutine* g : waiters_) g->clock.join(clock_);
    wake(waiters_);
  }
}

void WaitGroup::wait(std::source_location where) {
  Goroutine& me = detail::current();
  std::unique_lock lk(detail::scheduler().mu);
  if (counter_ == 0) {
    me.clock.join(clock_);
    return;
  }
  waiters_.push_back(&me);
  detail::park(lk, me, "sync.WaitGroup.Wait", where);  // the waker joined our clock
}

// ---- Once

bool Once::begin(Site where) {
  Goroutine& me = detail::current();
  std::unique_lock lk(detail::scheduler().mu);
  for (;;) {
    if (done_.load(std::memory_order_relaxed)) {
      me.clock.join(clock_);
      return false;
    }
    if (!running_) break;
    if (runner_ == &me) {
      const Site outer = running_at_;
      lk.unlock();
      const EventKind kind = EventKind::recursive_once;
      detail::raise(Event{kind, "panic: " + std::string(detail::go_message(kind)), where, outer, me.id}, true);
      return false;  // record mode: f is not run again
    }
    waiters_.push_back(&me);
    detail::park(lk, me, "sync.Once.Do", where);
  }
  running_ = true;
  runner_ = &me;
  running_at_ = where;
  return true;
}

void Once::finish() {
  Goroutine& me = detail::current();
  std::lock_guard lk(detail::scheduler().mu);
  clock_.join(me.clock);
  me.clock.tick(me.id);
  running_ = false;
  runner_ = nullptr;
  done_.store(true, std::memory_order_release);
  wake(waiters_);
}

}  // namespace mapguard::shim
