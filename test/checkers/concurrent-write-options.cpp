// RUN: %check_mapguard -check-suffix=DEFAULT %s mapguard-concurrent-write %t
// RUN: %check_mapguard -check-suffix=OPTS %s mapguard-concurrent-write %t -- \
// RUN:   -config="{CheckOptions: {mapguard-concurrent-write.CheckReads: false, \
// RUN:   mapguard-concurrent-write.ThreadSpawners: 'ThreadPool::submit', \
// RUN:   mapguard-concurrent-write.MapTypes: 'FlatTable;SafeTable', \
// RUN:   mapguard-concurrent-write.LockTypes: 'SpinGuard', \
// RUN:   mapguard-concurrent-write.IgnoredTypes: 'SafeTable'}}"
// RUN: %check_mapguard -check-suffix=BAD %s mapguard-concurrent-write %t -- \
// RUN:   -config="{CheckOptions: {mapguard-concurrent-write.CheckReads: maybe, \
// RUN:   mapguard-concurrent-write.MaxFunctions: 0}}"

// Options: CheckReads, ThreadSpawners, MapTypes, LockTypes, IgnoredTypes;
// bad values are reported, not fatal.

#include <functional>
#include <map>
#include <thread>

// CHECK-MESSAGES-BAD: warning: invalid option 'CheckReads' for mapguard-concurrent-write: 'maybe' is not a boolean; using true [clang-tidy-config]
// CHECK-MESSAGES-BAD: warning: invalid option 'MaxFunctions' for mapguard-concurrent-write: must be positive; using 500 [clang-tidy-config]

struct ThreadPool {
  void submit(std::function<void()> F);
  void join();
};

template <class K, class V> struct FlatTable {
  V &operator[](const K &);
  void insert(const K &, const V &);
};
// A thread-safe map: listed in MapTypes, but IgnoredTypes wins.
template <class K, class V> struct SafeTable {
  V &operator[](const K &);
};

struct SpinGuard {
  SpinGuard();
  ~SpinGuard();
};

// A read racing a write: only with CheckReads.
void readRace() {
  std::map<int, int> M;
  std::thread T([&M] { (void)M.count(1); });
  M[1] = 1;
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:3: warning: concurrent map read and map write: map 'M' is read and written from threads without holding a lock [mapguard-concurrent-write]
  // CHECK-MESSAGES-BAD: :[[@LINE-2]]:3: warning: concurrent map read and map write: map 'M' is read and written from threads without holding a lock [mapguard-concurrent-write]
  T.join();
}

// Pool tasks submitted in a loop, with a map type named by MapTypes.
FlatTable<int, int> Table;
void poolTasks(ThreadPool &Pool) {
  for (int I = 0; I < 4; ++I)
    Pool.submit([I] { Table[I] = I; });
  // CHECK-MESSAGES-OPTS: :[[@LINE-1]]:23: warning: map 'Table' is written from a thread without holding a lock [mapguard-concurrent-write]
  Pool.join();
}

// Joined before the write: fine.
void poolJoined(ThreadPool &Pool) {
  Pool.submit([] { Table.insert(1, 1); });
  Pool.join();
  Table.insert(2, 2);
}

// A guard named by LockTypes, and an ignored (thread-safe) map type.
std::map<int, int> Spin;
SafeTable<int, int> Safe;
void guardedAndIgnored() {
  for (int I = 0; I < 4; ++I)
    std::thread([I] {
      {
        SpinGuard G;
        Spin[I] = I;
      }
      Safe[I] = I;
      // CHECK-MESSAGES-DEFAULT: :[[@LINE-3]]:9: warning: map 'Spin' is written from a thread without holding a lock [mapguard-concurrent-write]
      // CHECK-MESSAGES-BAD: :[[@LINE-4]]:9: warning: map 'Spin' is written from a thread without holding a lock [mapguard-concurrent-write]
    }).detach();
}
