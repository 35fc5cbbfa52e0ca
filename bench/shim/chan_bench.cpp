// Chan ping-pong (unbuffered round trip between two goroutines) and throughput (one
// producer, one consumer, buffered 128). chan_bench.go measures the same in Go.
#include <benchmark/benchmark.h>

#include "mapguard/shim.h"

namespace {

namespace sh = mapguard::shim;

void BM_ChanPingPong(benchmark::State& state) {
  auto ping = sh::make_chan<int>();
  auto pong = sh::make_chan<int>();
  sh::go([=]() mutable {
    for (int v : ping) pong.send(v);
  });
  for (auto _ : state) {
    ping.send(1);
    benchmark::DoNotOptimize(pong.recv());
  }
  ping.close();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ChanPingPong)->UseRealTime();

void BM_ChanThroughput(benchmark::State& state) {
  const auto n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto ch = sh::make_chan<int>(128);
    sh::go([=]() mutable {
      for (int i = 0; i < n; ++i) ch.send(i);
      ch.close();
    });
    long sum = 0;
    for (int v : ch) sum += v;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_ChanThroughput)->Arg(100000)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
