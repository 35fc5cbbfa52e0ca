// Channels: Go's algorithm (direct hand-off to a parked partner, else the buffer, else
// park) under the channel's own lock, with the happens-before edges of the Go memory
// model: a send happens before the receive that gets it, a receive from an unbuffered
// channel before the send completes, the k-th receive before the (k+C)-th send completes
// when that send had to wait, and a close before a receive that sees the channel closed.
// A partner is woken after the lock is released; a woken goroutine reads only its own
// Waiter, so the channel may be gone by then. select locks all its channels in address
// order (as Go's sellock does), so a select is never claimed while it is still queueing.
#include <algorithm>
#include <string>
#include <vector>

#include "scheduler.h"

namespace mapguard::shim::detail {

struct SelectState {
  std::atomic<int> fired{-1};  // the index of the case that ran
};

namespace {

// a and b both sleep or are the caller: the caller may edit both clocks.
void exchange_clocks(GoroutineHead& a, GoroutineHead& b) {
  a.acquire(b.clock);
  b.acquire(a.clock);
  a.tick();
  b.tick();
}

// Claims a waiter for completion: a select's waiters are claimed at most once.
bool claim(Waiter* w) {
  if (w->select == nullptr) return true;
  int expected = -1;
  return w->select->fired.compare_exchange_strong(expected, w->case_index, std::memory_order_acq_rel);
}

Waiter* dequeue(WaitQueue& queue) {
  while (Waiter* w = queue.pop_front()) {
    if (claim(w)) return w;
  }
  return nullptr;
}

// The goroutines to wake once the locks are released: few, on the caller's stack.
class WakeList {
 public:
  void add(GoroutineHead* g) {
    if (n_ < kInline) {
      inline_[n_++] = g;
    } else {
      more_.push_back(g);
    }
  }
  void wake() {
    for (std::size_t i = 0; i < n_; ++i) ready(*inline_[i]);
    for (GoroutineHead* g : more_) ready(*g);
    n_ = 0;
    more_.clear();
  }

 private:
  static constexpr std::size_t kInline = 4;
  GoroutineHead* inline_[kInline] = {};
  std::size_t n_ = 0;
  std::vector<GoroutineHead*> more_;
};

[[noreturn]] void park_forever(GoroutineHead& me, const char* reason, Site where) {
  for (;;) {
    begin_park(me, reason, where);
    park(me);
  }
}

void raise_send_closed(Site where, Site closed_at) {
  const EventKind kind = EventKind::send_closed_chan;
  raise(Event{kind, "panic: " + std::string(go_message(kind)), where, closed_at, current_id()}, true);
}

}  // namespace

// Friend of ChanCore: the operations. The `_now` ones run with the channel's lock held
// and add the goroutine to wake, if any, to `wake`.
struct ChanOps {
  static void push(ChanCore& c, void* value, const VectorClock& clock) {
    const std::size_t tail = (c.head_ + c.count_) % c.capacity_;
    c.store_at(tail, value);
    c.ring_clocks_[tail].assign(clock);
    ++c.count_;
  }

  // Sends without parking; false if it would block. The channel is open.
  static bool send_now(ChanCore& c, GoroutineHead& me, void* value, WakeList& wake) {
    if (Waiter* r = dequeue(c.receivers_)) {
      c.hand_over(r->slot, value);
      r->ok = true;
      exchange_clocks(me, *r->g);
      wake.add(r->g);
      return true;
    }
    if (c.count_ < c.capacity_) {
      push(c, value, me.clock);
      me.tick();
      return true;
    }
    return false;
  }

