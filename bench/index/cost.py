#!/usr/bin/env python3
"""What the project index costs, on a real compile database (issue 27).

  bench/index/cost.py -p BUILD [--runs 3] [--mapguard BIN] [--clang-tidy BIN]
                      [--baseline-check misc-unused-alias-decls]

Measures, as CPU time (user + system of the child processes; medians of
--runs runs, every run in the same session so that the ratios compare like
with like):
  trivial   stock clang-tidy with one cheap check over every TU of BUILD
            (the cost of parsing the project: the baseline);
  index     `mapguard index -p BUILD --no-cache -j 1` (parse + facts);
  scan      `mapguard scan --no-index` and `mapguard scan --index FILE`
            (the check phase without and with the index);
  touch     after touching one .cpp, `mapguard index` with its cache: how
            many units it re-extracts (must be 1) and its CPU time.
Prints a Markdown table for docs/benchmarks.md and the ratios the issue
sets targets for (index/trivial <= 1.15, scan with/without <= 1.03), plus
the index's size and functions per unit (linear in the functions).
"""

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile


def cpu_of(cmd, ok=(0, 1)):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in ok:
        sys.exit("cost.py: %s exited %d: %s" % (" ".join(cmd), p.returncode,
                                                 p.stderr[-2000:]))
    return (after.ru_utime - before.ru_utime +
            after.ru_stime - before.ru_stime), p


def units(build):
    with open(os.path.join(build, "compile_commands.json")) as f:
        return sorted({os.path.join(e["directory"], e["file"])
                       for e in json.load(f)})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-p", dest="build", required=True)
    ap.add_argument("--runs", type=int, default=3)
    here = os.path.dirname(os.path.abspath(__file__))
    default_build = os.environ.get("MAPGUARD_BUILD",
                                   os.path.join(here, "..", "..", "build"))
    ap.add_argument("--mapguard",
                    default=os.path.join(default_build, "bin", "mapguard"))
    ap.add_argument("--clang-tidy", default="/usr/lib/llvm-22/bin/clang-tidy")
    ap.add_argument("--baseline-check", default="misc-unused-alias-decls")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    files = units(build)
    work = tempfile.mkdtemp(prefix="mapguard-index-cost-")
    index = os.path.join(work, "index.json")
    rows = {"trivial": [], "index": [], "scan": [], "scan+index": []}
    for _ in range(args.runs):
        t, _ = cpu_of([args.clang_tidy, "-p", build, "--quiet",
                       "--checks=-*," + args.baseline_check] + files,
                      ok=(0, 1))
        rows["trivial"].append(t)
        t, _ = cpu_of([args.mapguard, "index", "-p", build, "--no-cache",
                       "-j", "1", "-o", index], ok=(0, 3))
        rows["index"].append(t)
        t, _ = cpu_of([args.mapguard, "scan", "-p", build, "--no-cache",
                       "--no-index", "-j", "1", "--quiet", "--format", "json",
                       "-o", os.path.join(work, "plain.json")], ok=(0, 1, 3))
        rows["scan"].append(t)
        t, _ = cpu_of([args.mapguard, "scan", "-p", build, "--no-cache",
                       "--index", index, "-j", "1", "--quiet", "--format",
                       "json", "-o", os.path.join(work, "indexed.json")],
                      ok=(0, 1, 3))
        rows["scan+index"].append(t)
    med = {k: statistics.median(v) for k, v in rows.items()}

    # Incremental: a warm cache, one .cpp touched.
    cache = os.path.join(work, "cache")
    cpu_of([args.mapguard, "index", "-p", build, "--cache-dir", cache, "-o",
            index], ok=(0, 3))
    victim = next(f for f in files if f.endswith((".cc", ".cpp", ".cxx")))
    os.utime(victim)
    with open(victim, "a") as f:
        f.write("\n// touched by bench/index/cost.py\n")
    try:
        t_touch, p = cpu_of([args.mapguard, "index", "-p", build,
                             "--cache-dir", cache, "-o", index], ok=(0, 3))
    finally:
        with open(victim) as f:
            text = f.read()
        with open(victim, "w") as f:
            f.write(text.replace("\n// touched by bench/index/cost.py\n", ""))
    summary = (p.stderr.strip().splitlines() or [""])[-1]

    with open(index) as f:
        doc = json.load(f)
    functions = len(doc["functions"])
    size = os.path.getsize(index)
    print("| corpus | units | functions in index | index size | trivial clang-tidy (CPU s) | mapguard index (CPU s) | index / trivial | scan (CPU s) | scan with index (CPU s) | with / without | re-index after touching one .cpp |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print("| %s | %d | %d | %d KiB | %.1f | %.1f | %.2fx | %.1f | %.1f | %.3fx | %s (%.1f s) |" % (
        os.path.basename(os.path.dirname(build)) or build, len(files),
        functions, size // 1024, med["trivial"], med["index"],
        med["index"] / med["trivial"], med["scan"], med["scan+index"],
        med["scan+index"] / med["scan"], summary, t_touch))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
