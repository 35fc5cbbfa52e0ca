// safe look-alike of miss-default-use: contains() guards the subscript.
#include <cstdio>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Job {
  void run() { std::puts("job"); }
};

int main() {
  sh::Map<int, sh::Ptr<Job>> jobs;
  jobs[1] = sh::make_ptr<Job>();
  for (int id = 1; id <= 2; ++id)
    if (jobs.contains(id)) jobs[id]->run();
  return 0;
}
