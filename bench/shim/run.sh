#!/usr/bin/env bash
# Runs the shim benchmarks (Google Benchmark) and the Go program, then writes the table
# of ratios into docs/shim.md between the "shim-bench" markers.
#   bench/shim/run.sh [build-dir]        (default: build/bench-shim)
# Needs libbenchmark-dev; the Go side needs golang-go (skipped, and said so, without it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build/bench-shim}"
mkdir -p "$build"

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target shim_bench >/dev/null
"$build/shim_bench" --benchmark_format=json --benchmark_min_time=0.3 >"$build/shim_bench.json"

go_results="$build/go_bench.txt"
: >"$go_results"
if command -v go >/dev/null 2>&1; then
  GOCACHE="$build/gocache" GOPATH="$build/gopath" GOFLAGS=-mod=mod go run "$here/chan_bench.go" >"$go_results"
else
  echo "go not found: Go columns left empty (apt-get install golang-go)" >&2
fi

python3 - "$build/shim_bench.json" "$go_results" "$root/docs/shim.md" <<'PY'
import json, sys, platform, os, re, datetime
bench = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
go = {}
for line in open(sys.argv[2]):
    name, value = line.split()
    go[name] = float(value)

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
                 "std::unordered_map + std::mutex", std, shim / std, "≤ 2×"))
std = ns("BM_StdUnorderedMapFind")
shim = ns("BM_ShimMapLookup")
rows.append(("map lookup, 1 thread (ns/op)", shim, "std::unordered_map::find", std, shim / std, "—"))
pp = ns("BM_ChanPingPong/real_time")
gp = go.get("go_chan_pingpong_ns")
rows.append(("chan ping-pong, unbuffered round trip (ns)", pp, "Go 1.19 channels", gp, pp / gp if gp else None, "≤ 1.5×"))
items = bench["BM_ChanThroughput/100000/real_time"]
tp = ns("BM_ChanThroughput/100000/real_time") / 100000
gt = go.get("go_chan_throughput_ns_per_item")
rows.append(("chan throughput, cap 128 (ns/item)", tp, "Go 1.19 channels", gt, tp / gt if gt else None, "≤ 1.5×"))

out = ["<!-- shim-bench:begin (written by bench/shim/run.sh) -->",
       f"Measured {datetime.date.today()} on {platform.machine()} with {os.cpu_count()} CPUs (shared, so expect noise), Release build.",
       "",
       "| benchmark | shim | baseline | baseline | ratio | aim |",
       "|---|---:|---|---:|---:|---|"]
for what, s, base, b, r, aim in rows:
    out.append(f"| {what} | {fmt(s)} | {base} | {fmt(b)} | {'—' if r is None else f'{r:.2f}×'} | {aim} |")
out.append("<!-- shim-bench:end -->")
doc = open(sys.argv[3]).read()
new = re.sub(r"<!-- shim-bench:begin.*?<!-- shim-bench:end -->", "\n".join(out), doc, flags=re.S)
open(sys.argv[3], "w").write(new)
print("\n".join(out))
PY
