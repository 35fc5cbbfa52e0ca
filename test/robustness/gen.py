#!/usr/bin/env python3
"""Generates adversarial C++ translation units for mapguard's robustness
tests and the scaling benchmark (bench/scaling/run.py).

    gen.py SHAPE N [-o FILE]

Shapes (N is the size knob):
  deep     one expression of N terms (`k + k + ... + k`) in a function that
           also looks up a map, spawns a thread and joins it, and in the
           thread's lambda; the lookup's use is a finding
  long     one basic block of N statements, then `m[k]->run()` (a finding)
  gotos    N labels, each with a `goto` back to the first, and a finding at
           the first line of the function
  lookups  N lookups, each bound to a variable and used under a branch
  keys     N lookups written in place (`m[I]->run()`), each under a branch
  branches N two-way branches in one function, then a finding
  writes   a thread started in a loop (it runs beside itself) whose body
           writes a shared map N times
  spawns   N threads started in one function, each under a branch, all
           running one function that writes a shared map, joined at the end

Every file includes only the standard library and compiles with -std=c++20.
"""
import argparse
import sys

HEADER = """#include <map>
#include <memory>
#include <thread>
#include <vector>

struct S { void run(); };
std::map<int, std::shared_ptr<S>> m;
std::map<int, int> shared;
"""


def deep(n):
    terms = " + ".join(["k"] * max(n, 1))
    return HEADER + f"""
int deep(int k) {{
  std::thread t([&] {{ int y = {terms}; shared[y] = 1; }});
  int x = {terms};
  auto p = m[k];
  p->run();
  t.join();
  return x;
}}
"""


def long_(n):
    body = "\n".join(f"  x += k * {i % 97};" for i in range(n))
    return HEADER + f"""
int longBlock(int k) {{
  int x = 0;
{body}
  m[k]->run();
  return x;
}}
"""


def function(signature, before, step, n, after=()):
    """A function: `before` lines, `step(j)` lines for j < n, `after`."""
    out = [HEADER, signature + " {", *before]
    for j in range(n):
        out.extend(step(j))
    out.extend(after)
    out.append("}")
    return "\n".join(out) + "\n"


def gotos(n):
    return function("void gotos(int k, int c)", ["  m[k]->run();", "  int i = 0;"],
                    lambda j: [f"L{j}:", "  if (++i < c) goto L0;"], n)


def lookups(n):
    return function("void lookups(int c)", [],
                    lambda j: [f"  auto p{j} = m[{j}];",
                               f"  if (c > {j}) p{j}->run();"], n)


def keys(n):
    return function("void keys(int c)", [],
                    lambda j: [f"  if (c > {j}) m[{j}]->run();"], n)


def branches(n):
    return function("int branches(int k, int c)", ["  int x = 0;"],
                    lambda j: [f"  if (c > {j}) x += {j}; else x -= {j};"], n,
                    ["  m[k]->run();", "  return x;"])


def writes(n):
    body = "\n".join(f"    shared[{j}] = {j};" for j in range(n))
    return HEADER + f"""
void writes(int c) {{
  std::vector<std::thread> ts;
  for (int i = 0; i < c; ++i)
    ts.emplace_back([] {{
{body}
    }});
  for (auto &t : ts)
    t.join();
}}
"""


def spawns(n):
    out = [HEADER, "void work(int j) { shared[j] = 1; }", "",
           "void spawns(int c) {", "  std::vector<std::thread> ts;"]
    for j in range(n):
        out.append(f"  if (c > {j}) ts.emplace_back(work, {j});")
    out.append("  for (auto &t : ts) t.join();")
    out.append("}")
    return "\n".join(out) + "\n"


SHAPES = {"deep": deep, "long": long_, "gotos": gotos, "lookups": lookups,
          "keys": keys, "branches": branches, "writes": writes,
          "spawns": spawns}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shape", choices=sorted(SHAPES))
    ap.add_argument("n", type=int)
    ap.add_argument("-o", "--output", help="file to write (default: stdout)")
    a = ap.parse_args()
    text = SHAPES[a.shape](a.n)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
