//===--- Compat.h - the LLVM versions mapguard builds against ---*- C++ -*-===//
//
// mapguard builds against LLVM/Clang 14, 16, 19 and 22 (docs/llvm-versions.md).
// Every difference between those versions that the checks and analyses meet is
// here, and only here: code elsewhere calls `compat::` and never tests
// LLVM_VERSION_MAJOR itself. Each entry names the version that changed it.
//
// Adding a version: build the plugin against it (scripts/test-llvm-matrix.sh),
// and for each error add one function here, spelled for the newest LLVM and
// falling back for the older ones.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_COMPAT_H
#define MAPGUARD_CHECKS_COMPAT_H

#include "clang-tidy/utils/OptionsUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/PointerUnion.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Casting.h"
#include <initializer_list>
#include <string>
#include <vector>

#if LLVM_VERSION_MAJOR < 14 || LLVM_VERSION_MAJOR > 22
#error "mapguard builds against LLVM 14 to 22 (see docs/llvm-versions.md)"
#endif

namespace clang::tidy::mapguard::compat {

/// StringRef::starts_with / ends_with: LLVM 16 (startswith/endswith before).
inline bool startsWith(llvm::StringRef S, llvm::StringRef Prefix) {
#if LLVM_VERSION_MAJOR >= 16
  return S.starts_with(Prefix);
#else
  return S.startswith(Prefix);
#endif
}
inline bool endsWith(llvm::StringRef S, llvm::StringRef Suffix) {
#if LLVM_VERSION_MAJOR >= 16
  return S.ends_with(Suffix);
#else
  return S.endswith(Suffix);
#endif
}
inline bool endsWithInsensitive(llvm::StringRef S, llvm::StringRef Suffix) {
#if LLVM_VERSION_MAJOR >= 16
  return S.ends_with_insensitive(Suffix);
#else
  return S.endswith_insensitive(Suffix);
#endif
}

/// llvm::is_contained on a braced list ({"a", "b"}) whose elements are
/// compared with a value of another type (StringRef): LLVM 19 (16 required
/// one type, 14 had no initializer_list overload).
template <typename T, typename E>
bool isOneOf(std::initializer_list<T> Set, const E &Element) {
  for (const T &V : Set)
    if (Element == V)
      return true;
  return false;
}

/// dyn_cast_if_present on a PointerUnion: LLVM 15 (the member dyn_cast
/// before).
template <typename To, typename... Ts>
To dynCastIfPresent(const llvm::PointerUnion<Ts...> &U) {
#if LLVM_VERSION_MAJOR >= 15
  return llvm::dyn_cast_if_present<To>(U);
#else
  return U.template dyn_cast<To>();
#endif
}

/// clang-tidy's string-list options: std::string until LLVM 15, StringRef
/// from 16.
inline std::vector<std::string> parseStringList(llvm::StringRef Option) {
  std::vector<std::string> Out;
  for (const auto &S : utils::options::parseStringList(Option))
    Out.push_back(llvm::StringRef(S).trim().str());
  return Out;
}
inline std::string serializeStringList(const std::vector<std::string> &V) {
#if LLVM_VERSION_MAJOR >= 16
  std::vector<llvm::StringRef> Refs(V.begin(), V.end());
  return utils::options::serializeStringList(Refs);
#else
  return utils::options::serializeStringList(V);
#endif
}

/// The canonical type of a class: ASTContext::getCanonicalTagType is LLVM 22
/// (types of declarations were reworked there).
inline QualType canonicalTagType(const TagDecl *TD) {
#if LLVM_VERSION_MAJOR >= 22
  return TD->getASTContext().getCanonicalTagType(TD);
#else
  const ASTContext &Ctx = TD->getASTContext();
  return Ctx.getCanonicalType(Ctx.getTypeDeclType(TD));
#endif
}

} // namespace clang::tidy::mapguard::compat

#endif // MAPGUARD_CHECKS_COMPAT_H
