// safe look-alike of miss-default-use: a channel from a lookup is used only
// when the lookup found it.
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, sh::Chan<int>> queues;
  queues["jobs"] = sh::make_chan<int>(1);
  for (const char *name : {"jobs", "results"}) {
    auto [q, ok] = queues.lookup(name);
    if (!ok) continue;
    q.send(1);
  }
  return queues.at("jobs").recv().value_or(0) == 1 ? 0 : 1;
}
