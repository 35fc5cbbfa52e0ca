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
//  - clangd links every clang-tidy diagnostic (LSP codeDescription) to
//    clang.llvm.org/extra/clang-tidy/checks/<module>/<check>.html, a page
//    that does not exist for mapguard checks. Their link is the check's page
//    in the installed docs (<prefix>/share/mapguard/docs/checks/), else in
//    the source tree this binary was built from, or under
//    --mapguard-docs-url. The link is rewritten in the JSON-RPC messages
//    clangd writes: the link wraps clang::clangd::newJSONTransport (called
//    from clangdMain, see CMakeLists.txt) to give it an output stream that
//    edits publishDiagnostics. Nothing of clangd's internal types is used.
//  - The project index (`mapguard index`, docs/index-format.md): the checks
//    read the ProjectIndex option of the user's .clang-tidy relative to the
//    compile command's directory (clangd sets no build directory; the
//    checks then take the directory the compiler works in), and without the
//    option <compile command dir>/mapguard-index.json when it exists
//    (setDefaultProjectIndex). The file being edited is judged by its own
//    AST, never by its entry in the index.
//  - A crash in a mapguard check must not take the server down: main() turns
//    on the checks' crash recovery (checks/CrashGuard.h), which ends the
//    mapguard checks of that translation unit and logs one line; the
//    publishDiagnostics of a file whose last analysis crashed carries no
//    mapguard diagnostic (some may have been reported before the crash).
//
//===----------------------------------------------------------------------===//

#include "CheckList.h"
#include "CrashGuard.h"
#include "DocLinks.h"
#include "MapGuardCheck.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang::clangd {
int clangdMain(int Argc, char *Argv[]);
// clangd's enum; only passed through (same mangling, same size).
enum JSONStreamStyle : int;
} // namespace clang::clangd

/// What newJSONTransport returns, a std::unique_ptr<clangd::Transport>, only
/// passed through: one pointer, returned in memory like unique_ptr (not
/// trivially copyable), so that clangd's headers are not needed.
struct TransportHandle {
  void *Ptr;
  TransportHandle(TransportHandle &&Other) : Ptr(Other.Ptr) {
    Other.Ptr = nullptr;
  }
  ~TransportHandle() {}
};

static llvm::cl::opt<std::string> MapGuardDocsURL(
    "mapguard-docs-url",
    llvm::cl::desc("Base URL of the mapguard check pages linked from "
                   "diagnostics (\"{check}\" is replaced by the check's name "
                   "without 'mapguard-'; otherwise <name>.md is appended); "
                   "default: the installed docs"),
    llvm::cl::value_desc("url"));

namespace {

/// The link of a mapguard check's diagnostics ("" when there is no page).
std::string linkFor(llvm::StringRef Check) {
  static llvm::StringMap<std::string> Links;
  auto [It, Inserted] = Links.try_emplace(Check);
  if (Inserted) {
    std::string Exe = llvm::sys::fs::getMainExecutable(
        nullptr, reinterpret_cast<void *>(&linkFor));
    It->second = clang::tidy::mapguard::checkDocURL(
        Check, MapGuardDocsURL,
        clang::tidy::mapguard::checkDocDirectories(Exe,
                                                   MAPGUARD_SOURCE_DOCS_DIR));
  }
  return It->second;
}

/// Gives mapguard diagnostics in a publishDiagnostics notification their
/// link, and drops them for a file whose last analysis crashed; returns
/// whether anything changed.
bool relinkDiagnostics(llvm::json::Value &Message) {
  llvm::json::Object *O = Message.getAsObject();
  if (!O || O->getString("method") != "textDocument/publishDiagnostics")
    return false;
  llvm::json::Object *Params = O->getObject("params");
  llvm::json::Array *Diags = Params ? Params->getArray("diagnostics") : nullptr;
  if (!Diags)
    return false;
  bool Changed = false;
  std::optional<llvm::StringRef> URI = Params->getString("uri");
  if (URI && clang::tidy::mapguard::crashedInLastRun(
                 clang::tidy::mapguard::fileNameOfURI(*URI))) {
    size_t Before = Diags->size();
    llvm::json::Array Kept;
    for (llvm::json::Value &D : *Diags) {
      const llvm::json::Object *DO = D.getAsObject();
      auto Code = DO ? DO->getString("code") : std::nullopt;
      if (!Code || !Code->starts_with(clang::tidy::mapguard::CheckPrefix))
        Kept.push_back(std::move(D));
    }
    *Diags = std::move(Kept);
    Changed = Diags->size() != Before;
  }
  for (llvm::json::Value &D : *Diags) {
    llvm::json::Object *DO = D.getAsObject();
    std::optional<llvm::StringRef> Code = DO ? DO->getString("code") : std::nullopt;
    if (!Code || !Code->starts_with(clang::tidy::mapguard::CheckPrefix))
      continue;
    std::string Link = linkFor(*Code);
    if (Link.empty())
      DO->erase("codeDescription");
    else
      (*DO)["codeDescription"] = llvm::json::Object{{"href", Link}};
    Changed = true;
  }
  return Changed;
}

/// clangd's output: LSP messages ("Content-Length: N\r\n\r\n" + N bytes of
/// JSON), forwarded whole to \p Out, publishDiagnostics relinked.
class RelinkingStream : public llvm::raw_ostream {
public:
  explicit RelinkingStream(llvm::raw_ostream &Out) : Out(Out) {
    SetUnbuffered();
  }

private:
  void write_impl(const char *Ptr, size_t Size) override {
    Pos += Size;
    Pending.append(Ptr, Size);
    while (forwardOne()) {
    }
  }
  uint64_t current_pos() const override { return Pos; }

