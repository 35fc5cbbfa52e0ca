// Nothing here is over a budget.
#include "inc/pool.h"

void ping(Sessions &m, int k) {
  auto it = m.find(k);
  if (it != m.end())
    it->second->send();
}
