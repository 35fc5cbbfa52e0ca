// The shim's test main: death tests re-execute the binary ("threadsafe"), because the
// shim's goroutines are threads and forking a multi-threaded process is unsafe.
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  return RUN_ALL_TESTS();
}
