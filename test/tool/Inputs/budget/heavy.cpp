// heavy() is over the block budget of .clang-tidy; light() is not.
#include "inc/pool.h"

void light(Sessions &m, int k) {
  auto it = m.find(k);
  if (it != m.end())
    it->second->send();
}

void heavy(Sessions &m, int k) {
  for (int i = 0; i < k; ++i) {
    auto it = m.find(i);
    if (it == m.end())
      continue;
    if (i % 3 == 0)
      it->second->send();
    else if (i % 3 == 1)
      m.erase(it);
  }
}
