//===--- CrashGuard.cpp - a crashing check must not take its host down ----===//

#include "CrashGuard.h"
#include "Compat.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <cstdlib>
#include <mutex>

namespace clang::tidy::mapguard {

namespace {

std::atomic<bool> RecoveryEnabled{false};
std::once_flag EnableOnce;

std::mutex CrashedLock;
llvm::StringSet<> &crashedFiles() {
  static auto *Files = new llvm::StringSet<>; // never destroyed: any thread
  return *Files;
}

/// The translation unit (of this thread) whose checks crashed.
thread_local const ASTContext *CrashedContext = nullptr;

llvm::StringRef mainFileName(const SourceManager &SM) {
  return SM.getFilename(SM.getLocForStartOfFile(SM.getMainFileID()));
}

/// MAPGUARD_TEST_CRASH_IN, read once.
llvm::StringRef testCrashSuffix() {
  static const std::string Suffix = [] {
    const char *V = std::getenv("MAPGUARD_TEST_CRASH_IN");
    return std::string(V ? V : "");
  }();
  return Suffix;
}

/// Test-only: recursion without end, to overflow the thread's stack.
[[gnu::noinline]] unsigned overflowStackForTesting(volatile unsigned Depth) {
  volatile char Frame[512];
  Frame[0] = static_cast<char>(Depth);
  if (Depth == ~0u) // never: keeps the recursion from looking endless
    return 0;
  return overflowStackForTesting(Depth + 1) + Frame[0];
}

void crashForTestingIfAsked(const SourceManager &SM) {
  llvm::StringRef Suffix = testCrashSuffix();
  if (Suffix.empty() || !compat::endsWith(mainFileName(SM), Suffix))
    return;
  // test-only (see CrashGuard.h)
  if (const char *Kind = std::getenv("MAPGUARD_TEST_CRASH_KIND");
      Kind && llvm::StringRef(Kind) == "stack") {
    overflowStackForTesting(0);
    return;
  }
  volatile int *Null = nullptr;
  *Null = 1;
}

} // namespace

void enableCheckCrashRecovery() { RecoveryEnabled = true; }

void beginCheckedFile(llvm::StringRef MainFile) {
  if (!RecoveryEnabled || MainFile.empty())
    return;
  std::lock_guard<std::mutex> Guard(CrashedLock);
  crashedFiles().erase(MainFile);
}

bool crashedInLastRun(llvm::StringRef MainFile) {
  std::lock_guard<std::mutex> Guard(CrashedLock);
  return crashedFiles().contains(MainFile);
}

void runCheckGuarded(llvm::StringRef CheckName, const ASTContext &Ctx,
                     const SourceManager &SM, llvm::function_ref<void()> Body) {
  auto Run = [&] {
    crashForTestingIfAsked(SM);
    Body();
  };
  if (!RecoveryEnabled) {
    Run();
    return;
  }
  if (CrashedContext == &Ctx)
    return;
  std::call_once(EnableOnce, [] { llvm::CrashRecoveryContext::Enable(); });
  llvm::CrashRecoveryContext CRC;
  if (CRC.RunSafely(Run))
    return;
  CrashedContext = &Ctx;
  std::string File = mainFileName(SM).str();
  {
    std::lock_guard<std::mutex> Guard(CrashedLock);
    crashedFiles().insert(File);
  }
  llvm::errs() << "mapguard: " << CheckName << " crashed on " << File
               << "; no mapguard diagnostics for this file until it is "
                  "analysed again (please report it)\n";
}

} // namespace clang::tidy::mapguard
