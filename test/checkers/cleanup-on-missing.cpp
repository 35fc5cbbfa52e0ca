// REQUIRES: gsl, absl, boost
// The shim headers use std::source_location, which clang 14 cannot compile:
// UNSUPPORTED: clang-tidy-14
// RUN: %check_mapguard %s mapguard-cleanup-on-missing %t

// A deferred cleanup registered on a value that may be missing after a map
// lookup; with the real gsl, absl and boost headers, a hand-written DEFER
// macro and the shim's MAPGUARD_DEFER. Double close has its own test.

#include <gsl/gsl>
#include "absl/cleanup/cleanup.h"
#include <boost/scope_exit.hpp>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <mapguard/shim.h>

FILE *openLog();
void log(const char *);
bool failed();

#include "Inputs/defer.h"

struct Conn {
  void close();
  void send(int);
};

std::map<std::string, FILE *> files;
std::unordered_map<int, Conn *> conns;
std::map<int, std::shared_ptr<Conn>> shared;
std::map<int, std::function<void()>> hooks;
mapguard::shim::Map<int, mapguard::shim::Chan<int>> chans;

// --- Positives -------------------------------------------------------------

void iteratorNotCompared(const std::string &name) {
  auto it = files.find(name);
  auto closer = gsl::finally([&] { std::fclose(it->second); });
  // CHECK-NOTES: :[[@LINE-1]]:8: warning: deferred cleanup uses 'it', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:48: note: used here
  std::printf("closing %s\n", name.c_str());
}

void subscriptByValue(const std::string &name) {
  FILE *f = files[name];
  absl::Cleanup c = [f] { fclose(f); };
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: deferred cleanup uses 'f', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:27: note: used here
}

void boostScopeExit(const std::string &name) {
  FILE *f = files[name];
  BOOST_SCOPE_EXIT(f) { fclose(f); } BOOST_SCOPE_EXIT_END
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: deferred cleanup uses 'f', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:25: note: used here
}

void handWrittenDefer(int id) {
  Conn *c = conns[id];
  DEFER(c->close());
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: deferred cleanup uses 'c', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:9: note: used here
  c->send(1);
}

// The miss is noticed (logged) but the code falls through and registers.
void noticedNotHandled(const std::string &name) {
  FILE *f = files[name];
  if (!f)
    log("no such file");
  auto g = gsl::finally([&] { fclose(f); });
  // CHECK-NOTES: :[[@LINE-1]]:8: warning: deferred cleanup uses 'f', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-5]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:31: note: used here
}

void emptyHook(int k) {
  auto h = hooks[k];
  auto g = gsl::finally([h] { h(); });
  // CHECK-NOTES: :[[@LINE-1]]:8: warning: deferred cleanup uses 'h', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:12: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:31: note: used here
}

void sharedHandle(int k) {
  std::shared_ptr<Conn> c = shared[k];
  absl::Cleanup done = [&c] { c->close(); };
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: deferred cleanup uses 'c', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:29: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:31: note: used here
}

// A lookup that misses on one branch only.
void missOnOneBranch(int k, bool fresh) {
  Conn *c = nullptr;
  if (fresh)
    c = new Conn;
  else
    c = conns[k];
  DEFER(c->close());
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: deferred cleanup uses 'c', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:9: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:9: note: used here
}

// The shim: closing a nil channel from a map miss panics at scope exit.
void shimChannel(int k) {
  auto ch = chans[k];
  MAPGUARD_DEFER(ch.close());
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: deferred cleanup uses 'ch', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:18: note: used here
}

// --- Negatives: the safe look-alikes ---------------------------------------

// Registered after an early return on the miss.
void earlyReturn(const std::string &name) {
  auto it = files.find(name);
  if (it == files.end())
    return;
  auto closer = gsl::finally([&] { std::fclose(it->second); });
}

void earlyReturnOnNull(int id) {
  Conn *c = conns[id];
  if (c == nullptr) {
    log("no connection");
    return;
  }
  DEFER(c->close());
}

