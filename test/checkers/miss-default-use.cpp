// The shim headers use std::source_location, which clang 14 cannot compile:
// UNSUPPORTED: clang-tidy-14
// RUN: %check_mapguard %s mapguard-miss-default-use %t

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <mapguard/shim.h>
#include <thread>
#include <vector>
#include <algorithm>

struct S { void f(); };
std::map<int, std::shared_ptr<S>> m;
std::map<int, S *> raw;
std::map<int, int> counts;
std::map<int, std::map<int, std::unique_ptr<S>>> nested;
std::unordered_map<int, std::function<void()>> handlers;
std::shared_ptr<S> make();

// --- Positives -------------------------------------------------------------

void copiedValue(int k) {
  auto s = m[k];
  s->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 's' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-3]]:12: note: lookup here
}

void inPlace(int k) {
  m[k]->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'm[k]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: use 'at()' to throw on a miss instead of inserting a default value
}

void emptyFunction(int k) {
  handlers[k]();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'handlers[k]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: use 'at()' to throw on a miss instead of inserting a default value
}

void iteratorNotCompared(int k) {
  auto it = raw.find(k);
  it->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-3]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: exit early when the lookup misses
}

void nestedMaps(int a, int b) {
  nested[a][b]->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'nested[a][b]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: lookup here
}

void checkedOnOnePathOnly(int k, bool fast) {
  S *p = raw[k];
  if (fast && !p)
    return;
  p->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'p' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-5]]:10: note: lookup here
}

void inLambda() {
  auto run = [](int k) { raw[k]->f(); };
  // CHECK-NOTES: :[[@LINE-1]]:26: warning: 'raw[k]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:26: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:26: note: use 'at()' to throw on a miss instead of inserting a default value
  run(1);
}

struct Registry {
  std::map<int, S *> byId;
  void touch(int id) {
    S *s = byId[id];
    s->f();
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 's' may be a default-constructed value from a map miss [mapguard-miss-default-use]
    // CHECK-NOTES: :[[@LINE-3]]:12: note: lookup here
  }
};

// --- Negatives: the safe idioms --------------------------------------------

void initialisedOnMiss(int k) {
  auto &p = m[k];
  if (!p)
    p = make();
  p->f();
}

void ifInitFound(int k) {
  if (auto it = raw.find(k); it != raw.end())
    it->second->f();
}

void endOnTheLeft(int k) {
  auto it = raw.find(k);
  if (raw.end() != it)
    it->second->f();
}

void containsFirst(int k) {
  if (m.contains(k))
    m[k]->f();
}

void atThrows(int k) { m.at(k)->f(); }

void counterMap(int k) { counts[k]++; }

void earlyReturn(int k) {
  auto it = raw.find(k);
  if (it == raw.end())
    return;
  it->second->f();
}

void testedValue(int k) {
  S *p = raw[k];
  if (p)
    p->f();
}

void ternary(int k) {
  S *p = raw[k];
  p ? p->f() : void();
}

void shortCircuit(int k) {
  S *p = raw[k];
  if (p && p != nullptr)
    p->f();
}

void boolHoldsTheCheck(int k) {
  S *p = raw[k];
  bool ok = p != nullptr;
  if (!ok)
    return;
  p->f();
}

void loopContinue() {
  for (int i = 0; i < 3; ++i) {
    S *p = raw[i];
    if (!p)
      continue;
    p->f();
  }
}

void throwOnMiss(int k) {
  auto it = raw.find(k);
  if (it == raw.end())
    throw 1;
  it->second->f();
}

void countFirst(int k) {
  if (m.count(k) == 0)
    return;
  m[k]->f();
}

void abortOnMiss(int k) {
  S *p = raw[k];
  if (p == nullptr)
    std::abort();
  p->f();
}

void assignedAfterMiss(int k) {
  auto p = m[k];
  p = make();
  p->f();
}