  // Receives without parking; false if it would block. `*ok` false: closed and drained.
  static bool recv_now(ChanCore& c, GoroutineHead& me, void* out, bool* ok, WakeList& wake) {
    if (c.count_ > 0) {
      c.take_at(c.head_, out);
      me.acquire(c.ring_clocks_[c.head_]);
      c.head_ = (c.head_ + 1) % c.capacity_;
      --c.count_;
      if (Waiter* s = dequeue(c.senders_)) {  // its value takes the freed slot
        push(c, s->slot, s->g->clock);
        exchange_clocks(me, *s->g);
        wake.add(s->g);
      }
      *ok = true;
      return true;
    }
    if (Waiter* s = dequeue(c.senders_)) {
      c.hand_over(out, s->slot);
      exchange_clocks(me, *s->g);
      wake.add(s->g);
      *ok = true;
      return true;
    }
    if (c.closed_) {
      me.acquire(c.close_clock_);
      *ok = false;
      return true;
    }
    return false;
  }

  static void send(ChanCore& c, void* value, Site where) {
    GoroutineHead& me = current();
    WakeList wake;
    c.lock_.lock();
    if (c.closed_) {
      const Site closed_at = c.closed_at_;
      c.lock_.unlock();
      return raise_send_closed(where, closed_at);
    }
    if (send_now(c, me, value, wake)) {
      c.lock_.unlock();
      wake.wake();
      return;
    }
    Waiter w{&me, value};
    c.senders_.push_back(&w);
    begin_park(me, "chan send", where);
    c.lock_.unlock();
    park(me);
    if (w.closed) raise_send_closed(where, w.closed_at);
  }

  static bool recv(ChanCore& c, void* out, Site where) {
    GoroutineHead& me = current();
    WakeList wake;
    bool ok = false;
    c.lock_.lock();
    if (recv_now(c, me, out, &ok, wake)) {
      c.lock_.unlock();
      wake.wake();
      return ok;
    }
    Waiter w{&me, out};
    c.receivers_.push_back(&w);
    begin_park(me, "chan receive", where);
    c.lock_.unlock();
    park(me);
    return w.ok;
  }

  static void close(ChanCore& c, Site where) {
    GoroutineHead& me = current();
    c.lock_.lock();
    if (c.closed_) {
      const Site first = c.closed_at_;
      c.lock_.unlock();
      const EventKind kind = EventKind::close_closed_chan;
      raise(Event{kind, "panic: " + std::string(go_message(kind)), where, first, me.id}, true);
      return;
    }
    c.closed_ = true;
    c.closed_at_ = where;
    me.release_into(c.close_clock_);
    WakeList wake;
    while (Waiter* r = dequeue(c.receivers_)) {
      r->ok = false;
      r->g->acquire(c.close_clock_);
      wake.add(r->g);
    }
    while (Waiter* s = dequeue(c.senders_)) {
      s->closed = true;
      s->closed_at = where;
      wake.add(s->g);
    }
    c.lock_.unlock();
    wake.wake();
  }

  static WaitQueue& queue_for(ChanCore& c, bool is_send) { return is_send ? c.senders_ : c.receivers_; }
  static SpinLock& lock_of(ChanCore& c) { return c.lock_; }
  static bool closed(const ChanCore& c) { return c.closed_; }
  static Site closed_at(const ChanCore& c) { return c.closed_at_; }
};

void ChanCore::send(void* value, Site where) { ChanOps::send(*this, value, where); }
bool ChanCore::recv(void* out, Site where) { return ChanOps::recv(*this, out, where); }
void ChanCore::close(Site where) { ChanOps::close(*this, where); }

bool ChanCore::try_send(void* value, Site where) {
  GoroutineHead& me = current();
  WakeList wake;
  lock_.lock();
  if (closed_) {
    const Site closed_at = closed_at_;
    lock_.unlock();
    raise_send_closed(where, closed_at);
    return true;  // record mode: the value is dropped, as if sent
  }
  const bool sent = ChanOps::send_now(*this, me, value, wake);
  lock_.unlock();
  wake.wake();
  return sent;
}

ChanCore::TryRecv ChanCore::try_recv(void* out, Site) {
  GoroutineHead& me = current();
  WakeList wake;
  bool ok = false;
  lock_.lock();
  const bool done = ChanOps::recv_now(*this, me, out, &ok, wake);
  lock_.unlock();
  wake.wake();
  if (!done) return TryRecv::would_block;
  return ok ? TryRecv::received : TryRecv::closed;
}

std::size_t ChanCore::size() const {
  lock_.lock();
  const std::size_t n = count_;
  lock_.unlock();
  return n;
}

namespace {

std::size_t random_start(std::size_t n) {
  thread_local std::uint64_t state = 0x9e3779b97f4a7c15ULL ^ reinterpret_cast<std::uintptr_t>(&state);
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return n == 0 ? 0 : static_cast<std::size_t>(state % n);
}

// The distinct channels of a select, locked and unlocked together in address order.
class SelectLocks {
 public:
  explicit SelectLocks(std::span<SelectCase> cases) {
    for (const SelectCase& sc : cases) {
      if (sc.core != nullptr) cores_.push_back(sc.core);
    }
    std::sort(cores_.begin(), cores_.end());
    cores_.erase(std::unique(cores_.begin(), cores_.end()), cores_.end());
  }
  void lock() {
    for (ChanCore* c : cores_) ChanOps::lock_of(*c).lock();
  }
  void unlock() {
    for (auto it = cores_.rbegin(); it != cores_.rend(); ++it) ChanOps::lock_of(**it).unlock();
  }
  bool empty() const { return cores_.empty(); }

