// mapguard/go.h — goroutines and the leak check.
//
// `go(f)` starts `f` on a new tracked thread: a goroutine. What the caller did before
// `go` happens before everything `f` does (the child starts with the parent's vector
// clock). The goroutine is detached: wait for it with a WaitGroup or a Chan, as in Go.
// When main returns the process ends, whatever goroutines still run.
//
// If `f` lets a Panic escape, the process prints `panic: <message>` and exits with
// status 2 (in MAPGUARD_SHIM_MODE=record the goroutine just ends). Any other exception
// escaping `f` ends in std::terminate.
//
// `verify_no_leaks()` is goleak's VerifyNone: it waits up to `timeout` for every goroutine
// started by `go` (except those in `ignore` and the caller) to end. Each one still running
// or blocked is reported as a `goroutine-leak` event at the line it is blocked on, then it
// panics with `found unexpected goroutines: [...]` (record mode: returns false instead).
// Threads not started by `go` are not counted.
//
// Example:
//   mapguard::shim::WaitGroup wg;
//   wg.add(1);
//   mapguard::shim::go([&] { MAPGUARD_DEFER(wg.done()); work(); });
//   wg.wait();                               // work() happens before this returns
//   mapguard::shim::verify_no_leaks();       // nothing left behind
#pragma once

#include <chrono>
#include <source_location>
#include <type_traits>
#include <utility>
#include <vector>

#include "mapguard/detail/runtime.h"

namespace mapguard::shim {

// Starts `f()` as a goroutine. `f` is moved (or copied) into the new thread.
template <class F>
void go(F&& f, std::source_location where = std::source_location::current()) {
  struct Body final : detail::GoBody {
    explicit Body(F&& fn) : fn(std::forward<F>(fn)) {}
    void run() override { fn(); }
    std::decay_t<F> fn;
  };
  detail::spawn(new Body(std::forward<F>(f)), where);
}

// The calling goroutine's number (main is 1).
goroutine_id this_goroutine();

// Every live goroutine, main included: pass as LeakOptions::ignore (goleak's IgnoreCurrent).
std::vector<goroutine_id> current_goroutines();

struct LeakOptions {
  std::vector<goroutine_id> ignore;
  std::chrono::milliseconds timeout{1000};
};

// goleak's VerifyNone. Returns true when no goroutine leaked; see the top of this file.
bool verify_no_leaks(const LeakOptions& options = {},
                     std::source_location where = std::source_location::current());

}  // namespace mapguard::shim
