// safe look-alike of cleanup-on-missing: the guard is registered after an
// early return on a miss.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int stop(const sh::Map<std::string, sh::Chan<int>> &tickers, const std::string &name) {
  auto [ticker, ok] = tickers.lookup(name);
  if (!ok) {
    std::puts("no ticker");
    return 1;
  }
  MAPGUARD_DEFER(ticker.close());
  return 0;
}

int main() {
  sh::Map<std::string, sh::Chan<int>> tickers;
  tickers["t1"] = sh::make_chan<int>();
  stop(tickers, "t1");
  return stop(tickers, "t2") == 1 ? 0 : 1;
}
