// RUN: %check_mapguard -check-suffix=DEFAULT %s mapguard-concurrent-write %t
// RUN: %check_mapguard -check-suffix=SMALL %s mapguard-concurrent-write %t -- \
// RUN:   -config="{CheckOptions: {mapguard-concurrent-write.MaxBlocks: 4}}"
// RUN: %check_mapguard -check-suffix=SKIP %s mapguard-concurrent-write %t -- \
// RUN:   -config="{CheckOptions: {mapguard-concurrent-write.MaxBlocks: 4, \
// RUN:   mapguard-concurrent-write.ReportSkipped: true}}"

// A race in a function whose CFG is over MaxBlocks: the lock analysis gives
// up there and its accesses count as guarded, so the race is not reported.
// With ReportSkipped the function is named with the budget instead of
// nothing being said.

#include <map>
#include <thread>

std::map<int, int> Shared;

void racy(int C) {
  // CHECK-MESSAGES-SKIP: :[[@LINE-1]]:6: warning: mapguard skipped 'racy': budget MaxBlocks (4) exceeded [mapguard-concurrent-write]
  std::thread T([] { Shared[1] = 1; });
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:22: warning: map 'Shared' is written from a thread without holding a lock [mapguard-concurrent-write]
  for (int I = 0; I < C; ++I)
    if (I % 2)
      Shared[I] = I;
    else
      Shared[-I] = I;
  T.join();
}
