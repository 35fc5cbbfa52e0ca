//===--- DocLinks.cpp - where a check's documentation lives ---------------===//

#include "DocLinks.h"
#include "CheckList.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace clang::tidy::mapguard {

static llvm::StringRef shortName(llvm::StringRef Check) {
  Check.consume_front(CheckPrefix);
  return Check;
}

std::vector<std::string> checkDocDirectories(llvm::StringRef MainExecutable,
                                             llvm::StringRef SourceDocsDir) {
  std::vector<std::string> Dirs;
  if (!MainExecutable.empty()) {
    llvm::SmallString<256> Share(
        llvm::sys::path::parent_path(llvm::sys::path::parent_path(MainExecutable)));
    llvm::sys::path::append(Share, "share", "mapguard", "docs", "checks");
    Dirs.push_back(std::string(Share));
  }
  if (!SourceDocsDir.empty())
    Dirs.push_back(SourceDocsDir.str());
  return Dirs;
}

std::optional<std::string> findCheckDoc(llvm::StringRef Check,
                                        llvm::ArrayRef<std::string> Dirs) {
  for (const std::string &Dir : Dirs)
    for (llvm::StringRef Name : {shortName(Check), Check}) {
      llvm::SmallString<256> Path(Dir);
      llvm::sys::path::append(Path, Name + ".md");
      if (llvm::sys::fs::is_regular_file(Path))
        return std::string(Path);
    }
  return std::nullopt;
}

std::string fileURI(llvm::StringRef AbsolutePath) {
  std::string URI = "file://";
  for (char C : AbsolutePath) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-._~!$&'()*+,;=:@").contains(C)) {
      URI += C;
      continue;
    }
    URI += '%';
    URI += llvm::hexdigit((static_cast<unsigned char>(C) >> 4) & 0xF);
    URI += llvm::hexdigit(static_cast<unsigned char>(C) & 0xF);
  }
  return URI;
}

std::string checkDocURL(llvm::StringRef Check, llvm::StringRef BaseURL,
                        llvm::ArrayRef<std::string> Dirs) {
  if (!BaseURL.empty()) {
    std::string URL = BaseURL.str();
    size_t At = URL.find("{check}");
    if (At != std::string::npos)
      return URL.replace(At, 7, shortName(Check).str());
    if (!llvm::StringRef(URL).ends_with("/"))
      URL += '/';
    return URL + shortName(Check).str() + ".md";
  }
  if (std::optional<std::string> Page = findCheckDoc(Check, Dirs)) {
    llvm::SmallString<256> Abs(*Page);
    llvm::sys::fs::make_absolute(Abs);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    return fileURI(Abs);
  }
  return "";
}

std::string fileNameOfURI(llvm::StringRef URI) {
  URI.consume_front("file://");
  std::string Out;
  for (size_t I = 0; I < URI.size(); ++I) {
    unsigned Byte;
    if (URI[I] == '%' && I + 2 < URI.size() &&
        !URI.substr(I + 1, 2).getAsInteger(16, Byte)) {
      Out += static_cast<char>(Byte);
      I += 2;
    } else {
      Out += URI[I];
    }
  }
  return Out;
}

} // namespace clang::tidy::mapguard
