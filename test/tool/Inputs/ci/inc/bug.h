#pragma once
#include <map>

inline void headerStore(std::map<int, int *> &m) {
  *m[7] = 2;
}
