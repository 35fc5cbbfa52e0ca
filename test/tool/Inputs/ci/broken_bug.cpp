// A compiler error in one function; the map bug in the other is still found.
#include <map>

int broken(std::map<int, int> &m) {
  return m.no_such_member();
}

void store(std::map<int, int *> &m) {
  *m[1] = 2;
}
