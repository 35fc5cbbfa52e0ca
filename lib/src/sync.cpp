// Mutex, RWMutex, WaitGroup and Once: a lock per object, Waiters on the sleepers' stacks,
// wakes after the object's lock is released, clocks as edges.
#include <string>

#include "mapguard/sync.h"
#include "scheduler.h"

namespace mapguard::shim {

using detail::GoroutineHead;
using detail::Waiter;
using detail::WaitQueue;

namespace {

// Unlinks every waiter into a list threaded through `next` (the caller holds the lock).
Waiter* take_all(WaitQueue& q) {
  Waiter* first = nullptr;
  Waiter* last = nullptr;
  while (Waiter* w = q.pop_front()) {
    if (last != nullptr) {
      last->next = w;
    } else {
      first = w;
    }
    last = w;
  }
  return first;
}

// Wakes a list from take_all(), after the lock is released. A Waiter lives on its
// sleeper's stack, so its fields are read before that sleeper is woken.
void ready_all(Waiter* w) {
  while (w != nullptr) {
    Waiter* next = w->next;
    detail::ready(*w->g);
    w = next;
  }
}

constexpr int kLockSpins = 16;  // CAS attempts before queueing (longer spins lost on 2 shared cores)

}  // namespace

// ---- Mutex: a state word (locked, queue lock, waiters); the waiter queue is edited
// only under the queue bit, and an unlock releases both bits in one store.

void Mutex::lock_slow(GoroutineHead& me, Site where) {
  int spins = 0;
  for (;;) {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    if ((s & kLocked) == 0) {
      if (state_.compare_exchange_weak(s, s | kLocked, std::memory_order_acquire, std::memory_order_relaxed)) return;
      continue;
    }
    if ((s & kQueueLock) != 0 || ++spins < kLockSpins) {
      detail::cpu_relax();
      continue;
    }
    if (!state_.compare_exchange_weak(s, s | kQueueLock, std::memory_order_acquire, std::memory_order_relaxed))
      continue;
    // We hold the queue bit while kLocked is set: the holder's unlock cannot complete
    // (its fast path needs the state to be exactly kLocked, its slow path the queue bit),
    // so queueing cannot miss the wake.
    Waiter w{&me};
    waiters_.push_back(&w);
    detail::begin_park(me, "sync.Mutex.Lock", where);
    state_.store(kLocked | kWaiters, std::memory_order_release);
    detail::park(me);
    spins = 0;  // woken: compete again, as in Go's normal mode
  }
}

void Mutex::unlock_slow() {
  // The state has kWaiters, or a goroutine is queueing (kQueueLock). Take the queue bit.
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  for (;;) {
    if ((s & kQueueLock) != 0) {
      detail::cpu_relax();
      s = state_.load(std::memory_order_relaxed);
      continue;
    }
    if (state_.compare_exchange_weak(s, s | kQueueLock, std::memory_order_acquire, std::memory_order_relaxed)) break;
  }
  Waiter* w = waiters_.pop_front();
  GoroutineHead* g = w != nullptr ? w->g : nullptr;
  // Unlocks and drops the queue bit in one store: the last touch of *this.
  state_.store(waiters_.empty() ? 0 : kWaiters, std::memory_order_release);
  if (g != nullptr) detail::ready(*g);
}

// ---- RWMutex: one spin lock for the state; any release wakes every waiter to retry.

void RWMutex::lock(std::source_location where) {
  GoroutineHead& me = detail::current();
  lock_.lock();
  ++writers_waiting_;
  while (writer_ || readers_ > 0) {
    Waiter w{&me};
    waiters_.push_back(&w);
    detail::begin_park(me, "sync.RWMutex.Lock", where);
    lock_.unlock();
    detail::park(me);
    lock_.lock();
  }
  --writers_waiting_;
  writer_ = true;
  me.acquire(write_clock_);
  me.acquire(read_clock_);
  lock_.unlock();
}

bool RWMutex::try_lock(std::source_location) {
  GoroutineHead& me = detail::current();
  lock_.lock();
  const bool got = !writer_ && readers_ == 0;
  if (got) {
    writer_ = true;
    me.acquire(write_clock_);
    me.acquire(read_clock_);
  }
  lock_.unlock();
  return got;
}

void RWMutex::unlock(std::source_location) {
  GoroutineHead& me = detail::current();
  lock_.lock();
  writer_ = false;
  me.release_into(write_clock_);
  Waiter* woken = take_all(waiters_);
  lock_.unlock();
  ready_all(woken);
}

void RWMutex::lock_shared(std::source_location where) {
  GoroutineHead& me = detail::current();
  lock_.lock();
  while (writer_ || writers_waiting_ > 0) {
    Waiter w{&me};
    waiters_.push_back(&w);
    detail::begin_park(me, "sync.RWMutex.RLock", where);
    lock_.unlock();
    detail::park(me);
    lock_.lock();
  }
  ++readers_;
  me.acquire(write_clock_);
  lock_.unlock();
}

bool RWMutex::try_lock_shared(std::source_location) {
  GoroutineHead& me = detail::current();
  lock_.lock();
  const bool got = !writer_ && writers_waiting_ == 0;
  if (got) {
    ++readers_;
    me.acquire(write_clock_);
  }
  lock_.unlock();
  return got;
}

void RWMutex::unlock_shared(std::source_location) {
  GoroutineHead& me = detail::current();
  lock_.lock();
  --readers_;
  me.release_into(read_clock_);
  Waiter* woken = readers_ == 0 ? take_all(waiters_) : nullptr;
  lock_.unlock();
  ready_all(woken);
}

// ---- WaitGroup

void WaitGroup::add(int delta, std::source_location where) {
  GoroutineHead& me = detail::current();
  lock_.lock();
  counter_ += delta;
  if (delta < 0) me.release_into(clock_);
  if (counter_ < 0) {
    counter_ = 0;  // record mode carries on from zero
    lock_.unlock();
    const EventKind kind = EventKind::negative_waitgroup;
    detail::raise(Event{kind, "panic: " + std::string(detail::go_message(kind)), where, Site{}, me.id}, true);
    lock_.lock();
  }
  Waiter* woken = nullptr;
  if (counter_ == 0) {
    woken = take_all(waiters_);
    for (Waiter* w = woken; w != nullptr; w = w->next) w->g->acquire(clock_);  // they sleep: ours to edit
  }
  lock_.unlock();  // the last touch of *this: a woken wait() may destroy it
  ready_all(woken);
}

void WaitGroup::wait(std::source_location where) {
  GoroutineHead& me = detail::current();
  lock_.lock();
  if (counter_ == 0) {
    me.acquire(clock_);
    lock_.unlock();
    return;
  }
  Waiter w{&me};
  waiters_.push_back(&w);
  detail::begin_park(me, "sync.WaitGroup.Wait", where);
  lock_.unlock();
  detail::park(me);  // the waker joined our clock
}

// ---- Once

bool Once::begin(Site where) {
  GoroutineHead& me = detail::current();
  lock_.lock();
  for (;;) {
    if (done_.load(std::memory_order_relaxed)) {
      me.acquire(clock_);
      lock_.unlock();
      return false;
    }
    if (!running_) break;
    if (runner_ == &me) {
      const Site outer = running_at_;
      lock_.unlock();
      const EventKind kind = EventKind::recursive_once;
      detail::raise(Event{kind, "panic: " + std::string(detail::go_message(kind)), where, outer, me.id}, true);
      return false;  // record mode: f is not run again
    }
    Waiter w{&me};
    waiters_.push_back(&w);
    detail::begin_park(me, "sync.Once.Do", where);
    lock_.unlock();
    detail::park(me);
    lock_.lock();
  }
  running_ = true;
  runner_ = &me;
  running_at_ = where;
  lock_.unlock();
  return true;
}

void Once::finish() {
  GoroutineHead& me = detail::current();
  lock_.lock();
  me.release_into(clock_);
  running_ = false;
  runner_ = nullptr;
  done_.store(true, std::memory_order_release);
  Waiter* woken = take_all(waiters_);
  lock_.unlock();
  ready_all(woken);
}

}  // namespace mapguard::shim
