// cleanup-on-missing (double close): a channel is closed on the error path
// and again by its deferred close. Runtime: close-closed-chan at the
// MAPGUARD_DEFER line, origin = the explicit close.
#include "mapguard/shim.h"

namespace sh = mapguard::shim;

bool produce(sh::Chan<int> &out, int n) {
  auto done = sh::make_chan<int>(1);
  MAPGUARD_DEFER(done.close());
  if (n > 0) {
    out.send(n);
    done.close();
    return false;
  }
  return true;
}

int main() {
  auto out = sh::make_chan<int>(1);
  produce(out, 3);
  return out.recv().value_or(0) == 3 ? 0 : 1;
}
