// RUN: %check_mapguard %s mapguard-miss-default-use %t -- --fix-notes
// The fixed file compiles:
// RUN: clang++ -std=c++20 -fsyntax-only %t.cpp

// Note fixes (applied with --fix-notes: they change behaviour): m[k]->f()
// on a map the function only reads becomes m.at(k)->f(), which throws on a
// miss instead of inserting a null value.

#include <map>
#include <memory>
#include <string>

struct Session { void send(const char *); };
std::map<int, std::shared_ptr<Session>> sessions;
std::map<std::string, Session *> byName;

void ping(int id) {
  sessions[id]->send("ping");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sessions[id]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-FIXES: sessions.at(id)->send("ping");
}

void pingByName(const std::string &name) {
  byName[name]->send("ping");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'byName[name]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-FIXES: byName.at(name)->send("ping");
}

// The function also writes the map: no fix (the subscript may be meant to
// insert), only the warning.
void pingAndForget(int id) {
  sessions[id]->send("ping");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sessions[id]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-FIXES: sessions[id]->send("ping");
  sessions.erase(id);
}
