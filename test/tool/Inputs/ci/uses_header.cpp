#include "inc/bug.h"

void callHeader(std::map<int, int *> &m) { headerStore(m); }
