//===--- Progress.cpp - scan progress on stderr ---------------------------===//

#include "Progress.h"
#include "llvm/Support/Path.h"

namespace clang::tidy::mapguard {

ProgressReporter::ProgressReporter(llvm::raw_ostream &OS, ProgressStyle Style,
                                   unsigned Total)
    : OS(OS), Style(Style), Total(Total) {
  if (this->Style == ProgressStyle::Auto)
    this->Style = OS.is_displayed() ? ProgressStyle::Bar : ProgressStyle::Lines;
}

void ProgressReporter::fileDone(llvm::StringRef File, bool FromCache,
                                bool Failed, llvm::function_ref<void()> Print) {
  std::lock_guard<std::mutex> Guard(Lock);
  ++Done;
  if (Print) {
    if (Style == ProgressStyle::Bar && Done > 1) {
      OS << "\r\x1b[K";
      OS.flush();
    }
    Print();
  }
  llvm::StringRef Status = Failed ? " (failed)" : FromCache ? " (cached)" : "";
  switch (Style) {
  case ProgressStyle::Auto:
  case ProgressStyle::None:
    return;
  case ProgressStyle::Lines:
    OS << "mapguard: [" << Done << '/' << Total << "] " << File << Status
       << '\n';
    break;
  case ProgressStyle::Bar: {
    constexpr unsigned Width = 30;
    unsigned Filled = Total ? Done * Width / Total : Width;
    OS << "\r\x1b[K[" << std::string(Filled, '#')
       << std::string(Width - Filled, '.') << "] " << Done << '/' << Total
       << ' ' << llvm::sys::path::filename(File) << Status;
    break;
  }
  }
  OS.flush();
}

void ProgressReporter::finish() {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Style == ProgressStyle::Bar && Done) {
    OS << "\r\x1b[K";
    OS.flush();
  }
}

} // namespace clang::tidy::mapguard