  /// Forwards the first complete message of Pending; false when there is
  /// none yet.
  bool forwardOne() {
    llvm::StringRef Text(Pending);
    size_t HeaderEnd = Text.find("\r\n\r\n");
    if (HeaderEnd == llvm::StringRef::npos)
      return false;
    size_t Length = 0;
    bool HaveLength = false;
    llvm::SmallVector<llvm::StringRef> Lines;
    Text.take_front(HeaderEnd).split(Lines, "\r\n");
    for (llvm::StringRef Line : Lines) {
      auto [Name, Value] = Line.split(':');
      if (Name.trim().equals_insensitive("content-length"))
        HaveLength = !Value.trim().getAsInteger(10, Length);
    }
    size_t BodyStart = HeaderEnd + 4;
    if (!HaveLength) {
      // Not ours to understand: pass it on as it is.
      Out << Text.take_front(BodyStart);
      Out.flush();
      Pending.erase(0, BodyStart);
      return true;
    }
    if (Text.size() < BodyStart + Length)
      return false;
    llvm::StringRef Body = Text.substr(BodyStart, Length);
    llvm::Expected<llvm::json::Value> Message = llvm::json::parse(Body);
    if (Message && relinkDiagnostics(*Message)) {
      std::string NewBody;
      llvm::raw_string_ostream(NewBody) << *Message;
      Out << "Content-Length: " << NewBody.size() << "\r\n\r\n" << NewBody;
    } else {
      if (!Message)
        llvm::consumeError(Message.takeError());
      Out << Text.take_front(BodyStart + Length);
    }
    Out.flush();
    Pending.erase(0, BodyStart + Length);
    return true;
  }

  llvm::raw_ostream &Out;
  std::string Pending;
  uint64_t Pos = 0;
};

} // namespace

// clangd's transport factory, renamed by --wrap.
extern "C" TransportHandle
__real__ZN5clang6clangd16newJSONTransportEP8_IO_FILERN4llvm11raw_ostreamEPS4_bNS0_15JSONStreamStyleE(
    std::FILE *In, llvm::raw_ostream &Out, llvm::raw_ostream *InMirror,
    bool Pretty, clang::clangd::JSONStreamStyle Style);

/// What clangdMain calls instead of clang::clangd::newJSONTransport: the same
/// transport, writing through a RelinkingStream (which lives as long as the
/// process).
extern "C" TransportHandle
__wrap__ZN5clang6clangd16newJSONTransportEP8_IO_FILERN4llvm11raw_ostreamEPS4_bNS0_15JSONStreamStyleE(
    std::FILE *In, llvm::raw_ostream &Out, llvm::raw_ostream *InMirror,
    bool Pretty, clang::clangd::JSONStreamStyle Style) {
  auto *Relinking = new RelinkingStream(Out);
  return __real__ZN5clang6clangd16newJSONTransportEP8_IO_FILERN4llvm11raw_ostreamEPS4_bNS0_15JSONStreamStyleE(
      In, *Relinking, InMirror, Pretty, Style);
}

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
  if (Check.starts_with(clang::tidy::mapguard::CheckPrefix))
    return true;
  return __real__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE(Check);
}

int main(int Argc, char *Argv[]) {
  clang::tidy::mapguard::enableCheckCrashRecovery();
  clang::tidy::mapguard::setDefaultProjectIndex("mapguard-index.json");
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
