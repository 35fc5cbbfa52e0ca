// RUN: %check_mapguard %s mapguard-miss-default-use,mapguard-unhandled-miss %t

// Lookups across calls in the TU: getters and helpers that return a lookup,
// callees that use a parameter on every path, predicate helpers, helpers
// that never return, find() into maps of any value type, erase(end()).

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>

struct Node { void visit(); };
struct Sink { void flush(); };
struct Buffer {};
struct Peer { void write(const Buffer &); };

class Graph {
public:
  // A getter that returns a lookup: its call sites are lookups.
  Node *node(int id) { return nodes_[id]; }
  // By reference, through a smart pointer.
  std::shared_ptr<Sink> &sink(const std::string &name) { return sinks_[name]; }
  // A chain of two helpers.
  Node *find_node(int id) { return node(id); }
  // A predicate helper.
  bool known(int id) const { return nodes_.count(id); }
  bool missing(int id) const { return nodes_.find(id) == nodes_.end(); }
  // A getter that checks: returns nullptr explicitly, not a default.
  Node *checked(int id) {
    auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : it->second;
  }
  // A getter that inserts before returning: present.
  Node *ensure(int id) {
    auto &n = nodes_[id];
    if (!n)
      n = new Node;
    return n;
  }

  void visitOne(int id) {
    node(id)->visit();
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'node(id)' may be a default-constructed value from a map miss [mapguard-miss-default-use]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: 'node' may return a default-constructed value from a map miss
    // CHECK-NOTES: :23:31: note: lookup here
  }
  void flushOne(const std::string &n) {
    sink(n)->flush();
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'sink(n)' may be a default-constructed value from a map miss [mapguard-miss-default-use]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: 'sink' may return a default-constructed value from a map miss
    // CHECK-NOTES: :25:65: note: lookup here
  }
  void visitBound(int id) {
    Node *n = find_node(id);
    n->visit();
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'n' may be a default-constructed value from a map miss [mapguard-miss-default-use]
    // CHECK-NOTES: :[[@LINE-3]]:15: note: 'find_node' may return a default-constructed value from a map miss
    // CHECK-NOTES: :27:36: note: 'node' may return a default-constructed value from a map miss
    // CHECK-NOTES: :23:31: note: lookup here
  }

  // --- Look-alikes: silent -------------------------------------------------
  void testedInPlace(int id) {
    if (node(id))
      node(id)->visit();
  }
  void testedBound(int id) {
    Node *n = node(id);
    if (!n)
      return;
    n->visit();
  }
  void guardedByPredicate(int id) {
    if (!known(id))
      return;
    nodes_[id]->visit();
  }
  void guardedByNegativePredicate(int id) {
    if (missing(id))
      return;
    nodes_[id]->visit();
  }
  void checkedGetter(int id) {
    if (Node *n = checked(id))
      n->visit();
  }
  void ensured(int id) { ensure(id)->visit(); }

private:
  std::map<int, Node *> nodes_;
  std::unordered_map<std::string, std::shared_ptr<Sink>> sinks_;

  // --- Predicates two helpers down (and their look-alikes) -------------------
  bool present(int id) const { return known(id); }
  bool absent(int id) const { return !known(id); }
  bool nextKnown(int id) const { return known(id + 1); }
  bool knownIn(const Graph &g, int id) const { return g.known(id); }
  void guardedByComposed(int id) {
    if (!present(id))
      return;
    nodes_[id]->visit();
  }
  void guardedByComposedNegative(int id) {
    if (absent(id))
      return;
    nodes_[id]->visit();
  }
  void guardedByOtherKey(int id) {
    if (!nextKnown(id))
      return;
    nodes_[id]->visit();
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'nodes_[id]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: lookup here
    // CHECK-NOTES: :[[@LINE-3]]:5: note: use 'at()' to throw on a miss instead of inserting a default value
  }
  void guardedByOtherObject(const Graph &g, int id) {
    if (!knownIn(g, id))
      return;
    nodes_[id]->visit();
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'nodes_[id]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: lookup here
    // CHECK-NOTES: :[[@LINE-3]]:5: note: use 'at()' to throw on a miss instead of inserting a default value
  }
};

// A free helper returning a std::function from a map.
std::map<std::string, std::function<void()>> handlers;
std::function<void()> &handler(const std::string &name) { return handlers[name]; }
void dispatch(const std::string &name) {
  handler(name)();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'handler(name)' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: 'handler' may return a default-constructed value from a map miss
  // CHECK-NOTES: :131:66: note: lookup here
}

// --- A maybe-missing value handed to a callee that uses it on every path ---

std::map<int, Peer *> peers;
void flush_to(Peer *p, const Buffer &buf) { p->write(buf); }
void flush_checked(Peer *p, const Buffer &buf) {
  if (!p)
    return;
  p->write(buf);
}
void flush_sometimes(Peer *p, const Buffer &buf, bool now) {
  if (now)
    p->write(buf);
}
void flush_via(Peer *p, const Buffer &buf) { flush_to(p, buf); }

