// RUN: %check_mapguard %s mapguard-unhandled-miss %t

#include <cstdio>
#include <map>
#include <memory>
#include <unordered_map>

struct Worker { void run(); };
std::unordered_map<int, Worker *> workers;
std::map<int, std::shared_ptr<Worker>> shared;
int misses;
void logMiss(int);
std::shared_ptr<Worker> spawn();

// --- Positives: noticed, not handled ---------------------------------------

void logsThenUses(int id) {
  auto it = workers.find(id);
  if (it == workers.end()) {
    std::fprintf(stderr, "no worker %d\n", id);
  }
  it->second->run();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'it' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-6]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-6]]:7: note: miss branch falls through here
}

void countsThenUses(int id) {
  Worker *w = workers[id];
  if (!w)
    ++misses;
  w->run();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'w' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-5]]:15: note: lookup here
  // CHECK-NOTES: :[[@LINE-5]]:7: note: miss branch falls through here
}

void countCheckThenInPlace(int id) {
  if (shared.count(id) == 0)
    logMiss(id);
  shared[id]->run();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'shared[id]' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: lookup here
  // CHECK-NOTES: :[[@LINE-5]]:7: note: miss branch falls through here
}

void flagNoticed(int id) {
  auto it = workers.find(id);
  bool found = it != workers.end();
  if (!found)
    logMiss(id);
  it->second->run();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'it' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-6]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-5]]:7: note: miss branch falls through here
}

// --- Negatives --------------------------------------------------------------

void logsAndReturns(int id) {
  auto it = workers.find(id);
  if (it == workers.end()) {
    std::fprintf(stderr, "no worker %d\n", id);
    return;
  }
  it->second->run();
}

void initialisesOnMiss(int id) {
  auto &w = shared[id];
  if (!w) {
    logMiss(id);
    w = spawn();
  }
  w->run();
}

void insertsOnMiss(int id) {
  if (!shared.count(id))
    shared[id] = spawn();
  shared[id]->run();
}

void reassignsIterator(int id) {
  auto it = shared.find(id);
  if (it == shared.end())
    it = shared.emplace(id, spawn()).first;
  it->second->run();
}

void usesOnlyInFoundBranch(int id) {
  Worker *w = workers[id];
  if (!w)
    logMiss(id);
  else
    w->run();
}

void breaksOutOfLoop() {
  for (int id = 0; id < 4; ++id) {
    auto it = workers.find(id);
    if (it == workers.end()) {
      logMiss(id);
      break;
    }
    it->second->run();
  }
}

// A logger at INFO severity does not leave the path (one at FATAL does: see
// the assertion macros in miss-default-use.cpp).
namespace logging_like {
enum Severity { LOG_INFO, LOG_FATAL };
struct Log {
  Log(Severity, const char *, int);
  ~Log();
  template <class T> Log &operator<<(const T &);
};
} // namespace logging_like

void loggedAtInfo(int k) {
  auto it = workers.find(k);
  if (it == workers.end())
    logging_like::Log(logging_like::LOG_INFO, __FILE__, __LINE__) << "missing";
  it->second->run();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'it' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-5]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-5]]:7: note: miss branch falls through here
}

void loggedAtFatal(int k) {
  auto it = workers.find(k);
  if (it == workers.end())
    logging_like::Log(logging_like::LOG_FATAL, __FILE__, __LINE__) << "missing";
  it->second->run();
}

// FIXME: known false positive: the use is guarded by the same condition as
// the re-lookup on the miss branch, but the condition calls a function that
// may answer differently the second time, so it is not correlated (a stable
// condition is: see correlatedBranches below).
bool fresh(int);
void fixmeCorrelatedBranches(int k) {
  auto it = workers.find(k);
  if (it == workers.end()) {
    if (fresh(k)) {
      workers.emplace(k, new Worker);
      it = workers.find(k);
    }
  }
  if (fresh(k))
    it->second->run();
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'it' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-10]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-10]]:7: note: miss branch falls through here
}

