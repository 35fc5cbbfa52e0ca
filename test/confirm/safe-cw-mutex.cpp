// safe look-alike of concurrent-write: every write holds one shim mutex.
#include <mutex>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, int> hits;
  sh::Mutex mu;
  sh::WaitGroup wg;
  for (int i = 0; i < 2; ++i) {
    wg.add(1);
    sh::go([&] {
      MAPGUARD_DEFER(wg.done());
      std::lock_guard lk(mu);
      hits["requests"]++;
    });
  }
  wg.wait();
  return hits.at("requests") == 2 ? 0 : 1;
}