 private:
  std::vector<ChanCore*> cores_;
};

}  // namespace

int select(std::span<SelectCase> cases, bool has_default, Site where) {
  GoroutineHead& me = current();
  SelectLocks locks(cases);
  WakeList wake;
  locks.lock();
  // Poll in a random order, as Go does, so no case starves.
  const std::size_t start = random_start(cases.size());
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::size_t i = (start + k) % cases.size();
    SelectCase& sc = cases[i];
    if (sc.core == nullptr) continue;
    if (sc.is_send) {
      if (ChanOps::closed(*sc.core)) {
        const Site closed_at = ChanOps::closed_at(*sc.core);
        locks.unlock();
        raise_send_closed(sc.where, closed_at);
        return static_cast<int>(i);
      }
      if (ChanOps::send_now(*sc.core, me, sc.slot, wake)) {
        locks.unlock();
        wake.wake();
        return static_cast<int>(i);
      }
    } else {
      bool ok = false;
      if (ChanOps::recv_now(*sc.core, me, sc.slot, &ok, wake)) {
        locks.unlock();
        wake.wake();
        return static_cast<int>(i);
      }
    }
  }
  if (has_default) {
    locks.unlock();
    return -1;
  }
  if (locks.empty()) park_forever(me, "select (no cases)", where);

  SelectState state;
  std::vector<Waiter> waiters(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].core == nullptr) continue;
    waiters[i] = Waiter{&me, cases[i].slot, &state, static_cast<int>(i)};
    ChanOps::queue_for(*cases[i].core, cases[i].is_send).push_back(&waiters[i]);
  }
  begin_park(me, "select", where);
  locks.unlock();
  park(me);
  // Claimed and woken: drop the waiters left on the other channels.
  locks.lock();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].core != nullptr && waiters[i].linked) {
      ChanOps::queue_for(*cases[i].core, cases[i].is_send).remove(&waiters[i]);
    }
  }
  locks.unlock();
  const int index = state.fired.load(std::memory_order_acquire);
  const Waiter& fired = waiters[static_cast<std::size_t>(index)];
  if (fired.closed) raise_send_closed(cases[static_cast<std::size_t>(index)].where, fired.closed_at);
  return index;
}

void block_on_nil_chan(bool is_send, Site where, Site origin) {
  const EventKind kind = is_send ? EventKind::nil_chan_send : EventKind::nil_chan_recv;
  const std::string reason(go_message(kind));
  GoroutineHead& me = current();
  report(Event{kind, "goroutine blocks forever: " + reason, where, origin, me.id},
         "goroutine " + std::to_string(me.id) + " [" + reason + "]:\n" + site_line(where) +
             (origin.known() ? "\tthe nil channel comes from:\n" + site_line(origin) : std::string()));
  park_forever(me, is_send ? "chan send (nil chan)" : "chan receive (nil chan)", where);
}

}  // namespace mapguard::shim::detail
