//===--- AssertionMacros.h - where assertions were written ------*- C++ -*-===//
//
// `assert(it != m.end())` vanishes under NDEBUG, and most compile databases
// are Release builds: the AST then holds no trace of the check the author
// wrote. This records every expansion of an assertion-like macro (`assert`,
// and macros whose name contains ASSERT or CHECK: DCHECK, CHECK_NE,
// GTEST_CHECK_, ...) with the text of its invocation, so an analysis can
// honour an assertion that the preprocessor compiled away.
//
// Each check that needs the records owns one AssertionMacros and calls
// attach() from registerPPCallbacks, before the translation unit is parsed.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_LOOKUP_ASSERTIONMACROS_H
#define MAPGUARD_CHECKS_ANALYSIS_LOOKUP_ASSERTIONMACROS_H

#include "clang/Basic/SourceLocation.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
namespace tidy::mapguard {

class AssertionMacros {
public:
  /// One expansion: where it starts and the invocation as written.
  struct Record {
    SourceLocation Loc;
    std::string Text;
  };

  /// Forgets the previous translation unit's records and records the
  /// expansions that \p PP makes from now on.
  void attach(Preprocessor &PP);

  /// Is there an assertion between \p After and \p Before (exclusive), within
  /// \p Scope, whose text mentions every one of \p Words (identifiers, or
  /// expressions as written)?
  bool asserts(const SourceManager &SM, SourceRange Scope,
               SourceLocation After, SourceLocation Before,
               llvm::ArrayRef<std::string> Words) const;

  /// \p Name is an assertion-like macro name.
  static bool isAssertionName(llvm::StringRef Name);

  /// Used by the recorder.
  void add(Record R) { Records.push_back(std::move(R)); }

private:
  std::vector<Record> Records;
};

} // namespace tidy::mapguard
} // namespace clang

#endif // MAPGUARD_CHECKS_ANALYSIS_LOOKUP_ASSERTIONMACROS_H
