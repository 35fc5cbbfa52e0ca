#include "util.h"

void for_each_peer(const std::function<void(int)> &f) {
  for (int id = 0; id < 3; ++id)
    f(id);
}
