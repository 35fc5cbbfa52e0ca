// mapguard/detail/runtime.h — internals shared by the shim's templates. Not an API:
// names here may change without notice. Read map.h, chan.h, sync.h, go.h instead.
//
// The model, in one paragraph: every thread that uses the shim is a goroutine with a
// vector clock (FastTrack, Flanagan & Freund 2009). The shim's synchronisation — `go`,
// WaitGroup, Chan, Mutex, RWMutex, Once — moves clocks from releaser to acquirer, and
// nothing else does. A Map access checks its epoch against the last write and the reads
// since, so a race is reported whenever two accesses are unordered, however far apart in
// time they ran. Blocking in the shim goes through one scheduler lock, so "every
// goroutine is blocked in the shim" is known exactly; a watchdog reports it as Go's
// deadlock once it has held for a short quiet period.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <source_location>
#include <span>
#include <thread>
#include <vector>

#include "mapguard/events.h"

namespace mapguard::shim::detail {

// Clock per goroutine id; a missing entry is 0.
class VectorClock {
 public:
  std::uint32_t get(goroutine_id g) const { return g < c_.size() ? c_[g] : 0; }
  void set(goroutine_id g, std::uint32_t value);
  void tick(goroutine_id g) { set(g, get(g) + 1); }
  void join(const VectorClock& other);

 private:
  std::vector<std::uint32_t> c_;
};

struct Goroutine;  // defined in src/runtime.cpp

// The calling thread's goroutine; a thread not started by `go` is registered on first use.
Goroutine& current();
goroutine_id id_of(const Goroutine& g);
VectorClock& clock_of(Goroutine& g);
inline goroutine_id current_id() { return id_of(current()); }

// A test-and-test-and-set lock for short critical sections (a Map operation): one atomic
// exchange when free, yields while held by another thread.
class SpinLock {
 public:
  void lock() noexcept {
    while (held_.exchange(true, std::memory_order_acquire)) {
      while (held_.load(std::memory_order_relaxed)) std::this_thread::yield();
    }
  }
  void unlock() noexcept { held_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> held_{false};
};

// Happens-before edges through a synchronisation object's clock. The caller provides
// exclusion for `sync` (the object's own lock or the scheduler lock).
void release_into(VectorClock& sync);  // sync ∪= mine; then my clock ticks
void acquire_from(const VectorClock& sync);  // mine ∪= sync

// Happens-before checker for one map (FastTrack's write epoch + read epochs).
// Callers serialise calls (Map holds its own mutex around each operation).
class MapShadow {
 public:
  void read(Site where);
  void write(Site where);

 private:
  struct Access {
    goroutine_id g = 0;
    std::uint32_t clock = 0;
    Site where;
  };
  void race(EventKind kind, Site where, Site other);

  bool has_write_ = false;
  Access write_;
  std::vector<Access> reads_;
  std::vector<std::pair<Site, Site>> reported_;  // record mode: one event per pair of sites
};

// ---- channels ------------------------------------------------------------------------

struct Waiter;  // a goroutine parked on a channel (Go's sudog), src/chan.cpp

// The type-independent channel: queues, buffer clocks, closing, select. A Chan<T>'s
// state derives from it and moves the T values. All state is guarded by the scheduler lock.
class ChanCore {
 public:
  explicit ChanCore(std::size_t capacity) : capacity_(capacity) {}
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
  virtual void buffer_push(void* value) = 0;   // move *T into the buffer's back
  virtual void buffer_pop(void* out) = 0;      // move the front into *optional<T>
  virtual void hand_over(void* out, void* value) = 0;  // *optional<T> = move(*T)
  virtual std::size_t buffer_size() const = 0;

 private:
  friend struct ChanOps;  // src/chan.cpp
  std::size_t capacity_;
  bool closed_ = false;
  Site closed_at_;
  VectorClock close_clock_;
  std::deque<VectorClock> buffer_clocks_;
  std::deque<Waiter*> senders_;
  std::deque<Waiter*> receivers_;
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
