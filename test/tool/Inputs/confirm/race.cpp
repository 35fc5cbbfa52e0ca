// Two goroutines write a map with no lock; argv[1] says how many write.
#include <cstdlib>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main(int argc, char **argv) {
  int writers = argc > 1 ? std::atoi(argv[1]) : 2;
  sh::Map<int, int> m;
  sh::WaitGroup wg;
  for (int i = 0; i < writers; ++i) {
    wg.add(1);
    sh::go([&m, &wg, i] {
      MAPGUARD_DEFER(wg.done());
      m[i] = i;
    });
  }
  wg.wait();
  return 0;
}
