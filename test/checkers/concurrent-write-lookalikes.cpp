// RUN: %check_mapguard %s mapguard-concurrent-write %t

// Safe look-alikes of a concurrent map write (each must stay silent) and the
// near misses that are real races, against libstdc++.

#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

// --- Negatives ---------------------------------------------------------------

// Filled before the threads start, emptied after they are joined; the
// threads only read.
std::map<std::string, int> Config;
void beforeStartAfterJoin() {
  Config["a"] = 1;
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([] { (void)Config.count("a"); });
  for (auto &T : Ts)
    T.join();
  Config.clear();
}

// thread_local maps, and maps local to the thread function or its helpers.
thread_local std::unordered_map<int, int> Memo;
int fib(int N) {
  if (N < 2)
    return N;
  auto It = Memo.find(N);
  if (It != Memo.end())
    return It->second;
  return Memo[N] = fib(N - 1) + fib(N - 2);
}
void fillLocal(std::map<int, int> &Out, int I) { Out[I] = I; }
void threadBody(int I) {
  std::map<int, int> Mine;
  fillLocal(Mine, I);
  Mine.erase(I);
  (void)fib(I);
}
void localMaps() {
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back(threadBody, I);
  for (auto &T : Ts)
    T.join();
}

// Each thread writes its own map: distinct objects by reference.
void fillOwn(std::map<int, int> &M) { M[0] = 1; }
// The same map passed to two threads (sharedByRef, below) is a race.
// CHECK-NOTES: :[[@LINE-2]]:39: warning: map 'One' is written from a thread without holding a lock [mapguard-concurrent-write]
// CHECK-NOTES: :{{[0-9]+}}:15: note: thread started here
void ownMapsByRef() {
  std::map<int, int> A, B;
  std::thread T1(fillOwn, std::ref(A));
  std::thread T2(fillOwn, std::ref(B));
  T1.join();
  T2.join();
}

// Each thread writes its own element of a container of maps: by index, by
// pointer, by a range-for reference, and an array of maps.
void perThreadIndex() {
  std::vector<std::map<int, int>> Ms(4);
  std::map<int, int> Arr[4];
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([&Ms, I] { Ms[I][I] = I; });
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([](std::map<int, int> *M) { (*M)[0] = 0; }, &Ms[I]);
  for (auto &M : Ms)
    Ts.emplace_back([&M] { M.emplace(1, 1); });
  for (auto &M : Arr)
    Ts.emplace_back(fillOwn, std::ref(M));
  for (auto &T : Ts)
    T.join();
}

// A map declared in the loop body is a new object in every iteration.
void perIterationMap() {
  std::vector<std::map<int, int>> Results;
  for (int I = 0; I < 4; ++I) {
    std::map<int, int> Part;
    std::thread T([&Part, I] { Part[I] = I; });
    T.join();
    Results.push_back(Part);
  }
}

// One mutex, however it is taken; the write reached through a helper whose
// caller holds the lock; a mutex passed by reference.
std::mutex Mu;
std::map<int, int> Hits;
void bump(int K) { Hits[K]++; }
void lockedCaller(int K) {
  std::scoped_lock L(Mu);
  bump(K);
}
void uniqueLocked(int K) {
  std::unique_lock<std::mutex> L(Mu);
  Hits.erase(K);
  L.unlock();
}
void lockGuarded(int K) {
  std::lock_guard<std::mutex> L(Mu);
  Hits.insert_or_assign(K, 0);
}
void locks() {
  std::thread A(lockedCaller, 1);
  std::thread B(uniqueLocked, 2);
  std::thread C(lockGuarded, 3);
  lockedCaller(4);
  A.join();
  B.join();
  C.join();
}

void writeUnder(std::mutex &M, std::map<int, int> &Out, int K) {
  std::lock_guard<std::mutex> L(M);
  Out[K] = K;
}
void mutexByReference() {
  std::mutex Local;
  std::map<int, int> Shared;
  std::thread T(writeUnder, std::ref(Local), std::ref(Shared), 1);
  {
    std::lock_guard<std::mutex> L(Local);
    Shared[0] = 0;
  }
  T.join();
}

// std::call_once runs its initialiser once, before every caller goes on.
std::once_flag Once;
std::map<std::string, int> Table;
int lookupTable(const std::string &K) {
  std::call_once(Once, [] {
    Table["one"] = 1;
    Table["two"] = 2;
  });
  auto It = Table.find(K);
  return It == Table.end() ? 0 : It->second;
}
void callOnce() {
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([] { (void)lookupTable("one"); });
  for (auto &T : Ts)
    T.join();
}

// A const map read by every thread.
const std::map<int, int> Constants = {{1, 1}, {2, 4}};
void constReads() {
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([I] { (void)Constants.at(1 + I % 2); });
  for (auto &T : Ts)
    T.join();
  (void)Constants.size();
}

