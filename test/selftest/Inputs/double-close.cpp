#include <cstdio>
#include <gsl/gsl>
FILE *openLog();
bool failed();
void closeOnErrorPath() {
  FILE *f = openLog();
  auto g = gsl::finally([&] { fclose(f); });
  if (failed()) {
    fclose(f);
    return;
  }
}