void sendAll(int id, const Buffer &buf) {
  flush_to(peers[id], buf);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'peers[id]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:12: note: lookup here
  // CHECK-NOTES: :142:45: note: 'flush_to' uses it here without a test
  // CHECK-NOTES: :[[@LINE-4]]:12: note: use 'at()' to throw on a miss instead of inserting a default value
}
void sendVia(int id, const Buffer &buf) {
  Peer *p = peers[id];
  flush_via(p, buf);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'p' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-3]]:13: note: lookup here
  // CHECK-NOTES: :152:46: note: 'flush_via' uses it here without a test
}
void sendChecked(int id, const Buffer &buf) { flush_checked(peers[id], buf); }
void sendSometimes(int id, const Buffer &buf) {
  flush_sometimes(peers[id], buf, true);
}

// A virtual callee: no summary, no finding.
struct Transport {
  virtual void send(Peer *p) { p->write(Buffer{}); }
};
void sendVirtual(Transport &t, int id) { t.send(peers[id]); }

// --- Helpers that never return -------------------------------------------------

void fail(const char *what) { throw std::runtime_error(what); }
void die(const char *what) {
  std::fputs(what, stderr);
  std::abort();
}
void failTwice(const char *what) { fail(what); }
void maybeFail(const char *what, bool really) {
  if (really)
    throw std::runtime_error(what);
}

void runOrFail(int id) {
  Peer *p = peers[id];
  if (!p)
    fail("no peer");
  p->write(Buffer{});
}
void runOrDie(int id) {
  auto it = peers.find(id);
  if (it == peers.end())
    failTwice("no peer");
  it->second->write(Buffer{});
}
void runOrMaybeFail(int id) {
  Peer *p = peers[id];
  if (!p)
    maybeFail("no peer", false);
  p->write(Buffer{});
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'p' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-5]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-5]]:7: note: miss branch falls through here
}

// --- find() into maps of any value type; erase(end()) ---------------------------

std::map<std::string, int> ports;
int port(const std::string &name) {
  return ports.find(name)->second;
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: 'ports.find(name)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:10: note: lookup here
}
int portChecked(const std::string &name) {
  auto it = ports.find(name);
  if (it == ports.cend())
    return -1;
  return it->second;
}
int portCheckedReversed(const std::string &name) {
  auto it = ports.find(name);
  if (ports.cend() != it)
    return it->second;
  return -1;
}
void forget(const std::string &name) {
  auto it = ports.find(name);
  if (it == ports.end())
    std::puts("unknown port");
  ports.erase(it);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'it' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-5]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-5]]:7: note: miss branch falls through here
}
void forgetChecked(const std::string &name) {
  auto it = ports.find(name);
  if (it != ports.end())
    ports.erase(it);
  ports.erase(name); // by key: fine on a miss
}

// A template predicate helper, through its instantiation.
template <class M, class K> bool has_key(const M &m, const K &k) {
  return m.find(k) != m.end();
}
void usePredicate(int id) {
  if (!has_key(peers, id))
    return;
  peers[id]->write(Buffer{});
}

// --- A const_iterator converted from find()'s iterator; a map through a pointer

std::map<int, Peer *> *peerTable;
void constIterator(int id) {
  std::map<int, Peer *>::const_iterator it = peers.find(id);
  it->second->write(Buffer{});
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-3]]:46: note: lookup here
}
void constIteratorChecked(int id) {
  std::map<int, Peer *>::const_iterator it = peers.find(id);
  if (it == peers.end())
    return;
  it->second->write(Buffer{});
}
void throughPointer(int id) {
  peerTable->find(id)->second->write(Buffer{});
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'peerTable->find(id)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: lookup here
}
void throughPointerChecked(int id) {
  auto it = peerTable->find(id);
  if (it == peerTable->end())
    return;
  it->second->write(Buffer{});
}
void throughPointerCounted(int id) {
  if (!peerTable->count(id))
    return;
  (*peerTable)[id]->write(Buffer{});
}

// A class derived from a map is a map.
struct PeerFile : std::map<int, Peer *> {};
void derivedMap(PeerFile *file, int id) {
  PeerFile::iterator it = file->find(id);
  (*it).second->write(Buffer{});
  // CHECK-NOTES: :[[@LINE-1]]:4: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-3]]:27: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: exit early when the lookup misses
}
void derivedMapChecked(PeerFile *file, int id) {
  PeerFile::iterator it = file->find(id);
  if (it == file->end())
    return;
  (*it).second->write(Buffer{});
}

// A predicate helper on the object, then the lookup through a getter that
// returns the same member map (cppcheck's tokenize.cpp VariableMap).
class VariableMap {
public:
  bool hasVariable(const std::string &name) const {
    return ids_.find(name) != ids_.end();
  }
  const std::map<std::string, int> &map(bool global) const {
    return global ? globalIds_ : ids_;
  }

private:
  std::map<std::string, int> ids_;
  std::map<std::string, int> globalIds_;
};
int idOf(const VariableMap &vars, const std::string &name) {
  if (vars.hasVariable(name))
    return vars.map(false).find(name)->second;
  return 0;
}
int idOfOtherMap(const VariableMap &vars, const std::string &name) {
  if (vars.hasVariable(name))
    return vars.map(true).find(name)->second;
  // CHECK-NOTES: :[[@LINE-1]]:12: warning: 'vars.map(true).find(name)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:12: note: lookup here
  return 0;
}

// Inserted on the miss branch, then found again into a const_iterator
// (cppcheck's importproject.cpp).
std::map<std::string, std::string> variables;
std::string expand(const std::string &var, const char *fallback) {
  std::map<std::string, std::string>::const_iterator it = variables.find(var);
  if (it == variables.end()) {
    variables[var] = fallback;
    it = variables.find(var);
  }
  return it->second;
}
