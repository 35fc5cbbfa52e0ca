// Pattern 4: the miss is noticed and logged, then the value is used anyway.
#include <cstdio>
#include <unordered_map>

struct Worker {
  void run() { std::puts("working"); }
};

std::unordered_map<int, Worker *> workers;

void start(int id) {
  auto it = workers.find(id);
  if (it == workers.end()) {
    std::fprintf(stderr, "no worker %d\n", id); // noticed, not handled
  }
  it->second->run(); // runs on end() after the miss
}

int main() {
  Worker w;
  workers[1] = &w;
  start(1);
  start(2);
}
