// mapguard/detail/runtime.h — internals shared by the shim's templates. Not an API:
// names here may change without notice. Read map.h, chan.h, sync.h, go.h instead.
//
// The model, in one paragraph: every thread that uses the shim is a goroutine with a
// vector clock (FastTrack, Flanagan & Freund 2009). The shim's synchronisation — `go`,
// WaitGroup, Chan, Mutex, RWMutex, Once — moves clocks from releaser to acquirer, and
// nothing else does. A Map access checks its epoch against the last write and the reads
// since, so a race is reported whenever two accesses are unordered, however far apart in
// time they ran. Each synchronisation object has its own lock; a goroutine that must wait
// queues a Waiter on the object and sleeps on its own parker (a futex word), and whoever
// wakes it does so after releasing the object's lock. Two atomic counters, live and
// asleep goroutines, make "every goroutine is blocked in the shim" exact; a watchdog
// reports it as Go's deadlock once it has held for a short quiet period.
//
// Clocks are indexed by a goroutine's *slot*, not by its Go number: a slot is reused by a
// later goroutine when that goroutine's start is ordered after every access the slot's
// earlier owners made (their epochs continue, as TSan's do), so clocks stay as long as
// the number of goroutines alive at once, not ever started.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <source_location>
#include <span>
#include <thread>
#include <vector>

#include "mapguard/events.h"

// Clang's thread-safety capability attributes (-Wthread-safety); empty for other compilers.
#if defined(__clang__)
#define MAPGUARD_TSA(x) __attribute__((x))
#else
#define MAPGUARD_TSA(x)
#endif
#define MAPGUARD_CAPABILITY(name) MAPGUARD_TSA(capability(name))
#define MAPGUARD_ACQUIRE(...) MAPGUARD_TSA(acquire_capability(__VA_ARGS__))
#define MAPGUARD_ACQUIRE_SHARED(...) MAPGUARD_TSA(acquire_shared_capability(__VA_ARGS__))
#define MAPGUARD_RELEASE(...) MAPGUARD_TSA(release_capability(__VA_ARGS__))
#define MAPGUARD_RELEASE_SHARED(...) MAPGUARD_TSA(release_shared_capability(__VA_ARGS__))
#define MAPGUARD_TRY_ACQUIRE(...) MAPGUARD_TSA(try_acquire_capability(__VA_ARGS__))
#define MAPGUARD_TRY_ACQUIRE_SHARED(...) MAPGUARD_TSA(try_acquire_shared_capability(__VA_ARGS__))

namespace mapguard::shim::detail {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Clock per goroutine slot; a missing entry is 0.
class VectorClock {
 public:
  std::uint32_t get(std::uint32_t slot) const { return slot < c_.size() ? c_[slot] : 0; }
  void set(std::uint32_t slot, std::uint32_t value) {
    if (slot >= c_.size()) c_.resize(slot + 1, 0);
    c_[slot] = value;
  }
  void tick(std::uint32_t slot) { set(slot, get(slot) + 1); }
  // this ∪= other; true if this changed.
  bool join(const VectorClock& other);
  // this = other, reusing this clock's storage.
  void assign(const VectorClock& other) { c_.assign(other.c_.begin(), other.c_.end()); }
  std::size_t size() const { return c_.size(); }

 private:
  std::vector<std::uint32_t> c_;
};

// The part of a goroutine the inline fast paths read. Written only by its own thread,
// except while it sleeps in the shim: then the goroutine that wakes it may move clocks
// into it before the wake (which publishes them).
struct GoroutineHead {
  goroutine_id id = 0;              // Go's number: main is 1; never reused
  std::uint32_t slot = 0;           // index into vector clocks; reused (see the top)
  std::uint32_t joins = 0;          // bumped whenever an acquire changed the clock
  std::uint32_t last_access = 0;    // the latest epoch at which a Map access was recorded
  VectorClock clock;
  std::atomic<std::uint32_t> wake{0};  // the parker: 0 asleep, 1 woken

