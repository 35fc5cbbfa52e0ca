// Goroutine registry, vector clocks, parking, the deadlock watchdog and `go`.
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "mapguard/go.h"
#include "scheduler.h"

namespace mapguard::shim::detail {

void VectorClock::set(goroutine_id g, std::uint32_t value) {
  if (g >= c_.size()) c_.resize(g + 1, 0);
  c_[g] = value;
}

void VectorClock::join(const VectorClock& other) {
  if (other.c_.size() > c_.size()) c_.resize(other.c_.size(), 0);
  for (std::size_t i = 0; i < other.c_.size(); ++i) {
    if (other.c_[i] > c_[i]) c_[i] = other.c_[i];
  }
}

Scheduler& scheduler() {
  static auto* s = new Scheduler;  // leaked: goroutines may outlive main's return
  return *s;
}

namespace {

constexpr auto kDeadlockQuietPeriod = std::chrono::milliseconds(50);

thread_local Goroutine* tls_goroutine = nullptr;

bool is_main_thread() { return ::syscall(SYS_gettid) == ::getpid(); }

// Ends the registration of a thread that was not started by `go` when it exits.
// The main thread is never unregistered: as in Go, its end is the program's end.
struct ForeignThreadExit {
  goroutine_id id = 0;
  ~ForeignThreadExit();
};
thread_local ForeignThreadExit tls_foreign_exit;

void finish(goroutine_id id);

ForeignThreadExit::~ForeignThreadExit() {
  if (id != 0) finish(id);
}

[[noreturn]] void report_deadlock(std::unique_lock<std::mutex>& lk) {
  Scheduler& s = scheduler();
  std::string details;
  const Goroutine* first = nullptr;
  for (const auto& [gid, g] : s.live) {
    if (first == nullptr) first = g.get();
    details += "goroutine " + std::to_string(gid) + " [" + (g->wait_reason ? g->wait_reason : "?") + "]:\n" +
               site_line(g->wait_site);
    if (g->started_by_go) details += "\tcreated by go at:\n" + site_line(g->go_site);
    details += "\n";
  }
  Event e{EventKind::deadlock, "fatal error: " + std::string(go_message(EventKind::deadlock)), first->wait_site,
          Site{}, first->id};
  lk.unlock();
  report(e, details);
  exit_process();
}

void watchdog_loop() {
  Scheduler& s = scheduler();
  std::unique_lock lk(s.mu);
  for (;;) {
    s.watchdog_cv.wait(lk, [&] { return s.all_blocked(); });
    const std::uint64_t seen = s.generation;
    lk.unlock();
    std::this_thread::sleep_for(kDeadlockQuietPeriod);
    lk.lock();
    if (s.all_blocked() && s.generation == seen) report_deadlock(lk);
  }
}

// Caller holds s.mu.
void poke_watchdog(Scheduler& s) {
  ++s.generation;
  if (!s.all_blocked()) return;
  if (!s.watchdog_running) {
    s.watchdog_running = true;
    std::thread(watchdog_loop).detach();
  }
  s.watchdog_cv.notify_one();
}

Goroutine& register_thread(std::shared_ptr<Goroutine> g) {
  Scheduler& s = scheduler();
  std::lock_guard lk(s.mu);
  s.live.emplace(g->id, g);
  ++s.generation;
  return *g;
}

void finish(goroutine_id id) {
  Scheduler& s = scheduler();
  std::lock_guard lk(s.mu);
  s.live.erase(id);
  poke_watchdog(s);
}

}  // namespace

Goroutine& current() {
  if (tls_goroutine != nullptr) return *tls_goroutine;
  auto g = std::make_shared<Goroutine>();
  if (is_main_thread()) {
    g->id = 1;
  } else {
    std::lock_guard lk(scheduler().mu);
    g->id = scheduler().next_id++;
    tls_foreign_exit.id = g->id;
  }
  g->clock.set(g->id, 1);
  tls_goroutine = &register_thread(std::move(g));
  return *tls_goroutine;
}

goroutine_id id_of(const Goroutine& g) { return g.id; }
VectorClock& clock_of(Goroutine& g) { return g.clock; }

void release_into(VectorClock& sync) {
  Goroutine& g = current();
  sync.join(g.clock);
  g.clock.tick(g.id);
}

void acquire_from(const VectorClock& sync) { current().clock.join(sync); }

void park(std::unique_lock<std::mutex>& lk, Goroutine& g, const char* reason, Site where) {
  Scheduler& s = scheduler();
  g.parked = true;
  g.wait_reason = reason;
  g.wait_site = where;
  ++s.blocked;
  poke_watchdog(s);
  g.cv.wait(lk, [&] { return !g.parked; });
}

void ready(Goroutine& g) {
  Scheduler& s = scheduler();
  g.parked = false;
  g.wait_reason = nullptr;
  --s.blocked;
  ++s.generation;
  g.cv.notify_one();
}

void spawn(GoBody* raw_body, Site where) {
  std::unique_ptr<GoBody> body(raw_body);
  Goroutine& parent = current();
  auto child = std::make_shared<Goroutine>();
  child->started_by_go = true;
  child->go_site = where;
  child->clock = parent.clock;  // everything before `go` happens before the goroutine
  {
    std::lock_guard lk(scheduler().mu);
    child->id = scheduler().next_id++;
  }
  child->clock.set(child->id, 1);
  parent.clock.tick(parent.id);
  Goroutine& g = register_thread(child);
  std::thread([&g, child, body = std::move(body)] {
    tls_goroutine = &g;
    try {
      body->run();
    } catch (const Panic& p) {
      if (!record_mode()) die_of_panic(p);
      // record mode: the panic was recorded where raised; the goroutine ends.
    }
    finish(g.id);
  }).detach();
}

}  // namespace mapguard::shim::detail

namespace mapguard::shim {

goroutine_id this_goroutine() { return detail::current_id(); }

std::vector<goroutine_id> current_goroutines() {
  detail::Scheduler& s = detail::scheduler();
  std::lock_guard lk(s.mu);
  std::vector<goroutine_id> ids;
  for (const auto& [id, g] : s.live) ids.push_back(id);
  return ids;
}

}  // namespace mapguard::shim
