#include "registry.h"

// Returns null on a miss.
Session *find_session(std::map<std::string, Session *> &sessions,
                      const std::string &name) {
  auto it = sessions.find(name);
  if (it == sessions.end())
    return nullptr;
  return it->second;
}

bool has_session(const std::map<std::string, Session *> &sessions,
                 const std::string &name) {
  return sessions.count(name) != 0;
}

void Registry::add(const std::string &name, Session *s) {
  std::lock_guard<std::mutex> guard(lock_);
  sessions_[name] = s;
}

Session *Registry::get(const std::string &name) {
  std::lock_guard<std::mutex> guard(lock_);
  return find_session(sessions_, name);
}
