// Dereferencing a nil Ptr: `->` and `*` cannot take a std::source_location, so the caller's
// line comes from its return address through addr2line when the binary has debug info.
#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <string>

#include "mapguard/detail/runtime.h"

namespace mapguard::shim::detail {

namespace {

// A Site points at storage that outlives it: keep each resolved file name once.
const char* intern(const std::string& name) {
  static auto* mu = new std::mutex;
  static auto* names = new std::set<std::string>;
  std::lock_guard lk(*mu);
  return names->insert(name).first->c_str();
}

// "file:line" for a code address, or an empty Site when it cannot be resolved.
Site resolve_caller(void* return_address) {
  if (return_address == nullptr) return {};
  Dl_info info{};
  if (::dladdr(return_address, &info) == 0 || info.dli_fname == nullptr) return {};
  // Point into the call instruction, relative to the object's load address (PIE / .so).
  const auto offset = reinterpret_cast<std::uintptr_t>(return_address) - 1 -
                      reinterpret_cast<std::uintptr_t>(info.dli_fbase);
  char command[4096];
  std::snprintf(command, sizeof command, "addr2line -e '%s' 0x%jx 2>/dev/null", info.dli_fname,
                static_cast<std::uintmax_t>(offset));
  std::FILE* pipe = ::popen(command, "r");
  if (pipe == nullptr) return {};
  char line[4096] = {};
  const bool got = std::fgets(line, sizeof line, pipe) != nullptr;
  ::pclose(pipe);
  if (!got) return {};
  std::string text(line);
  text = text.substr(0, text.find_first_of(" \n"));  // drop " (discriminator N)"
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || text.compare(0, 2, "??") == 0) return {};
  const unsigned long number = std::strtoul(text.c_str() + colon + 1, nullptr, 10);
  if (number == 0) return {};
  return Site{intern(text.substr(0, colon)), static_cast<std::uint32_t>(number)};
}

}  // namespace

void nil_deref(NilOrigin origin, void* return_address) {
  Site where = resolve_caller(return_address);
  if (!where.known()) where = origin.where;
  const EventKind kind = EventKind::nil_deref;
  raise(Event{kind, "panic: " + std::string(go_message(kind)), where, origin.where, current_id()},
        /*can_continue=*/false);
  __builtin_unreachable();
}

}  // namespace mapguard::shim::detail
