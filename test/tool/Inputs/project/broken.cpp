#include <map>

int broken(std::map<int, int> &m) {
  return m.no_such_member();
}
