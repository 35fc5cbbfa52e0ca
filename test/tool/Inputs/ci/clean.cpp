#include <map>

int lookup(const std::map<int, int> &m, int k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}
