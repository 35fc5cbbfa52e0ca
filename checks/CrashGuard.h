//===--- CrashGuard.h - a crashing check must not take its host down -*- C++ -*-===//
//
// mapguard-clangd is a long-lived server: a crash in a mapguard check (a bug,
// a signal) must cost the file's mapguard diagnostics, not the server. It
// calls enableCheckCrashRecovery() at start; from then on every match a
// mapguard check handles runs inside an llvm::CrashRecoveryContext, and a
// crash ends the mapguard checks for that translation unit, records its main
// file (crashedInLastRun) and logs one line on stderr. The scanner and the
// clang-tidy plugin leave it off: the scanner recovers around the whole
// translation unit instead (tool/mapguard/Scanner.cpp), and stock clang-tidy
// crashes as it does for any check.
//
// Test-only: when the environment variable MAPGUARD_TEST_CRASH_IN is set,
// the first match of a mapguard check in a translation unit whose main file's
// name ends with its value writes through a null pointer, or, with
// MAPGUARD_TEST_CRASH_KIND=stack, recurses until its stack overflows. The
// crash-isolation tests (test/tool/scan-crash-isolation.test,
// scan-stack-overflow.test, clangd-crash.test) use it.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_CRASHGUARD_H
#define MAPGUARD_CHECKS_CRASHGUARD_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace clang {
class ASTContext;
class SourceManager;
} // namespace clang

namespace clang::tidy::mapguard {

/// Turns crash recovery of the checks on, for the whole process.
void enableCheckCrashRecovery();

/// A translation unit of \p MainFile starts: it has not crashed (yet).
void beginCheckedFile(llvm::StringRef MainFile);

/// Runs \p Body, one match of check \p CheckName in \p Ctx. With recovery on:
/// nothing once a check crashed in \p Ctx's translation unit, and a crash in
/// \p Body is caught and recorded. Then, with MAPGUARD_TEST_CRASH_IN, the
/// test crash.
void runCheckGuarded(llvm::StringRef CheckName, const ASTContext &Ctx,
                     const SourceManager &SM, llvm::function_ref<void()> Body);

/// Whether a check crashed in the latest translation unit of \p MainFile.
bool crashedInLastRun(llvm::StringRef MainFile);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_CRASHGUARD_H