  std::uint32_t epoch() const { return clock.get(slot); }
  void tick() { clock.tick(slot); }
  void acquire(const VectorClock& sync) {
    if (clock.join(sync)) ++joins;
  }
  void release_into(VectorClock& sync) {  // sync ∪= mine; then my epoch ticks
    sync.join(clock);
    tick();
  }
};

inline constinit thread_local GoroutineHead* tls_goroutine = nullptr;

// Registers the calling thread (first shim operation of a thread not started by `go`).
GoroutineHead& register_current();
// The calling thread's goroutine.
inline GoroutineHead& current() {
  GoroutineHead* g = tls_goroutine;
  return g != nullptr ? *g : register_current();
}
inline goroutine_id current_id() { return current().id; }
inline void acquire_from(const VectorClock& sync) { current().acquire(sync); }

// ---- sleeping and waking ---------------------------------------------------------------

// A goroutine that sleeps calls, in this order: begin_park() before the object's lock is
// released (so that it counts as asleep before any waker can see it), then park(). Its
// waker calls ready() after releasing the object's lock. cancel_park() undoes a
// begin_park() that did not sleep.
void begin_park(GoroutineHead& me, const char* reason, Site where);
void cancel_park(GoroutineHead& me);
void park(GoroutineHead& me);  // bounded spin, then a futex wait on me.wake
void ready(GoroutineHead& g);

// A test-and-test-and-set lock for short critical sections: one atomic exchange when free,
// a short spin, then yields while held by another thread.
class MAPGUARD_CAPABILITY("mutex") SpinLock {
 public:
  void lock() noexcept MAPGUARD_ACQUIRE() {
    if (!held_.exchange(true, std::memory_order_acquire)) [[likely]]
      return;
    lock_slow();
  }
  void unlock() noexcept MAPGUARD_RELEASE() { held_.store(false, std::memory_order_release); }

 private:
  void lock_slow() noexcept {
    int spins = 0;
    do {
      while (held_.load(std::memory_order_relaxed)) {
        if (++spins < 64) {
          cpu_relax();
        } else {
          std::this_thread::yield();
        }
      }
    } while (held_.exchange(true, std::memory_order_acquire));
  }
  std::atomic<bool> held_{false};
};

// A goroutine queued on a synchronisation object (Go's sudog). It lives on the sleeping
// goroutine's stack; the object's lock guards its links and fields until the waker has
// dequeued it.
struct SelectState;
struct Waiter {
  Waiter() = default;
  explicit Waiter(GoroutineHead* who, void* value_slot = nullptr, SelectState* sel = nullptr, int index = -1)
      : g(who), slot(value_slot), select(sel), case_index(index) {}
  GoroutineHead* g = nullptr;
  void* slot = nullptr;  // chan send: T*; chan recv: std::optional<T>*
  SelectState* select = nullptr;
  int case_index = -1;
  bool ok = false;      // recv: a value arrived (false: closed)
  bool closed = false;  // send: woken by close, so it panics
  bool linked = false;
  Site closed_at;
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
};

// FIFO of Waiters, intrusive.
class WaitQueue {
 public:
  bool empty() const { return head_ == nullptr; }
  Waiter* front() const { return head_; }
  void push_back(Waiter* w);
  Waiter* pop_front();
  void remove(Waiter* w);

 private:
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
};

// ---- the map checker ------------------------------------------------------------------

// Happens-before checker for one map (FastTrack's write epoch + read epochs). Callers
// serialise calls (Map holds its own lock around each operation). The inline parts are
// FastTrack's same-epoch shortcuts: a repeated read or write of the same goroutine, epoch
// and line changes nothing and checks nothing new.
class MapShadow {
 public:
  void read(Site where) {
    GoroutineHead& me = current();
    if (reads_.size() == 1 && reads_[0].same(me.slot, me.epoch(), where)) return;
    read_slow(me, where);
  }
  void write(Site where) {
    GoroutineHead& me = current();
    if (reads_.empty() && has_write_ && write_.same(me.slot, me.epoch(), where)) return;
    write_slow(me, where);
  }

