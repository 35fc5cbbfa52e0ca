#include <unordered_map>

int counter(std::unordered_map<int, int> &m) { return ++m[3]; }
