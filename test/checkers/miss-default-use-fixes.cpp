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

// A find() iterator dereferenced with no test: an early exit before the
// statement that uses it, when the return type has an obvious "nothing".
std::map<int, Session *> live;

void sendTo(int id) {
  auto it = live.find(id);
  it->second->send("x");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-FIXES: if (it == live.end())
  // CHECK-FIXES-NEXT: return;
  // CHECK-FIXES-NEXT: it->second->send("x");
}

Session *lookupSession(int id) {
  auto found = live.find(id);
  Session *s = found->second;
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'found' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-FIXES: if (found == live.end())
  // CHECK-FIXES-NEXT: return nullptr;
  // CHECK-FIXES-NEXT: Session *s = found->second;
  return s;
}

bool sendAll(int id) {
  auto it = live.find(id);
  if (id > 0) {
    it->second->send("y");
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
    // CHECK-FIXES: if (it == live.end())
    // CHECK-FIXES-NEXT: return false;
    // CHECK-FIXES-NEXT: it->second->send("y");
  }
  return true;
}

// No obvious "nothing" to return: the warning, no fix.
int countOf(int id) {
  auto it = live.find(id);
  return it->first;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-FIXES: return it->first;
}

// The use under an unbraced if: an exit in front of the if would also leave
// when the condition is false. The warning, no fix.
void maybeSend(int id, bool now) {
  auto it = live.find(id);
  if (now)
    it->second->send("z");
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-FIXES: {{^}}  if (now){{$}}
  // CHECK-FIXES-NEXT: {{^}}    it->second->send("z");
}
