// Map with checking on (shim::Map under shim::Mutex) against std::unordered_map under
// std::mutex: the same guarded increment on 1024 keys, from 1 and 2 threads.
#include <benchmark/benchmark.h>

#include <mutex>
#include <thread>
#include <unordered_map>

#include "mapguard/shim.h"

namespace {

constexpr int kKeys = 1024;

// glibc's x86 locks skip the `lock` prefix in a process that has never started a thread.
// Programs that need a mutex (and every program under the shim) have threads: start one
// before any benchmark, so that the std::mutex baseline pays its usual atomics.
[[maybe_unused]] const bool kMultiThreaded = [] {
  std::thread([] {}).join();
  return true;
}();

void BM_StdUnorderedMapWithStdMutex(benchmark::State& state) {
  static std::unordered_map<int, long> m;
  static std::mutex mu;
  int i = static_cast<int>(state.thread_index()) * 7;
  for (auto _ : state) {
    std::lock_guard lk(mu);
    ++m[i++ & (kKeys - 1)];
  }
}
BENCHMARK(BM_StdUnorderedMapWithStdMutex)->Threads(1)->Threads(2)->UseRealTime();

void BM_ShimMapWithShimMutex(benchmark::State& state) {
  static mapguard::shim::Map<int, long> m;
  static mapguard::shim::Mutex mu;
  int i = static_cast<int>(state.thread_index()) * 7;
  for (auto _ : state) {
    std::lock_guard lk(mu);
    ++m[i++ & (kKeys - 1)];
  }
}
BENCHMARK(BM_ShimMapWithShimMutex)->Threads(1)->Threads(2)->UseRealTime();

void BM_ShimMapLookup(benchmark::State& state) {
  mapguard::shim::Map<int, long> m;
  for (int k = 0; k < kKeys; ++k) m[k] = k;
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(m.lookup(i++ & (kKeys - 1)));
}
BENCHMARK(BM_ShimMapLookup);

void BM_StdUnorderedMapFind(benchmark::State& state) {
  std::unordered_map<int, long> m;
  for (int k = 0; k < kKeys; ++k) m[k] = k;
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(m.find(i++ & (kKeys - 1)));
}
BENCHMARK(BM_StdUnorderedMapFind);

}  // namespace
