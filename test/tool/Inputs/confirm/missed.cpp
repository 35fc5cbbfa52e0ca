// A nil channel from a miss, sent on in a goroutine that captured it by
// copy: the runtime sees it, the static checks do not (runtime only).
#include <chrono>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<int, sh::Chan<int>> chans;
  auto ch = chans[1];
  sh::go([ch]() mutable { ch.send(1); });
  sh::verify_no_leaks({.timeout = std::chrono::milliseconds(100)});
  return 0;
}
