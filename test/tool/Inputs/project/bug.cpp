// A map miss default-inserts a null pointer that is then dereferenced.
#include <map>

void store(std::map<int, int *> &m) {
  *m[1] = 2;
}

void suppressed(std::map<int, int *> &m) {
  *m[2] = 3; // NOLINT(mapguard-miss-default-use)
}
