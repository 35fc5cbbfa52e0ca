// safe look-alike of unhandled-miss: the miss is logged and handled by an
// early return.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Worker {
  void run() { std::puts("working"); }
};

int dispatch(const sh::Map<std::string, sh::Ptr<Worker>> &workers, const std::string &id) {
  auto [w, ok] = workers.lookup(id);
  if (!ok) {
    std::puts("no worker");
    return 1;
  }
  w->run();
  return 0;
}

int main() {
  sh::Map<std::string, sh::Ptr<Worker>> workers;
  workers["w0"] = sh::make_ptr<Worker>();
  return dispatch(workers, "w0") + dispatch(workers, "w1") == 1 ? 0 : 1;
}
