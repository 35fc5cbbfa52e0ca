// safe look-alike of cleanup-on-missing: a producer closes its channel only in
// its deferred call; the consumer ranges until the close.
#include <cstdio>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  auto results = sh::make_chan<int>();
  sh::go([results]() mutable {
    MAPGUARD_DEFER(results.close());
    for (int i = 1; i <= 3; ++i) results.send(i);
  });
  int sum = 0;
  for (int v : results) sum += v;
  std::printf("%d\n", sum);
  return sum == 6 ? 0 : 1;
}
