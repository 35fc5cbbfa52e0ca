// miss-default-use: the value of m[k] is dereferenced in the same expression.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Handler {
  int serve() { return 200; }
};

int main() {
  sh::Map<std::string, sh::Ptr<Handler>> routes;
  routes["/"] = sh::make_ptr<Handler>();
  int status = routes["/admin"]->serve();
  std::printf("%d\n", status);
  return 0;
}
