// RUN: %check_mapguard %s mapguard-concurrent-write %t

// Threads that outlive the function that starts them: kept in a member,
// detached, handed to a pool; classes that run their own methods on a
// thread; custom thread and pool types and scoped locks inferred from the TU.

#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#define GUARDED_BY(x) __attribute__((guarded_by(x)))

// --- The sensor driver: started in a member function, kept in a member -----

class SensorDriver {
public:
  void start() { Io = std::thread([this] { ioLoop(); }); }
  void stop() {
    Running = false;
    Io.join();
    Pending.clear(); // after the join
  }
  void send(int Id) { Pending[Id] = "cmd"; }
  // CHECK-NOTES: :[[@LINE-1]]:23: warning: map 'Pending' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-8]]:23: note: thread started here
  // CHECK-NOTES: :[[@LINE+5]]:7: note: conflicting access here

private:
  void ioLoop() {
    while (Running)
      Pending.erase(1);
  }
  std::atomic<bool> Running{true};
  std::map<int, std::string> Pending;
  std::thread Io;
};

void driveSensor() {
  SensorDriver D;
  D.start();
  D.send(1);
  D.stop();
}

// Look-alike: the same class with every access under one mutex.
class LockedDriver {
public:
  void start() { Io = std::thread([this] { ioLoop(); }); }
  void stop() { Io.join(); }
  void send(int Id) {
    std::lock_guard<std::mutex> L(Mu);
    Pending[Id] = "cmd";
  }

private:
  void ioLoop() {
    std::lock_guard<std::mutex> L(Mu);
    Pending.erase(1);
  }
  std::mutex Mu;
  std::map<int, std::string> Pending;
  std::thread Io;
};

// Look-alike: the map is the worker's own; configure() is only called
// before start(); a GUARDED_BY member; a const map.
class PrivateWorker {
public:
  void configure(int K) { Settings[K] = K; }
  void start() { Io = std::thread([this] { loop(); }); }
  void stop() { Io.join(); }
  int setting(int K) const { return Settings.at(K); }
  void note(int K) {
    std::lock_guard<std::mutex> L(Mu);
    Notes[K] = K;
  }

private:
  void loop() {
    Scratch[1] = 1;
    (void)Settings.count(1);
    (void)Names.count(2);
    std::lock_guard<std::mutex> L(Mu);
    Notes.erase(1);
  }
  std::map<int, int> Scratch;
  std::map<int, int> Settings;
  const std::map<int, int> Names = {{1, 1}};
  std::mutex Mu;
  std::map<int, int> Notes GUARDED_BY(Mu);
  std::thread Io;
};

void usePrivateWorker() {
  PrivateWorker W;
  W.configure(1);
  W.start();
  (void)W.setting(1);
  W.stop();
}

// Look-alike: the thread does not run the class's own code.
std::map<int, int> Unrelated;
void unrelatedWork() { Unrelated[1] = 1; }
class NotOnItself {
public:
  void start() { Io = std::thread(unrelatedWork); }
  void stop() { Io.join(); }
  void add(int K) { Mine[K] = K; }

private:
  std::map<int, int> Mine;
  std::thread Io;
};

// --- Constructor-started worker -------------------------------------------

class JobQueue {
public:
  JobQueue() {
    Jobs[0] = "boot"; // before the thread starts
    Worker = std::thread([this] { run(); });
  }
  ~JobQueue() {
    Done = true;
    Worker.join();
    Jobs.clear();
  }
  void push(int Id) { Jobs.emplace(Id, "job"); }
  // CHECK-NOTES: :[[@LINE-1]]:23: warning: concurrent map read and map write: map 'Jobs' is read and written from threads without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-9]]:14: note: thread started here
  // CHECK-NOTES: :[[@LINE+5]]:13: note: conflicting access here

private:
  void run() {
    while (!Done)
      (void)Jobs.count(1);
  }
  std::atomic<bool> Done{false};
  std::map<int, std::string> Jobs;
  std::thread Worker;
};

// Started in a member initialiser, with std::bind.
class BindWorker {
public:
  BindWorker() : Worker(std::bind(&BindWorker::run, this)) {}
  ~BindWorker() { Worker.join(); }
  void add(int K) { Seen[K] = K; }
  // CHECK-NOTES: :[[@LINE-1]]:21: warning: map 'Seen' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-4]]:18: note: thread started here
  // CHECK-NOTES: :[[@LINE+3]]:16: note: conflicting access here

private:
  void run() { Seen.erase(0); }
  std::map<int, int> Seen;
  std::thread Worker;
};

