// unhandled-miss: is_nil() is tested and reported on stderr, then the nil
// value is dereferenced anyway.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Plugin {
  int version() { return 2; }
};

int main() {
  sh::Map<std::string, sh::Ptr<Plugin>> plugins;
  plugins["gzip"] = sh::make_ptr<Plugin>();
  sh::Ptr<Plugin> p = plugins["zstd"];
  if (p.is_nil()) std::fprintf(stderr, "plugin zstd not loaded\n");
  std::printf("%d\n", p->version());
  return 0;
}
