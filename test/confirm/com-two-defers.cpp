// cleanup-on-missing (double close): two deferred calls close the same channel.
#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  auto events = sh::make_chan<int>(2);
  {
    MAPGUARD_DEFER(events.close());
    MAPGUARD_DEFER(events.close());
    events.send(1);
  }
  return events.recv().value_or(0) == 1 ? 0 : 1;
}
