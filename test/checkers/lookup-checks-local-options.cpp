// Both lookup checks in one run, each with its own check-local options: each
// must see its own (they share one analysis only when configured alike).
//
// RUN: %check_mapguard -check-suffix=SPLIT %s \
// RUN:   mapguard-miss-default-use,mapguard-unhandled-miss %t -- \
// RUN:   -config="{CheckOptions: { \
// RUN:     mapguard-miss-default-use.HandleTypes: 'Conn', \
// RUN:     mapguard-unhandled-miss.NoReturnFunctions: 'die'}}"
//
// The same options the other way round.
// RUN: %check_mapguard -check-suffix=SWAP %s \
// RUN:   mapguard-miss-default-use,mapguard-unhandled-miss %t -- \
// RUN:   -config="{CheckOptions: { \
// RUN:     mapguard-unhandled-miss.HandleTypes: 'Conn', \
// RUN:     mapguard-miss-default-use.NoReturnFunctions: 'die'}}"
//
// Global options: both checks alike (one shared analysis).
// RUN: %check_mapguard -check-suffix=GLOBAL %s \
// RUN:   mapguard-miss-default-use,mapguard-unhandled-miss %t -- \
// RUN:   -config="{CheckOptions: {HandleTypes: 'Conn', NoReturnFunctions: 'die'}}"

#include <cstdio>
#include <map>

// A nullable handle the model does not know unless HandleTypes names it.
struct Conn {
  void send();
  Conn *operator->();
  explicit operator bool() const;
};
std::map<int, Conn> conns;

struct Worker {
  void run();
};
std::map<int, Worker *> workers;

// Not [[noreturn]]: only NoReturnFunctions can say it never returns.
void die(const char *);

// A default Conn used: miss-default-use knows Conn only through its
// HandleTypes.
void sendUnchecked(int id) {
  conns[id]->send();
  // CHECK-MESSAGES-SPLIT: :[[@LINE-1]]:3: warning: 'conns[id]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-MESSAGES-GLOBAL: :[[@LINE-2]]:3: warning: 'conns[id]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
}

// A Conn miss noticed and used: unhandled-miss knows Conn only through its
// HandleTypes.
void sendNoticed(int id) {
  Conn c = conns[id];
  if (!c)
    std::puts("no connection");
  c->send();
  // CHECK-MESSAGES-SWAP: :[[@LINE-1]]:3: warning: 'c' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-MESSAGES-GLOBAL: :[[@LINE-2]]:3: warning: 'c' is used after the lookup failed [mapguard-unhandled-miss]
}

// The miss branch ends in die(): handled when unhandled-miss's
// NoReturnFunctions names it; miss-default-use's NoReturnFunctions does not
// change unhandled-miss.
void runOrDie(int id) {
  Worker *w = workers[id];
  if (!w) {
    std::puts("no worker");
    die("no worker");
  }
  w->run();
  // CHECK-MESSAGES-SWAP: :[[@LINE-1]]:3: warning: 'w' is used after the lookup failed [mapguard-unhandled-miss]
}

// Checked properly: silent under every configuration.
void runChecked(int id) {
  auto it = workers.find(id);
  if (it == workers.end())
    return;
  it->second->run();
}
