// mapguard/events.h — what the shim reports, where it goes, and the Panic exception.
//
// Every misuse the shim detects becomes one `Event`. An event is
//   * appended as one JSON object per line to the file named by the environment
//     variable MAPGUARD_SHIM_EVENTS (if set), flushed before the process could exit;
//   * printed to stderr in Go's words (`panic: close of nil channel`,
//     `fatal error: concurrent map writes`, ...) with the source locations;
//   * then handled according to the mode (MAPGUARD_SHIM_MODE):
//       - unset or "go" (default): like Go. A fatal error exits with status 2; a panic
//         throws `Panic`, and an unrecovered `Panic` prints `panic: <message>` and exits 2.
//       - "record": records and carries on wherever carrying on is possible (a map race
//         is recorded and the access proceeds, closing a closed channel is a no-op, ...).
//         What cannot carry on (a nil dereference, a deadlock) behaves as by default.
//
// The JSON line (field order fixed, one line per event):
//   {"kind":"close-closed-chan","message":"panic: close of closed channel",
//    "file":"/src/a.cpp","line":42,"origin":{"file":"/src/a.cpp","line":30},"goroutine":3}
// `origin` is null when there is none. See docs/shim.md for every kind.
//
// Environment variables are read when an event is reported, so a test may set them at any
// time before the misuse.
//
// Thread safety: all functions here may be called from any thread.
#pragma once

#include <cstdint>
#include <exception>
#include <source_location>
#include <string>
#include <string_view>

namespace mapguard::shim {

// A goroutine's number, as Go prints it: the main thread is 1, `go` numbers the rest.
using goroutine_id = std::uint32_t;

// A place in the user's source. Empty (file == nullptr) when unknown.
struct Site {
  const char* file = nullptr;
  std::uint32_t line = 0;

  constexpr Site() = default;
  constexpr Site(const char* f, std::uint32_t l) : file(f), line(l) {}
  // Implicit on purpose: every operation passes its std::source_location straight in.
  constexpr Site(const std::source_location& loc)  // NOLINT(google-explicit-constructor)
      : file(loc.file_name()), line(loc.line()) {}

  constexpr bool known() const { return file != nullptr; }
};

enum class EventKind {
  concurrent_map_write,       // fatal error: concurrent map writes
  concurrent_map_read_write,  // fatal error: concurrent map read and map write
  nil_chan_send,              // chan send (nil chan): blocks forever, reported at once
  nil_chan_recv,              // chan receive (nil chan): blocks forever, reported at once
  close_nil_chan,             // panic: close of nil channel
  close_closed_chan,          // panic: close of closed channel
  send_closed_chan,           // panic: send on closed channel
  nil_deref,                  // panic: runtime error: invalid memory address or nil pointer dereference
  negative_waitgroup,         // panic: sync: negative WaitGroup counter
  recursive_once,             // panic: sync: recursive call of Once.call (Go deadlocks here)
  goroutine_leak,             // found unexpected goroutines (one event per goroutine)
  deadlock,                   // fatal error: all goroutines are asleep - deadlock!
};

// The JSON `kind` string: "concurrent-map-write", "nil-chan-send", ...
std::string_view kind_name(EventKind kind);

// One report. `message` is the line as printed, e.g. "panic: close of nil channel".
struct Event {
  EventKind kind;
  std::string message;
  Site where;   // the operation that went wrong
  Site origin;  // the map miss that made a nil handle, the conflicting access, the go site
  goroutine_id goroutine = 0;
};

// The event as its JSON line (without the trailing newline).
std::string to_json(const Event& event);

// True when MAPGUARD_SHIM_MODE=record.
bool record_mode();

// Go's panic. Thrown by the shim where Go panics; catching it is Go's recover().
// what() is Go's message without the "panic: " prefix, e.g. "close of nil channel".
// An uncaught Panic (on main via std::terminate, or escaping a goroutine started by `go`)
// prints "panic: <what()>" with its locations and exits with status 2.
class Panic : public std::exception {
 public:
  Panic(EventKind kind, std::string message, Site where, Site origin, goroutine_id goroutine);

  const char* what() const noexcept override { return message_.c_str(); }
  EventKind kind() const { return kind_; }
  Site where() const { return where_; }
  Site origin() const { return origin_; }
  goroutine_id goroutine() const { return goroutine_; }

 private:
  EventKind kind_;
  std::string message_;
  Site where_;
  Site origin_;
  goroutine_id goroutine_;
};

namespace detail {
// Appends the event to MAPGUARD_SHIM_EVENTS (if set) and flushes.
void record(const Event& event);
// Records, prints "fatal error: ..." with locations and exits 2. In record mode, when
// `can_continue`, returns after recording instead.
void fatal(const Event& event, bool can_continue);
// Records and throws Panic. In record mode, when `can_continue`, returns after recording.
void raise(const Event& event, bool can_continue);
// Prints an unrecovered panic Go's way and exits with status 2.
[[noreturn]] void die_of_panic(const Panic& panic);
// The message Go prints for a kind, without "panic: " / "fatal error: ".
std::string_view go_message(EventKind kind);
}  // namespace detail

}  // namespace mapguard::shim