void resetAfterMiss(int k) {
  auto p = m[k];
  p.reset(new S);
  p->f();
}

void filledByReference(int k, void (*fill)(std::shared_ptr<S> &)) {
  auto p = m[k];
  fill(p);
  p->f();
}

void structuredBindingsOfAFoundEntry(int k) {
  auto it = raw.find(k);
  if (it == raw.end())
    return;
  auto &[key, value] = *it;
  value->f();
}

void assertFound(int k) {
  S *p = raw[k];
  if (!p) {
    std::fprintf(stderr, "fatal\n");
    std::exit(1);
  }
  p->f();
}

void rangeFor() {
  for (auto &[k, v] : raw)
    if (v)
      v->f();
}

// Regression (googletest, zeromq): constant conditions prune CFG edges, which
// leaves null successors that a plain post-order walk would follow.
void prunedEdges(int k) {
  auto s = m[k];
  if (true)
    s = make();
  else
    s->f();
  do {
    if (!s)
      break;
    s->f();
  } while (false);
}

// Assertion macros of the kind googletest and glog define: the condition is
// wrapped in a pass-through call, the failure branch logs at FATAL severity.
namespace testing_like {
enum Severity { LOG_INFO, LOG_FATAL };
struct Log {
  Log(Severity, const char *, int);
  ~Log(); // aborts when the severity is FATAL
  Log &stream();
  template <class T> Log &operator<<(const T &);
};
inline bool IsTrue(bool c) { return c; }
} // namespace testing_like
#define MY_CHECK(cond)                                                         \
  if (::testing_like::IsTrue(cond))                                            \
    ;                                                                          \
  else                                                                         \
    ::testing_like::Log(::testing_like::LOG_FATAL, __FILE__, __LINE__).stream() \
        << "check failed: " #cond
#define MY_LIKELY(x) __builtin_expect(!!(x), 1)

S *checkedByMacro(int k) {
  auto it = raw.find(k);
  MY_CHECK(it != raw.end());
  return it->second;
}

void likelyFound(int k) {
  auto it = m.find(k);
  if (MY_LIKELY(it != m.end()))
    it->second->f();
}

// The other common spelling of the hint: a C-style or functional cast to
// bool inside __builtin_expect (evpp's UNLIKELY), and the cast alone.
#define MY_UNLIKELY(x) (__builtin_expect(((bool)(x)), 0))
void unlikelyMissed(int k) {
  auto it = m.find(k);
  if (MY_UNLIKELY(it == m.end()))
    return;
  it->second->f();
}

void castToBool(int k) {
  auto it = m.find(k);
  if (bool(it != m.end()))
    it->second->f();
}

// The hint does not make a test of another lookup a test of this one.
void unlikelyOtherKey(int k) {
  auto it = m.find(k);
  if (MY_UNLIKELY(m.find(k + 1) == m.end()))
    return;
  it->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-5]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: exit early when the lookup misses
}

// Release builds: `assert` compiled away under NDEBUG still documents the
// author's check; a find() into a map of plain values only relies on an
// invariant (no default-constructed handle is used).
#define NDEBUG
#include <cassert>
std::map<int, long> plain;

S *assertedFound(int k) {
  auto it = raw.find(k);
  assert(it != raw.end());
  return it->second;
}

void assertedInPlace(int k) {
  assert(m.count(k) && "registered at startup");
  m[k]->f();
}

// find() into a map of plain values: dereferencing end() is undefined
// behaviour whatever the mapped type (#14; this was exempt before).
long plainFind(int k) {
  auto it = plain.find(k);
  return it->second;
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-3]]:13: note: lookup here
}

// An assertion about something else does not hide the finding.
void assertedSomethingElse(int k, int n) {
  auto it = raw.find(k);
  assert(n > 0);
  it->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-4]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: exit early when the lookup misses
}

