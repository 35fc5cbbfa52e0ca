// The event sink (MAPGUARD_SHIM_EVENTS), Go-style printing, Panic, and the exit paths.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>

#include "mapguard/events.h"
#include "scheduler.h"

namespace mapguard::shim {

std::string_view kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::concurrent_map_write: return "concurrent-map-write";
    case EventKind::concurrent_map_read_write: return "concurrent-map-read-write";
    case EventKind::nil_chan_send: return "nil-chan-send";
    case EventKind::nil_chan_recv: return "nil-chan-recv";
    case EventKind::close_nil_chan: return "close-nil-chan";
    case EventKind::close_closed_chan: return "close-closed-chan";
    case EventKind::send_closed_chan: return "send-closed-chan";
    case EventKind::nil_deref: return "nil-deref";
    case EventKind::negative_waitgroup: return "negative-waitgroup";
    case EventKind::recursive_once: return "recursive-once";
    case EventKind::goroutine_leak: return "goroutine-leak";
    case EventKind::deadlock: return "deadlock";
  }
  return "unknown";
}

namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_site_fields(std::string& out, Site site) {
  out += "\"file\":";
  if (site.known()) {
    append_json_string(out, site.file);
  } else {
    out += "null";
  }
  out += ",\"line\":" + std::to_string(site.line);
}

// What an event's origin is, in words, for the stderr report.
const char* origin_label(EventKind kind) {
  switch (kind) {
    case EventKind::concurrent_map_write:
    case EventKind::concurrent_map_read_write:
      return "conflicting access, not ordered by happens-before";
    case EventKind::nil_chan_send:
    case EventKind::nil_chan_recv:
    case EventKind::close_nil_chan:
    case EventKind::nil_deref: return "the nil value comes from";
    case EventKind::close_closed_chan: return "first closed at";
    case EventKind::send_closed_chan: return "closed at";
    case EventKind::recursive_once: return "the outer call is at";
    case EventKind::goroutine_leak: return "created by go at";
    default: return "origin";
  }
}

std::string default_details(const Event& e) {
  std::string d = "goroutine " + std::to_string(e.goroutine) + " [running]:\n" + detail::site_line(e.where);
  if (e.origin.known()) {
    d += std::string("\t") + origin_label(e.kind) + ":\n" + detail::site_line(e.origin);
  }
  return d;
}

std::mutex& sink_mutex() {
  static auto* mu = new std::mutex;  // leaked: usable during exit
  return *mu;
}

}  // namespace

std::string to_json(const Event& e) {
  std::string out = "{\"kind\":";
  append_json_string(out, kind_name(e.kind));
  out += ",\"message\":";
  append_json_string(out, e.message);
  out += ',';
  append_site_fields(out, e.where);
  out += ",\"origin\":";
  if (e.origin.known()) {
    out += '{';
    append_site_fields(out, e.origin);
    out += '}';
  } else {
    out += "null";
  }
  out += ",\"goroutine\":" + std::to_string(e.goroutine) + "}";
  return out;
}

bool record_mode() {
  const char* m = std::getenv("MAPGUARD_SHIM_MODE");
  return m != nullptr && std::strcmp(m, "record") == 0;
}

Panic::Panic(EventKind kind, std::string message, Site where, Site origin, goroutine_id goroutine)
    : kind_(kind), message_(std::move(message)), where_(where), origin_(origin), goroutine_(goroutine) {}

namespace detail {

std::string_view go_message(EventKind kind) {
  switch (kind) {
    case EventKind::concurrent_map_write: return "concurrent map writes";
    case EventKind::concurrent_map_read_write: return "concurrent map read and map write";
    case EventKind::nil_chan_send: return "chan send (nil chan)";
    case EventKind::nil_chan_recv: return "chan receive (nil chan)";
    case EventKind::close_nil_chan: return "close of nil channel";
    case EventKind::close_closed_chan: return "close of closed channel";
    case EventKind::send_closed_chan: return "send on closed channel";
    case EventKind::nil_deref: return "runtime error: invalid memory address or nil pointer dereference";
    case EventKind::negative_waitgroup: return "sync: negative WaitGroup counter";
    case EventKind::recursive_once: return "sync: recursive call of Once.call (Go deadlocks here)";
    case EventKind::goroutine_leak: return "found unexpected goroutines";
    case EventKind::deadlock: return "all goroutines are asleep - deadlock!";
  }
  return "unknown";
}

std::string site_line(Site site) {
  if (!site.known()) return "\t(unknown location)\n";
  std::string out = "\t";
  out += site.file;
  out += ':';
  out += std::to_string(site.line);
  out += '\n';
  return out;
}

void record(const Event& e) {
  const char* path = std::getenv("MAPGUARD_SHIM_EVENTS");
  if (path == nullptr || *path == '\0') return;
  std::string line = to_json(e) + "\n";
  std::lock_guard lk(sink_mutex());
  if (std::FILE* f = std::fopen(path, "a")) {
    std::fwrite(line.data(), 1, line.size(), f);
    std::fclose(f);
  }
}

namespace {
void print(const std::string& message, const std::string& details) {
  std::string text = message + "\n\n" + details;
  std::lock_guard lk(sink_mutex());
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}
}  // namespace

void report(const Event& e, const std::string& details) {
  record(e);
  print(e.message, details);
}

void exit_process() {
  std::fflush(stdout);
  std::fflush(stderr);
  ::_exit(2);
}

void fatal(const Event& e, bool can_continue) {
  report(e, default_details(e));
  if (can_continue && record_mode()) return;
  exit_process();
}

void raise(const Event& e, bool can_continue) {
  record(e);
  if (can_continue && record_mode()) {
    print(e.message + " (recorded; carrying on)", default_details(e));
    return;
  }
  throw Panic(e.kind, std::string(go_message(e.kind)), e.where, e.origin, e.goroutine);
}

void die_of_panic(const Panic& p) {
  Event e{p.kind(), "panic: " + std::string(p.what()), p.where(), p.origin(), p.goroutine()};
  print(e.message, default_details(e));  // recorded already, where it was raised
  exit_process();
}

namespace {
std::terminate_handler previous_terminate = nullptr;

[[noreturn]] void on_terminate() {
  if (std::exception_ptr ex = std::current_exception()) {
    try {
      std::rethrow_exception(ex);
    } catch (const Panic& p) {
      die_of_panic(p);
    } catch (...) {
    }
  }
  if (previous_terminate != nullptr) previous_terminate();
  std::abort();
}

// An uncaught Panic on any thread ends in std::terminate: print it Go's way.
[[maybe_unused]] const bool terminate_installed = [] {
  previous_terminate = std::set_terminate(on_terminate);
  return true;
}();
}  // namespace

}  // namespace detail
}  // namespace mapguard::shim
