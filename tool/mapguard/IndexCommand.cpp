//===--- IndexCommand.cpp - mapguard index: the project index -------------===//

#include "IndexCommand.h"
#include "InputFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace clang::tidy::mapguard {

std::string defaultIndexPath(llvm::StringRef BuildDirectory) {
  llvm::SmallString<256> Path(BuildDirectory);
  llvm::sys::path::append(Path, "mapguard-index.json");
  return std::string(Path);
}

llvm::Expected<ProjectIndex> readIndexFile(llvm::StringRef Path) {
  auto Buffer = readInputFile(Path, limits::Index, "mapguard index");
  if (!Buffer)
    return Buffer.takeError();
  llvm::StringRef Text = (*Buffer)->getBuffer();
  // llvm::json::parse recurses per level: the structure first.
  if (llvm::Error E = checkJSONStructure(Text))
    return llvm::createStringError("'%s' is not a usable mapguard index: %s",
                                   printable(Path, 1000).c_str(),
                                   llvm::toString(std::move(E)).c_str());
  llvm::Expected<ProjectIndex> Index = ProjectIndex::fromJSON(Text, Path);
  if (!Index)
    return llvm::createStringError(
        "%s", printable(llvm::toString(Index.takeError()), 2000).c_str());
  return Index;
}

llvm::Expected<ProjectIndex>
mergeIndexFiles(llvm::ArrayRef<std::string> Paths) {
  ProjectIndex Merged;
  for (const std::string &Path : Paths) {
    llvm::Expected<ProjectIndex> One = readIndexFile(Path);
    if (!One)
      return One.takeError();
    Merged.merge(*One);
  }
  return Merged;
}

IndexBuild buildIndex(Scanner &S, llvm::ArrayRef<std::string> Files,
                      ProgressReporter &Progress) {
  IndexBuild B;
  std::vector<ProjectIndex> Facts;
  B.Run = S.extract(Files, Progress, Facts);
  // merge() is associative and commutative: the order is only the files'.
  for (const ProjectIndex &F : Facts)
    B.Index.merge(F);
  return B;
}

llvm::Error writeIndexIfChanged(const ProjectIndex &Index,
                                llvm::StringRef Path) {
  std::string Text = Index.toJSON();
  if (checkInputFileKind(Path, limits::Index).empty())
    if (auto Old = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                               /*RequiresNullTerminator=*/false))
      if ((*Old)->getBuffer() == Text)
        return llvm::Error::success();
  if (llvm::Error E = Index.writeFile(Path))
    return llvm::createStringError(
        "%s", printable(llvm::toString(std::move(E)), 2000).c_str());
  return llvm::Error::success();
}

std::string indexSummary(const IndexBuild &B, bool WithFailures) {
  const ScanResult &R = B.Run;
  auto Count = [](size_t N, llvm::StringRef One, llvm::StringRef Many) {
    return std::to_string(N) + " " + (N == 1 ? One : Many).str();
  };
  std::string Out = "index: " + Count(R.FilesScanned, "unit", "units") + ", " +
                    Count(B.Index.size(), "function", "functions");
  Out += ", " + std::to_string(R.FilesFromCache) + " from cache";
  if (!WithFailures)
    return Out;
  size_t WithErrors = llvm::count_if(R.Failures, [](const FileFailure &F) {
    return F.Kind == FailureKind::AnalysedWithErrors;
  });
  if (WithErrors)
    Out += ", " + std::to_string(WithErrors) + " analysed with errors";
  if (R.Failures.size() > WithErrors)
    Out += ", " + std::to_string(R.Failures.size() - WithErrors) +
           " not analysed";
  return Out;
}

} // namespace clang::tidy::mapguard
