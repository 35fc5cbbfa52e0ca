// miss-default-use: m[k] on a missing key inserts a nil Ptr, which is then
// dereferenced. Runtime: nil-deref, origin = the m[k] line.
#include <cstdio>
#include <string>

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Session {
  void send(const char *msg) { std::puts(msg); }
};

int main() {
  sh::Map<int, sh::Ptr<Session>> sessions;
  sessions[1] = sh::make_ptr<Session>();
  auto s = sessions[2];
  s->send("ping");
  return 0;
}