// Correlated branches (cppcheck's symboldatabase): the use is guarded by the
// same stable condition as the re-lookup on the miss branch, so the paths
// that missed cannot reach it.
struct Tok {
  int varId() const;
  void setVarId(int);
};
void correlatedBranches(Tok *tok, int k) {
  auto it = workers.find(k);
  if (it == workers.end()) {
    if (tok->varId() == 0) {
      workers.emplace(k, new Worker);
      it = workers.find(k);
    }
  }
  if (tok->varId() == 0)
    it->second->run();
}

// The condition's variable changes in between: the correlation is dropped.
void correlatedButChanged(Tok *tok, int k) {
  auto it = workers.find(k);
  if (it == workers.end()) {
    if (tok->varId() == 0) {
      workers.emplace(k, new Worker);
      it = workers.find(k);
    }
  }
  tok->setVarId(0);
  if (tok->varId() == 0)
    it->second->run();
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'it' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-11]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-11]]:7: note: miss branch falls through here
}

// The opposite edge of the same condition is where the miss goes.
void correlatedOtherEdge(Tok *tok, int k) {
  auto it = workers.find(k);
  if (it == workers.end()) {
    if (tok->varId() == 0) {
      workers.emplace(k, new Worker);
      it = workers.find(k);
    }
  }
  if (tok->varId() != 0)
    it->second->run();
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'it' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-10]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-10]]:7: note: miss branch falls through here
}

// The miss test and a stable condition in one `&&` (rocksdb's backup
// engine): the else branch is reached on a miss only when the other operand
// was false, so a use guarded by it again cannot see the miss. With a
// std::map the condition makes a temporary (ExprWithCleanups around `&&`).
void conjunctionThenGuarded(int k, bool samePath) {
  auto it = shared.find(k);
  if (it == shared.end() && !samePath) {
    logMiss(k);
  } else {
    if (!samePath)
      it->second->run();
  }
}

void conjunctionFlipped(int k, bool samePath) {
  auto it = shared.find(k);
  if (!samePath && it == shared.end())
    logMiss(k);
  else if (!samePath)
    it->second->run();
}

// The use needs both operands (rocksdb's Timer::Cancel): the miss never
// reaches it, although the value of the `&&` is computed before the branch.
void conjunctionFoundThenUsed(int k) {
  auto it = shared.find(k);
  if (it == shared.end())
    logMiss(k);
  if (it != shared.end() && it->second)
    it->second->run();
}

// A call of another TU may have filled the key, but the test after it says
// the author does not rely on that: its miss branch counts.
void fillShared(std::map<int, std::shared_ptr<Worker>> &into, int k);
void filledThenTested(int k) {
  fillShared(shared, k);
  auto it = shared.find(k);
  if (it == shared.end())
    logMiss(k);
  it->second->run();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'it' is used after the lookup failed [mapguard-unhandled-miss]
  // CHECK-NOTES: :[[@LINE-5]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-5]]:7: note: miss branch falls through here
}

// The else branch without the guard: the miss with `samePath` set reaches it.
void conjunctionUnguarded(int k, bool samePath) {
  auto it = shared.find(k);
  if (it == shared.end() && !samePath) {
    logMiss(k);
  } else {
    it->second->run();
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'it' is used after the lookup failed [mapguard-unhandled-miss]
    // CHECK-NOTES: :[[@LINE-6]]:13: note: lookup here
    // CHECK-NOTES: :[[@LINE-6]]:7: note: miss branch falls through here
  }
}

// Guarded by the other edge of the same operand: that is the miss's way.
void conjunctionWrongGuard(int k, bool samePath) {
  auto it = shared.find(k);
  if (it == shared.end() && !samePath) {
    logMiss(k);
  } else {
    if (samePath)
      it->second->run();
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: 'it' is used after the lookup failed [mapguard-unhandled-miss]
    // CHECK-NOTES: :[[@LINE-7]]:13: note: lookup here
    // CHECK-NOTES: :[[@LINE-7]]:7: note: miss branch falls through here
  }
}
