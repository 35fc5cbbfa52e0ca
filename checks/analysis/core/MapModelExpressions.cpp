//===--- MapModelExpressions.cpp - what an expression does to a map -------===//
//
// The expression vocabulary of the model: which calls access a map and how,
// lookups, keys and membership tests, end(), insertions; and how threads
// are waited for, run once or launched (joins, once-functions, launch
// policies).
//
//===----------------------------------------------------------------------===//

#include "analysis/core/MapModel.h"
#include "Compat.h"
#include "analysis/core/ExprUtils.h"
#include "analysis/core/MapModelDetail.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"

namespace clang::tidy::mapguard {

using detail::recordOf;
using detail::templateOrSelf;

namespace {

// Map members that change the map's structure.
constexpr llvm::StringRef WriteMembers[] = {
    "operator[]", "operator=",   "insert",        "insert_or_assign",
    "insert_range", "emplace",   "emplace_hint",  "try_emplace",
    "erase",      "clear",       "swap",          "merge",
    "extract",    "rehash",      "reserve",       "lazy_emplace",
    "max_load_factor", "shrink_to_fit", "grow", "FindAndConstruct",
};

// Free functions that change a map passed to them.
constexpr llvm::StringRef WriteFreeFunctions[] = {"::std::swap",
                                                  "::std::erase_if"};

} // namespace

const Expr *MapModel::mapObjectOf(const Expr *Call) const {
  if (!Call)
    return nullptr;
  Call = ignoreCopies(Call);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (Obj && isMapType(Obj->getType()))
      return Obj;
    return nullptr;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call)) {
    if (OC->getNumArgs() > 0 && isa<CXXMethodDecl>(OC->getCalleeDecl()) &&
        isMapType(OC->getArg(0)->getType()))
      return OC->getArg(0);
    return nullptr;
  }
  if (const auto *C = dyn_cast<CallExpr>(Call)) {
    const auto *FD = C->getDirectCallee();
    if (FD && nameMatches(FD, WriteFreeFunctions))
      for (const Expr *Arg : C->arguments())
        if (isMapType(Arg->getType()))
          return Arg;
  }
  return nullptr;
}

const Expr *MapModel::mapPointerOf(const Expr *Call) const {
  if (!Call)
    return nullptr;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(ignoreCopies(Call));
  if (!MC)
    return nullptr;
  const Expr *Obj = MC->getImplicitObjectArgument();
  if (Obj && Obj->getType()->isPointerType() &&
      isMapType(Obj->getType()->getPointeeType()))
    return Obj;
  return nullptr;
}

MapAccessKind MapModel::classifyAccess(const Expr *Call) const {
  if (!mapObjectOf(Call) && !mapPointerOf(Call))
    return MapAccessKind::None;
  Call = ignoreCopies(Call);
  const auto *C = cast<CallExpr>(Call);
  const auto *FD = dyn_cast_or_null<FunctionDecl>(C->getCalleeDecl());
  if (!FD)
    return MapAccessKind::Read;
  if (!isa<CXXMethodDecl>(FD))
    return MapAccessKind::Write; // std::swap, std::erase_if
  std::string Name = FD->getNameAsString();
  for (llvm::StringRef W : WriteMembers)
    if (Name == W) {
      // max_load_factor() with no argument only reads.
      if (Name == "max_load_factor" && FD->getNumParams() == 0)
        return MapAccessKind::Read;
      return MapAccessKind::Write;
    }
  return MapAccessKind::Read;
}

std::optional<LookupKind> MapModel::classifyLookup(const Expr *E) const {
  if (!E)
    return std::nullopt;
  E = ignoreCopies(E);
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2 &&
        isMapType(OC->getArg(0)->getType()) &&
        isHandleType(mappedType(OC->getArg(0)->getType())))
      return LookupKind::Subscript;
    return std::nullopt;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (Obj && MD && MD->getDeclName().isIdentifier() &&
        isMapObject(Obj)) {
      if (MD->getName() == "find")
        return LookupKind::FindIterator;
      if (MD->getName() == "lookup" &&
          nameMatches(templateOrSelf(recordOf(Obj->getType())),
                      llvm::ArrayRef<llvm::StringRef>{"::mapguard::shim::Map"}))
        return LookupKind::ShimLookup;
    }
  }
  if (const auto *C = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *FD = C->getDirectCallee())
      if (isLookupFunction(FD) && isHandleType(C->getType()))
        return LookupKind::LookupFunction;
  return std::nullopt;
}

const Expr *MapModel::keyOfAccess(const Expr *E, const Expr *&Map) const {
  E = ignoreTruthWrappers(E);
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(E)) {
    if (OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2 &&
        isMapType(OC->getArg(0)->getType())) {
      Map = OC->getArg(0);
      return OC->getArg(1);
    }
    return nullptr;
  }
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E);
  if (!MC)
    return nullptr;
  const Expr *Obj = MC->getImplicitObjectArgument();
  const CXXMethodDecl *MD = MC->getMethodDecl();
  if (!Obj || !MD || !MD->getDeclName().isIdentifier() ||
      MC->getNumArgs() < 1 || !isMapObject(Obj) ||
      !compat::isOneOf({"find", "contains", "count"}, MD->getName()))
    return nullptr;
  Map = Obj;
  return MC->getArg(0);
}

