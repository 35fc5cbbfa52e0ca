// A skip belongs to the checks whose budgets the analysis ran under, not to
// every check with the same value for the budget that was reached.
// miss-default-use skips on MaxTrackedSlots (1); unhandled-miss, with more
// slots but the same MaxBlockVisits (1), skips on MaxBlockVisits. Each
// reports its own skip only, in each function.
// RUN: %clang_tidy --load=%mapguard_plugin \
// RUN:   --checks='-*,mapguard-miss-default-use,mapguard-unhandled-miss' \
// RUN:   --config='{CheckOptions: {ReportSkipped: true, mapguard-miss-default-use.MaxTrackedSlots: 1, mapguard-miss-default-use.MaxBlockVisits: 1, mapguard-unhandled-miss.MaxTrackedSlots: 1000, mapguard-unhandled-miss.MaxBlockVisits: 1}}' \
// RUN:   %s -- -std=c++17 2>&1 | FileCheck %s --implicit-check-not=skipped

#include <map>

struct Conn {
  void run();
};
std::map<int, Conn *> Conns;

void poll(int N) {
  // CHECK-DAG: :[[@LINE-1]]:6: warning: mapguard skipped 'poll': budget MaxBlockVisits (1) exceeded [mapguard-unhandled-miss]
  // CHECK-DAG: :[[@LINE-2]]:6: warning: mapguard skipped 'poll': budget MaxTrackedSlots (1) exceeded [mapguard-miss-default-use]
  for (int I = 0; I < N; ++I) {
    Conn *A = Conns[I];
    Conn *B = Conns[I + 1];
    if (A && B) {
      A->run();
      B->run();
    }
  }
}

void pollAgain(int N) {
  // CHECK-DAG: :[[@LINE-1]]:6: warning: mapguard skipped 'pollAgain': budget MaxBlockVisits (1) exceeded [mapguard-unhandled-miss]
  // CHECK-DAG: :[[@LINE-2]]:6: warning: mapguard skipped 'pollAgain': budget MaxTrackedSlots (1) exceeded [mapguard-miss-default-use]
  for (int I = 0; I < N; ++I) {
    Conn *A = Conns[I];
    Conn *B = Conns[I + 1];
    if (A && B) {
      A->run();
      B->run();
    }
  }
}
