// miss-default-use: a goroutine ranges over a nil channel taken from m[k]; the
// range receives forever.
#include <chrono>
#include <cstdio>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<int, sh::Chan<int>> feeds;
  feeds[1] = sh::make_chan<int>(4);
  auto feed = feeds[2];
  sh::go([feed]() mutable {
    for (int item : feed) std::printf("%d\n", item);
  });
  sh::verify_no_leaks({.timeout = std::chrono::milliseconds(200)});
  return 0;
}
