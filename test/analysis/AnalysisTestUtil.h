//===--- AnalysisTestUtil.h - parsing snippets for the analysis tests -----===//
//
// In the style of clang's dataflow model tests: a snippet is parsed with the
// real standard library, and a test asks an analysis about named functions
// and statements.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TEST_ANALYSIS_ANALYSISTESTUTIL_H
#define MAPGUARD_TEST_ANALYSIS_ANALYSISTESTUTIL_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

namespace mapguard_test {

/// \p Code parsed as the translation unit \p FileName.
inline std::unique_ptr<clang::ASTUnit>
parse(llvm::StringRef Code, llvm::StringRef FileName = "input.cpp") {
  std::unique_ptr<clang::ASTUnit> AST = clang::tooling::buildASTFromCodeWithArgs(
      Code, {"-std=c++20", "-resource-dir=" MAPGUARD_CLANG_RESOURCE_DIR},
      FileName);
  EXPECT_TRUE(AST);
  EXPECT_FALSE(AST->getDiagnostics().hasErrorOccurred());
  return AST;
}

/// The first declaration of kind T named \p Name written in the snippet.
template <typename T>
const T *findNamed(clang::ASTContext &Ctx, llvm::StringRef Name) {
  struct Finder : clang::RecursiveASTVisitor<Finder> {
    llvm::StringRef Name;
    const T *Found = nullptr;
    clang::SourceManager *SM = nullptr;
    bool shouldVisitTemplateInstantiations() const { return true; }
    bool shouldVisitLambdaBody() const { return true; }
    bool VisitNamedDecl(clang::NamedDecl *D) {
      // Only what the test wrote, not the standard library's names.
      if (!SM->isWrittenInMainFile(SM->getExpansionLoc(D->getLocation())))
        return true;
      if (const auto *TD = llvm::dyn_cast<T>(D))
        if (TD->getDeclName().isIdentifier() && TD->getName() == Name &&
            !Found)
          Found = TD;
      return true;
    }
  } F;
  F.Name = Name;
  F.SM = &Ctx.getSourceManager();
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
  return F.Found;
}

/// The definition of function \p Name.
inline const clang::FunctionDecl *function(clang::ASTContext &Ctx,
                                           llvm::StringRef Name) {
  const auto *F = findNamed<clang::FunctionDecl>(Ctx, Name);
  EXPECT_TRUE(F && F->hasBody()) << "no function " << Name.str();
  const clang::FunctionDecl *Def = nullptr;
  if (F)
    F->hasBody(Def);
  return Def;
}

/// The declaration statement of variable \p Name.
inline const clang::DeclStmt *declOf(clang::ASTContext &Ctx,
                                     llvm::StringRef Name) {
  const auto *V = findNamed<clang::VarDecl>(Ctx, Name);
  EXPECT_TRUE(V) << "no variable " << Name.str();
  if (!V)
    return nullptr;
  for (const clang::DynTypedNode &P : Ctx.getParents(*V))
    if (const auto *DS = P.template get<clang::DeclStmt>())
      return DS;
  return nullptr;
}

} // namespace mapguard_test

#endif // MAPGUARD_TEST_ANALYSIS_ANALYSISTESTUTIL_H
