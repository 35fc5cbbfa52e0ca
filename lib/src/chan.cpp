// Channels: Go's algorithm (direct hand-off to a parked partner, else the buffer, else
// park) under the scheduler lock, with the happens-before edges of the Go memory model:
// a send happens before the receive that gets it, a receive from an unbuffered channel
// before the send completes, the k-th receive before the (k+C)-th send completes, and a
// close before a receive that sees the channel closed.
#include <algorithm>
#include <string>
#include <vector>

#include "scheduler.h"

namespace mapguard::shim::detail {

struct SelectState {
  bool fired = false;
  int index = -1;
};

struct Waiter {
  Goroutine* g = nullptr;
  void* slot = nullptr;  // send: T*; recv: std::optional<T>*
  SelectState* select = nullptr;
  int case_index = -1;
  bool ok = false;      // recv: a value arrived (false: closed)
  bool closed = false;  // send: woken by close, so it panics
};

namespace {

void exchange_clocks(Goroutine& a, Goroutine& b) {
  a.clock.join(b.clock);
  b.clock.join(a.clock);
  a.clock.tick(a.id);
  b.clock.tick(b.id);
}

// Claims a waiter for completion: a select's waiters are claimed at most once.
bool claim(Waiter* w) {
  if (w->select == nullptr) return true;
  if (w->select->fired) return false;
  w->select->fired = true;
  w->select->index = w->case_index;
  return true;
}

Waiter* dequeue(std::deque<Waiter*>& queue) {
  while (!queue.empty()) {
    Waiter* w = queue.front();
    queue.pop_front();
    if (claim(w)) return w;
  }
  return nullptr;
}

void raise_recoverable(std::unique_lock<std::mutex>& lk, EventKind kind, Site where, Site origin) {
  lk.unlock();
  raise(Event{kind, "panic: " + std::string(go_message(kind)), where, origin, current_id()}, true);
}

}  // namespace

// Friend of ChanCore: the operations, all with the scheduler lock held.
struct ChanOps {
  static bool can_send(const ChanCore& c) {
    return c.buffer_size() < c.capacity_ ||
           std::any_of(c.receivers_.begin(), c.receivers_.end(),
                       [](Waiter* w) { return w->select == nullptr || !w->select->fired; });
  }
  static bool can_recv(const ChanCore& c) {
    return c.buffer_size() > 0 || c.closed_ ||
           std::any_of(c.senders_.begin(), c.senders_.end(),
                       [](Waiter* w) { return w->select == nullptr || !w->select->fired; });
  }

  // Sends without parking; false if it would block. The channel is open.
  static bool send_now(ChanCore& c, Goroutine& me, void* value) {
    if (Waiter* r = dequeue(c.receivers_)) {
      c.hand_over(r->slot, value);
      r->ok = true;
      exchange_clocks(me, *r->g);
      ready(*r->g);
      return true;
    }
    if (c.buffer_size() < c.capacity_) {
      c.buffer_push(value);
      c.buffer_clocks_.push_back(me.clock);
      me.clock.tick(me.id);
      return true;
    }
    return false;
  }

  // Receives without parking; false if it would block. `*ok` false: closed and drained.
  static bool recv_now(ChanCore& c, Goroutine& me, void* out, bool* ok) {
    if (c.buffer_size() > 0) {
      c.buffer_pop(out);
      me.clock.join(c.buffer_clocks_.front());
      c.buffer_clocks_.pop_front();
      if (Waiter* s = dequeue(c.senders_)) {  // its value takes the freed slot
        c.buffer_push(s->slot);
        c.buffer_clocks_.push_back(s->g->clock);
        exchange_clocks(me, *s->g);
        ready(*s->g);
      }
      *ok = true;
      return true;
    }
    if (Waiter* s = dequeue(c.senders_)) {
      c.hand_over(out, s->slot);
      exchange_clocks(me, *s->g);
      ready(*s->g);
      *ok = true;
      return true;
    }
    if (c.closed_) {
      me.clock.join(c.close_clock_);
      *ok = false;
      return true;
    }
    return false;
  }

  static void send(ChanCore& c, void* value, Site where) {
    Goroutine& me = current();
    std::unique_lock lk(scheduler().mu);
    if (c.closed_) return raise_recoverable(lk, EventKind::send_closed_chan, where, c.closed_at_);
    if (send_now(c, me, value)) return;
    Waiter w{&me, value};
    c.senders_.push_back(&w);
    park(lk, me, "chan send", where);
    if (w.closed) raise_recoverable(lk, EventKind::send_closed_chan, where, c.closed_at_);
  }

  static bool recv(ChanCore& c, void* out, Site where) {
    Goroutine& me = current();
    std::unique_lock lk(scheduler().mu);
    bool ok = false;
    if (recv_now(c, me, out, &ok)) return ok;
    Waiter w{&me, out};
    c.receivers_.push_back(&w);
    park(lk, me, "chan receive", where);
    return w.ok;
  }

