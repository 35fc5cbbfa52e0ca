#include <map>

#ifdef MAPGUARD_TEST_BUG
void store(std::map<int, int *> &m) {
  *m[1] = 2;
}
#endif
