// RUN: %check_mapguard %s mapguard-concurrent-write %t

// `pool << task`: a pool declared in the TU (its methods defined in another
// TU, as tacopie's thread_pool) whose operator<< takes a callable queues it
// for its own threads.

#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <queue>
#include <thread>

class thread_pool {
public:
  explicit thread_pool(std::size_t N);
  ~thread_pool();
  typedef std::function<void()> task_t;
  thread_pool &operator<<(const task_t &Task);

private:
  std::list<std::thread> Workers;
  std::queue<task_t> Tasks;
  std::mutex TasksMu;
};

class IoService {
public:
  IoService() : Pool(2) { Poll = std::thread([this] { poll(); }); }
  ~IoService() { Poll.join(); }
  void track(int Fd) {
    std::lock_guard<std::mutex> L(Mu);
    Sockets[Fd] = 1;
  }

private:
  void poll() {
    std::lock_guard<std::mutex> L(Mu);
    // The callback runs on a pool thread, without the lock poll() holds.
    Pool << [=] { Sockets.erase(3); };
    // CHECK-NOTES: :[[@LINE-1]]:19: warning: map 'Sockets' is written from a thread without holding a lock [mapguard-concurrent-write]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: thread started here
    // CHECK-NOTES: :[[@LINE-10]]:5: note: conflicting access here
  }
  std::mutex Mu;
  std::map<int, int> Sockets;
  thread_pool Pool;
  std::thread Poll;
};

// Look-alike: the callback takes the lock itself.
class LockedIoService {
public:
  LockedIoService() : Pool(2) { Poll = std::thread([this] { poll(); }); }
  ~LockedIoService() { Poll.join(); }
  void track(int Fd) {
    std::lock_guard<std::mutex> L(Mu);
    Sockets[Fd] = 1;
  }

private:
  void poll() {
    Pool << [=] {
      std::lock_guard<std::mutex> L(Mu);
      Sockets.erase(3);
    };
  }
  std::mutex Mu;
  std::map<int, int> Sockets;
  thread_pool Pool;
  std::thread Poll;
};

// Look-alike: operator<< of a class that runs no thread only stores the
// callable (a list of callbacks run later by the caller).
class Callbacks {
public:
  Callbacks &operator<<(const std::function<void()> &F) {
    List.push_back(F);
    return *this;
  }
  void runAll() {
    for (auto &F : List)
      F();
  }

private:
  std::list<std::function<void()>> List;
};

std::map<int, int> Counts;

void callbacksOnOneThread() {
  Callbacks C;
  C << [] { Counts[1] = 1; };
  Counts[2] = 2;
  C.runAll();
}
