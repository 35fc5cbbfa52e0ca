// cleanup-on-missing: the deferred close is registered before the lookup's ok
// is checked; on a miss it closes a nil channel.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int stop(const sh::Map<std::string, sh::Chan<int>> &tickers, const std::string &name) {
  auto [ticker, ok] = tickers.lookup(name);
  MAPGUARD_DEFER(ticker.close());
  if (!ok) {
    std::puts("no ticker");
    return 1;
  }
  return 0;
}

int main() {
  sh::Map<std::string, sh::Chan<int>> tickers;
  tickers["t1"] = sh::make_chan<int>();
  return stop(tickers, "t2") == 1 ? 0 : 1;
}
