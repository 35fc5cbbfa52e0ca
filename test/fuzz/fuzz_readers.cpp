//===--- fuzz_readers.cpp - libFuzzer targets of the scanner's JSON readers ===//
//
// One source, one fuzzer per reader (test/fuzz/CMakeLists.txt defines which):
//   MAPGUARD_FUZZ_REPORT       parseReport: `mapguard merge`'s JSON and SARIF
//   MAPGUARD_FUZZ_BASELINE     Baseline::parse: --baseline
//   MAPGUARD_FUZZ_EVENTS       parseEvents: confirm's events file
//   MAPGUARD_FUZZ_CACHE_ENTRY  ResultCache::parseEntry: a result cache entry
// Whatever the bytes, a reader returns a value or an error; what it accepts
// must survive being written and read again; and what checkJSONStructure
// (InputFile.h) lets through, llvm::json::parse reads.
//
//===----------------------------------------------------------------------===//

#include "Finding.h"
#include "InputFile.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <cstdlib>

#if defined(MAPGUARD_FUZZ_REPORT)
#include "Output.h"
#elif defined(MAPGUARD_FUZZ_BASELINE)
#include "Baseline.h"
#elif defined(MAPGUARD_FUZZ_EVENTS)
#include "Confirm.h"
#elif defined(MAPGUARD_FUZZ_CACHE_ENTRY)
#include "ResultCache.h"
#else
#error "define the reader to fuzz"
#endif

using namespace clang::tidy::mapguard;

namespace {

[[noreturn]] void invariantBroken(const char *What) {
  llvm::errs() << "fuzz_readers: " << What << '\n';
  std::abort();
}

/// What a scan result reads back as after being written.
void roundTrip(const ScanResult &R) {
  std::string Text;
  llvm::raw_string_ostream(Text) << toJSON(R);
  llvm::Expected<ScanResult> Back = parseScanResult(Text);
  if (!Back) {
    llvm::consumeError(Back.takeError());
    invariantBroken("a result read from JSON does not read back");
  }
  if (Back->Findings.size() != R.Findings.size() ||
      Back->Failures.size() != R.Failures.size() ||
      Back->Skipped.size() != R.Skipped.size())
    invariantBroken("a result read back differs");
  for (size_t I = 0; I < R.Failures.size(); ++I)
    if (Back->Failures[I].Kind != R.Failures[I].Kind)
      invariantBroken("a failure's status read back differs");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  if (llvm::Error E = checkJSONStructure(Text)) {
    llvm::consumeError(std::move(E));
  } else {
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
    if (!V) {
      llvm::errs() << llvm::toString(V.takeError()) << '\n';
      invariantBroken("checked JSON that llvm::json::parse refuses");
    }
  }
#if defined(MAPGUARD_FUZZ_REPORT)
  llvm::Expected<ScanResult> R = parseReport(Text);
  if (!R) {
    llvm::consumeError(R.takeError());
    return 0;
  }
  roundTrip(*R);
#elif defined(MAPGUARD_FUZZ_BASELINE)
  llvm::Expected<Baseline> B = Baseline::parse(Text, "fuzz.json", "/fuzz");
  if (!B)
    llvm::consumeError(B.takeError());
#elif defined(MAPGUARD_FUZZ_EVENTS)
  llvm::Expected<std::vector<RuntimeEvent>> Events = parseEvents(Text);
  if (!Events)
    llvm::consumeError(Events.takeError());
#elif defined(MAPGUARD_FUZZ_CACHE_ENTRY)
  if (std::optional<CacheEntry> Entry = ResultCache::parseEntry(Text)) {
    ScanResult R;
    R.Findings = Entry->Result.Findings;
    R.Failures = Entry->Result.Failures;
    roundTrip(R);
  }
#endif
  return 0;
}
