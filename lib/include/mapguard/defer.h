// mapguard/defer.h — MAPGUARD_DEFER(statement);  Go's defer, as a scope guard.
//
// The statement runs when the enclosing scope ends, in reverse order of registration,
// whether the scope ends normally or by an exception (a Panic included). It captures
// everything by reference, so it sees the variables' values at scope exit, as Go's
// deferred closures do. Shim operations inside it record the MAPGUARD_DEFER line.
//
// The caller must: register the guard after the value it uses is known to be valid, or
// check inside (`MAPGUARD_DEFER(if (ch) ch.close());`): a `defer close(ch)` on a nil or
// already-closed channel panics as in Go.
// Guaranteed: on a normal exit an exception from the statement propagates (Go's panic in
// a deferred call); while unwinding another exception, a Panic from the statement is
// printed and the process exits 2 (C++ cannot carry two exceptions).
//
//   auto ch = mapguard::shim::make_chan<int>(1);
//   MAPGUARD_DEFER(ch.close());
#pragma once

#include <exception>
#include <utility>

#include "mapguard/events.h"

namespace mapguard::shim::detail {

template <class F>
class Deferred {
 public:
  explicit Deferred(F f) : f_(std::move(f)), uncaught_(std::uncaught_exceptions()) {}
  Deferred(const Deferred&) = delete;
  Deferred& operator=(const Deferred&) = delete;
  ~Deferred() noexcept(false) {
    if (std::uncaught_exceptions() <= uncaught_) {
      f_();
      return;
    }
    try {
      f_();
    } catch (const Panic& p) {
      die_of_panic(p);
    }
  }

 private:
  F f_;
  int uncaught_;
};

}  // namespace mapguard::shim::detail

#define MAPGUARD_DEFER_CONCAT_(a, b) a##b
#define MAPGUARD_DEFER_CONCAT(a, b) MAPGUARD_DEFER_CONCAT_(a, b)
#define MAPGUARD_DEFER(...)                                                          \
  ::mapguard::shim::detail::Deferred MAPGUARD_DEFER_CONCAT(mapguard_defer_, __COUNTER__) { \
    [&]() -> void { __VA_ARGS__; }                                                   \
  }
