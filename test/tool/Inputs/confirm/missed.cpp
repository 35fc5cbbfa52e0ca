// A nil Ptr from a miss, dereferenced in a function called through a
// function pointer: the lookup analysis follows values into callees it can
// name (their summaries), not through pointers, so the runtime sees what
// the static checks do not (runtime only).
#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Job {
  int id = 0;
};

int idOf(sh::Ptr<Job> p) { return p->id; }

int main() {
  sh::Map<int, sh::Ptr<Job>> jobs;
  auto p = jobs[1];
  int (*volatile use)(sh::Ptr<Job>) = idOf;
  return use(p);
}
