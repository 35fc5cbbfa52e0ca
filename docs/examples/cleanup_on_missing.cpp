// Pattern 3: a deferred cleanup registered on a value that may be missing.
#include <cstdio>
#include <gsl/gsl>
#include <map>
#include <string>

std::map<std::string, std::FILE *> open_files;

void flush_and_close(const std::string &name) {
  auto it = open_files.find(name);
  // Runs at scope exit even when the lookup missed: it->second on end().
  auto closer = gsl::finally([&] { std::fclose(it->second); });
  std::printf("closing %s\n", name.c_str());
}

int main() {
  open_files["log"] = std::fopen("/dev/null", "w");
  flush_and_close("log");
  flush_and_close("missing");
}
