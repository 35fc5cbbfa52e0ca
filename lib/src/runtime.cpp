// Goroutine registry and slots, vector clocks, parking, the deadlock watchdog and `go`.
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <string>
#include <thread>

#include "mapguard/go.h"
#include "scheduler.h"

namespace mapguard::shim::detail {

bool VectorClock::join(const VectorClock& other) {
  if (other.c_.size() > c_.size()) c_.resize(other.c_.size(), 0);
  bool changed = false;
  for (std::size_t i = 0; i < other.c_.size(); ++i) {
    if (other.c_[i] > c_[i]) {
      c_[i] = other.c_[i];
      changed = true;
    }
  }
  return changed;
}

void WaitQueue::push_back(Waiter* w) {
  w->next = nullptr;
  w->prev = tail_;
  if (tail_ != nullptr) {
    tail_->next = w;
  } else {
    head_ = w;
  }
  tail_ = w;
  w->linked = true;
}

Waiter* WaitQueue::pop_front() {
  Waiter* w = head_;
  if (w != nullptr) remove(w);
  return w;
}

void WaitQueue::remove(Waiter* w) {
  if (w->prev != nullptr) {
    w->prev->next = w->next;
  } else {
    head_ = w->next;
  }
  if (w->next != nullptr) {
    w->next->prev = w->prev;
  } else {
    tail_ = w->prev;
  }
  w->prev = w->next = nullptr;
  w->linked = false;
}

Registry& registry() {
  static auto* r = new Registry;  // leaked: goroutines may outlive main's return
  return *r;
}

namespace {

constexpr auto kDeadlockQuietPeriod = std::chrono::milliseconds(50);
constexpr int kParkSpins = 16;   // pause instructions before yielding
constexpr int kParkYields = 4;   // yields before the futex wait

bool is_main_thread() { return ::syscall(SYS_gettid) == ::getpid(); }

// Ends the registration of a thread that was not started by `go` when it exits.
// The main thread is never unregistered: as in Go, its end is the program's end.
struct ForeignThreadExit {
  Goroutine* g = nullptr;
  ~ForeignThreadExit();
};
thread_local ForeignThreadExit tls_foreign_exit;

void finish(Goroutine& g);

ForeignThreadExit::~ForeignThreadExit() {
  if (g != nullptr) finish(*g);
}

// ---- the watchdog

struct Watchdog {
  std::mutex mu;
  std::condition_variable cv;
  bool running = false;
  bool poked = false;
};

Watchdog& watchdog() {
  static auto* w = new Watchdog;  // leaked, as the registry
  return *w;
}

[[noreturn]] void report_deadlock() {
  Registry& r = registry();
  std::unique_lock lk(r.mu);
  std::string details;
  const Goroutine* first = nullptr;
  for (const auto& [gid, g] : r.live) {
    if (first == nullptr) first = g;
    const char* reason = g->wait_reason.load();
    details += "goroutine " + std::to_string(gid) + " [" + (reason ? reason : "?") + "]:\n" + site_line(g->wait_site());
    if (g->started_by_go) details += "\tcreated by go at:\n" + site_line(g->go_site);
    details += "\n";
  }
  Event e{EventKind::deadlock, "fatal error: " + std::string(go_message(EventKind::deadlock)), first->wait_site(),
          Site{}, first->id};
  lk.unlock();
  report(e, details);
  exit_process();
}

void watchdog_loop() {
  Registry& r = registry();
  Watchdog& w = watchdog();
  for (;;) {
    {
      std::unique_lock lk(w.mu);
      w.cv.wait(lk, [&] { return w.poked; });
      w.poked = false;
    }
    while (r.all_asleep()) {
      const std::uint64_t seen = r.generation.load();
      std::this_thread::sleep_for(kDeadlockQuietPeriod);
      if (r.all_asleep() && r.generation.load() == seen) report_deadlock();
    }
  }
}

// Called when every goroutine may be asleep (rare: not on any fast path).
void poke_watchdog() {
  Watchdog& w = watchdog();
  std::lock_guard lk(w.mu);
  w.poked = true;
  if (!w.running) {
    w.running = true;
    std::thread(watchdog_loop).detach();
  }
  w.cv.notify_one();
}

// ---- slots

// A Goroutine for a new goroutine whose clock starts as `parent` (null: no parent). A
// free slot is reused only when `parent` already covers every Map access recorded by the
// slot's earlier owners: then treating those accesses as the new goroutine's own is exact.
// Caller holds r.mu.
Goroutine* take_slot(Registry& r, const VectorClock* parent) {
  for (std::size_t i = 0; i < r.free_slots.size(); ++i) {
    const std::uint32_t s = r.free_slots[i];
    const std::uint32_t known = parent != nullptr ? parent->get(s) : 0;
    if (r.slot_accessed[s] > known) continue;
    r.free_slots[i] = r.free_slots.back();
    r.free_slots.pop_back();
    Goroutine* g = r.slots[s];
    g->started_by_go = false;
    g->go_site = Site{};
    g->wait_reason.store(nullptr);
    g->joins = 0;
    g->last_access = 0;
    if (parent != nullptr) {
      g->clock.assign(*parent);
    } else {
      g->clock = VectorClock{};
    }
    g->clock.set(s, r.slot_final[s] + 1);  // epochs continue past the earlier owners'
    return g;
  }
  auto* g = new Goroutine;  // never freed: a late ready() or notify may still touch it
  g->slot = static_cast<std::uint32_t>(r.slots.size());
  r.slots.push_back(g);
  r.slot_final.push_back(0);
  r.slot_accessed.push_back(0);
  if (parent != nullptr) g->clock.assign(*parent);
  g->clock.set(g->slot, 1);
  return g;
}

// Caller holds r.mu.
void make_live(Registry& r, Goroutine* g) {
  r.live.emplace(g->id, g);
  r.live_count.fetch_add(1);
  r.generation.fetch_add(1);
}

// Caller holds r.mu. The inverse of make_live; the slot is free again.
void make_dead(Registry& r, Goroutine& g) {
  r.live.erase(g.id);
  r.slot_final[g.slot] = g.epoch();
  if (g.last_access > r.slot_accessed[g.slot]) r.slot_accessed[g.slot] = g.last_access;
  r.free_slots.push_back(g.slot);
  r.live_count.fetch_sub(1);
  r.generation.fetch_add(1);
}

void finish(Goroutine& g) {
  Registry& r = registry();
  {
    std::lock_guard lk(r.mu);
    make_dead(r, g);
  }
  tls_goroutine = nullptr;
  if (r.all_asleep()) poke_watchdog();
}

}  // namespace

GoroutineHead& register_current() {
  Registry& r = registry();
  const bool main = is_main_thread();
  Goroutine* g = nullptr;
  {
    std::lock_guard lk(r.mu);
    g = take_slot(r, nullptr);
    g->id = main ? 1 : r.next_id.fetch_add(1);
    make_live(r, g);
  }
  if (!main) tls_foreign_exit.g = g;
  tls_goroutine = g;
  return *g;
}

void begin_park(GoroutineHead& head, const char* reason, Site where) {
  auto& me = static_cast<Goroutine&>(head);
  me.wake.store(0, std::memory_order_relaxed);
  me.wait_file.store(where.file, std::memory_order_relaxed);
  me.wait_line.store(where.line, std::memory_order_relaxed);
  me.wait_reason.store(reason, std::memory_order_relaxed);
  Registry& r = registry();
  r.asleep.fetch_add(1);
  r.generation.fetch_add(1);
  if (r.all_asleep()) poke_watchdog();
}

void cancel_park(GoroutineHead& head) {
  auto& me = static_cast<Goroutine&>(head);
  me.wait_reason.store(nullptr, std::memory_order_relaxed);
  Registry& r = registry();
  r.asleep.fetch_sub(1);
  r.generation.fetch_add(1);
}

void park(GoroutineHead& me) {
  for (int i = 0; i < kParkSpins; ++i) {
    if (me.wake.load(std::memory_order_acquire) != 0) return;
    cpu_relax();
  }
  for (int i = 0; i < kParkYields; ++i) {
    if (me.wake.load(std::memory_order_acquire) != 0) return;
    std::this_thread::yield();
  }
  while (me.wake.load(std::memory_order_acquire) == 0) me.wake.wait(0, std::memory_order_acquire);
}

void ready(GoroutineHead& head) {
  auto& g = static_cast<Goroutine&>(head);
  g.wait_reason.store(nullptr, std::memory_order_relaxed);
  Registry& r = registry();
  r.asleep.fetch_sub(1);
  r.generation.fetch_add(1);
  g.wake.store(1, std::memory_order_release);
  g.wake.notify_one();  // g's object is never freed, so this is safe even if g has moved on
}

void spawn(GoBody* raw_body, Site where) {
  std::unique_ptr<GoBody> body(raw_body);
  GoroutineHead& parent = current();
  Registry& r = registry();
  Goroutine* g = nullptr;
  {
    std::lock_guard lk(r.mu);
    g = take_slot(r, &parent.clock);  // everything before `go` happens before the goroutine
    g->id = r.next_id.fetch_add(1);
    g->started_by_go = true;
    g->go_site = where;
  }
  // The goroutine is registered (live, counted by the deadlock watchdog and the leak
  // check) once its thread exists, and before the thread runs its body: the thread
  // waits for `registered`. If the thread cannot be created, the exception leaves
  // no goroutine behind, only a free slot.
  auto registered = std::make_shared<std::atomic<bool>>(false);
  std::thread thread;
  try {
    thread = std::thread([g, registered, body = std::move(body)]() mutable {
      registered->wait(false, std::memory_order_acquire);
      tls_goroutine = g;
      try {
        body->run();
      } catch (const Panic& p) {
        if (!record_mode()) die_of_panic(p);
        // record mode: the panic was recorded where raised; the goroutine ends.
      }
      body.reset();  // the body's captures die while this is still goroutine g
      finish(*g);
    });
  } catch (...) {
    std::lock_guard lk(r.mu);
    g->started_by_go = false;
    r.free_slots.push_back(g->slot);  // never live: nothing else to undo
    throw;
  }
  {
    std::lock_guard lk(r.mu);
    make_live(r, g);
  }
  parent.tick();
  registered->store(true, std::memory_order_release);
  registered->notify_one();
  thread.detach();
}

}  // namespace mapguard::shim::detail

namespace mapguard::shim {

goroutine_id this_goroutine() { return detail::current_id(); }

std::vector<goroutine_id> current_goroutines() {
  detail::Registry& r = detail::registry();
  std::lock_guard lk(r.mu);
  std::vector<goroutine_id> ids;
  for (const auto& [id, g] : r.live) ids.push_back(id);
  return ids;
}

}  // namespace mapguard::shim
