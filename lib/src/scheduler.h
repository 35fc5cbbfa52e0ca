// The goroutine registry and the scheduler lock, private to lib/src.
//
// Every goroutine that blocks in the shim parks under `Scheduler::mu` and is woken only
// by another goroutine holding the same lock, which marks it runnable before it runs.
// So `blocked == live` is exact: every registered goroutine is parked in the shim. The
// watchdog turns that, once it has held unchanged for a quiet period, into Go's
// "all goroutines are asleep - deadlock!".
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "mapguard/detail/runtime.h"

namespace mapguard::shim::detail {

struct Goroutine {
  goroutine_id id = 0;
  bool started_by_go = false;
  Site go_site;  // where `go` was called
  VectorClock clock;
  // Guarded by Scheduler::mu:
  std::condition_variable cv;
  bool parked = false;
  const char* wait_reason = nullptr;  // Go's state name, e.g. "chan receive"
  Site wait_site;
};

struct Scheduler {
  std::mutex mu;
  std::map<goroutine_id, std::shared_ptr<Goroutine>> live;  // registered, not finished
  std::size_t blocked = 0;
  std::uint64_t generation = 0;  // changes whenever any goroutine parks, wakes, starts, ends
  goroutine_id next_id = 2;      // 1 is the main thread
  std::condition_variable watchdog_cv;
  bool watchdog_running = false;

  bool all_blocked() const { return !live.empty() && blocked == live.size(); }
};

Scheduler& scheduler();

// Parks `g` (the caller's goroutine) until another goroutine calls ready(g).
// `lk` holds scheduler().mu.
void park(std::unique_lock<std::mutex>& lk, Goroutine& g, const char* reason, Site where);
// Marks a parked goroutine runnable. Caller holds scheduler().mu.
void ready(Goroutine& g);

// Records the event, then prints `event.message`, a blank line and `details` to stderr.
void report(const Event& event, const std::string& details);
// Flushes stdio and ends the process with status 2 (Go's exit status for both).
[[noreturn]] void exit_process();
// "\t/file.cpp:12\n" or "\t(unknown location)\n".
std::string site_line(Site site);

}  // namespace mapguard::shim::detail
