// Pattern 1: a shared map written from several threads with no lock held.
#include <map>
#include <string>
#include <thread>
#include <vector>

std::map<std::string, int> hits; // shared by every worker, no mutex

void record(const std::string &page) { hits[page]++; }

int main() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([] {
      for (int j = 0; j < 1000; ++j)
        record("home");
    });
  for (std::thread &t : workers)
    t.join();
  return hits["home"] == 4000 ? 0 : 1;
}
