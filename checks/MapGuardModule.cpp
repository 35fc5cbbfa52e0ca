//===--- MapGuardModule.cpp - the mapguard clang-tidy module --------------===//
//
// Registers every mapguard check with clang-tidy. The same file is compiled
// twice: into the clang-tidy plugin (MAPGUARD_PLUGIN, where registration waits
// for a check that the host clang-tidy is the version the plugin was built
// for) and into the tools, which link the checks directly.
//
//===----------------------------------------------------------------------===//

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

// One include per check; keep sorted.
#include "CleanupOnMissingCheck.h"
#include "ConcurrentWriteCheck.h"
#include "MissDefaultUseCheck.h"
#include "UnhandledMissCheck.h"

#ifdef MAPGUARD_PLUGIN
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <link.h>
#include <string>
#include <sys/stat.h>
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
/// The LLVM of the clang-tidy that loaded us. Read through LLVM's C API and the
/// loaded objects' file names only, never through a C++ symbol: those are
/// mangled by the host's C++ library (libstdc++'s std::string carries an ABI
/// tag, libc++'s does not), so a libc++-built clang-tidy would look unknown.
struct HostLLVM {
  int Major = -1;       // -1: unknown
  std::string Version;  // "19.1.7", or "14" when only the file name tells
  std::string Library;  // the libLLVM the host uses, or ""
};

/// The shared libLLVM loaded before this plugin: the host's. Objects are
/// listed in load order, the executable and its libraries before a plugin and
/// the libraries the plugin brings (which would be another LLVM on mismatch).
int findHostLibLLVM(struct dl_phdr_info *Info, size_t, void *Data) {
  auto *Found = static_cast<std::pair<const void *, std::string> *>(Data);
  const char *Name = Info->dlpi_name;
  if (!Name || !*Name)
    return 0;
  if (reinterpret_cast<const void *>(Info->dlpi_addr) == Found->first ||
      Found->second == Name)
    return 1; // reached this plugin: the host has no shared libLLVM
  const char *Base = std::strrchr(Name, '/');
  Base = Base ? Base + 1 : Name;
  if (std::strncmp(Base, "libLLVM", 7) == 0 &&
      std::strstr(Base, ".so")) {
    Found->second = Name;
    return 1;
  }
  return 0;
}

HostLLVM hostLLVM() {
  HostLLVM H;
  Dl_info Self;
  if (!dladdr(reinterpret_cast<void *>(&hostLLVM), &Self))
    return H;
  // This plugin, known by its load address and its name; replaced by the
  // host's libLLVM when one comes first.
  std::pair<const void *, std::string> Found(Self.dli_fbase,
                                             Self.dli_fname ? Self.dli_fname
                                                            : "");
  std::string SelfName = Found.second;
  dl_iterate_phdr(findHostLibLLVM, &Found);
  if (Found.second.empty() || Found.second == SelfName)
    return H;
  H.Library = Found.second;
  // LLVMGetVersion (C API, LLVM 16+) of that very library.
  if (void *Lib = dlopen(H.Library.c_str(), RTLD_LAZY | RTLD_NOLOAD)) {
    using GetVersionFn = void (*)(unsigned *, unsigned *, unsigned *);
    auto Get = reinterpret_cast<GetVersionFn>(dlsym(Lib, "LLVMGetVersion"));
    Dl_info Where;
    // dlsym on a handle also searches that library's dependencies: accept
    // only a definition in the library itself.
    if (Get && dladdr(reinterpret_cast<void *>(Get), &Where) &&
        std::strcmp(Where.dli_fname, H.Library.c_str()) == 0) {
      unsigned Major = 0, Minor = 0, Patch = 0;
      Get(&Major, &Minor, &Patch);
      H.Major = static_cast<int>(Major);
      H.Version = std::to_string(Major) + "." + std::to_string(Minor) + "." +
                  std::to_string(Patch);
    }
    dlclose(Lib);
  }
  if (H.Major < 0) {
    // Older than 16: the major is in the file name (libLLVM-14.so.1,
    // libLLVM.so.14).
    const char *Base = std::strrchr(H.Library.c_str(), '/');
    Base = Base ? Base + 1 : H.Library.c_str();
    const char *P = Base + 7;
    while (*P && (*P < '0' || *P > '9'))
      ++P;
    if (*P) {
      H.Major = std::atoi(P);
      H.Version = std::to_string(H.Major);
    }
  }
  return H;
}

/// The -DMAPGUARD_LLVM_PREFIX that fits the host: the directory above its
/// libLLVM's when that is an LLVM prefix (Debian's /usr/lib/llvm-NN).
std::string prefixFor(const HostLLVM &H) {
  std::string Guess = "/usr/lib/llvm-" + std::to_string(H.Major);
  std::string Dir = H.Library.substr(0, H.Library.rfind('/'));
  char Real[PATH_MAX];
  if (!Dir.empty() && realpath((Dir + "/..").c_str(), Real)) {
    struct stat St;
    if (stat((std::string(Real) + "/lib/cmake/llvm").c_str(), &St) == 0 ||
        stat((std::string(Real) + "/bin/clang-tidy").c_str(), &St) == 0)
      return Real;
  }
  return Guess;
}

bool isSupported(int Major) {
  for (int V : {MAPGUARD_SUPPORTED_LLVM_MAJORS})
    if (V == Major)
      return true;
  return false;
}

/// Runs when the plugin is loaded: register only into a matching clang-tidy.
/// There is no ABI stability across LLVM major versions, so a mismatch stops
/// the process with a clear message instead of crashing later.
__attribute__((constructor)) void registerPlugin() {
  HostLLVM Host = hostLLVM();
  if (Host.Major < 0) {
    // A clang-tidy without a shared libLLVM: we cannot tell, so we do not
    // refuse; the plugin needs the shared libLLVM it was linked with.
    std::fprintf(stderr,
                 "warning: MapGuardTidyPlugin (built for clang-tidy %d, LLVM "
                 "%s) cannot tell the version of the clang-tidy that loaded "
                 "it; it must be clang-tidy %d\n",
                 MAPGUARD_LLVM_VERSION_MAJOR, MAPGUARD_LLVM_VERSION,
                 MAPGUARD_LLVM_VERSION_MAJOR);
  } else if (Host.Major != MAPGUARD_LLVM_VERSION_MAJOR) {
    std::string Fix;
    if (isSupported(Host.Major))
      Fix = "use mapguard built for LLVM " + std::to_string(Host.Major) +
            ": the mapguard package for clang-tidy-" +
            std::to_string(Host.Major) +
            ", or configure mapguard with -DMAPGUARD_LLVM_PREFIX=" +
            prefixFor(Host) + " (Debian: apt-get install clang-tidy-" +
            std::to_string(Host.Major) + " llvm-" +
            std::to_string(Host.Major) + "-dev libclang-" +
            std::to_string(Host.Major) + "-dev)";
    else
      Fix = "mapguard builds for LLVM " MAPGUARD_SUPPORTED_LLVM_TEXT
            ", not " +
            std::to_string(Host.Major) +
            "; run it with one of those clang-tidy versions";
    std::fprintf(stderr,
                 "error: MapGuardTidyPlugin was built for clang-tidy %d "
                 "(LLVM %s) but was loaded by clang-tidy %d (LLVM %s, %s); "
                 "%s (docs/llvm-versions.md)\n",
                 MAPGUARD_LLVM_VERSION_MAJOR, MAPGUARD_LLVM_VERSION,
                 Host.Major, Host.Version.c_str(), Host.Library.c_str(),
                 Fix.c_str());
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
