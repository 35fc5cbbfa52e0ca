// miss-default-use: a Ptr from m[k] is dereferenced with `*`.
#include <cstdio>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Counter {
  int value = 0;
};

int main() {
  sh::Map<int, sh::Ptr<Counter>> counters;
  counters[0] = sh::make_ptr<Counter>();
  sh::Ptr<Counter> c = counters[7];
  Counter &ref = *c;
  std::printf("%d\n", ref.value);
  return 0;
}
