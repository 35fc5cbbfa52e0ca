// A nil Ptr from a miss, dereferenced in another function: the lookup
// analysis follows a value within one function (and into thread lambdas),
// not into callees, so the runtime sees what the static checks do not
// (runtime only).
#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Job {
  int id = 0;
};

int idOf(sh::Ptr<Job> p) { return p->id; }

int main() {
  sh::Map<int, sh::Ptr<Job>> jobs;
  auto p = jobs[1];
  return idOf(p);
}
