// concurrent-write: goroutines erase entries of a shared map with no lock.
#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<int, int> pending{{1, 10}, {2, 20}};
  sh::WaitGroup wg;
  for (int id = 1; id <= 2; ++id) {
    wg.add(1);
    sh::go([&pending, &wg, id] {
      MAPGUARD_DEFER(wg.done());
      pending.erase(id);
    });
  }
  wg.wait();
  return pending.empty() ? 0 : 1;
}
