// mapguard/chan.h — Go channels: Chan<T>, make_chan, select.
//
// A Chan<T> is a shared handle, copied cheaply; copies name the same channel. A
// default-constructed Chan is nil, like Go's zero channel value, and remembers where it
// became nil (its declaration, or the map miss that produced it — see map.h).
//
// The caller must: close a channel at most once and only from a sender's side; not send
// after close. Violations panic with Go's words: `panic: close of nil channel`,
// `panic: close of closed channel`, `panic: send on closed channel` (record mode: the
// close is a no-op / the value is dropped, and execution carries on).
//
// Guaranteed:
//   * capacity 0 is a true rendezvous: send returns only once a receiver has the value;
//     capacity C buffers C values, FIFO.
//   * happens-before (Go's memory model, for memory and for the race checks): a send
//     happens before the receive that gets it; a receive from an unbuffered channel
//     happens before that send returns; the k-th receive happens before the (k+C)-th send
//     returns; close happens before a receive that returns because the channel is closed.
//   * send/recv on a nil channel is reported at once (`nil-chan-send`/`nil-chan-recv`,
//     stderr and the events file, with the nil's origin) and then blocks forever, as in Go;
//     if every goroutine ends up blocked: `fatal error: all goroutines are asleep - deadlock!`.
//   * recv() returns std::nullopt once the channel is closed and drained.
//   * memory: each channel has its own lock (no global one); a blocked goroutine sleeps on
//     its own parker after a short spin and is woken after that lock is released.
//
// Destruction: the channel lives as long as any copy of its handle. A handle must stay
// alive during the operations made through it. A goroutine woken from send, recv or
// select touches neither the channel nor the handle again, so the handle a blocked
// goroutine used may be destroyed as soon as its partner's operation has returned — the
// common `go([&] { ch.send(v); })` followed by `ch.recv()` and the end of the scope is
// safe (tested). try_send / try_recv results must be used ([[nodiscard]]).
//
//   auto results = mapguard::shim::make_chan<int>();          // unbuffered
//   mapguard::shim::go([=]() mutable { MAPGUARD_DEFER(results.close()); results.send(42); });
//   for (int v : results) use(v);                              // until closed
//
//   std::optional<int> got;
//   switch (mapguard::shim::select(on_recv(results, got), on_send(other, 7))) { ... }
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "mapguard/detail/runtime.h"

namespace mapguard::shim {

template <class T>
class Chan {
  struct State final : detail::ChanCore {
    explicit State(std::size_t capacity) : ChanCore(capacity), ring(capacity) {}
    void store_at(std::size_t index, void* value) override { ring[index].emplace(std::move(*static_cast<T*>(value))); }
    void take_at(std::size_t index, void* out) override {
      *static_cast<std::optional<T>*>(out) = std::move(*ring[index]);
      ring[index].reset();
    }
    void hand_over(void* out, void* value) override {
      *static_cast<std::optional<T>*>(out) = std::move(*static_cast<T*>(value));
    }
    std::vector<std::optional<T>> ring;  // the buffer, allocated once (as Go's)
  };

 public:
  using value_type = T;

  // A nil channel, nil since `made_nil`.
  Chan(std::source_location made_nil = std::source_location::current()) noexcept  // NOLINT
      : origin_{made_nil, false} {}

  bool is_nil() const noexcept { return state_ == nullptr; }
  explicit operator bool() const noexcept { return !is_nil(); }
  friend bool operator==(const Chan& a, const Chan& b) noexcept { return a.state_ == b.state_; }

  // Blocks until a receiver takes `value` (or it fits in the buffer).
  void send(T value, std::source_location where = std::source_location::current()) {
    if (is_nil()) detail::block_on_nil_chan(true, where, origin_.where);
    state_->send(&value, where);
  }

  // Blocks until a value arrives; std::nullopt once closed and drained.
  std::optional<T> recv(std::source_location where = std::source_location::current()) {
    if (is_nil()) detail::block_on_nil_chan(false, where, origin_.where);
    std::optional<T> out;
    state_->recv(&out, where);
    return out;
  }

  // Sends if it can without blocking. A nil channel never can.
  [[nodiscard]] bool try_send(T value, std::source_location where = std::source_location::current()) {
    return !is_nil() && state_->try_send(&value, where);
  }

