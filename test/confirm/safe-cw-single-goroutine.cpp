// safe look-alike of concurrent-write: only one goroutine ever touches the
// map, and main reads it after the WaitGroup.
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, int> stats;
  sh::WaitGroup wg;
  wg.add(1);
  sh::go([&] {
    MAPGUARD_DEFER(wg.done());
    for (int i = 0; i < 3; ++i) stats["ticks"]++;
  });
  wg.wait();
  return stats.at("ticks") == 3 ? 0 : 1;
}