// A std::jthread member and a std::future member.
class JWorker {
public:
  void start() {
    T = std::jthread([this] { Cache[1] = 1; });
  }
  void put(int K) { Cache[K] = K; }
  // CHECK-NOTES: :[[@LINE-1]]:21: warning: map 'Cache' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-4]]:9: note: thread started here
  // CHECK-NOTES: :[[@LINE-5]]:31: note: conflicting access here

private:
  std::map<int, int> Cache;
  std::jthread T;
};

class AsyncLoader {
public:
  void load() {
    F = std::async(std::launch::async, [this] { Table[1] = 1; });
    // CHECK-NOTES: :[[@LINE-1]]:49: warning: concurrent map read and map write: map 'Table' is read and written from threads without holding a lock [mapguard-concurrent-write]
    // CHECK-NOTES: :[[@LINE-2]]:9: note: thread started here
    // CHECK-NOTES: :[[@LINE+2]]:46: note: conflicting access here
  }
  int size() const { return static_cast<int>(Table.size()); }

private:
  std::map<int, int> Table;
  std::future<void> F;
};

// --- Detached threads -----------------------------------------------------

std::map<std::string, int> Counters;
void detachedVariable() {
  std::thread T([] { Counters["bg"] = 1; });
  // CHECK-NOTES: :[[@LINE-1]]:22: warning: map 'Counters' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-2]]:15: note: thread started here
  // CHECK-NOTES: :[[@LINE+2]]:3: note: conflicting access here
  T.detach();
  Counters["fg"] = 2;
}

std::map<int, int> Log;
void startLogger() {
  std::thread([] { Log[0] = 0; }).detach();
}
void logFromCaller() {
  startLogger();
  Log[1] = 1;
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: map 'Log' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-6]]:3: note: thread started here
  // CHECK-NOTES: :[[@LINE-7]]:20: note: conflicting access here
}

// Look-alike: a thread kept in a global and joined by stopLogger().
std::map<int, int> Log2;
std::thread LogThread;
void startLogger2() { LogThread = std::thread([] { Log2[0] = 0; }); }
void stopLogger2() { LogThread.join(); }
void logAfterStop() {
  startLogger2();
  stopLogger2();
  Log2[1] = 1;
}

// --- Custom thread and pool types, inferred -------------------------------

class Thread {
public:
  explicit Thread(std::function<void()> F) : Fn(std::move(F)) {}
  void start() { T = std::thread([this] { Fn(); }); }
  void join() { T.join(); }

private:
  std::function<void()> Fn;
  std::thread T;
};

std::map<int, int> Shared;
void customThread() {
  Thread T([] { Shared[1] = 1; });
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: map 'Shared' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-2]]:10: note: thread started here
  // CHECK-NOTES: :[[@LINE+2]]:3: note: conflicting access here
  T.start();
  Shared[2] = 2;
  T.join();
}
void customThreadJoined() {
  Thread T([] { Shared[3] = 3; });
  T.start();
  T.join();
  Shared[4] = 4;
}

// Written before start(): the thread has not begun yet.
void customThreadBeforeStart() {
  Thread T([] { Shared[5] = 5; });
  Shared[6] = 6;
  T.start();
  T.join();
}

// Look-alike: a callable holder that starts no thread.
class Callback {
public:
  explicit Callback(std::function<void()> F) : Fn(std::move(F)) {}
  void operator()() { Fn(); }

private:
  std::function<void()> Fn;
};
std::map<int, int> NotShared;
void holder() {
  Callback C([] { NotShared[1] = 1; });
  C();
  NotShared[2] = 2;
}

class Pool {
public:
  explicit Pool(int N) {
    for (int I = 0; I < N; ++I)
      Workers.emplace_back([this] { work(); });
  }
  void submit(std::function<void()> F) {
    std::lock_guard<std::mutex> L(Mu);
    Tasks.push_back(std::move(F));
  }
  void wait() {
    for (auto &W : Workers)
      W.join();
  }

private:
  void work() {}
  std::mutex Mu;
  std::vector<std::function<void()>> Tasks;
  std::vector<std::thread> Workers;
};

