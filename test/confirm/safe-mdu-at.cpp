// safe look-alike of miss-default-use: at() throws on a miss instead of
// inserting a nil value.
#include <cstdio>
#include <stdexcept>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Job {
  void run() { std::puts("job"); }
};

int main() {
  sh::Map<int, sh::Ptr<Job>> jobs;
  jobs[1] = sh::make_ptr<Job>();
  jobs.at(1)->run();
  try {
    jobs.at(2)->run();
  } catch (const std::out_of_range &) {
    std::puts("no job 2");
  }
  return 0;
}
