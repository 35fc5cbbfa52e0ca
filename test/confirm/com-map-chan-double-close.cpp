// cleanup-on-missing (double close): a channel taken from a map is closed by a
// deferred close and explicitly before the function returns.
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

void finish(sh::Map<std::string, sh::Chan<int>> &streams, const std::string &name) {
  auto ch = streams.at(name);
  MAPGUARD_DEFER(ch.close());
  ch.send(7);
  ch.close();
}

int main() {
  sh::Map<std::string, sh::Chan<int>> streams;
  streams["s1"] = sh::make_chan<int>(1);
  finish(streams, "s1");
  return 0;
}
