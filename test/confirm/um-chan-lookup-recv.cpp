// unhandled-miss: the missing channel is noticed in a log line; main then
// receives from it and blocks (Go: all goroutines are asleep).
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, sh::Chan<int>> acks;
  auto [ack, ok] = acks.lookup("req-1");
  if (!ok) std::puts("no ack channel");
  auto v = ack.recv();
  return v ? 0 : 1;
}
