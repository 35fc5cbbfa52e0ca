#include "mapguard/shim.h"
int main() { return undeclared_name; }
