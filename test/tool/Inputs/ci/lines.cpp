#include <map>

void first(std::map<int, int *> &m) {
  *m[1] = 2;
}

void second(std::map<int, int *> &m) {
  *m[2] = 3;
}
