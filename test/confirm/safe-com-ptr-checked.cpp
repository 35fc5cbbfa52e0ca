// safe look-alike of cleanup-on-missing: the deferred call on a Ptr from m[k]
// checks it for nil first.
#include <cstdio>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct File {
  void close() { std::puts("closed"); }
};

void use(sh::Map<int, sh::Ptr<File>> &files, int fd) {
  auto f = files[fd];
  MAPGUARD_DEFER(if (f) f->close());
  std::puts("using");
}

int main() {
  sh::Map<int, sh::Ptr<File>> files;
  files[3] = sh::make_ptr<File>();
  use(files, 3);
  use(files, 4);
  return 0;
}
