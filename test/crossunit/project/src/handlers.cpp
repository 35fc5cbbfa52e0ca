// Callers of registry.cpp's helpers; this file sees only their declarations.
#include "registry.h"
#include <cstdio>

void greet(Registry &r, int id) {
  r.find_session(id)->send("hello"); // EXPECT: mapguard-miss-default-use "registry.cpp:4"
}

void greet_tested(Registry &r, int id) {
  if (Session *s = r.find_session(id))
    s->send("hello");
}

void greet_logged(Registry &r, int id) {
  Session *s = r.find_session(id);
  if (!s)
    std::fprintf(stderr, "no session %d\n", id);
  s->send("hello"); // EXPECT: mapguard-unhandled-miss "registry.cpp:4"
}

void greet_member(Registry &r, int id) {
  if (!r.has(id))
    return;
  r.sessions_[id]->send("hello");
}

void greet_iter(Registry &r, int id) {
  auto it = r.locate(id);
  it->second->send("hello"); // EXPECT: mapguard-miss-default-use "registry.cpp:7"
}

void greet_iter_tested(Registry &r, int id) {
  auto it = r.locate(id);
  if (it != r.sessions_.end())
    it->second->send("hello");
}

void bye(Registry &r, int id) {
  Session *s = r.sessions_[id];
  flush_to(s); // EXPECT: mapguard-miss-default-use "registry.cpp:19"
}

void bye_checked(Registry &r, int id) {
  Session *s = r.sessions_[id];
  if (!s)
    fail("no session");
  flush_to(s);
}

void greet_throwing(Registry &r, int id) {
  r.find_or_throw(id)->send("hello");
}
