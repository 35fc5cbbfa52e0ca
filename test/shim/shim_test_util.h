// Helpers for the shim's tests: an events file per test, record mode, JSON field access,
// and running a body the way Go runs main (an escaping Panic ends the process).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "mapguard/shim.h"

namespace mapguard::shim::testing {

// Points MAPGUARD_SHIM_EVENTS at a fresh file for the lifetime of the object. The variable
// is inherited by death-test children, so a child's events can be read by the parent.
class EventsFile {
 public:
  EventsFile() {
    // A "threadsafe" death test re-runs the test body in the child: there, keep writing
    // to the parent's file, which the parent reads afterwards.
    const char* inherited = std::getenv("MAPGUARD_SHIM_EVENTS");
    if (!GTEST_FLAG_GET(internal_run_death_test).empty() && inherited != nullptr) {
      path_ = inherited;
      owner_ = false;
      return;
    }
    char tmpl[] = "/tmp/mapguard-shim-events-XXXXXX";
    const int fd = ::mkstemp(tmpl);
    ::close(fd);
    path_ = tmpl;
    ::setenv("MAPGUARD_SHIM_EVENTS", path_.c_str(), 1);
  }
  ~EventsFile() {
    if (!owner_) return;
    ::unsetenv("MAPGUARD_SHIM_EVENTS");
    std::remove(path_.c_str());
  }
  EventsFile(const EventsFile&) = delete;
  EventsFile& operator=(const EventsFile&) = delete;

  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  // Waits up to `timeout` until at least `n` lines are there.
  std::vector<std::string> wait_for_lines(std::size_t n,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto got = lines();
    while (got.size() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      got = lines();
    }
    return got;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool owner_ = true;
};

// MAPGUARD_SHIM_MODE=record for the lifetime of the object.
class RecordMode {
 public:
  RecordMode() { ::setenv("MAPGUARD_SHIM_MODE", "record", 1); }
  ~RecordMode() { ::unsetenv("MAPGUARD_SHIM_MODE"); }
};

// A string or number field of a JSON event line ("kind", "message", "file", "line",
// "goroutine"), or of its origin with origin=true. Empty if absent or null.
inline std::string field(const std::string& json, const std::string& name, bool origin = false) {
  std::string scope = json;
  if (origin) {
    const auto at = json.find("\"origin\":{");
    if (at == std::string::npos) return "";
    scope = json.substr(at + 10, json.find('}', at) - at - 10);
  } else if (const auto at = json.find(",\"origin\":"); at != std::string::npos) {
    const auto end = json.find(",\"goroutine\"", at);
    scope = json.substr(0, at) + json.substr(end);
  }
  const std::regex re("\"" + name + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|([0-9]+))");
  std::smatch m;
  if (!std::regex_search(scope, m, re)) return "";
  return m[2].matched ? m[2].str() : m[3].str();
}

inline std::vector<std::string> kinds(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(field(l, "kind"));
  return out;
}

// Runs `body` as Go runs main: a Panic escaping it goes to std::terminate with the
// exception active (as for an exception escaping main), where the shim prints
// `panic: ...` and exits 2. (Catching first keeps gtest's death-test wrapper out of it.)
template <class F>
void as_main(F&& body) {
  try {
    body();
  } catch (...) {
    std::terminate();
  }
}

// This file's name as the shim records it, for regexes over stderr.
inline std::string at_line(const char* file, int line) {
  std::string escaped;
  for (char c : std::string(file)) {
    if (std::string(".+*?()[]{}|^$\\").find(c) != std::string::npos) escaped += '\\';
    escaped += c;
  }
  return escaped + ":" + std::to_string(line);
}

}  // namespace mapguard::shim::testing
