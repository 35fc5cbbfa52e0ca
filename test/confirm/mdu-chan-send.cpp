// miss-default-use: a channel taken from m[k] for a missing key is nil; a
// goroutine sending on it blocks forever (Go's leak). Runtime: nil-chan-send
// and goroutine-leak at the send.
#include <chrono>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, sh::Chan<int>> queues;
  queues["jobs"] = sh::make_chan<int>(1);
  sh::Chan<int> q = queues["results"];
  sh::go([q]() mutable { q.send(42); });
  sh::verify_no_leaks({.timeout = std::chrono::milliseconds(200)});
  return 0;
}
