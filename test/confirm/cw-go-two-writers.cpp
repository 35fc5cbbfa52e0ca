// concurrent-write: two goroutines increment a shared counter map, no lock.
// Runtime: concurrent-map-write at the increment (both writers on one line).
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, int> hits;
  sh::WaitGroup wg;
  for (int i = 0; i < 2; ++i) {
    wg.add(1);
    sh::go([&] {
      MAPGUARD_DEFER(wg.done());
      hits["requests"]++;
    });
  }
  wg.wait();
  return hits.at("requests") == 2 ? 0 : 1;
}
