// safe look-alike of concurrent-write: writers take a std::unique_lock and a
// std::scoped_lock on the same shim mutex.
#include <mutex>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<int, int> seen;
  sh::Mutex mu;
  sh::WaitGroup wg;
  wg.add(2);
  sh::go([&] {
    MAPGUARD_DEFER(wg.done());
    std::unique_lock lk(mu);
    seen[1] = 1;
  });
  sh::go([&] {
    MAPGUARD_DEFER(wg.done());
    std::scoped_lock lk(mu);
    seen.erase(2);
  });
  wg.wait();
  return 0;
}
