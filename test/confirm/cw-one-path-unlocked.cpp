// concurrent-write: one writer holds the mutex, the other does not; a lock
// only helps when every writer takes it.
#include <mutex>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, int> cache;
  sh::Mutex mu;
  sh::WaitGroup wg;
  wg.add(2);
  sh::go([&] {
    MAPGUARD_DEFER(wg.done());
    std::lock_guard lk(mu);
    cache["a"] = 1;
  });
  sh::go([&] {
    MAPGUARD_DEFER(wg.done());
    cache["b"] = 2;
  });
  wg.wait();
  return 0;
}
