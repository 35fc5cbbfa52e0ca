// cleanup-on-missing: the channel to close comes from m[k] for a missing key,
// so the deferred close closes a nil channel. Runtime: close-nil-chan at the
// MAPGUARD_DEFER line, origin = the m[k] line.
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

void drain(sh::Map<std::string, sh::Chan<int>> &streams, const std::string &name) {
  sh::Chan<int> ch = streams[name];
  MAPGUARD_DEFER(ch.close());
  (void)ch.try_recv();
}

int main() {
  sh::Map<std::string, sh::Chan<int>> streams;
  streams["s1"] = sh::make_chan<int>(1);
  drain(streams, "s2");
  return 0;
}
