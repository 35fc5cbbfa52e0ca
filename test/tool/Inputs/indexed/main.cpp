#include "registry.h"
#include <thread>

void serve(Registry &r);

int lookup_id(std::map<std::string, Session *> &sessions) {
  // find_session (registry.cpp) returns null on a miss.
  return find_session(sessions, "alice")->id;
}

int checked_id(std::map<std::string, Session *> &sessions) {
  if (!has_session(sessions, "bob"))
    return -1;
  return find_session(sessions, "bob")->id;
}

int main() {
  Registry r;
  std::thread worker([&r] { serve(r); });
  r.add("carol", nullptr);
  worker.join();
}
