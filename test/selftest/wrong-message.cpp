// REQUIRES: gsl
// A CHECK-MESSAGES line whose text differs from the real warning fails the test.
// RUN: not %check_mapguard %S/Inputs/wrong-message.cpp mapguard-cleanup-on-missing %t 2>&1 | FileCheck %s
// CHECK: check_mapguard: error: FileCheck failed
