// RUN: %check_mapguard %s mapguard-concurrent-write %t

// Threads, what runs on them, shared maps and ordering; against libstdc++.

#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

std::map<int, int> Global;
thread_local std::map<int, int> PerThread;

// --- Positives -------------------------------------------------------------

// A global written by a thread and by the spawning function meanwhile.
void globalRace() {
  std::thread T([] { Global[1] = 2; });
  // CHECK-NOTES: :[[@LINE-1]]:22: warning: map 'Global' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-2]]:15: note: thread started here
  Global[2] = 3;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: conflicting access here
  T.join();
}

// A spawn in a loop runs concurrently with itself.
void loopSpawn() {
  std::map<int, int> M;
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([&M, I] { M.emplace(I, I); });
  // CHECK-NOTES: :[[@LINE-1]]:31: warning: map 'M' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: thread started here
  for (auto &T : Ts)
    T.join();
}

// Two spawn sites of the same function; the write is in a helper reached
// through `this`.
struct Server {
  std::map<std::string, int> Sessions;
  void add(const std::string &K) { Sessions[K] += 1; }
  // CHECK-NOTES: :[[@LINE-1]]:36: warning: map 'Sessions' is written from a thread without holding a lock [mapguard-concurrent-write]
  void serve() { add("x"); }
  void start() {
    std::thread A(&Server::serve, this);
    // CHECK-NOTES: :[[@LINE-1]]:17: note: thread started here
    std::thread B([this] { serve(); });
    A.join();
    B.join();
  }
};

// A read in the thread races a write in the spawning function: reported at
// the unguarded write.
void readFromThread(const std::map<int, int> &M, int *Out) {
  auto It = M.find(1);
  *Out = It == M.end() ? 0 : It->second;
}
void readRace() {
  std::map<int, int> M;
  int R = 0;
  std::thread T(readFromThread, std::cref(M), &R);
  M.insert({3, 4});
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: concurrent map read and map write: map 'M' is read and written from threads without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-3]]:15: note: thread started here
  // CHECK-NOTES: :[[@LINE-10]]:13: note: conflicting access here
  T.join();
}

// std::async (any policy) with the future kept until after the write.
void asyncRace() {
  std::unordered_map<std::string, int> M;
  auto F = std::async(std::launch::async, [&] { M["a"] = 1; });
  // CHECK-NOTES: :[[@LINE-1]]:49: warning: map 'M' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-2]]:12: note: thread started here
  M.erase("b");
  // CHECK-NOTES: :[[@LINE-1]]:3: note: conflicting access here
  F.get();
}

// A pointer captured by copy shares its map; writes through the returned
// reference count (operator[] is the write).
void pointerCapture() {
  std::map<int, std::vector<int>> M;
  auto *P = &M;
  std::jthread T([P] { (*P)[1].push_back(2); });
  // CHECK-NOTES: :[[@LINE-1]]:24: warning: map 'M' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-2]]:16: note: thread started here
  M[2].push_back(3);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: conflicting access here
}

// A class static, iterated by the spawning function while a detached thread
// writes it.
struct Registry {
  static std::map<int, int> Entries;
};
std::map<int, int> Registry::Entries;
int detachedRace() {
  std::thread([] { Registry::Entries.clear(); }).detach();
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: concurrent map read and map write: map 'Entries' is read and written from threads without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: thread started here
  int S = 0;
  for (const auto &[K, V] : Registry::Entries)
    // CHECK-NOTES: :[[@LINE-1]]:29: note: conflicting access here
    S += V;
  return S;
}

// A function static map written from two threads.
void staticInHelper() {
  static std::map<int, int> Cache;
  Cache[0] = 1;
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: map 'Cache' is written from a thread without holding a lock [mapguard-concurrent-write]
}
void twoThreadsSameHelper() {
  std::thread A(staticInHelper);
  // CHECK-NOTES: :[[@LINE-1]]:15: note: thread started here
  std::thread B(staticInHelper);
  A.join();
  B.join();
}

// --- Negatives: patterns.md "What is not a bug" -----------------------------

// Written only before the thread starts and after it is joined.
void beforeAndAfter() {
  std::map<int, int> M;
  M[1] = 1;
  std::thread T([&M] { M[2] = 2; });
  T.join();
  M[3] = 3;
}

// A thread_local map, and a map local to the thread body.
void threadLocalAndLocal() {
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([I] {
      PerThread[I] = I;
      std::map<int, int> Mine;
      Mine[I] = I;
    });
  for (auto &T : Ts)
    T.join();
}

// Copies: by-value captures and arguments.
void copies(std::map<int, int> Shared) {
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([Shared, I]() mutable { Shared[I] = I; });
  std::thread T([](std::map<int, int> M) { M[1] = 1; }, Shared);
  Shared[0] = 0;
  T.join();
  for (auto &X : Ts)
    X.join();
}

// Read-only sharing, and const access.
int readOnly() {
  const std::map<int, int> M = {{1, 2}};
  std::vector<std::thread> Ts;
  int Out[4] = {};
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([&M, &Out, I] { Out[I] = M.count(I) + M.at(1); });
  for (auto &T : Ts)
    T.join();
  return Out[0] + static_cast<int>(M.size());
}

// Each thread joined in the same iteration: never two at once.
void joinedEachIteration() {
  std::map<int, int> M;
  for (int I = 0; I < 4; ++I) {
    std::thread T([&M, I] { M[I] = I; });
    T.join();
  }
}

// A dropped std::async future waits in its destructor.
void droppedFuture() {
  std::map<int, int> M;
  (void)std::async(std::launch::async, [&M] { M[1] = 1; });
  M[2] = 2;
}

// Other types are not maps.
void otherTypes() {
  std::vector<int> V;
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([&V] { V.push_back(1); });
  for (auto &T : Ts)
    T.join();
}
