// safe look-alike of cleanup-on-missing: the deferred close tests the channel
// first, so a miss closes nothing.
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

void drain(sh::Map<std::string, sh::Chan<int>> &streams, const std::string &name) {
  auto [ch, ok] = streams.lookup(name);
  MAPGUARD_DEFER(if (ch) ch.close());
  if (ok) (void)ch.try_recv();
}

int main() {
  sh::Map<std::string, sh::Chan<int>> streams;
  streams["s1"] = sh::make_chan<int>(1);
  drain(streams, "s1");
  drain(streams, "s2");
  return 0;
}
