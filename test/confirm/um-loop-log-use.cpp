// unhandled-miss: inside a loop, the miss is logged but the loop body goes on
// with the nil value instead of `continue`.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Task {
  void run() { std::puts("task"); }
};

int main() {
  sh::Map<int, sh::Ptr<Task>> tasks;
  tasks[1] = sh::make_ptr<Task>();
  for (int id = 1; id <= 2; ++id) {
    auto [t, ok] = tasks.lookup(id);
    if (!ok) {
      std::printf("task %d missing\n", id);
    }
    t->run();
  }
  return 0;
}
