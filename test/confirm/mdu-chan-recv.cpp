// miss-default-use: main receives from a nil channel taken from m[k]. Runtime:
// nil-chan-recv at the receive, then Go's deadlock report (exit 2).
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, sh::Chan<int>> replies;
  auto ch = replies["client-7"];
  std::optional<int> v = ch.recv();
  std::printf("%d\n", v.value_or(-1));
  return 0;
}
