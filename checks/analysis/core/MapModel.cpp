//===--- MapModel.cpp - the map model's options and names -----------------===//
//
// The options (read, stored, fingerprinted), the model's caches and the
// qualified names every question matches against. What a class or a function
// is: MapModelKinds.cpp; what an expression does: MapModelExpressions.cpp.
//
//===----------------------------------------------------------------------===//

#include "analysis/core/MapModel.h"
#include "Compat.h"
#include "clang-tidy/utils/OptionsUtils.h"
#include "clang/AST/DeclCXX.h"

namespace clang::tidy::mapguard {

namespace {

// The defaults of the options whose value replaces them (see
// MapModelOptions).
constexpr llvm::StringRef DefaultIgnoredTypes =
    "::tbb::concurrent_hash_map;::tbb::concurrent_unordered_map;"
    "::folly::ConcurrentHashMap;::folly::AtomicHashMap;"
    "::libcuckoo::cuckoohash_map";

constexpr llvm::StringRef DefaultNoReturnFunctions =
    "abort;exit;_exit;_Exit;quick_exit;std::terminate;__assert_fail;"
    "__assert_rtn;__builtin_trap;__builtin_unreachable;std::unreachable";

constexpr llvm::StringRef DefaultCloseFunctions =
    "close;Close;fclose;release;Release;shutdown;Shutdown";

std::vector<std::string> parseList(llvm::StringRef S) {
  return compat::parseStringList(S);
}

std::string serialize(const std::vector<std::string> &V) {
  return compat::serializeStringList(V);
}

/// hasName() semantics: "::a::b" must match the whole name; "a::b" matches
/// when it is a suffix that starts at a scope boundary.
bool nameMatchesPattern(llvm::StringRef Qualified, llvm::StringRef Pattern) {
  if (Pattern.consume_front("::"))
    return Qualified == Pattern;
  if (!compat::endsWith(Qualified, Pattern))
    return false;
  if (Qualified.size() == Pattern.size())
    return true;
  return compat::endsWith(Qualified.drop_back(Pattern.size()), "::");
}

} // namespace

MapModelOptions MapModelOptions::read(const ClangTidyCheck::OptionsView &O,
                                      unsigned Used) {
  MapModelOptions R;
  R.Used = Used;
  if (Used & MapTypes)
    R.ExtraMapTypes = parseList(O.getLocalOrGlobal("MapTypes", ""));
  if (Used & IgnoredTypes)
    R.Ignored =
        parseList(O.getLocalOrGlobal("IgnoredTypes", DefaultIgnoredTypes));
  if (Used & HandleTypes)
    R.ExtraHandleTypes = parseList(O.getLocalOrGlobal("HandleTypes", ""));
  if (Used & LockTypes)
    R.ExtraLockTypes = parseList(O.getLocalOrGlobal("LockTypes", ""));
  if (Used & ScopeGuardTypes)
    R.ExtraScopeGuardTypes =
        parseList(O.getLocalOrGlobal("ScopeGuardTypes", ""));
  if (Used & ThreadSpawners)
    R.ExtraThreadSpawners = parseList(O.getLocalOrGlobal("ThreadSpawners", ""));
  if (Used & LookupFunctions)
    R.ExtraLookupFunctions =
        parseList(O.getLocalOrGlobal("LookupFunctions", ""));
  if (Used & NoReturnFunctions)
    R.NoReturn = parseList(
        O.getLocalOrGlobal("NoReturnFunctions", DefaultNoReturnFunctions));
  else
    R.NoReturn = parseList(DefaultNoReturnFunctions);
  if (Used & CloseFunctions)
    R.Close =
        parseList(O.getLocalOrGlobal("CloseFunctions", DefaultCloseFunctions));
  else
    R.Close = parseList(DefaultCloseFunctions);
  return R;
}

void MapModelOptions::store(ClangTidyCheck::OptionsView &O,
                            ClangTidyOptions::OptionMap &Opts) const {
  if (Used & MapTypes)
    O.store(Opts, "MapTypes", serialize(ExtraMapTypes));
  if (Used & IgnoredTypes)
    O.store(Opts, "IgnoredTypes", serialize(Ignored));
  if (Used & HandleTypes)
    O.store(Opts, "HandleTypes", serialize(ExtraHandleTypes));
  if (Used & LockTypes)
    O.store(Opts, "LockTypes", serialize(ExtraLockTypes));
  if (Used & ScopeGuardTypes)
    O.store(Opts, "ScopeGuardTypes", serialize(ExtraScopeGuardTypes));
  if (Used & ThreadSpawners)
    O.store(Opts, "ThreadSpawners", serialize(ExtraThreadSpawners));
  if (Used & LookupFunctions)
    O.store(Opts, "LookupFunctions", serialize(ExtraLookupFunctions));
  if (Used & NoReturnFunctions)
    O.store(Opts, "NoReturnFunctions", serialize(NoReturn));
  if (Used & CloseFunctions)
    O.store(Opts, "CloseFunctions", serialize(Close));
}

std::string MapModelOptions::fingerprint() const {
  std::string F;
  for (const std::vector<std::string> *L :
       {&ExtraMapTypes, &Ignored, &ExtraHandleTypes, &ExtraLockTypes,
        &ExtraScopeGuardTypes, &ExtraThreadSpawners, &ExtraLookupFunctions,
        &NoReturn, &Close}) {
    F += serialize(*L);
    F += '\n';
  }
  return F;
}

MapModel::MapModel(MapModelOptions Opts) : Opts(std::move(Opts)) {}

void MapModel::clearCaches() {
  RecordKinds.clear();
  InferredKinds.clear();
  Names.clear();
  FunctionKinds.clear();
}

StringRef MapModel::qualifiedName(const NamedDecl *D) const {
  auto It = Names.find(D);
  if (It != Names.end())
    return It->second;
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  if (D->getDeclName().isIdentifier())
    Parts.push_back(D->getName());
  else
    Parts.push_back("");
  for (const DeclContext *DC = D->getDeclContext(); DC;
       DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline())
        continue;
      Parts.push_back(NS->isAnonymousNamespace() ? "(anonymous namespace)"
                                                 : NS->getName());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      Parts.push_back(RD->getIdentifier() ? RD->getName() : "(anonymous)");
    } else if (isa<LinkageSpecDecl>(DC) || isa<ExportDecl>(DC)) {
      continue;
    } else if (isa<TranslationUnitDecl>(DC)) {
      break;
    } else if (const auto *ND = dyn_cast<NamedDecl>(DC)) {
      Parts.push_back(ND->getDeclName().isIdentifier() ? ND->getName() : "");
    }
  }
  std::string Name;
  for (auto I = Parts.rbegin(), E = Parts.rend(); I != E; ++I) {
    if (!Name.empty() || I != Parts.rbegin())
      Name += "::";
    Name += *I;
  }
  return Names.try_emplace(D, std::move(Name)).first->second;
}

bool MapModel::nameMatches(const NamedDecl *D,
                           llvm::ArrayRef<std::string> Patterns) const {
  StringRef Q = qualifiedName(D);
  for (const std::string &P : Patterns)
    if (nameMatchesPattern(Q, P))
      return true;
  return false;
}

bool MapModel::nameMatches(const NamedDecl *D,
                           llvm::ArrayRef<llvm::StringRef> Patterns) const {
  StringRef Q = qualifiedName(D);
  for (llvm::StringRef P : Patterns)
    if (nameMatchesPattern(Q, P))
      return true;
  return false;
}

} // namespace clang::tidy::mapguard
