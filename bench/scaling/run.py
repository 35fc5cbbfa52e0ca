#!/usr/bin/env python3
"""Scaling benchmark of mapguard on generated functions (issue 19).

For each shape of test/robustness/gen.py and each size N, runs clang-tidy
with the mapguard plugin (`-*,mapguard-*`, ReportSkipped on) and, as the
baseline, stock clang-tidy with one trivial check on the same file, and
prints CPU time (user + sys) and peak memory (max RSS, from getrusage) of
each, the findings and the budget skips, as a Markdown table.

    bench/scaling/run.py [--plugin P] [--clang-tidy T] [--shapes a,b]
                         [--also-plugin LABEL=P] [--timeout S]

A line should grow linearly with N, or stop growing where a budget cuts it
(the skips column names the budget).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GEN = os.path.join(ROOT, "test", "robustness", "gen.py")

SIZES = {
    "lookups": [250, 500, 1000, 1400, 2000],
    "keys": [100, 250, 500, 1400],
    "branches": [500, 1000, 1400, 2000],
    "gotos": [25, 50, 100, 400],
    "writes": [1000, 2000, 4000, 8000, 16000],
    "spawns": [400, 800, 1600, 3200],
    "deep": [5000, 10000, 20000],
    "long": [5000, 20000, 50000],
}


def run(cmd, timeout):
    """Runs cmd under wait4 to get its own rusage."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    chunks = []
    deadline = time.time() + timeout
    os.set_blocking(p.stdout.fileno(), False)
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        try:
            data = p.stdout.read()
            if data:
                chunks.append(data)
        except (BlockingIOError, TypeError):
            pass
        if pid:
            break
        if time.time() > deadline:
            p.kill()
            os.wait4(p.pid, 0)
            return None, None, b"".join(chunks).decode(errors="replace"), "timeout"
        time.sleep(0.02)
    rest = p.stdout.read()
    if rest:
        chunks.append(rest)
    cpu = ru.ru_utime + ru.ru_stime
    rss = ru.ru_maxrss / 1024.0
    code = os.waitstatus_to_exitcode(status)
    return cpu, rss, b"".join(chunks).decode(errors="replace"), code


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plugin", default=os.path.join(ROOT, "build", "lib",
                                                     "MapGuardTidyPlugin.so"))
    ap.add_argument("--also-plugin", action="append", default=[],
                    metavar="LABEL=PATH",
                    help="another build of the plugin to compare (e.g. before)")
    ap.add_argument("--clang-tidy", default="/usr/lib/llvm-22/bin/clang-tidy")
    ap.add_argument("--shapes", default=",".join(SIZES))
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()

    plugins = [("mapguard", a.plugin)]
    for spec in a.also_plugin:
        label, _, path = spec.partition("=")
        plugins.append((label, path))

    head = ["shape", "N", "stock s", "stock MB"]
    for label, _ in plugins:
        head += [f"{label} s", f"{label} MB", f"{label} findings / skips"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    tmp = tempfile.mkdtemp(prefix="mapguard-scaling-")
    for shape in a.shapes.split(","):
        for n in SIZES[shape]:
            src = os.path.join(tmp, f"{shape}-{n}.cpp")
            subprocess.run([sys.executable, GEN, shape, str(n), "-o", src],
                           check=True)
            cpu, rss, _, code = run([a.clang_tidy,
                                     "--checks=-*,readability-braces-around-statements",
                                     src, "--", "-std=c++20"], a.timeout)
            row = [shape, str(n), fmt(cpu, code), fmt_mb(rss)]
            for label, path in plugins:
                cpu, rss, out, code = run(
                    [a.clang_tidy, "--load=" + path, "--checks=-*,mapguard-*",
                     "--config={CheckOptions: {ReportSkipped: true}}",
                     src, "--", "-std=c++20"], a.timeout)
                skips = sorted(set(re.findall(r"budget (\w+ \(\d+\))", out)))
                found = len(re.findall(r"warning: (?!mapguard skipped)", out))
                what = f"{found} / {', '.join(skips) if skips else '-'}"
                if code not in (0, 1):
                    what = f"**{code if code != 'timeout' else 'timeout'}**"
                    if isinstance(code, int) and code < 0:
                        what = f"**signal {-code}**"
                    elif isinstance(code, int) and code > 128:
                        what = f"**crash ({code})**"
                row += [fmt(cpu, code), fmt_mb(rss), what]
            print("| " + " | ".join(row) + " |", flush=True)
            os.unlink(src)


def fmt(cpu, code):
    return "timeout" if code == "timeout" else f"{cpu:.2f}"


def fmt_mb(rss):
    return "–" if rss is None else f"{rss:.0f}"


if __name__ == "__main__":
    main()
