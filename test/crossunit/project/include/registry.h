#pragma once
#include "session.h"
#include <map>

class Registry {
public:
  /// The session of `id`; a miss inserts and returns null.
  Session *find_session(int id);
  /// find()'s iterator: end() on a miss.
  std::map<int, Session *>::iterator locate(int id);
  bool has(int id) const;
  /// Throws on a miss.
  Session *find_or_throw(int id);

  std::map<int, Session *> sessions_;
};

/// Sends the goodbye: uses `s` without a test.
void flush_to(Session *s);
/// Logs and throws: never returns.
void fail(const char *why);
