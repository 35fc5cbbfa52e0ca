//===--- Shard.cpp - a deterministic slice of the files -------------------===//

#include "Shard.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::mapguard {

llvm::Expected<ShardSpec> parseShard(llvm::StringRef Text) {
  auto [IndexText, CountText] = Text.split('/');
  ShardSpec S;
  if (IndexText.getAsInteger(10, S.Index) ||
      CountText.getAsInteger(10, S.Count) || S.Count == 0 || S.Index == 0 ||
      S.Index > S.Count)
    return llvm::createStringError(
        "invalid --shard '%s': expected I/N with 1 <= I <= N",
        Text.str().c_str());
  return S;
}

std::vector<std::string> selectShard(std::vector<std::string> Files,
                                     ShardSpec S) {
  llvm::sort(Files);
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  std::vector<std::string> Selected;
  for (size_t I = S.Index - 1; I < Files.size(); I += S.Count)
    Selected.push_back(std::move(Files[I]));
  return Selected;
}

} // namespace clang::tidy::mapguard
