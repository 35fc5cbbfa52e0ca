// safe look-alike of concurrent-write: the map is filled before the goroutine
// starts and written again after wait(); the goroutine only reads it.
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, int> limits;
  limits["rps"] = 100;
  int seen = 0;
  sh::WaitGroup wg;
  wg.add(1);
  sh::go([&] {
    MAPGUARD_DEFER(wg.done());
    seen = limits.at("rps");
  });
  wg.wait();
  limits["rps"] = seen * 2;
  return limits.at("rps") == 200 ? 0 : 1;
}