class Service {
public:
  void process(int K) {
    Workers.submit([this, K] { Results[K] = K; });
  }
  void reset() { Results.clear(); }
  // CHECK-NOTES: :[[@LINE-1]]:18: warning: map 'Results' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-4]]:5: note: thread started here
  // CHECK-NOTES: :[[@LINE-5]]:32: note: conflicting access here

private:
  std::map<int, int> Results;
  Pool Workers{4};
};

std::map<int, int> PoolMap;
void poolWaited(Pool &P) {
  P.submit([] { PoolMap[1] = 1; });
  P.wait();
  PoolMap[2] = 2;
}

// --- Custom scoped locks, inferred ----------------------------------------

class MyGuard {
public:
  explicit MyGuard(std::mutex &M) : Mu(M) { Mu.lock(); }
  ~MyGuard() { Mu.unlock(); }

private:
  std::mutex &Mu;
};

class SpinGuard {
public:
  explicit SpinGuard(std::atomic_flag &F) : Flag(F) {
    while (Flag.test_and_set(std::memory_order_acquire)) {
    }
  }
  ~SpinGuard() { Flag.clear(std::memory_order_release); }

private:
  std::atomic_flag &Flag;
};

std::mutex GMu, OtherMu;
std::atomic_flag Spin = ATOMIC_FLAG_INIT;
std::map<int, int> ByGuard, BySpin, TwoMutexes;
void guardedThread() {
  std::thread T([] {
    MyGuard G(GMu);
    ByGuard[1] = 1;
    SpinGuard S(Spin);
    BySpin[1] = 1;
  });
  {
    MyGuard G(GMu);
    ByGuard[2] = 2;
  }
  {
    SpinGuard S(Spin);
    BySpin[2] = 2;
  }
  T.join();
}
void twoGuards() {
  std::thread T([] {
    MyGuard G(GMu);
    TwoMutexes[1] = 1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: map 'TwoMutexes' is written from a thread without holding a lock [mapguard-concurrent-write]
    // CHECK-NOTES: :[[@LINE-4]]:15: note: thread started here
    // CHECK-NOTES: :[[@LINE+3]]:3: note: conflicting access here
  });
  MyGuard G(OtherMu);
  TwoMutexes[2] = 2;
  T.join();
}

// Look-alike: a constructor that locks and unlocks (a logger), no guard.
class LockedLogger {
public:
  explicit LockedLogger(std::mutex &M) : Mu(M) {
    Mu.lock();
    Mu.unlock();
  }

private:
  std::mutex &Mu;
};
std::map<int, int> Logged;
void notAGuard() {
  std::thread T([] {
    LockedLogger L(GMu);
    Logged[1] = 1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: map 'Logged' is written from a thread without holding a lock [mapguard-concurrent-write]
    // CHECK-NOTES: :[[@LINE-4]]:15: note: thread started here
    // CHECK-NOTES: :[[@LINE+3]]:3: note: conflicting access here
  });
  LockedLogger L(GMu);
  Logged[2] = 2;
  T.join();
}

// --- A public method called by a helper that both the thread and the API
// call (efsw's removeWatch(id) through removeWatchLocked): not thread-only.

class WatchTable {
public:
  void start() { Loop = std::thread([this] { run(); }); }
  void stop() { Loop.join(); }
  void removeAll() {
    std::lock_guard<std::mutex> L(Mu);
    removeLocked(0);
  }
  void remove(int Id) { Table.erase(Id); } // the caller must hold Mu
  // CHECK-NOTES: :[[@LINE-1]]:25: warning: map 'Table' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-8]]:25: note: thread started here

private:
  void removeLocked(int Id) { remove(Id); }
  void run() {
    std::lock_guard<std::mutex> L(Mu);
    removeLocked(1);
  }
  std::mutex Mu;
  std::map<int, int> Table;
  std::thread Loop;
};

// --- A thread on the heap, owned by a raw or smart pointer member (i2pd's
// NetDb, efsw): its join() through the pointer ends the window.

