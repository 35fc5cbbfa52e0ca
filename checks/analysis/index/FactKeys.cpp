//===--- FactKeys.cpp - how facts name functions and places ---------------===//

#include "analysis/index/FactKeys.h"
#include "clang/Basic/FileManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace clang::tidy::mapguard {

std::string usrOf(const Decl *D) {
  llvm::SmallString<128> USR;
  if (D && !index::generateUSRForDecl(D, USR))
    return std::string(USR);
  std::string Local;
  llvm::raw_string_ostream OS(Local);
  OS << "mapguard-local:";
  if (const auto *ND = dyn_cast_or_null<NamedDecl>(D))
    OS << ND->getQualifiedNameAsString();
  OS << "@" << static_cast<const void *>(D ? D->getCanonicalDecl() : nullptr);
  return OS.str();
}

SourceSpot spotOf(SourceLocation Loc, const SourceManager &SM) {
  SourceSpot Spot;
  if (Loc.isInvalid())
    return Spot;
  PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(Loc));
  if (P.isInvalid())
    return Spot;
  llvm::SmallString<256> Path(P.getFilename());
  if (llvm::sys::path::is_relative(Path) && !Path.empty() &&
      Path.front() != '<')
    SM.getFileManager().makeAbsolutePath(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  Spot.File = std::string(Path);
  Spot.Line = P.getLine();
  Spot.Column = P.getColumn();
  return Spot;
}

std::string shortPlace(const SourceSpot &S) {
  return llvm::sys::path::filename(S.File).str() + ":" +
         std::to_string(S.Line);
}

} // namespace clang::tidy::mapguard
