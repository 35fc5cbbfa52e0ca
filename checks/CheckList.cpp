//===--- CheckList.cpp - the names of the mapguard checks -----------------===//

#include "CheckList.h"
#include "Compat.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::mapguard {

std::vector<std::string> registeredChecks() {
  ClangTidyCheckFactories Factories;
  for (const ClangTidyModuleRegistry::entry &Module :
       ClangTidyModuleRegistry::entries())
    Module.instantiate()->addCheckFactories(Factories);
  std::vector<std::string> Names;
  for (const auto &Factory : Factories)
    if (compat::startsWith(Factory.getKey(), CheckPrefix))
      Names.push_back(Factory.getKey().str());
  llvm::sort(Names);
  return Names;
}

} // namespace clang::tidy::mapguard
