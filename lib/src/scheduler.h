// The goroutine registry, private to lib/src.
//
// Deadlock accounting: `live` counts registered goroutines, `asleep` those between
// begin_park() and the ready() that wakes them. A goroutine counts as asleep before any
// waker can find it (begin_park runs under the object's lock, before the Waiter is
// visible) and stops counting when its waker decides to wake it, before the wake; so
// `asleep == live` means that no goroutine is left to wake another. The watchdog turns
// that, once it has held with `generation` unchanged for a quiet period, into Go's
// "all goroutines are asleep - deadlock!".
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "mapguard/detail/runtime.h"

namespace mapguard::shim::detail {

struct Goroutine : GoroutineHead {
  // Set before the goroutine is registered, immutable while it is live:
  bool started_by_go = false;
  Site go_site;  // where `go` was called
  // What it sleeps on, for the deadlock and leak reports (null reason: running).
  std::atomic<const char*> wait_reason{nullptr};
  std::atomic<const char*> wait_file{nullptr};
  std::atomic<std::uint32_t> wait_line{0};

  Site wait_site() const {
    return Site{wait_file.load(std::memory_order_relaxed), wait_line.load(std::memory_order_relaxed)};
  }
};

struct Registry {
  std::mutex mu;  // guards everything below but the atomics
  std::map<goroutine_id, Goroutine*> live;  // registered, not finished
  // Per slot: its Goroutine object (reused with the slot, never freed), the last epoch
  // it reached, and the latest epoch at which one of its owners recorded a Map access.
  std::vector<Goroutine*> slots;
  std::vector<std::uint32_t> slot_final;
  std::vector<std::uint32_t> slot_accessed;
  std::vector<std::uint32_t> free_slots;

  std::atomic<std::size_t> live_count{0};
  std::atomic<std::size_t> asleep{0};
  std::atomic<std::uint64_t> generation{0};  // changes whenever any goroutine parks, wakes, starts, ends
  std::atomic<goroutine_id> next_id{2};      // 1 is the main thread

  bool all_asleep() const {
    const std::size_t n = live_count.load();
    return n != 0 && asleep.load() == n;
  }
};

Registry& registry();

// Records the event, then prints `event.message`, a blank line and `details` to stderr.
void report(const Event& event, const std::string& details);
// Flushes stdio and ends the process with status 2 (Go's exit status for both).
[[noreturn]] void exit_process();
// "\t/file.cpp:12\n" or "\t(unknown location)\n".
std::string site_line(Site site);

}  // namespace mapguard::shim::detail
