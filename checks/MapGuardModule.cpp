//===--- MapGuardModule.cpp - the mapguard clang-tidy module --------------===//
//
// Registers every mapguard check with clang-tidy. The same file is compiled
// twice: into the clang-tidy plugin (MAPGUARD_PLUGIN, where registration waits
// for a check that the host clang-tidy is the version the plugin was built
// for) and into the tools, which link the checks directly.
//
//===----------------------------------------------------------------------===//

#include "clang-tidy/ClangTidyModule.h"

// One include per check; keep sorted.
#include "CleanupOnMissingCheck.h"
#include "ConcurrentWriteCheck.h"
#include "MissDefaultUseCheck.h"
#include "UnhandledMissCheck.h"

#ifdef MAPGUARD_PLUGIN
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <string>
#endif

namespace clang::tidy::mapguard {
namespace {

class MapGuardModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    // One registration per check; keep sorted.
    Factories.registerCheck<CleanupOnMissingCheck>(
        "mapguard-cleanup-on-missing");
    Factories.registerCheck<ConcurrentWriteCheck>(
        "mapguard-concurrent-write");
    Factories.registerCheck<MissDefaultUseCheck>("mapguard-miss-default-use");
    Factories.registerCheck<UnhandledMissCheck>("mapguard-unhandled-miss");
  }
};

constexpr const char *ModuleName = "mapguard-module";
constexpr const char *ModuleDesc =
    "Finds map misuse: concurrent writes, values defaulted by a map miss, "
    "cleanups on missing values, and misses noticed but not handled.";

#ifdef MAPGUARD_PLUGIN
/// The clang version of the process that loaded us, or "" when unknown.
/// Looked up dynamically so that we see the host's libclang-cpp, which comes
/// first in the global search order, and not the one we were linked against.
std::string hostClangVersion() {
  using VersionFn = std::string (*)();
  void *Sym =
      dlsym(RTLD_DEFAULT, "_ZN5clang19getClangFullVersionB5cxx11Ev");
  if (!Sym)
    return "";
  return reinterpret_cast<VersionFn>(Sym)();
}

/// The major version number in "... clang version 22.1.8 ...", or -1.
int majorVersionOf(const std::string &Full) {
  std::string::size_type Pos = Full.find("version ");
  if (Pos == std::string::npos)
    return -1;
  return std::atoi(Full.c_str() + Pos + 8);
}

/// Runs when the plugin is loaded: register only into a matching clang-tidy.
/// There is no ABI stability across LLVM major versions, so a mismatch stops
/// the process with a clear message instead of crashing later.
__attribute__((constructor)) void registerPlugin() {
  std::string Host = hostClangVersion();
  int HostMajor = majorVersionOf(Host);
  if (HostMajor != MAPGUARD_LLVM_VERSION_MAJOR) {
    std::fprintf(stderr,
                 "error: MapGuardTidyPlugin was built for clang-tidy %d "
                 "(LLVM %s) but was loaded by %s; rebuild mapguard with "
                 "-DMAPGUARD_LLVM_PREFIX=<that LLVM's prefix>\n",
                 MAPGUARD_LLVM_VERSION_MAJOR, MAPGUARD_LLVM_VERSION,
                 Host.empty() ? "an unknown clang-tidy" : Host.c_str());
    std::fflush(stderr);
    std::_Exit(1);
  }
  static ClangTidyModuleRegistry::Add<MapGuardModule> X(ModuleName,
                                                        ModuleDesc);
}
#else
ClangTidyModuleRegistry::Add<MapGuardModule> X(ModuleName, ModuleDesc);
#endif

} // namespace
} // namespace clang::tidy::mapguard

// Referenced by the tools so that the linker keeps this module.
// NOLINTNEXTLINE(misc-use-internal-linkage)
volatile int MapGuardModuleAnchorSource = 0;
