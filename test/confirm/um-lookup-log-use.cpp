// unhandled-miss: the miss is logged, not handled, and the nil worker is used.
// Runtime: nil-deref, origin = the lookup line.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Worker {
  void run() { std::puts("working"); }
};

int main() {
  sh::Map<std::string, sh::Ptr<Worker>> workers;
  workers["w0"] = sh::make_ptr<Worker>();
  auto [w, ok] = workers.lookup("w1");
  if (!ok) std::puts("no worker w1");
  w->run();
  return 0;
}