  // Receives if it can without blocking: a value, or std::nullopt when it would block or
  // the channel is closed and drained (tell them apart with `*closed`).
  [[nodiscard]] std::optional<T> try_recv(bool* closed = nullptr,
                            std::source_location where = std::source_location::current()) {
    std::optional<T> out;
    const auto r = is_nil() ? detail::ChanCore::TryRecv::would_block : state_->try_recv(&out, where);
    if (closed != nullptr) *closed = r == detail::ChanCore::TryRecv::closed;
    return out;
  }

  void close(std::source_location where = std::source_location::current()) {
    if (is_nil()) {
      const EventKind kind = EventKind::close_nil_chan;
      detail::raise(Event{kind, "panic: " + std::string(detail::go_message(kind)), where, origin_.where,
                          detail::current_id()},
                    true);
      return;
    }
    state_->close(where);
  }

  std::size_t size() const { return is_nil() ? 0 : state_->size(); }
  std::size_t capacity() const { return is_nil() ? 0 : state_->capacity(); }

  // Range-for until closed and drained: `for (T v : ch)`. begin() receives the first value.
  class iterator {
   public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    T& operator*() { return *current_; }
    iterator& operator++() {
      current_ = chan_->recv(where_);
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) { return !it.current_.has_value(); }

   private:
    friend class Chan;
    iterator(Chan* chan, std::source_location where) : chan_(chan), where_(where), current_(chan->recv(where)) {}
    Chan* chan_ = nullptr;
    std::source_location where_;
    std::optional<T> current_;
  };
  iterator begin(std::source_location where = std::source_location::current()) { return iterator(this, where); }
  std::default_sentinel_t end() const noexcept { return {}; }

  // Called by Map when a miss default-constructs this handle (see map.h).
  void set_nil_origin(std::source_location where) noexcept { origin_ = detail::NilOrigin{where, true}; }

  detail::ChanCore* core() const noexcept { return state_.get(); }

 private:
  template <class U>
  friend Chan<U> make_chan(std::size_t, std::source_location);
  std::shared_ptr<State> state_;
  detail::NilOrigin origin_;
};

// Go's make(chan T, capacity).
template <class T>
Chan<T> make_chan(std::size_t capacity = 0, std::source_location where = std::source_location::current()) {
  Chan<T> c(where);
  c.state_ = std::make_shared<typename Chan<T>::State>(capacity);
  return c;
}

// ---- select ---------------------------------------------------------------------------

template <class T>
struct SendCase {
  detail::ChanCore* core;
  T value;
  std::source_location where;
};
template <class T>
struct RecvCase {
  detail::ChanCore* core;
  std::optional<T>* out;  // set to the value, or left nullopt if the channel is closed
  std::source_location where;
};
struct DefaultCase {};

template <class T, class U>
SendCase<T> on_send(const Chan<T>& ch, U&& value, std::source_location where = std::source_location::current()) {
  return SendCase<T>{ch.core(), T(std::forward<U>(value)), where};
}
template <class T>
RecvCase<T> on_recv(const Chan<T>& ch, std::optional<T>& out,
                    std::source_location where = std::source_location::current()) {
  out.reset();
  return RecvCase<T>{ch.core(), &out, where};
}
inline DefaultCase on_default() { return {}; }

namespace detail {
template <class T>
SelectCase as_case(SendCase<T>& c) { return SelectCase{c.core, true, &c.value, c.where}; }
template <class T>
SelectCase as_case(RecvCase<T>& c) { return SelectCase{c.core, false, c.out, c.where}; }
template <class C>
constexpr bool is_default_v = std::is_same_v<std::decay_t<C>, DefaultCase>;
}  // namespace detail

// Go's select: waits until one case can proceed, runs it and returns its index (cases
// are numbered in order, on_default() included). With on_default(), returns its index
// when no other case is ready. Cases on nil channels are never ready. A send case on a
// closed channel panics. Among ready cases one is chosen at random, as in Go.
template <class... Cases>
int select(Cases&&... cases) {
  constexpr std::size_t n = sizeof...(Cases);
  int default_index = -1;
  detail::SelectCase real[n > 0 ? n : 1];
  int map_back[n > 0 ? n : 1];
  std::size_t count = 0;
  int index = 0;
  Site where;
  auto add = [&](auto& c) {
    if constexpr (detail::is_default_v<decltype(c)>) {
      default_index = index;
    } else {
      real[count] = detail::as_case(c);
      if (!where.known()) where = real[count].where;
      map_back[count++] = index;
    }
    ++index;
  };
  (add(cases), ...);
  const int chosen = detail::select(std::span(real, count), default_index >= 0, where);
  return chosen < 0 ? default_index : map_back[chosen];
}

}  // namespace mapguard::shim