const CXXMemberCallExpr *MapModel::asMembershipTest(const Expr *E) const {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(ignoreTruthWrappers(E));
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!MD || !MD->getDeclName().isIdentifier() ||
      !compat::isOneOf({"contains", "count"}, MD->getName()) ||
      !MC->getImplicitObjectArgument() ||
      !isMapObject(MC->getImplicitObjectArgument()))
    return nullptr;
  return MC;
}

const CXXMemberCallExpr *MapModel::asCountCall(const Expr *E) const {
  const CXXMemberCallExpr *MC = asMembershipTest(E);
  return MC && MC->getMethodDecl()->getName() == "count" ? MC : nullptr;
}

bool MapModel::isMapEnd(const Expr *E) const {
  E = ignoreConvertingConstruction(E);
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    return MD && MD->getDeclName().isIdentifier() &&
           (MD->getName() == "end" || MD->getName() == "cend") &&
           isMapObject(MC->getImplicitObjectArgument());
  }
  if (const auto *C = dyn_cast_or_null<CallExpr>(E))
    return (calleeName(C) == "end" || calleeName(C) == "cend") &&
           C->getNumArgs() == 1 && isMapType(C->getArg(0)->getType());
  return false;
}

const Expr *MapModel::insertedKey(const CXXMemberCallExpr *MC,
                                  const Expr *&Map) const {
  const Expr *Obj = MC->getImplicitObjectArgument();
  const CXXMethodDecl *MD = MC->getMethodDecl();
  if (!Obj || !MD || !MD->getDeclName().isIdentifier() ||
      MC->getNumArgs() == 0 || !isMapObject(Obj))
    return nullptr;
  StringRef N = MD->getName();
  const Expr *Key = nullptr;
  if (N == "try_emplace" || N == "insert_or_assign" ||
      (N == "emplace" && MC->getNumArgs() >= 2))
    Key = MC->getArg(0);
  else if (N == "insert" || N == "emplace") {
    // The first element of a pair built in the call.
    const Expr *A = ignoreTruthWrappers(MC->getArg(0));
    if (const auto *ILE = dyn_cast<InitListExpr>(A);
        ILE && ILE->getNumInits() >= 1)
      Key = ILE->getInit(0);
    else if (const auto *CE = dyn_cast<CXXConstructExpr>(A);
             CE && CE->getNumArgs() >= 1)
      Key = CE->getArg(0);
    else if (const auto *C = dyn_cast<CallExpr>(A);
             C && calleeName(C) == "make_pair" && C->getNumArgs() >= 1)
      Key = C->getArg(0);
  }
  if (Key)
    Map = Obj;
  return Key;
}

bool MapModel::isJoinMethod(const FunctionDecl *FD, bool HandleLess) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  StringRef N = FD->getName();
  if (HandleLess)
    return N == "join" || N == "wait" || N == "Wait" || N == "arrive_and_wait";
  return N == "join" || N == "get" || N == "wait" || N == "Join";
}

bool MapModel::isJoinFunction(const FunctionDecl *FD) {
  return FD && FD->getDeclName().isIdentifier() &&
         (FD->getName() == "pthread_join" || FD->getName() == "thrd_join");
}

bool MapModel::isHandleWrapper(const FunctionDecl *FD) {
  return isStdFunctionNamed(FD, {"move", "forward", "ref", "cref", "addressof"});
}

bool MapModel::isWaiterType(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  StringRef N = RD->getName();
  return N.contains("WaitGroup") || N.contains("latch") ||
         N.contains("barrier") || N.contains("Latch");
}

bool MapModel::isOnceFunction(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  StringRef N = FD->getName();
  return N == "call_once" || N == "pthread_once" || N == "CallOnce";
}

bool MapModel::isLaunchPolicy(const Expr *E) {
  const auto *ET = E->getType()->getAs<EnumType>();
  return ET && ET->getDecl()->getIdentifier() &&
         ET->getDecl()->getName() == "launch";
}

bool MapModel::isDeferredLaunch(const Expr *E) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
      return EC->getName() == "deferred";
  return false;
}

bool MapModel::isJoiningThreadType(QualType T) const {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD)
    return false;
  if (RD->getIdentifier() && RD->getName() == "jthread")
    return true;
  // A container of jthreads.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    if (Spec->getTemplateArgs().size() > 0 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type) {
      const CXXRecordDecl *E =
          recordOf(Spec->getTemplateArgs()[0].getAsType());
      return E && E->getIdentifier() && E->getName() == "jthread";
    }
  return false;
}

} // namespace clang::tidy::mapguard
