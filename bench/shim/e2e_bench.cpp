// End to end: test/confirm/safe-cw-mutex.cpp (workers count requests in a map under one
// mutex, main waits and reads the totals) with real work — 2 workers x 20000 requests
// over 64 string keys — once with the shim's types, race-checked, and once with std types.
// One benchmark iteration is the whole program: start the workers, count, wait, check.
#include <benchmark/benchmark.h>

#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "mapguard/shim.h"

namespace {

namespace sh = mapguard::shim;

constexpr int kWorkers = 2;
constexpr int kRequests = 20000;
constexpr int kRoutes = 64;

std::vector<std::string> routes() {
  std::vector<std::string> r;
  for (int i = 0; i < kRoutes; ++i) r.push_back("/api/route/" + std::to_string(i));
  return r;
}

struct ShimTypes {
  using Map = sh::Map<std::string, int>;
  using Mutex = sh::Mutex;
  struct Group {
    sh::WaitGroup wg;
    template <class F>
    void go(F f) {
      wg.add(1);
      sh::go([this, f] {
        MAPGUARD_DEFER(wg.done());
        f();
      });
    }
    void wait() { wg.wait(); }
  };
};

struct StdTypes {
  using Map = std::unordered_map<std::string, int>;
  using Mutex = std::mutex;
  struct Group {
    std::vector<std::thread> threads;
    template <class F>
    void go(F f) { threads.emplace_back(f); }
    void wait() {
      for (auto& t : threads) t.join();
    }
  };
};

template <class T>
int program(const std::vector<std::string>& keys) {
  typename T::Map hits;
  typename T::Mutex mu;
  typename T::Group group;
  for (int w = 0; w < kWorkers; ++w) {
    group.go([&, w] {
      for (int i = 0; i < kRequests; ++i) {
        const std::string& key = keys[static_cast<std::size_t>(i * 7 + w) % kRoutes];
        std::lock_guard lk(mu);
        hits[key]++;
      }
    });
  }
  group.wait();
  int total = 0;
  for (const auto& key : keys) total += hits.at(key);
  return total == kWorkers * kRequests ? 0 : 1;
}

template <class T>
void BM_E2E(benchmark::State& state) {
  const auto keys = routes();
  for (auto _ : state) {
    if (program<T>(keys) != 0) state.SkipWithError("wrong total");
  }
}
BENCHMARK(BM_E2E<StdTypes>)->Name("BM_E2E_SafeCwMutex_Std")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_E2E<ShimTypes>)->Name("BM_E2E_SafeCwMutex_Shim")->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
