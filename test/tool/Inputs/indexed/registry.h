// A helper declared here and defined in registry.cpp: what it does on a
// miss is known to the other units only through the project index.
#pragma once
#include <map>
#include <mutex>
#include <string>

struct Session {
  int id = 0;
};

Session *find_session(std::map<std::string, Session *> &sessions,
                      const std::string &name);
bool has_session(const std::map<std::string, Session *> &sessions,
                 const std::string &name);

class Registry {
public:
  void add(const std::string &name, Session *s);
  Session *get(const std::string &name);

private:
  std::mutex lock_;
  std::map<std::string, Session *> sessions_;
};
