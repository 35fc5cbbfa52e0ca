// concurrent-write: goroutines started in a loop each insert their own key into
// one shared map: distinct keys do not make it safe.
#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<int, int> squares;
  sh::WaitGroup wg;
  for (int i = 0; i < 3; ++i) {
    wg.add(1);
    sh::go([&squares, &wg, i] {
      MAPGUARD_DEFER(wg.done());
      squares.insert_or_assign(i, i * i);
    });
  }
  wg.wait();
  return squares.size() == 3 ? 0 : 1;
}
