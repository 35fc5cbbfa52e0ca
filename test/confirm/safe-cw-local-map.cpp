// safe look-alike of concurrent-write: each goroutine writes a map local to
// its own body and sends the result over a channel.
#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  auto results = sh::make_chan<int>(2);
  for (int i = 0; i < 2; ++i) {
    sh::go([results, i]() mutable {
      sh::Map<int, int> local;
      local[i] = i + 1;
      local[i + 1] = i + 2;
      results.send(static_cast<int>(local.size()));
    });
  }
  int total = 0;
  for (int i = 0; i < 2; ++i) total += results.recv().value_or(0);
  return total == 4 ? 0 : 1;
}
