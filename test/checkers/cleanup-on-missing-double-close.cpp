// REQUIRES: gsl, absl, boost
// RUN: %check_mapguard %s mapguard-cleanup-on-missing %t

// Double close: a handle closed explicitly and again by a deferred cleanup
// (in either order), or by two cleanups; with the real gsl, absl and boost.

#include <gsl/gsl>
#include "absl/cleanup/cleanup.h"
#include <boost/scope_exit.hpp>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <utility>

bool failed();
FILE *openLog();

#include "Inputs/defer.h"

// A guard holding a std::function: its destructor calls the stored callable.
struct OnExit {
  std::function<void()> fn;
  ~OnExit() { if (fn) fn(); }
};

struct Connection {
  void close();
  void send(int);
};

// --- Explicit close, then the cleanup at scope exit -----------------------

void closeOnErrorPath() {
  FILE *f = openLog();
  auto g = gsl::finally([&] { fclose(f); });
  // CHECK-NOTES: :[[@LINE-1]]:31: warning: 'f' is closed again by a deferred cleanup [mapguard-cleanup-on-missing]
  if (failed()) {
    fclose(f);
    // CHECK-NOTES: :[[@LINE-1]]:5: note: first closed here
    return;
  }
}

void abslCleanup(Connection *c) {
  absl::Cleanup done = [c] { c->close(); };
  // CHECK-NOTES: :[[@LINE-1]]:30: warning: 'c' is closed again by a deferred cleanup [mapguard-cleanup-on-missing]
  c->send(1);
  c->close();
  // CHECK-NOTES: :[[@LINE-1]]:3: note: first closed here
}

void boostScopeExit() {
  FILE *f = openLog();
  BOOST_SCOPE_EXIT(&f) {
    fclose(f);
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'f' is closed again by a deferred cleanup [mapguard-cleanup-on-missing]
  } BOOST_SCOPE_EXIT_END
  fclose(f);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: first closed here
}

void boostScopeExitAll() {
  FILE *f = openLog();
  BOOST_SCOPE_EXIT_ALL(&f) {
    fclose(f);
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'f' is closed again by a deferred cleanup [mapguard-cleanup-on-missing]
  };
  fclose(f);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: first closed here
}

void deferMacro() {
  FILE *f = openLog();
  fclose(f);
  DEFER(fclose(f));
  // CHECK-NOTES: :[[@LINE-1]]:9: warning: 'f' is closed again by a deferred cleanup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: first closed here
}

void storedFunction(FILE *f) {
  OnExit bye{[&] { fclose(f); }};
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: 'f' is closed again by a deferred cleanup [mapguard-cleanup-on-missing]
  fclose(f);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: first closed here
}

// The cleanup keeps the value it captured: clearing the variable does not
// help a by-value capture.
void clearedButCapturedByValue() {
  FILE *f = openLog();
  auto g = gsl::finally([f] { if (f) fclose(f); });
  // CHECK-NOTES: :[[@LINE-1]]:38: warning: 'f' is closed again by a deferred cleanup [mapguard-cleanup-on-missing]
  fclose(f);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: first closed here
  f = nullptr;
}

class Writer {
  FILE *out_ = nullptr;
public:
  void flushAndClose() {
    auto g = gsl::finally([this] { fclose(out_); });
    // CHECK-NOTES: :[[@LINE-1]]:36: warning: 'out_' is closed again by a deferred cleanup [mapguard-cleanup-on-missing]
    fclose(out_);
    // CHECK-NOTES: :[[@LINE-1]]:5: note: first closed here
  }
};

// --- The cleanup, then an explicit close after its scope ------------------

void closeAfterScope() {
  FILE *f = openLog();
  {
    auto g = gsl::finally([&] { fclose(f); });
  }
  fclose(f);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: 'f' is closed again after a deferred cleanup closed it [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-4]]:33: note: first closed here
}

// --- Two cleanups: the later one runs first -------------------------------

void twoCleanups() {
  FILE *f = openLog();
  auto first = gsl::finally([&] { fclose(f); });
  absl::Cleanup second = [&] { fclose(f); };
  // CHECK-NOTES: :[[@LINE-2]]:35: warning: 'f' is closed again by a deferred cleanup [mapguard-cleanup-on-missing]
  // CHECK-NOTES: :[[@LINE-2]]:32: note: first closed here
}

// --- Safe look-alikes -----------------------------------------------------

// The explicit close is on a path that leaves before the guard exists.
void closeBeforeGuardOnEarlyReturn() {
  FILE *f = openLog();
  if (failed()) {
    fclose(f);
    return;
  }
  auto g = gsl::finally([&] { fclose(f); });
}

// Closed, then a fresh handle: the cleanup closes the new one.
void reopened() {
  FILE *f = openLog();
  auto g = gsl::finally([&] { fclose(f); });
  fclose(f);
  f = openLog();
}

// Closed and reassigned before the guard captures it by value.
void reopenedBeforeCapture() {
  FILE *f = openLog();
  fclose(f);
  f = openLog();
  auto g = gsl::finally([f] { fclose(f); });
}

// The cleanup tests the handle and the explicit close clears it.
void clearedAndTested() {
  FILE *f = openLog();
  auto g = gsl::finally([&] { if (f) fclose(f); });
  fclose(f);
  f = nullptr;
}

// Rollback guard: the cleanup closes only if the work did not finish.
void rollbackGuard() {
  FILE *f = openLog();
  bool committed = false;
  auto g = gsl::finally([&] { if (!committed) fclose(f); });
  fclose(f);
  committed = true;
}

// A cancelled cleanup never runs.
void cancelled() {
  FILE *f = openLog();
  absl::Cleanup c = [&] { fclose(f); };
  fclose(f);
  std::move(c).Cancel();
}

// Different handles.
void differentHandles() {
  FILE *a = openLog();
  FILE *b = openLog();
  auto g = gsl::finally([&] { fclose(a); });
  fclose(b);
}

// Closing a standard stream or releasing a unique_ptr twice is harmless.
void idempotentStd(std::unique_ptr<int> p) {
  std::ofstream out("x");
  auto g = gsl::finally([&] { out.close(); p.release(); });
  out.close();
  p.release();
}

// The inner cleanup closes and clears; the outer one tests first.
void twoCleanupsClearing() {
  FILE *f = openLog();
  auto outer = gsl::finally([&] { if (f) fclose(f); });
  auto inner = gsl::finally([&] { fclose(f); f = nullptr; });
}

// Two cleanups on different scopes that never overlap.
void twoCleanupsInSequence() {
  FILE *f = openLog();
  {
    auto g = gsl::finally([&] { fclose(f); });
  }
  f = openLog();
  {
    auto g = gsl::finally([&] { fclose(f); });
  }
}
