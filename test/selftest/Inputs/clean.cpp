#include <map>
int f(std::map<int, int> &m) { return m[1]; }
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: this diagnostic is never produced
