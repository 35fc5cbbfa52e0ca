#include "registry.h"
#include <stdexcept>

Session *Registry::find_session(int id) { return sessions_[id]; }

std::map<int, Session *>::iterator Registry::locate(int id) {
  return sessions_.find(id);
}

bool Registry::has(int id) const { return sessions_.count(id) != 0; }

Session *Registry::find_or_throw(int id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end())
    throw std::out_of_range("no session");
  return it->second;
}

void flush_to(Session *s) { s->send("bye"); }

void fail(const char *why) { throw std::runtime_error(why); }
