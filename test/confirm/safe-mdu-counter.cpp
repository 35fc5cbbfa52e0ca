// safe look-alike of miss-default-use: a counter map, where the zero a miss
// inserts is a valid value.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

int main() {
  sh::Map<std::string, int> words;
  for (const char *w : {"a", "b", "a"}) words[w]++;
  int missing = words["zzz"];
  std::printf("%d %d\n", words["a"], missing);
  return 0;
}
