// A finding within one unit: a map miss default-inserts a null pointer that
// is then dereferenced.
#include <map>

void store(std::map<int, int *> &m) {
  *m[1] = 2;
}
