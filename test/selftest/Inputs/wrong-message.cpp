#include <cstdio>
#include <gsl/gsl>
FILE *openLog();
bool failed();
void closeOnErrorPath() {
  FILE *f = openLog();
  auto g = gsl::finally([&] { fclose(f); });
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: 'f' is closed twice by mistake [mapguard-cleanup-on-missing]
  if (failed()) {
    fclose(f);
    return;
  }
}
