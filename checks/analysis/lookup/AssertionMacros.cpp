//===--- AssertionMacros.cpp - where assertions were written --------------===//

#include "analysis/lookup/AssertionMacros.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include <memory>

namespace clang::tidy::mapguard {

namespace {

class Recorder : public PPCallbacks {
public:
  Recorder(Preprocessor &PP, AssertionMacros &Out) : PP(PP), Out(Out) {}

  void MacroExpands(const Token &NameTok, const MacroDefinition &,
                    SourceRange Range, const MacroArgs *) override {
    const IdentifierInfo *II = NameTok.getIdentifierInfo();
    if (!II || !AssertionMacros::isAssertionName(II->getName()))
      return;
    const SourceManager &SM = PP.getSourceManager();
    SourceLocation Begin = SM.getExpansionLoc(Range.getBegin());
    if (Begin.isInvalid() || SM.isInSystemHeader(Begin))
      return;
    CharSourceRange R = SM.getExpansionRange(Range);
    Out.add({Begin, Lexer::getSourceText(R, SM, PP.getLangOpts()).str()});
  }

private:
  Preprocessor &PP;
  AssertionMacros &Out;
};

bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// \p Word occurs in \p Text not as part of a longer identifier.
bool mentions(llvm::StringRef Text, llvm::StringRef Word) {
  if (Word.empty())
    return false;
  for (size_t Pos = Text.find(Word); Pos != llvm::StringRef::npos;
       Pos = Text.find(Word, Pos + 1)) {
    bool LeftOk = Pos == 0 || !isIdentChar(Text[Pos - 1]) ||
                  !isIdentChar(Word.front());
    size_t End = Pos + Word.size();
    bool RightOk = End >= Text.size() || !isIdentChar(Text[End]) ||
                   !isIdentChar(Word.back());
    if (LeftOk && RightOk)
      return true;
  }
  return false;
}

} // namespace

bool AssertionMacros::isAssertionName(llvm::StringRef Name) {
  return Name == "assert" || Name.contains("ASSERT") || Name.contains("CHECK");
}

void AssertionMacros::attach(Preprocessor &PP) {
  Records.clear();
  PP.addPPCallbacks(std::make_unique<Recorder>(PP, *this));
}

bool AssertionMacros::asserts(const SourceManager &SM, SourceRange Scope,
                              SourceLocation After, SourceLocation Before,
                              llvm::ArrayRef<std::string> Words) const {
  if (Words.empty())
    return false;
  SourceLocation ScopeBegin = SM.getExpansionLoc(Scope.getBegin());
  SourceLocation ScopeEnd = SM.getExpansionLoc(Scope.getEnd());
  After = SM.getExpansionLoc(After);
  Before = SM.getExpansionLoc(Before);
  for (const Record &R : Records) {
    if (SM.isBeforeInTranslationUnit(R.Loc, ScopeBegin) ||
        SM.isBeforeInTranslationUnit(ScopeEnd, R.Loc) ||
        !SM.isBeforeInTranslationUnit(After, R.Loc) ||
        !SM.isBeforeInTranslationUnit(R.Loc, Before))
      continue;
    if (llvm::all_of(Words, [&](const std::string &W) {
          return mentions(R.Text, W);
        }))
      return true;
  }
  return false;
}

} // namespace clang::tidy::mapguard
