// concurrent-write (read/write form): a goroutine writes the map while main
// reads it; nothing orders the two.
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, int> config;
  sh::WaitGroup wg;
  wg.add(1);
  sh::go([&] {
    MAPGUARD_DEFER(wg.done());
    config["timeout"] = 30;
  });
  bool present = config.contains("timeout");
  wg.wait();
  return present ? 0 : 0;
}