  static void close(ChanCore& c, Site where) {
    Goroutine& me = current();
    std::unique_lock lk(scheduler().mu);
    if (c.closed_) return raise_recoverable(lk, EventKind::close_closed_chan, where, c.closed_at_);
    c.closed_ = true;
    c.closed_at_ = where;
    c.close_clock_.join(me.clock);
    me.clock.tick(me.id);
    while (Waiter* r = dequeue(c.receivers_)) {
      r->ok = false;
      r->g->clock.join(c.close_clock_);
      ready(*r->g);
    }
    while (Waiter* s = dequeue(c.senders_)) {
      s->closed = true;
      ready(*s->g);
    }
  }

  static std::deque<Waiter*>& queue_for(ChanCore& c, bool is_send) { return is_send ? c.senders_ : c.receivers_; }
  static bool closed(const ChanCore& c) { return c.closed_; }
  static Site closed_at(const ChanCore& c) { return c.closed_at_; }
};

void ChanCore::send(void* value, Site where) { ChanOps::send(*this, value, where); }
bool ChanCore::recv(void* out, Site where) { return ChanOps::recv(*this, out, where); }
void ChanCore::close(Site where) { ChanOps::close(*this, where); }

bool ChanCore::try_send(void* value, Site where) {
  Goroutine& me = current();
  std::unique_lock lk(scheduler().mu);
  if (closed_) {
    raise_recoverable(lk, EventKind::send_closed_chan, where, closed_at_);
    return true;  // record mode: the value is dropped, as if sent
  }
  return ChanOps::send_now(*this, me, value);
}

ChanCore::TryRecv ChanCore::try_recv(void* out, Site) {
  Goroutine& me = current();
  std::lock_guard lk(scheduler().mu);
  bool ok = false;
  if (!ChanOps::recv_now(*this, me, out, &ok)) return TryRecv::would_block;
  return ok ? TryRecv::received : TryRecv::closed;
}

std::size_t ChanCore::size() const {
  std::lock_guard lk(scheduler().mu);
  return buffer_size();
}

namespace {
std::size_t random_start(std::size_t n) {
  thread_local std::uint64_t state = 0x9e3779b97f4a7c15ULL ^ reinterpret_cast<std::uintptr_t>(&state);
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return n == 0 ? 0 : static_cast<std::size_t>(state % n);
}
}  // namespace

int select(std::span<SelectCase> cases, bool has_default, Site where) {
  Goroutine& me = current();
  std::unique_lock lk(scheduler().mu);
  // Poll in a random order, as Go does, so no case starves.
  const std::size_t start = random_start(cases.size());
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::size_t i = (start + k) % cases.size();
    SelectCase& sc = cases[i];
    if (sc.core == nullptr) continue;
    if (sc.is_send) {
      if (ChanOps::closed(*sc.core)) {
        raise_recoverable(lk, EventKind::send_closed_chan, sc.where, ChanOps::closed_at(*sc.core));
        return static_cast<int>(i);
      }
      if (ChanOps::can_send(*sc.core) && ChanOps::send_now(*sc.core, me, sc.slot)) return static_cast<int>(i);
    } else {
      bool ok = false;
      if (ChanOps::can_recv(*sc.core) && ChanOps::recv_now(*sc.core, me, sc.slot, &ok)) return static_cast<int>(i);
    }
  }
  if (has_default) return -1;

  SelectState state;
  std::vector<Waiter> waiters(cases.size());
  bool any = false;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].core == nullptr) continue;
    waiters[i] = Waiter{&me, cases[i].slot, &state, static_cast<int>(i)};
    ChanOps::queue_for(*cases[i].core, cases[i].is_send).push_back(&waiters[i]);
    any = true;
  }
  for (;;) {
    park(lk, me, any ? "select" : "select (no cases)", where);
    if (state.fired) break;
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].core == nullptr) continue;
    auto& q = ChanOps::queue_for(*cases[i].core, cases[i].is_send);
    q.erase(std::remove(q.begin(), q.end(), &waiters[i]), q.end());
  }
  const auto index = static_cast<std::size_t>(state.index);
  if (waiters[index].closed) {
    raise_recoverable(lk, EventKind::send_closed_chan, cases[index].where, ChanOps::closed_at(*cases[index].core));
  }
  return state.index;
}

void block_on_nil_chan(bool is_send, Site where, Site origin) {
  const EventKind kind = is_send ? EventKind::nil_chan_send : EventKind::nil_chan_recv;
  const std::string reason(go_message(kind));
  Goroutine& me = current();
  report(Event{kind, "goroutine blocks forever: " + reason, where, origin, me.id},
         "goroutine " + std::to_string(me.id) + " [" + reason + "]:\n" + site_line(where) +
             (origin.known() ? "\tthe nil channel comes from:\n" + site_line(origin) : std::string()));
  std::unique_lock lk(scheduler().mu);
  for (;;) park(lk, me, is_send ? "chan send (nil chan)" : "chan receive (nil chan)", where);
}

}  // namespace mapguard::shim::detail
