// RUN: %check_mapguard -check-suffix=DEFAULT %s mapguard-concurrent-write %t
// RUN: %check_mapguard -check-suffix=CUT %s mapguard-concurrent-write %t -- \
// RUN:   -config="{CheckOptions: {mapguard-concurrent-write.MaxFunctions: 3, \
// RUN:   mapguard-concurrent-write.ReportSkipped: true}}"

// The thread walk visits a function once per context and locks held on the
// way, not once per call chain: the worker's helpers call each other three
// times per level (3^8 chains, 9 functions), and the write after them is
// still reached within MaxFunctions.
//
// A walk cut by MaxFunctions (3 here) does not know every function the
// thread runs (Cache::refill, which makes put() the thread's own), so no
// public method is taken as running beside it: nothing is reported at put()
// and the cut is said.

#include <map>
#include <mutex>
#include <thread>

void level8() {}
void level7() { level8(); level8(); level8(); }
void level6() { level7(); level7(); level7(); }
void level5() { level6(); level6(); level6(); }
void level4() { level5(); level5(); level5(); }
void level3() { level4(); level4(); level4(); }
void level2() { level3(); level3(); level3(); }
void level1() { level2(); level2(); level2(); }

std::map<int, int> Table;
void record(int K) { Table[K] = 1; }
// CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:22: warning: map 'Table' is written from a thread without holding a lock [mapguard-concurrent-write]

void worker() {
  // CHECK-MESSAGES-CUT: :[[@LINE-1]]:6: warning: mapguard skipped 'worker': budget MaxFunctions (3) exceeded [mapguard-concurrent-write]
  level1();
  record(1);
}

void run() {
  std::thread T(worker);
  record(2);
  T.join();
}

class Cache {
public:
  void start() { Loop = std::thread([this] { loop(); }); }
  // CHECK-MESSAGES-CUT: :[[@LINE-1]]:37: warning: mapguard skipped 'operator()': budget MaxFunctions (3) exceeded [mapguard-concurrent-write]
  void stop() { Loop.join(); }
  void put(int K) { Entries[K] = K; } // called only on the thread

private:
  void loop() {
    evict();
    level1();
    refill();
  }
  void evict() { Entries.erase(1); }
  void refill() { put(2); }
  std::map<int, int> Entries;
  std::thread Loop;
};
