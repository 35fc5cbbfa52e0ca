#!/usr/bin/env bash
# Runs the shim benchmarks (Google Benchmark) and the Go program, then writes the table
# of ratios into docs/shim.md between the "shim-bench" markers.
#   bench/shim/run.sh [build-dir]        (default: build/bench-shim)
# Needs libbenchmark-dev; the Go side needs Go 1.19 (Debian's golang-go): installed here
# with apt-get when missing and run as root, otherwise skipped (and said so). Not in CI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build/bench-shim}"
mkdir -p "$build"

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target shim_bench >/dev/null
reps=5
"$build/shim_bench" --benchmark_format=json --benchmark_min_time=0.2 --benchmark_repetitions=$reps \
  --benchmark_report_aggregates_only=true >"$build/shim_bench.json"

go_results="$build/go_bench.txt"
: >"$go_results"
if ! command -v go >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing golang-go (Debian package) for the Go side" >&2
  apt-get install -y golang-go >/dev/null || echo "apt-get install golang-go failed" >&2
fi
if command -v go >/dev/null 2>&1; then
  GOCACHE="$build/gocache" GOPATH="$build/gopath" GOFLAGS=-mod=mod go build -o "$build/chan_bench_go" "$here/chan_bench.go"
  for _ in 1 2 3; do "$build/chan_bench_go" >>"$go_results"; done  # the median is kept
else
  echo "go not found: Go columns left empty (apt-get install golang-go)" >&2
fi

python3 - "$build/shim_bench.json" "$go_results" "$root/docs/shim.md" "$reps" <<'PY'
import json, sys, platform, os, re, datetime
reps = sys.argv[4]
bench = {b["name"][:-len("_median")]: b for b in json.load(open(sys.argv[1]))["benchmarks"]
         if b["name"].endswith("_median")}
runs = {}
for line in open(sys.argv[2]):
    name, value = line.split()
    runs.setdefault(name, []).append(float(value))
go = {name: sorted(v)[len(v) // 2] for name, v in runs.items()}

def ns(name):
    b = bench[name]
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
    return b["real_time"] * scale

def fmt(v):
    return "—" if v is None else (f"{v:.0f}" if v >= 100 else f"{v:.1f}")

rows = []
for threads in (1, 2):
    std = ns(f"BM_StdUnorderedMapWithStdMutex/real_time/threads:{threads}")
    shim = ns(f"BM_ShimMapWithShimMutex/real_time/threads:{threads}")
    rows.append((f"map increment under a mutex, {threads} thread(s) (ns/op)", shim,
                 "std::unordered_map + std::mutex", std, shim / std, 2.0))
std = ns("BM_StdUnorderedMapFind")
shim = ns("BM_ShimMapLookup")
rows.append(("map lookup, 1 thread (ns/op)", shim, "std::unordered_map::find", std, shim / std, None))
pp = ns("BM_ChanPingPong/real_time")
gp = go.get("go_chan_pingpong_ns")
rows.append(("chan ping-pong, unbuffered round trip (ns)", pp, "Go 1.19 channels", gp, pp / gp if gp else None, 2.0))
tp = ns("BM_ChanThroughput/100000/real_time") / 100000
gt = go.get("go_chan_throughput_ns_per_item")
rows.append(("chan throughput, cap 128 (ns/item)", tp, "Go 1.19 channels", gt, tp / gt if gt else None, 2.0))
e_shim = ns("BM_E2E_SafeCwMutex_Shim/real_time") / 1e3
e_std = ns("BM_E2E_SafeCwMutex_Std/real_time") / 1e3
rows.append(("end to end: confirm corpus safe-cw-mutex.cpp, 2 x 20000 requests (µs/run)", e_shim,
             "same program, std types", e_std, e_shim / e_std, 2.0))

def verdict(r, aim):
    if aim is None or r is None:
        return "—"
    return "met" if r <= aim else f"not met: {r / aim:.1f}× over"

out = ["<!-- shim-bench:begin (written by bench/shim/run.sh) -->",
       f"Measured {datetime.date.today()} on {platform.machine()} with {os.cpu_count()} CPUs (shared, so expect noise), Release build, median of {reps} runs.",
       "",
       "| benchmark | shim | baseline | baseline | ratio | aim | |",
       "|---|---:|---|---:|---:|---|---|"]
for what, s, base, b, r, aim in rows:
    out.append(f"| {what} | {fmt(s)} | {base} | {fmt(b)} | {'—' if r is None else f'{r:.2f}×'} | "
               f"{'—' if aim is None else f'≤ {aim:.0f}×'} | {verdict(r, aim)} |")
out.append("<!-- shim-bench:end -->")
doc = open(sys.argv[3]).read()
new = re.sub(r"<!-- shim-bench:begin.*?<!-- shim-bench:end -->", "\n".join(out), doc, flags=re.S)
open(sys.argv[3], "w").write(new)
print("\n".join(out))
PY
