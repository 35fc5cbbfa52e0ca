// The harness fails when an expected diagnostic does not appear.
// RUN: not %check_mapguard %S/Inputs/clean.cpp 'mapguard-*' %t 2>&1 | FileCheck %s
// CHECK: check_mapguard: error: FileCheck failed
