// safe look-alike of unhandled-miss: the miss is logged and the value created.
#include <cstdio>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Conn {
  void ping() { std::puts("pong"); }
};

int main() {
  sh::Map<int, sh::Ptr<Conn>> conns;
  auto [c, ok] = conns.lookup(5);
  if (!ok) {
    std::puts("connecting");
    c = sh::make_ptr<Conn>();
    conns[5] = c;
  }
  c->ping();
  return 0;
}
