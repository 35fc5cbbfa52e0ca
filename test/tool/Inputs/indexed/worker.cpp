#include "registry.h"

void serve(Registry &r) {
  static Session s;
  r.add("dave", &s);
}