// Registered only where the lookup found the value.
void insideFoundBranch(const std::string &name) {
  if (auto it = files.find(name); it != files.end()) {
    absl::Cleanup c = [it] { fclose(it->second); };
  }
}

// The cleanup tests the value itself.
void bodyTests(const std::string &name) {
  FILE *f = files[name];
  auto g = gsl::finally([&] {
    if (f)
      fclose(f);
  });
}

void boostBodyTests(const std::string &name) {
  FILE *f = files[name];
  BOOST_SCOPE_EXIT(f) {
    if (f != nullptr)
      fclose(f);
  } BOOST_SCOPE_EXIT_END
}

void deferBodyReturns(const std::string &name) {
  FILE *f = files[name];
  DEFER(if (!f) return; fclose(f));
}

// The miss is handled by filling the value in.
void filledIn(const std::string &name) {
  FILE *f = files[name];
  if (!f)
    f = openLog();
  auto g = gsl::finally([&] { fclose(f); });
}

// By reference, the value is filled in before scope exit.
void filledInAfterRegistration(const std::string &name) {
  FILE *f = files[name];
  auto g = gsl::finally([&] { fclose(f); });
  if (!f)
    f = openLog();
}

// The miss ends the program.
void abortOnMiss(int id) {
  Conn *c = conns[id];
  if (!c)
    std::abort();
  DEFER(c->close());
}

// Checked with count() / contains() first.
void countFirst(int id) {
  if (!conns.count(id))
    return;
  Conn *c = conns[id];
  DEFER(c->close());
}

void containsFirst(const std::string &name) {
  if (!files.contains(name))
    throw 1;
  FILE *f = files[name];
  absl::Cleanup c = [f] { fclose(f); };
}

// at() throws on a miss: the value is never a default.
void atThrows(const std::string &name) {
  FILE *f = files.at(name);
  auto g = gsl::finally([&] { fclose(f); });
}

// Not a map lookup at all.
void notALookup() {
  FILE *f = openLog();
  auto g = gsl::finally([&] { fclose(f); });
}

// The cleanup only looks at the value, never uses it as a handle.
void bodyOnlyPrints(const std::string &name) {
  FILE *f = files[name];
  auto g = gsl::finally([&] { std::printf("%p\n", static_cast<void *>(f)); });
}

// The shim's lookup with its found flag tested before registration.
void shimLookupChecked(int k) {
  auto [ch, ok] = chans.lookup(k);
  if (!ok)
    return;
  MAPGUARD_DEFER(ch.close());
}

// A guard in a loop, registered after a `continue` on the miss.
void loopContinue(const int *ids, int n) {
  for (int i = 0; i < n; ++i) {
    auto it = conns.find(ids[i]);
    if (it == conns.end())
      continue;
    DEFER(it->second->close());
  }
}

// --- Init-captures of a lookup written in place -----------------------------

void initCaptureLookup(const std::string &name) {
  absl::Cleanup c = [f = files[name]] { fclose(f); };
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: deferred cleanup uses 'f', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-2]]:26: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:41: note: used here
}

void initCaptureAfterContains(const std::string &name) {
  if (!files.contains(name))
    return;
  absl::Cleanup c = [f = files[name]] { fclose(f); };
}

// A non-const method that does not replace the value (a receive) does not
// fill in a missing channel before scope exit.
void shimChannelUsedAfterRegistration(int k) {
  auto ch = chans[k];
  MAPGUARD_DEFER(ch.close());
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: deferred cleanup uses 'ch', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:13: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:18: note: used here
  (void)ch.try_recv();
}

// A structured binding of the shim's lookup, captured before `ok` is tested.
void shimLookupBindingUnchecked(int k) {
  auto [ch, ok] = chans.lookup(k);
  MAPGUARD_DEFER(ch.close());
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: deferred cleanup uses 'ch', which may be missing after the lookup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:19: note: lookup here
  // CHECK-NOTES: :[[@LINE-3]]:18: note: used here
  if (!ok)
    return;
}