class HeapNetDb {
public:
  void start() { Thread = new std::thread([this] { run(); }); }
  void stop() {
    Early.clear(); // before the join: races the thread
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: map 'Early' is written from a thread without holding a lock [mapguard-concurrent-write]
    // CHECK-NOTES: :[[@LINE-4]]:31: note: thread started here
    // CHECK-NOTES: :[[@LINE+13]]:5: note: conflicting access here
    if (Thread) {
      Thread->join();
      delete Thread;
      Thread = nullptr;
    }
    LeaseSets.clear(); // after the join
  }

private:
  void run() {
    std::lock_guard<std::mutex> L(Mu);
    LeaseSets.erase(1);
    Early[1] = 2;
  }
  std::mutex Mu;
  std::map<int, int> LeaseSets, Early;
  std::thread *Thread = nullptr;
};

class OwnedThread {
public:
  void start() { Thread.reset(new std::thread([this] { run(); })); }
  void stop() {
    Thread->join();
    Thread.reset();
    Table.clear(); // after the join
  }

private:
  void run() {
    std::lock_guard<std::mutex> L(Mu);
    Table.erase(1);
  }
  std::mutex Mu;
  std::map<int, int> Table;
  std::unique_ptr<std::thread> Thread;
};

// --- An actor: the thread's own routines, also public, for callers in other
// TUs that run on the thread (i2pd's Tunnels: CreateInboundTunnel is called
// by the pools on the tunnels thread). The pending map is locked nowhere.

class Tunnels {
public:
  void start() { Thread = new std::thread(std::bind(&Tunnels::run, this)); }
  void stop() {
    Running = false;
    Thread->join();
    delete Thread;
  }
  void createInbound(int Id) { createTunnel(Id); }
  void addPending(int Id, int T) { Pending[Id] = T; }
  void addTunnel(int Id) {
    std::lock_guard<std::mutex> L(Mu);
    All[Id] = 1;
  }

private:
  void createTunnel(int Id) { addPending(Id, 1); }
  void manage() {
    Pending.erase(1);
    std::lock_guard<std::mutex> L(Mu);
    All.erase(1);
  }
  void run() {
    while (Running) {
      manage();
      createTunnel(3);
    }
  }
  std::atomic<bool> Running{true};
  std::mutex Mu;
  std::map<int, int> Pending, All;
  std::thread *Thread = nullptr;
};

// The same routines, but the map is locked on the thread: a lock forgotten
// in the routine, reported through the public method.
class LockedTunnels {
public:
  void start() { Thread = std::thread([this] { run(); }); }
  void stop() { Thread.join(); }
  void createInbound(int Id) { createTunnel(Id); }

private:
  void createTunnel(int Id) { Pending[Id] = 1; }
  // CHECK-NOTES: :[[@LINE-1]]:31: warning: map 'Pending' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-7]]:27: note: thread started here
  void run() {
    createTunnel(3);
    std::lock_guard<std::mutex> L(Mu);
    Pending.erase(1);
  }
  std::mutex Mu;
  std::map<int, int> Pending;
  std::thread Thread;
};

// The same routines, but a public method writes the map itself (not a
// routine of the thread): the sensor driver's shape, reported.
class CancelTunnels {
public:
  void start() { Thread = std::thread([this] { run(); }); }
  void stop() { Thread.join(); }
  void createInbound(int Id) { createTunnel(Id); }
  void cancel(int Id) { Pending.erase(Id); }
  // CHECK-NOTES: :[[@LINE-1]]:25: warning: map 'Pending' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-5]]:27: note: thread started here
  // CHECK-NOTES: :[[@LINE+4]]:31: note: conflicting access here

private:
  void run() { createTunnel(3); }
  void createTunnel(int Id) { Pending[Id] = 1; }
  std::map<int, int> Pending;
  std::thread Thread;
};

// The same routines, called off the thread by code the TU shows: reported.
class UsedTunnels {
public:
  void start() { Thread = std::thread([this] { run(); }); }
  void stop() { Thread.join(); }
  void createInbound(int Id) { createTunnel(Id); }

private:
  void run() { createTunnel(3); }
  void createTunnel(int Id) { Pending[Id] = 1; }
  // CHECK-NOTES: :[[@LINE-1]]:31: warning: map 'Pending' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-8]]:27: note: thread started here
  std::map<int, int> Pending;
  std::thread Thread;
};

void buildTunnels(UsedTunnels &T) {
  T.start();
  T.createInbound(2);
  T.stop();
}
