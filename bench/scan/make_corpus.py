#!/usr/bin/env python3
"""make_corpus.py DIR COUNT [EXAMPLES_DIR]: writes COUNT C++ files that use
maps the ways mapguard looks at (lookups, default inserts, threads, locks,
scope guards), copies the docs/examples files, and a compile_commands.json."""
import json
import os
import shutil
import sys

TEMPLATE = r'''
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace corpus%(n)d {
struct Worker { void run() {} };

std::map<int, std::shared_ptr<Worker>> workers;
std::unordered_map<std::string, int> counters;
std::mutex lock;

void handled(int id) {
  auto &w = workers[id];
  if (!w)
    w = std::make_shared<Worker>();
  w->run();
}

void found(int id) {
  if (auto it = workers.find(id); it != workers.end())
    it->second->run();
}

void count(const std::string &k) { ++counters[k]; }

void guarded(int n) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([i] {
      std::lock_guard<std::mutex> g(lock);
      counters[std::to_string(i)] = i;
    });
  for (auto &t : threads)
    t.join();
}

int lookup%(n)d(const std::map<int, int> &m, int k) {
  auto it = m.find(k);
  return it == m.end() ? -1 : it->second;
}

std::function<void()> callback(std::map<int, std::function<void()>> &cbs,
                               int k) {
  return cbs.count(k) ? cbs.at(k) : [] {};
}
} // namespace corpus%(n)d
'''


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    examples = sys.argv[3] if len(sys.argv) > 3 else None
    os.makedirs(out, exist_ok=True)
    files = []
    for n in range(count):
        path = os.path.join(out, "corpus%02d.cpp" % n)
        with open(path, "w") as f:
            f.write(TEMPLATE % {"n": n})
        files.append(path)
    if examples and os.path.isdir(examples):
        for name in sorted(os.listdir(examples)):
            if name.endswith(".cpp"):
                dst = os.path.join(out, "example_" + name)
                shutil.copy(os.path.join(examples, name), dst)
                files.append(dst)
    db = [{"directory": out, "file": f,
           "arguments": ["/usr/bin/c++", "-std=c++20", "-pthread", "-c", f,
                         "-o", f + ".o"]} for f in files]
    with open(os.path.join(out, "compile_commands.json"), "w") as f:
        json.dump(db, f, indent=1)


if __name__ == "__main__":
    main()
