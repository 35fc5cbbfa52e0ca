// cleanup-on-missing: the deferred call dereferences a Ptr taken from m[k] for
// a missing key. Runtime: nil-deref inside the deferred call.
#include <cstdio>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct File {
  void close() { std::puts("closed"); }
};

void use(sh::Map<int, sh::Ptr<File>> &files, int fd) {
  auto f = files[fd];
  MAPGUARD_DEFER(f->close());
  std::puts("using");
}

int main() {
  sh::Map<int, sh::Ptr<File>> files;
  files[3] = sh::make_ptr<File>();
  use(files, 4);
  return 0;
}