// std::async whose result is waited for at once; a deferred task runs on
// the caller's thread.
void asyncGetAtOnce() {
  std::map<int, int> M;
  std::async(std::launch::async, [&M] { M[1] = 1; }).get();
  M[2] = 2;
  std::async(std::launch::async, [&M] { M.erase(1); }).wait();
  M[3] = 3;
  auto D = std::async(std::launch::deferred, [&M] { M[4] = 4; });
  M[5] = 5;
  D.get();
}

// A class whose map is guarded by a member mutex in every method that a
// thread calls.
class Sessions {
public:
  void start() {
    Worker = std::thread([this] { run(); });
    add("main");
    (void)count("main");
  }
  void stop() { Worker.join(); }
  void add(const std::string &K) {
    std::lock_guard<std::mutex> L(Mu);
    Map[K] = 1;
  }
  int count(const std::string &K) const {
    std::lock_guard<std::mutex> L(Mu);
    return static_cast<int>(Map.count(K));
  }

private:
  void run() {
    add("worker");
    std::lock_guard<std::mutex> L(Mu);
    Map.erase("main");
  }
  mutable std::mutex Mu;
  std::map<std::string, int> Map;
  std::thread Worker;
};

// Producer and consumer around a condition_variable wait loop.
std::mutex QMu;
std::condition_variable Cv;
std::map<int, std::string> Queue;
void producer() {
  for (int I = 0; I < 4; ++I) {
    {
      std::lock_guard<std::mutex> L(QMu);
      Queue[I] = "job";
    }
    Cv.notify_one();
  }
}
void consumer() {
  for (int I = 0; I < 4; ++I) {
    std::unique_lock<std::mutex> L(QMu);
    Cv.wait(L, [] { return !Queue.empty(); });
    while (Queue.empty())
      Cv.wait(L);
    Queue.erase(Queue.begin());
  }
}
void condvar() {
  std::thread P(producer);
  std::thread C(consumer);
  P.join();
  C.join();
}

// The spawn happens on one branch, the direct call on the other.
std::map<int, int> Either;
void work() { Either[0] = 0; }
void eitherOr(bool Parallel) {
  std::thread T;
  if (Parallel)
    T = std::thread(work);
  else
    work();
  if (T.joinable())
    T.join();
}

// Joined by a helper that gets the threads.
void joinAll(std::vector<std::thread> &Ts) {
  for (auto &T : Ts)
    T.join();
}
void joinedByHelper() {
  std::map<int, int> M;
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([&M, I] {
      static std::mutex Guard;
      std::lock_guard<std::mutex> L(Guard);
      M[I] = I;
    });
  joinAll(Ts);
  M.clear();
}

// A jthread joins at the end of its scope.
void jthreadScope() {
  std::map<int, int> M;
  {
    std::jthread T([&M] { M[1] = 1; });
  }
  M[2] = 2;
}

// --- Positives ---------------------------------------------------------------

// Unlocked before the write.
std::map<int, int> Early;
void unlockThenWrite(int K) {
  std::unique_lock<std::mutex> L(Mu);
  (void)Early.count(K);
  L.unlock();
  Early[K] = K;
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: map 'Early' is written from a thread without holding a lock [mapguard-concurrent-write]
}
void runUnlockThenWrite() {
  std::thread A(unlockThenWrite, 1);
  // CHECK-NOTES: :[[@LINE-1]]:15: note: thread started here
  std::thread B(unlockThenWrite, 2);
  A.join();
  B.join();
}

// An atomic flag is not a lock.
std::atomic<int> Busy{0};
std::map<int, int> Flagged;
void flagged(int K) {
  if (Busy.fetch_add(1) < 8)
    Flagged[K] = K;
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: map 'Flagged' is written from a thread without holding a lock [mapguard-concurrent-write]
  Busy.fetch_sub(1);
}
void runFlagged() {
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back(flagged, I);
  // CHECK-NOTES: :[[@LINE-1]]:5: note: thread started here
  for (auto &T : Ts)
    T.join();
}

// A detached thread writes while the spawning function writes too.
std::map<std::string, int> Stats;
void detachedWriter() {
  std::thread([] { Stats["bg"] = 1; }).detach();
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: map 'Stats' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: thread started here
  Stats["fg"] = 2;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: conflicting access here
}

// The helper is called under the lock by the thread, without it by the
// spawning function.
std::map<int, int> Mixed;
void mixedHelper(int K) { Mixed[K] = K; }
// CHECK-NOTES: :[[@LINE-1]]:27: warning: map 'Mixed' is written from a thread without holding a lock [mapguard-concurrent-write]
void mixedLocking() {
  std::thread T([] {
    // CHECK-NOTES: :[[@LINE-1]]:15: note: thread started here
    std::lock_guard<std::mutex> L(Mu);
    mixedHelper(1);
  });
  mixedHelper(2);
  T.join();
}

// The same map shared by reference with two threads.
void sharedByRef() {
  std::map<int, int> One;
  std::thread T1(fillOwn, std::ref(One));
  std::thread T2(fillOwn, std::ref(One)); // the note points here
  T1.join();
  T2.join();
}
