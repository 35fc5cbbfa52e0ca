//===--- MapModelDetail.h - helpers private to MapModel*.cpp ---*- C++ -*-===//
//
// Shared by MapModelKinds.cpp and MapModelExpressions.cpp: the class a type
// names and the template a class comes from. Not part of the model's
// interface (that is MapModel.h); nothing else includes it.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_CORE_MAPMODELDETAIL_H
#define MAPGUARD_CHECKS_ANALYSIS_CORE_MAPMODELDETAIL_H

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Type.h"

namespace clang::tidy::mapguard::detail {

inline const CXXRecordDecl *recordOf(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType().getCanonicalType();
  const auto *RD = T->getAsCXXRecordDecl();
  return RD;
}

/// The template a specialization comes from, so that names are those of the
/// class template ("std::map", not "std::map<int, int>").
inline const NamedDecl *templateOrSelf(const CXXRecordDecl *RD) {
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    return Spec->getSpecializedTemplate();
  return RD;
}

} // namespace clang::tidy::mapguard::detail

#endif // MAPGUARD_CHECKS_ANALYSIS_CORE_MAPMODELDETAIL_H
