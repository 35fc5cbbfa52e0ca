// REQUIRES: gsl
// A warning that the test file does not expect fails the test: here the input
// has no expectations at all but the check reports a double close.
// RUN: not %check_mapguard %S/Inputs/double-close.cpp mapguard-cleanup-on-missing %t 2>&1 | FileCheck %s
// CHECK: check_mapguard: error: the test expects no diagnostic, but clang-tidy reported some
