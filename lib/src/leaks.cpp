// verify_no_leaks: goleak's VerifyNone for goroutines started by `go`.
#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "mapguard/go.h"
#include "scheduler.h"

namespace mapguard::shim {

namespace {

struct Leak {
  goroutine_id id;
  std::string state;
  Site blocked_at;
  Site started_at;
};

std::vector<Leak> find_leaks(const LeakOptions& options, goroutine_id self) {
  detail::Registry& r = detail::registry();
  std::lock_guard lk(r.mu);
  std::vector<Leak> leaks;
  for (const auto& [id, g] : r.live) {
    if (!g->started_by_go || id == self) continue;
    if (std::find(options.ignore.begin(), options.ignore.end(), id) != options.ignore.end()) continue;
    const char* reason = g->wait_reason.load();
    leaks.push_back(Leak{id, reason != nullptr ? reason : "running", reason != nullptr ? g->wait_site() : g->go_site,
                         g->go_site});
  }
  return leaks;
}

}  // namespace

bool verify_no_leaks(const LeakOptions& options, std::source_location where) {
  const goroutine_id self = this_goroutine();
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  auto pause = std::chrono::microseconds(100);
  std::vector<Leak> leaks = find_leaks(options, self);
  while (!leaks.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(pause);
    pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(50));
    leaks = find_leaks(options, self);
  }
  if (leaks.empty()) return true;

  const std::string title(detail::go_message(EventKind::goroutine_leak));
  std::string message = title + ":";
  for (const Leak& l : leaks) {
    detail::record(Event{EventKind::goroutine_leak, title, l.blocked_at, l.started_at, l.id});
    message += "\n[Goroutine " + std::to_string(l.id) + " in state " + l.state + ", at " +
               (l.blocked_at.known() ? std::string(l.blocked_at.file) + ":" + std::to_string(l.blocked_at.line)
                                     : std::string("?")) +
               ", created by go at " +
               (l.started_at.known() ? std::string(l.started_at.file) + ":" + std::to_string(l.started_at.line)
                                     : std::string("?")) +
               "]";
  }
  if (record_mode()) return false;
  throw Panic(EventKind::goroutine_leak, message, where, Site{}, self);
}

}  // namespace mapguard::shim
