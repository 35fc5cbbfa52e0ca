// concurrent-write: a class's map member written by a method that goroutines
// call; the class has a mutex but this method forgets it.
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

class Registry {
 public:
  void add(const std::string &name, int port) { ports_[name] = port; }
  int size() {
    std::lock_guard lk(mu_);
    return static_cast<int>(ports_.size());
  }

 private:
  sh::Mutex mu_;
  sh::Map<std::string, int> ports_;
};

int main() {
  Registry registry;
  sh::WaitGroup wg;
  wg.add(2);
  sh::go([&] {
    MAPGUARD_DEFER(wg.done());
    registry.add("http", 80);
  });
  sh::go([&] {
    MAPGUARD_DEFER(wg.done());
    registry.add("https", 443);
  });
  wg.wait();
  return registry.size() == 2 ? 0 : 1;
}
