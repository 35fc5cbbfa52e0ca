// unhandled-miss: a channel lookup misses, the miss is logged, and a goroutine
// sends on the nil channel anyway: it blocks forever (the article's leak).
#include <chrono>
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, sh::Chan<int>> inboxes;
  inboxes["ann"] = sh::make_chan<int>(1);
  auto [inbox, ok] = inboxes.lookup("bob");
  if (!ok) std::puts("no inbox for bob");
  sh::go([inbox]() mutable { inbox.send(1); });
  sh::verify_no_leaks({.timeout = std::chrono::milliseconds(200)});
  return 0;
}
