// Two goroutines count into a shim map under a mutex: a correct program, so
// it prints "hits: 2" and mapguard confirm has nothing to report.
#include <cstdio>
#include <mutex>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, int> hits;
  sh::WaitGroup wg;
  sh::Mutex mu;
  for (int i = 0; i < 2; ++i) {
    wg.add(1);
    sh::go([&] {
      MAPGUARD_DEFER(wg.done());
      std::lock_guard lk(mu);
      hits["requests"]++;
    });
  }
  wg.wait();
  std::printf("hits: %d\n", hits.at("requests"));
  sh::verify_no_leaks();
  return 0;
}
