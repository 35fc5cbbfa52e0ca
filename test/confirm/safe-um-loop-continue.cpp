// safe look-alike of unhandled-miss: the loop logs the miss and continues.
#include <cstdio>

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
      continue;
    }
    t->run();
  }
  return 0;
}
