// The harness fails when the test file does not compile, even with no
// expectations: a broken test must not pass silently.
// RUN: not %check_mapguard %S/Inputs/broken.cpp 'mapguard-*' %t 2>&1 | FileCheck %s
// CHECK: check_mapguard: error: clang-tidy reported an error