 private:
  struct Access {
    std::uint32_t slot = 0;
    std::uint32_t clock = 0;
    Site where;
    bool same(std::uint32_t s, std::uint32_t c, Site w) const {
      return slot == s && clock == c && where.line == w.line && where.file == w.file;
    }
  };
  void read_slow(GoroutineHead& me, Site where);
  void write_slow(GoroutineHead& me, Site where);
  void race(EventKind kind, Site where, Site other);

  bool has_write_ = false;
  Access write_;
  std::vector<Access> reads_;
  std::vector<std::pair<Site, Site>> reported_;  // record mode: one event per pair of sites
};

// ---- channels ------------------------------------------------------------------------

// The type-independent channel: queues, the clock ring, closing, select. A Chan<T>'s
// state derives from it and moves the T values in a ring of the same capacity. All state
// is guarded by the channel's own lock.
class ChanCore {
 public:
  explicit ChanCore(std::size_t capacity) : capacity_(capacity), ring_clocks_(capacity) {}
  virtual ~ChanCore() = default;
  ChanCore(const ChanCore&) = delete;
  ChanCore& operator=(const ChanCore&) = delete;

  // `value` points at a T to move from; `out` at a std::optional<T> to fill.
  void send(void* value, Site where);
  bool recv(void* out, Site where);  // false: closed and drained
  bool try_send(void* value, Site where);
  enum class TryRecv { received, closed, would_block };
  TryRecv try_recv(void* out, Site where);
  void close(Site where);
  std::size_t size() const;
  std::size_t capacity() const { return capacity_; }

 protected:
  virtual void store_at(std::size_t index, void* value) = 0;  // ring[index] = move(*T)
  virtual void take_at(std::size_t index, void* out) = 0;     // *optional<T> = move(ring[index])
  virtual void hand_over(void* out, void* value) = 0;         // *optional<T> = move(*T)

 private:
  friend struct ChanOps;  // src/chan.cpp
  mutable SpinLock lock_;
  std::size_t capacity_;
  std::size_t head_ = 0;   // ring index of the oldest buffered value
  std::size_t count_ = 0;  // buffered values
  bool closed_ = false;
  Site closed_at_;
  VectorClock close_clock_;
  std::vector<VectorClock> ring_clocks_;  // the sender's clock for each buffered value
  WaitQueue senders_;
  WaitQueue receivers_;
};

// One case of a select: `core` null for a nil channel (never ready).
struct SelectCase {
  ChanCore* core = nullptr;
  bool is_send = false;
  void* slot = nullptr;  // send: T*; recv: std::optional<T>*
  Site where;
};
// Returns the index of the case that ran, or -1 if none was ready and `has_default`.
int select(std::span<SelectCase> cases, bool has_default, Site where);

// A nil channel operation: reported at once, then blocks forever (as in Go).
[[noreturn]] void block_on_nil_chan(bool is_send, Site where, Site origin);

// ---- nil handles ---------------------------------------------------------------------

// Where a nil handle came from. `from_miss` marks a map miss (Map::operator[], lookup).
struct NilOrigin {
  Site where;
  bool from_miss = false;
};
// Dereferencing a nil Ptr. `return_address` is the caller's, resolved to a line when the
// binary has debug info (addr2line); otherwise the report names only the origin.
[[noreturn]] void nil_deref(NilOrigin origin, void* return_address);

// ---- goroutines ----------------------------------------------------------------------

struct GoBody {
  virtual ~GoBody() = default;
  virtual void run() = 0;
};
void spawn(GoBody* body, Site where);  // takes ownership

}  // namespace mapguard::shim::detail