void assertedOnlyTheKey(int k) {
  assert(k > 0);
  m[k]->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'm[k]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: use 'at()' to throw on a miss instead of inserting a default value
}

// Keys taken from the map itself cannot miss: its entries in a range-for,
// and a local container filled only with them (rocksdb's lock manager).
void ownEntryKey() {
  for (const auto &p : m)
    m[p.first]->f();
  for (const auto &[k, v] : raw)
    raw.find(k)->second->f();
}

void ownKeysCollected() {
  std::vector<int> ids;
  for (const auto &p : m)
    ids.push_back(p.first);
  std::sort(ids.begin(), ids.end());
  for (int i : ids)
    m[i]->f();
}

// Look-alikes: the keys of another map, a container with another key in it,
// a map that loses keys in between, the value instead of the key.
void entryKeyOfOtherMap() {
  for (const auto &p : raw)
    m[p.first]->f();
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'm[p.first]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:5: note: use 'at()' to throw on a miss instead of inserting a default value
}

void collectedPlusOther(int k) {
  std::vector<int> ids;
  for (const auto &p : raw)
    ids.push_back(p.first);
  ids.push_back(k);
  for (int i : ids)
    raw.find(i)->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'raw.find(i)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: lookup here
}

void collectedThenErased(int k) {
  std::vector<int> ids;
  for (const auto &p : raw)
    ids.push_back(p.first);
  raw.erase(k);
  for (int i : ids)
    raw.find(i)->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'raw.find(i)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: lookup here
}

void refill(std::map<int, S *> &);
void collectedThenHandedOut() {
  std::vector<int> ids;
  for (const auto &p : raw)
    ids.push_back(p.first);
  refill(raw);
  for (int i : ids)
    raw.find(i)->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'raw.find(i)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: lookup here
}

void collectedThenOverwritten() {
  std::vector<int> ids;
  for (const auto &p : raw)
    ids.push_back(p.first);
  ids[0] = 7;
  for (int i : ids)
    raw.find(i)->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'raw.find(i)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: lookup here
}

void valueAsKey() {
  for (const auto &[k, v] : counts)
    raw.find(v)->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'raw.find(v)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: lookup here
}

// A function of another TU handed the map by non-const reference (or
// pointer) with the key may have inserted it (evpp's memcache client pool):
// the analysis cannot see, so it does not say the key is missing. A visible
// helper counts when it inserts into that parameter.
void buildWorker(int shard, int k, std::map<int, S *> &into); // another TU
void buildWorkerAt(std::map<int, S *> *into, int k);          // another TU
void registerWorker(std::map<int, S *> &into, int k) { into[k] = new S; }
void filledElsewhere(int k) {
  buildWorker(0, k, raw);
  auto it = raw.find(k);
  it->second->f();
}

void filledThroughPointer(int k) {
  buildWorkerAt(&raw, k);
  raw.find(k)->second->f();
}

void filledByVisibleHelper(int k) {
  registerWorker(raw, k);
  raw.find(k)->second->f();
}

// Look-alikes: a const map, a visible helper that only erases, another key.
void peekWorker(const std::map<int, S *> &from, int k);       // another TU
void dropWorker(std::map<int, S *> &from, int k) { from.erase(k); }
void readOnlyCall(int k) {
  peekWorker(raw, k);
  raw.find(k)->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'raw.find(k)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: lookup here
}

void erasingHelper(int k) {
  dropWorker(raw, k);
  raw.find(k)->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'raw.find(k)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: lookup here
}

void filledOtherKey(int k, int other) {
  buildWorker(0, other, raw);
  raw.find(k)->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'raw.find(k)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: lookup here
}

// An erased key is missing, whatever a test before the erase said.
void erasedThenUsed(int k) {
  if (m.count(k)) {
    m.erase(k);
    m[k]->f();
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'm[k]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: lookup here
  }
}

