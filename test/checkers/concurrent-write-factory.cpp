// RUN: %check_mapguard %s mapguard-concurrent-write %t -- -- -std=c++14

// A worker class whose constructor starts its thread, built by
// std::make_unique or by a project's own make_unique (spdlog's registry and
// its periodic_worker): the make_unique call is where the thread starts.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace details {
// A pre-C++14 make_unique: inside it the callable is only a forwarded
// parameter, so the thread starts at its call.
template <typename T, typename... Args>
std::unique_ptr<T> make_unique(Args &&...args) {
  return std::unique_ptr<T>(new T(std::forward<Args>(args)...));
}

class PeriodicWorker {
public:
  PeriodicWorker(const std::function<void()> &Callback,
                 std::chrono::seconds Interval) {
    Thread = std::thread([this, Callback, Interval] {
      for (;;) {
        std::unique_lock<std::mutex> Lock(Mu);
        if (Cv.wait_for(Lock, Interval, [this] { return !Active; }))
          return;
        Callback();
      }
    });
  }
  ~PeriodicWorker() {
    {
      std::lock_guard<std::mutex> Lock(Mu);
      Active = false;
    }
    Cv.notify_one();
    Thread.join();
  }

private:
  bool Active = true;
  std::thread Thread;
  std::mutex Mu;
  std::condition_variable Cv;
};
} // namespace details

struct Logger {
  void flush() {}
};

class Registry {
public:
  void add(std::shared_ptr<Logger> L, const std::string &Name) {
    Loggers[Name] = std::move(L);
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: concurrent map read and map write: map 'Loggers' is read and written from threads without holding a lock [mapguard-concurrent-write]
    // CHECK-NOTES: :[[@LINE+7]]:9: note: thread started here
    // CHECK-NOTES: :[[@LINE+9]]:20: note: conflicting access here
  }
  void flushEvery(std::chrono::seconds Interval) {
    std::lock_guard<std::mutex> Lock(FlusherMu);
    auto Flush = [this] { flushAll(); };
    Flusher =
        details::make_unique<details::PeriodicWorker>(Flush, Interval);
  }
  void flushAll() {
    for (auto &L : Loggers)
      L.second->flush();
  }

private:
  std::mutex FlusherMu;
  std::map<std::string, std::shared_ptr<Logger>> Loggers;
  std::unique_ptr<details::PeriodicWorker> Flusher;
};

// The same with std::make_unique, and the map locked on both sides: silent.
class LockedRegistry {
public:
  void add(std::shared_ptr<Logger> L, const std::string &Name) {
    std::lock_guard<std::mutex> Lock(MapMu);
    Loggers[Name] = std::move(L);
  }
  void flushEvery(std::chrono::seconds Interval) {
    Flusher = std::make_unique<details::PeriodicWorker>(
        [this] { flushAll(); }, Interval);
  }
  void flushAll() {
    std::lock_guard<std::mutex> Lock(MapMu);
    for (auto &L : Loggers)
      L.second->flush();
  }

private:
  std::mutex MapMu;
  std::map<std::string, std::shared_ptr<Logger>> Loggers;
  std::unique_ptr<details::PeriodicWorker> Flusher;
};

// std::make_unique of a worker whose thread only reads the map that the
// public methods only read: no write, no race.
class ReadOnly {
public:
  int size() const { return static_cast<int>(Names.size()); }
  void watch(std::chrono::seconds Interval) {
    Flusher = std::make_unique<details::PeriodicWorker>(
        [this] { (void)Names.count("x"); }, Interval);
  }

private:
  const std::map<std::string, int> Names{{"x", 1}};
  std::unique_ptr<details::PeriodicWorker> Flusher;
};

// make_unique of something that is not a thread type: no spawn.
struct Plain {
  explicit Plain(std::function<void()> F) : F(std::move(F)) {}
  std::function<void()> F;
};
class NotAThread {
public:
  void set(int K) { Values[K] = K; }
  void make() { P = std::make_unique<Plain>([this] { Values[0] = 0; }); }

private:
  std::map<int, int> Values;
  std::unique_ptr<Plain> P;
};
