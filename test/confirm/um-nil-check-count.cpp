// unhandled-miss: a nil value from m[k] is counted as a miss, then used.
#include <cstdio>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Conn {
  void ping() { std::puts("pong"); }
};

int misses = 0;

int main() {
  sh::Map<int, sh::Ptr<Conn>> conns;
  auto c = conns[9];
  if (!c) {
    ++misses;
  }
  c->ping();
  return misses;
}
