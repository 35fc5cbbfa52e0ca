// cleanup-on-missing (double close): a producer goroutine defers the close of
// its results channel and also closes it when done, as in the Go article.
#include <cstdio>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

void produce(sh::Chan<int> results) {
  MAPGUARD_DEFER(results.close());
  for (int i = 0; i < 3; ++i) results.send(i);
  results.close();
}

int main() {
  auto results = sh::make_chan<int>(3);
  sh::WaitGroup wg;
  wg.add(1);
  sh::go([results, &wg] {
    produce(results);
    wg.done();
  });
  int sum = 0;
  for (int v : results) sum += v;
  wg.wait();  // the deferred close has run: the event is always recorded
  std::printf("%d\n", sum);
  return 0;
}
