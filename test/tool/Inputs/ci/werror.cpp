// Built with -Werror -Wconversion and GCC-only flags: the conversion below is
// an error for the build, not for the analysis; the map bug must be found.
#include <map>

int narrow(long x) { return x; }

void store(std::map<int, int *> &m) {
  *m[1] = 2;
}
