// safe look-alike of miss-default-use: a nil value from m[k] is initialised
// before use.
#include <cstdio>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Conn {
  void ping() { std::puts("pong"); }
};

int main() {
  sh::Map<int, sh::Ptr<Conn>> conns;
  auto &c = conns[3];
  if (!c) c = sh::make_ptr<Conn>();
  c->ping();
  return 0;
}
