//===--- Baseline.cpp - findings accepted earlier -------------------------===//

#include "Baseline.h"
#include "InputFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace clang::tidy::mapguard {

static std::string absoluteDirOf(llvm::StringRef Path) {
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(llvm::sys::path::parent_path(Abs));
}

std::string relativeToRoot(llvm::StringRef File, llvm::StringRef Root) {
  llvm::SmallString<256> F(File);
  llvm::sys::path::remove_dots(F, /*remove_dot_dot=*/true);
  llvm::SmallString<256> R(Root);
  llvm::sys::path::remove_dots(R, /*remove_dot_dot=*/true);
  llvm::StringRef RootPath = llvm::StringRef(R).rtrim('/');
  llvm::StringRef Path(F);
  // A whole-component prefix: "/repo" is not a prefix of "/repository".
  if (!RootPath.empty() && Path.starts_with(RootPath) &&
      Path.size() > RootPath.size() &&
      llvm::sys::path::is_separator(Path[RootPath.size()]))
    return llvm::sys::path::convert_to_slash(
        Path.drop_front(RootPath.size()).ltrim('/'));
  return llvm::sys::path::convert_to_slash(File);
}

Baseline::Entry Baseline::entryFor(const Finding &F) const {
  return {F.Check, relativeToRoot(F.Where.File, Root), F.Fingerprint};
}

void Baseline::add(const Finding &F) { Entries.insert(entryFor(F)); }

bool Baseline::contains(const Finding &F) const {
  return Entries.count(entryFor(F));
}

unsigned Baseline::filter(std::vector<Finding> &Findings) const {
  size_t Before = Findings.size();
  llvm::erase_if(Findings, [&](const Finding &F) { return contains(F); });
  return Before - Findings.size();
}

llvm::Expected<Baseline> Baseline::load(llvm::StringRef Path) {
  auto Buffer = readInputFile(Path, limits::Baseline, "baseline");
  if (!Buffer)
    return Buffer.takeError();
  return parse((*Buffer)->getBuffer(), Path, absoluteDirOf(Path));
}

llvm::Expected<Baseline> Baseline::parse(llvm::StringRef Text,
                                         llvm::StringRef Path,
                                         std::string Root) {
  llvm::Expected<llvm::json::Value> V = parseJSONInput(Text);
  if (!V)
    return llvm::createStringError("invalid baseline '%s': %s",
                                   Path.str().c_str(),
                                   llvm::toString(V.takeError()).c_str());
  Baseline B(std::move(Root));
  const llvm::json::Object *O = V->getAsObject();
  const llvm::json::Array *Items = O ? O->getArray("findings") : nullptr;
  if (!Items)
    return llvm::createStringError(
        "invalid baseline '%s': expected an object with a \"findings\" array",
        Path.str().c_str());
  for (const llvm::json::Value &Item : *Items) {
    const llvm::json::Object *E = Item.getAsObject();
    auto Check = E ? E->getString("check") : std::nullopt;
    auto File = E ? E->getString("file") : std::nullopt;
    auto Print = E ? E->getString("fingerprint") : std::nullopt;
    if (!Check || !File || !Print)
      return llvm::createStringError(
          "invalid baseline '%s': an entry lacks check, file or fingerprint",
          Path.str().c_str());
    B.Entries.insert({Check->str(), File->str(), Print->str()});
  }
  return B;
}

llvm::Error Baseline::write(llvm::StringRef Path,
                            llvm::ArrayRef<Finding> Findings) {
  std::string Root = absoluteDirOf(Path);
  llvm::json::Array Items;
  for (const Finding &F : Findings)
    Items.push_back(llvm::json::Object{
        {"check", F.Check},
        {"file", relativeToRoot(F.Where.File, Root)},
        {"fingerprint", F.Fingerprint},
        {"message", F.Message}});
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return llvm::createStringError(EC, "cannot write baseline '%s': %s",
                                   Path.str().c_str(), EC.message().c_str());
  OS << llvm::formatv(
      "{0:2}\n", llvm::json::Value(llvm::json::Object{
                     {"version", 1},
                     {"tool", "mapguard " + mapguardVersion().str()},
                     {"findings", std::move(Items)}}));
  return llvm::Error::success();
}

} // namespace clang::tidy::mapguard
