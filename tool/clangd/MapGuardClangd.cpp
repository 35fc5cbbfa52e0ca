//===--- MapGuardClangd.cpp - clangd with the mapguard checks -------------===//
//
// mapguard-clangd is clangd 22 (Debian's clangdMain) with the mapguard module
// linked in, so an editor shows mapguard diagnostics like any clang-tidy
// check. clangd cannot load clang-tidy plugins, hence this binary.
//
// Two adjustments to stock clangd:
//  - clangd runs only the clang-tidy checks it has measured as fast
//    (Diagnostics.ClangTidy.FastCheckFilter, Strict by default) and treats
//    unmeasured ones as slow. mapguard checks are built to cost a few percent
//    of parse time, so we answer "fast" for them: the link wraps
//    clang::clangd::isFastTidyCheck (see CMakeLists.txt) and every other check
//    keeps clangd's own answer.
//  - clangd finds its builtin headers next to its executable; this one lives
//    in mapguard's build tree, so we pass clang 22's resource directory unless
//    the user gave --resource-dir.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::clangd {
int clangdMain(int Argc, char *Argv[]);
} // namespace clang::clangd

// Referenced so that the linker keeps the module's registration.
extern volatile int MapGuardModuleAnchorSource;
static int LLVM_ATTRIBUTE_UNUSED MapGuardModuleAnchorDestination =
    MapGuardModuleAnchorSource;

// clangd's own classification, renamed by --wrap.
extern "C" std::optional<bool>
__real__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE(llvm::StringRef);

/// What clangd calls instead of clang::clangd::isFastTidyCheck: mapguard
/// checks are fast, the rest as clangd measured them.
extern "C" std::optional<bool>
__wrap__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE(
    llvm::StringRef Check) {
  if (Check.starts_with("mapguard-"))
    return true;
  return __real__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE(Check);
}

int main(int Argc, char *Argv[]) {
  std::vector<char *> Args(Argv, Argv + Argc);
  bool HasResourceDir = false;
  for (int I = 1; I < Argc; ++I)
    if (llvm::StringRef(Argv[I]).starts_with("--resource-dir") ||
        llvm::StringRef(Argv[I]).starts_with("-resource-dir"))
      HasResourceDir = true;
  static std::string ResourceDirFlag =
      std::string("--resource-dir=") + MAPGUARD_CLANG_RESOURCE_DIR;
  if (!HasResourceDir && llvm::sys::fs::is_directory(MAPGUARD_CLANG_RESOURCE_DIR))
    Args.insert(Args.begin() + 1, ResourceDirFlag.data());
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(static_cast<int>(Args.size()) - 1,
                                   Args.data());
}
