// safe look-alike of miss-default-use: find() compared with end() first.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Handler {
  void serve() { std::puts("200"); }
};

int main() {
  sh::Map<std::string, sh::Ptr<Handler>> routes;
  routes["/"] = sh::make_ptr<Handler>();
  for (const char *path : {"/", "/admin"}) {
    if (auto it = routes.find(path); it != routes.end()) it->second->serve();
  }
  return 0;
}
