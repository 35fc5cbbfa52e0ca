// RUN: %check_mapguard %s mapguard-concurrent-write %t

// Virtual calls on the thread side and the caller side: the walk follows
// the overriders the TU defines for the object's static type (efsw's
// watcher thread calls its own `handleAction`, declared virtual in a base).

#include <map>
#include <mutex>
#include <string>
#include <thread>

// --- A worker thread calling a virtual method of its own class -------------

class WatcherBase {
public:
  virtual ~WatcherBase() = default;
  virtual void handleAction(int Id) = 0;
};

class Watcher : public WatcherBase {
public:
  void watch() { Loop = std::thread([this] { run(); }); }
  void stop() { Loop.join(); }
  void addWatch(int Id) { Watches[Id] = "dir"; }
  // CHECK-NOTES: :[[@LINE-1]]:27: warning: map 'Watches' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-4]]:25: note: thread started here
  // CHECK-NOTES: :[[@LINE+9]]:5: note: conflicting access here

private:
  void run() {
    for (int I = 0; I < 3; ++I)
      handleAction(I); // virtual, this class's override
  }
  void handleAction(int Id) override {
    std::string Dir = "x";
    Watches.erase(Id);
  }
  std::map<int, std::string> Watches;
  std::thread Loop;
};

// --- The override is in a class derived from the one that starts the thread -

class Service {
public:
  virtual ~Service() = default;
  void start() { Worker = std::thread([this] { loop(); }); }
  void stop() { Worker.join(); }

protected:
  virtual void onTick() {}
  std::map<int, int> Stats;

private:
  void loop() { onTick(); }
  std::thread Worker;
};

class CountingService : public Service {
public:
  void reset() { Stats.clear(); }
  // CHECK-NOTES: :[[@LINE-1]]:18: warning: map 'Stats' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-16]]:27: note: thread started here
  // CHECK-NOTES: :[[@LINE+3]]:28: note: conflicting access here

protected:
  void onTick() override { Stats[1]++; }
};

// --- Look-alike: the override locks the map's mutex, as do the callers -----

class LockedWatcher : public WatcherBase {
public:
  void watch() { Loop = std::thread([this] { run(); }); }
  void stop() { Loop.join(); }
  void addWatch(int Id) {
    std::lock_guard<std::mutex> L(Mu);
    Watches[Id] = "dir";
  }

private:
  void run() { handleAction(1); }
  void handleAction(int Id) override {
    std::lock_guard<std::mutex> L(Mu);
    Watches.erase(Id);
  }
  std::mutex Mu;
  std::map<int, std::string> Watches;
  std::thread Loop;
};

// --- Look-alike: an object of exactly its static type runs its own override -

struct Handler {
  virtual ~Handler() = default;
  virtual void handle() {}
};

std::map<int, int> Registry;

struct RegisteringHandler : Handler {
  void handle() override { Registry[1] = 1; }
  // CHECK-NOTES: :[[@LINE-1]]:28: warning: map 'Registry' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE+17]]:15: note: thread started here
  // CHECK-NOTES: :[[@LINE+17]]:3: note: conflicting access here
};

void exactType() {
  // H is a Handler, not a RegisteringHandler: handle() is Handler's.
  std::thread T([] {
    Handler H;
    H.handle();
  });
  Registry[2] = 2;
  T.join();
}

// --- A virtual call through a pointer reaches every override in the TU -----

void throughPointer(Handler *P) {
  std::thread T([P] { P->handle(); });
  Registry[3] = 3;
  T.join();
}

// --- Look-alike: a final class's method is exactly the one named ------------

struct QuietHandler final : Handler {
  void handle() override {}
};

void finalClass(QuietHandler *Q) {
  std::thread T([Q] { Q->handle(); });
  Registry[4] = 4;
  T.join();
}