// Look-alikes: refilled after the erase, another key erased, erase(it).
void erasedThenRefilled(int k) {
  m.erase(k);
  m[k] = make();
  m[k]->f();
}

void erasedOtherKey(int k) {
  if (m.count(k)) {
    m.erase(k + 1);
    m[k]->f();
  }
}

void erasedByIterator(int k) {
  auto it = m.find(k);
  if (it != m.end()) {
    m.erase(it);
    if (m.count(k))
      m[k]->f();
  }
}

// The key was just inserted: the lookup cannot miss.
void insertedThenFound(int k) {
  raw.emplace(k, new S);
  auto it = raw.find(k);
  it->second->f();
}

void insertedPairThenFound(int k) {
  raw.insert(std::make_pair(k, new S));
  raw.find(k)->second->f();
}

void assignedThenSubscript(int k) {
  m[k] = make();
  auto s = m[k];
  s->f();
}

void insertedOtherKey(int k, int j) {
  raw.emplace(j, new S);
  auto it = raw.find(k);
  it->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'it' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-3]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: exit early when the lookup misses
}

// The shim's Map takes its subscript key through a converting wrapper.
struct Job { void run(); };
mapguard::shim::Map<int, mapguard::shim::Ptr<Job>> jobs;
void shimContainsThenSubscript(const int *ids, int n) {
  for (int i = 0; i < n; ++i)
    if (jobs.contains(ids[i]))
      jobs[ids[i]]->run();
}

// A handle handed to a thread body (Go's `go func() { ch <- 1 }()`): the
// thread uses the value as it was when the lambda captured it.
void threadUsesMissing(int k) {
  auto s = m[k];
  std::thread t([s] { s->f(); });
  // CHECK-NOTES: :[[@LINE-1]]:23: warning: 's' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-3]]:12: note: lookup here
  t.join();
}

mapguard::shim::Map<int, mapguard::shim::Chan<int>> queues;
void goroutineSendsOnMissing(int k) {
  auto q = queues[k];
  mapguard::shim::go([q]() mutable { q.send(1); });
  // CHECK-NOTES: :[[@LINE-1]]:38: warning: 'q' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-3]]:12: note: lookup here
}

void goroutineRangesOverMissing(int k) {
  auto q = queues[k];
  mapguard::shim::go([q]() mutable {
    for (int v : q)
      (void)v;
  });
  // CHECK-NOTES: :[[@LINE-3]]:18: warning: 'q' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-6]]:12: note: lookup here
}

// Safe: the thread tests the value, the caller checked first, or the lambda
// is only stored (it may never run).
void threadTestsFirst(int k) {
  auto s = m[k];
  std::thread t([s] {
    if (s)
      s->f();
  });
  t.join();
}

void threadAfterCheck(int k) {
  auto s = m[k];
  if (!s)
    return;
  std::thread t([s] { s->f(); });
  t.join();
}

void storedLambda(int k) {
  auto s = m[k];
  auto cb = [s] { s->f(); };
  if (s)
    cb();
}

// FIXME: known false positive (cppcheck's simplecpp): the key comes from a
// function that only returns keys of the map; the analysis does not look
// into callees for key facts.
int keyOf(const std::map<int, S *> &, int);
void fixmeKeyFromCallee(int k) {
  int key = keyOf(raw, k);
  raw.find(key)->second->f();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'raw.find(key)' may be the end() iterator of a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: lookup here
}

// count() compared with any constant, either way round.
void countEqualsOne(int k) {
  if (raw.count(k) == 1)
    raw.find(k)->second->f();
  if (1 <= raw.count(k))
    raw[k]->f();
}

void countBelowOneLeaves(int k) {
  if (raw.count(k) < 1)
    return;
  raw[k]->f();
}

void countNotOneSaysNothing(int k) {
  if (raw.count(k) != 1)
    raw[k]->f();
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'raw[k]' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:5: note: use 'at()' to throw on a miss instead of inserting a default value
}
