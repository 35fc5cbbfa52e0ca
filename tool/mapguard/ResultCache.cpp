//===--- ResultCache.cpp - results of unchanged files ---------------------===//

#include "ResultCache.h"
#include "InputFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <chrono>

namespace clang::tidy::mapguard {

namespace {
/// Incremental hashing of length-prefixed fields, so that ("ab","c") and
/// ("a","bc") differ.
class KeyBuilder {
public:
  KeyBuilder &add(llvm::StringRef Field) {
    Material += std::to_string(Field.size());
    Material += ':';
    Material += Field;
    return *this;
  }
  std::string hex() const {
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    // Two independent 64-bit hashes make an accidental collision negligible.
    OS << llvm::format_hex_no_prefix(llvm::xxh3_64bits(Material), 16)
       << llvm::format_hex_no_prefix(llvm::xxh3_64bits("mapguard" + Material),
                                     16);
    return Out;
  }

private:
  std::string Material;
};
} // namespace

std::string hashContent(llvm::StringRef Content) {
  return KeyBuilder().add(Content).hex();
}

std::string computeCacheKey(llvm::StringRef Version,
                            llvm::ArrayRef<std::string> CommandLine,
                            llvm::StringRef Directory,
                            llvm::StringRef Configuration,
                            llvm::StringRef MainFileContent,
                            CacheKind Kind) {
  KeyBuilder K;
  // Results v2: entries record the skipped functions. Facts have a prefix
  // of their own, so that the two kinds never share a key.
  K.add(Kind == CacheKind::Results ? "mapguard-cache-v2" : "mapguard-facts-v1")
      .add(Version)
      .add(Directory);
  K.add(std::to_string(CommandLine.size()));
  for (const std::string &Arg : CommandLine)
    K.add(Arg);
  K.add(Configuration).add(MainFileContent);
  return K.hex();
}

static int64_t toNanos(llvm::sys::TimePoint<> T) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             T.time_since_epoch())
      .count();
}

std::optional<Dependency> ResultCache::describe(llvm::StringRef Path) {
  // A dependency that is no longer a regular file (now a FIFO) is not read.
  if (!checkInputFileKind(Path, limits::Source).empty())
    return std::nullopt;
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  llvm::sys::fs::file_status Status;
  if (!Buffer || llvm::sys::fs::status(Path, Status))
    return std::nullopt;
  Dependency D;
  D.Path = Path.str();
  D.Size = Status.getSize();
  D.MTime = toNanos(Status.getLastModificationTime());
  D.Hash = hashContent((*Buffer)->getBuffer());
  return D;
}

std::optional<Dependency>
ResultCache::describeOnce(llvm::StringRef Path) const {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto It = Described.find(Path);
    if (It != Described.end())
      return It->second;
  }
  std::optional<Dependency> D = describe(Path);
  std::lock_guard<std::mutex> Guard(Lock);
  return Described.try_emplace(Path, std::move(D)).first->second;
}

bool ResultCache::isUnchanged(const Dependency &D) const {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(D.Path, Status) || Status.getSize() != D.Size)
    return false;
  if (toNanos(Status.getLastModificationTime()) == D.MTime)
    return true;
  std::optional<Dependency> Now = describeOnce(D.Path);
  return Now && Now->Hash == D.Hash;
}

std::string ResultCache::entryPath(llvm::StringRef Key) const {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Key.take_front(2), Key.str() + ".json");
  return std::string(P);
}

std::optional<std::vector<Dependency>>
ResultCache::parseDependencies(const llvm::json::Object &O) {
  const llvm::json::Array *Deps = O.getArray("dependencies");
  if (!Deps)
    return std::nullopt;
  std::vector<Dependency> Out;
  for (const llvm::json::Value &DV : *Deps) {
    const llvm::json::Object *DO = DV.getAsObject();
    if (!DO)
      return std::nullopt;
    std::optional<llvm::StringRef> DepPath = DO->getString("path");
    std::optional<int64_t> Size = DO->getInteger("size");
    std::optional<int64_t> MTime = DO->getInteger("mtime");
    std::optional<llvm::StringRef> Hash = DO->getString("hash");
    if (!DepPath || !llvm::sys::path::is_absolute(*DepPath) || !Size ||
        *Size < 0 || !MTime || !Hash)
      return std::nullopt;
    Out.push_back({DepPath->str(), static_cast<uint64_t>(*Size), *MTime,
                   Hash->str()});
  }
  return Out;
}

