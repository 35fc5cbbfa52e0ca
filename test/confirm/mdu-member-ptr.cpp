// miss-default-use: a method looks a worker up with operator[] in a member map
// and calls it; the key was never registered.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Worker {
  void run() { std::puts("run"); }
};

class Pool {
 public:
  void start(const std::string &name) { workers_[name] = sh::make_ptr<Worker>(); }
  void dispatch(const std::string &name) {
    auto w = workers_[name];
    w->run();
  }

 private:
  sh::Map<std::string, sh::Ptr<Worker>> workers_;
};

int main() {
  Pool pool;
  pool.start("w0");
  pool.dispatch("w0");
  pool.dispatch("w1");
  return 0;
}
