// concurrent-write: two std::threads write a shim map with no lock. The shim
// registers a std::thread on its first operation; join() orders nothing.
#include <string>
#include <thread>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

sh::Map<std::string, int> sessions;

void login(const std::string &user) { sessions[user] = 1; }

int main() {
  std::thread a([] { login("ann"); });
  std::thread b([] { login("bob"); });
  a.join();
  b.join();
  return 0;
}
