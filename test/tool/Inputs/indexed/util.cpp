#include <map>

int count_or_zero(const std::map<int, int> &m, int k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

void fill(std::map<int, int *> &m, int *p) { m[3] = p; }
void use(std::map<int, int *> &m) { *m[4] = 1; }