std::optional<CacheEntry> ResultCache::parseEntry(llvm::StringRef Text) {
  llvm::Expected<llvm::json::Value> V = parseJSONInput(Text);
  if (!V) {
    llvm::consumeError(V.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *O = V->getAsObject();
  const llvm::json::Array *Deps = O ? O->getArray("dependencies") : nullptr;
  const llvm::json::Value *Result = O ? O->get("result") : nullptr;
  if (!Deps || !Result)
    return std::nullopt;
  CacheEntry Entry;
  std::optional<std::vector<Dependency>> Parsed = parseDependencies(*O);
  if (!Parsed)
    return std::nullopt;
  Entry.Dependencies = std::move(*Parsed);
  ScanResult R;
  llvm::json::Path::Root Root;
  if (!fromJSON(*Result, R, Root)) {
    llvm::consumeError(Root.getError());
    return std::nullopt;
  }
  Entry.Result = {std::move(R.Findings), std::move(R.Failures),
                  std::move(R.Skipped)};
  return Entry;
}

std::optional<llvm::json::Object>
ResultCache::readEntry(llvm::StringRef Key) const {
  // A damaged entry is a miss, and the store after the analysis replaces
  // it: one that is not a regular file (a FIFO, a link to /dev/zero) or too
  // large is not read, one nested too deeply is not parsed.
  std::string Path = entryPath(Key);
  if (!llvm::sys::fs::exists(Path))
    return std::nullopt;
  auto Buffer = readInputFile(Path, limits::CacheEntry, "cache entry");
  if (!Buffer) {
    llvm::consumeError(Buffer.takeError());
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> V = parseJSONInput((*Buffer)->getBuffer());
  if (!V) {
    llvm::consumeError(V.takeError());
    return std::nullopt;
  }
  llvm::json::Object *O = V->getAsObject();
  if (!O)
    return std::nullopt;
  std::optional<std::vector<Dependency>> Deps = parseDependencies(*O);
  if (!Deps)
    return std::nullopt;
  for (const Dependency &D : *Deps)
    if (!isUnchanged(D))
      return std::nullopt;
  return std::move(*O);
}

std::optional<FileResult> ResultCache::lookup(llvm::StringRef Key) const {
  std::optional<llvm::json::Object> O = readEntry(Key);
  const llvm::json::Value *Result = O ? O->get("result") : nullptr;
  if (!Result)
    return std::nullopt;
  ScanResult R;
  llvm::json::Path::Root Root;
  if (!fromJSON(*Result, R, Root)) {
    llvm::consumeError(Root.getError());
    return std::nullopt;
  }
  return FileResult{std::move(R.Findings), std::move(R.Failures),
                    std::move(R.Skipped)};
}

std::optional<ProjectIndex>
ResultCache::lookupFacts(llvm::StringRef Key) const {
  std::optional<llvm::json::Object> O = readEntry(Key);
  std::optional<llvm::StringRef> Text = O ? O->getString("facts") : std::nullopt;
  if (!Text)
    return std::nullopt;
  if (llvm::Error E = checkJSONStructure(*Text)) {
    llvm::consumeError(std::move(E));
    return std::nullopt;
  }
  llvm::Expected<ProjectIndex> Facts =
      ProjectIndex::fromJSON(*Text, entryPath(Key));
  if (!Facts) {
    llvm::consumeError(Facts.takeError());
    return std::nullopt;
  }
  return std::move(*Facts);
}

std::optional<std::string>
ResultCache::storeFacts(llvm::StringRef Key,
                        llvm::ArrayRef<std::string> DepPaths,
                        const ProjectIndex &Facts) const {
  return writeEntry(Key, DepPaths, "facts", Facts.toJSON());
}

std::optional<std::string>
ResultCache::store(llvm::StringRef Key, llvm::ArrayRef<std::string> DepPaths,
                   const FileResult &Result) const {
  ScanResult R;
  R.Findings = Result.Findings;
  R.Failures = Result.Failures;
  R.Skipped = Result.Skipped;
  return writeEntry(Key, DepPaths, "result", toJSON(R));
}

std::optional<std::string>
ResultCache::writeEntry(llvm::StringRef Key,
                        llvm::ArrayRef<std::string> DepPaths,
                        llvm::StringRef Field,
                        llvm::json::Value Payload) const {
  llvm::json::Array Deps;
  for (const std::string &P : DepPaths) {
    std::optional<Dependency> D = describeOnce(P);
    if (!D) // It vanished during the scan, or cannot be read: do not cache.
      return "its dependency '" + P + "' cannot be read";
    Deps.push_back(llvm::json::Object{{"path", D->Path},
                                      {"size", static_cast<int64_t>(D->Size)},
                                      {"mtime", D->MTime},
                                      {"hash", D->Hash}});
  }
  std::string Path = entryPath(Key);
  if (std::error_code EC =
          llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)))
    return "cannot create '" + Dir + "': " + EC.message();
  llvm::SmallString<256> Temp;
  int FD;
  if (std::error_code EC =
          llvm::sys::fs::createUniqueFile(Path + ".tmp-%%%%%%%%", FD, Temp))
    return "cannot write in '" + Dir + "': " + EC.message();
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << llvm::json::Value(llvm::json::Object{
        {"dependencies", std::move(Deps)}, {Field, std::move(Payload)}});
    OS.flush();
    if (OS.has_error()) { // a full disk: no half entry
      std::error_code EC = OS.error();
      OS.clear_error();
      llvm::sys::fs::remove(Temp);
      return "cannot write in '" + Dir + "': " + EC.message();
    }
  }
  // Replaces whatever is there, a damaged entry too (a FIFO, a link).
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return "cannot write in '" + Dir + "': " + EC.message();
  }
  return std::nullopt;
}

} // namespace clang::tidy::mapguard
