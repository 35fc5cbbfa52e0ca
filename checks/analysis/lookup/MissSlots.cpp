//===--- MissSlots.cpp - which slot an expression of a lookup denotes -----===//

#include "analysis/lookup/MissSlots.h"
#include "analysis/core/ExprUtils.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/Support/raw_ostream.h"

namespace clang::tidy::mapguard::lookupmiss {

/// The identity of the map \p Map designates: a field is the field of
/// its object (`this`, written or not, or the object expression), so a
/// predicate helper's `table_` and the caller's `table_` agree.
void MissSlots::addMapIdentity(llvm::FoldingSetNodeID &ID, const Expr *Map) {
  Map = Map->IgnoreParenImpCasts();
  // `(*p)[k]` and `p->count(k)` name the same map; `fill(&m)` names m.
  if (const auto *U = dyn_cast<UnaryOperator>(Map);
      U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf))
    Map = U->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(Map)) {
    addObjectIdentity(ID, ME->getBase());
    ID.AddPointer(ME->getMemberDecl()->getCanonicalDecl());
    return;
  }
  // `obj.map(false)`: a getter returning a reference to a field of obj.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Map); MC && Summaries)
    if (const FieldDecl *F = Summaries->returnedField(MC)) {
      addObjectIdentity(ID, MC->getImplicitObjectArgument());
      ID.AddPointer(F->getCanonicalDecl());
      return;
    }
  Map->Profile(ID, Ctx, /*Canonical=*/true);
}

void MissSlots::addObjectIdentity(llvm::FoldingSetNodeID &ID, const Expr *Obj) {
  Obj = Obj ? Obj->IgnoreParenImpCasts() : nullptr;
  if (!Obj || isa<CXXThisExpr>(Obj))
    ID.AddInteger(0x7415); // `this`
  else
    Obj->Profile(ID, Ctx, /*Canonical=*/true);
}

SlotKey MissSlots::keySlot(const Expr *Map, const Expr *Key) {
  llvm::FoldingSetNodeID ID;
  addMapIdentity(ID, Map);
  return keySlotFor(ID, Key);
}

/// The slot of key \p Key in the map whose identity \p ID holds.
SlotKey MissSlots::keySlotFor(llvm::FoldingSetNodeID ID, const Expr *Key) {
  // Look through converting constructors (the shim's KeyAt<K>, a
  // std::string built from a literal) so `m.contains(k)` and `m[k]` agree.
  Key = ignoreTruthWrappers(Key);
  while (const auto *CE = dyn_cast<CXXConstructExpr>(Key)) {
    if (CE->getNumArgs() == 0 ||
        !llvm::all_of(llvm::drop_begin(CE->arguments()),
                      [](const Expr *A) { return isa<CXXDefaultArgExpr>(A); }))
      break;
    Key = ignoreTruthWrappers(CE->getArg(0));
  }
  Key->IgnoreParenImpCasts()->Profile(ID, Ctx, /*Canonical=*/true);
  std::string S;
  llvm::raw_string_ostream(S) << ID.ComputeHash();
  return &*KeyNames.try_emplace(S).first;
}

/// The key slot of a lookup or test written in place: m[k], m.find(k),
/// m.contains(k), m.count(k), a call of a function that may return the
/// default of a miss (`node(id)`, keyed by the call as written); null
/// otherwise.
SlotKey MissSlots::keySlotOf(const Expr *E) {
  const Expr *Map = nullptr;
  if (const Expr *Key = Model.keyOfAccess(ignoreConvertingConstruction(E), Map))
    return keySlot(Map, Key);
  if (const auto *C = dyn_cast_or_null<CallExpr>(ignoreTruthWrappers(E));
      C && returnedMiss(C)) {
    llvm::FoldingSetNodeID ID;
    C->Profile(ID, Ctx, /*Canonical=*/true);
    std::string S;
    llvm::raw_string_ostream(S) << "call:" << ID.ComputeHash();
    return &*KeyNames.try_emplace(S).first;
  }
  return nullptr;
}

unsigned MissSlots::mapHash(const Expr *Map) {
  llvm::FoldingSetNodeID ID;
  addMapIdentity(ID, Map);
  return ID.ComputeHash();
}

/// The identity of the map whose entry \p Key is the key of (`p.first`
/// or `k` of `[k, v]` for a range-for over the map; an element of a
/// container of its keys).
std::optional<unsigned> MissSlots::ownKeyOf(const Expr *Key) {
  Key = ignoreCopies(Key)->IgnoreParenImpCasts();
  auto Find = [](const llvm::DenseMap<const VarDecl *, unsigned> &In,
                 const ValueDecl *D) -> std::optional<unsigned> {
    const auto *V = dyn_cast_or_null<VarDecl>(D);
    auto It = V ? In.find(V) : In.end();
    if (It == In.end())
      return std::nullopt;
    return It->second;
  };
  // p.first
  if (const auto *ME = dyn_cast<MemberExpr>(Key)) {
    const auto *DRE =
        dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!DRE || !F || !F->getDeclName().isIdentifier() ||
        F->getName() != "first")
      return std::nullopt;
    return Find(OwnKeys->EntryVars, DRE->getDecl());
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(Key);
  if (!DRE)
    return std::nullopt;
  // k of `[k, v]`
  if (const auto *B = dyn_cast<BindingDecl>(DRE->getDecl())) {
    const auto *DD =
        dyn_cast_or_null<DecompositionDecl>(B->getDecomposedDecl());
    if (!DD || DD->bindings().empty() || DD->bindings().front() != B)
      return std::nullopt;
    return Find(OwnKeys->EntryVars, DD);
  }
  // i of `for (auto i : ids)`
  return Find(OwnKeys->KeyVars, DRE->getDecl());
}

/// \p E looks up one of the map's own keys in it.
bool MissSlots::isOwnKeyLookup(const Expr *E) {
  const Expr *Map = nullptr;
  const Expr *Key = Model.keyOfAccess(ignoreConvertingConstruction(E), Map);
  if (!Key || !Map)
    return false;
  if (!OwnKeys)
    collectOwnKeys();
  if (OwnKeys->EntryVars.empty())
    return false;
  std::optional<unsigned> Of = ownKeyOf(Key);
  return Of && *Of == mapHash(Map) && !OwnKeys->Shrunk.contains(*Of);
}

/// One walk of the body for OwnKeyFacts.
void MissSlots::collectOwnKeys() {
  OwnKeys.emplace();
  OwnKeyFacts &O = *OwnKeys;
  // Candidate containers: the range-for variables over them, and whether
  // every use fills them with own keys of one map (or only reads them).
  struct Container {
    llvm::SmallVector<const VarDecl *, 1> LoopVars;
    std::optional<unsigned> KeysOf;
    bool Other = false;
  };
  llvm::DenseMap<const VarDecl *, Container> Containers;
  llvm::SmallVector<std::pair<const CXXMemberCallExpr *, const VarDecl *>, 4>
      Fills;
  llvm::DenseSet<const DeclRefExpr *> Accounted;
  auto LocalContainer = [&](const Expr *E) -> const VarDecl * {
    const auto *DRE =
        dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
    const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!V || !V->isLocalVarDecl() || V->getType()->isReferenceType() ||
        Model.isMapType(V->getType()) || !V->getType()->getAsCXXRecordDecl())
      return nullptr;
    Accounted.insert(DRE);
    return V;
  };
  llvm::SmallVector<const DeclRefExpr *, 16> Refs;
  forEachStmtOf(FD, [&](const Stmt *St) {
    if (const auto *FR = dyn_cast<CXXForRangeStmt>(St)) {
      const Expr *Range = FR->getRangeInit();
      if (Range && Model.isMapType(Range->getType()))
        O.EntryVars[FR->getLoopVariable()] = mapHash(Range);
      else if (const VarDecl *C = LocalContainer(Range))
        Containers[C].LoopVars.push_back(FR->getLoopVariable());
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      const CXXMethodDecl *M = MC->getMethodDecl();
      llvm::StringRef Name =
          M && M->getDeclName().isIdentifier() ? M->getName() : "";
      if (Obj && Model.isMapObject(Obj)) {
        if (llvm::is_contained({"erase", "clear", "extract", "swap"}, Name))
          O.Shrunk.insert(mapHash(Obj));
      } else if (const VarDecl *C = LocalContainer(Obj)) {
        if (llvm::is_contained({"push_back", "emplace_back", "push_front",
                                "emplace_front", "insert", "emplace"},
                               Name))
          Fills.push_back({MC, C});
        else if (!llvm::is_contained({"begin", "end", "cbegin", "cend",
                                      "rbegin", "rend", "size", "empty",
                                      "reserve", "clear", "pop_back",
                                      "pop_front", "erase", "shrink_to_fit"},
                                     Name))
          Containers[C].Other = true;
      }
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(St)) {
      Refs.push_back(DRE);
    }
    // m = other; std::swap(m, x); reset(m); other.swap(m)
    if (const auto *C = dyn_cast<CallExpr>(St)) {
      const auto *OC = dyn_cast<CXXOperatorCallExpr>(C);
      for (unsigned I = implicitObjectArgs(C), N = C->getNumArgs(); I < N; ++I)
        if (Model.isMapType(C->getArg(I)->getType()) &&
            passesByMutableRef(C, I))
          O.Shrunk.insert(mapHash(C->getArg(I)));
      if (OC && OC->isAssignmentOp() && OC->getNumArgs() > 0 &&
          Model.isMapType(OC->getArg(0)->getType()))
        O.Shrunk.insert(mapHash(OC->getArg(0)));
    }
    return true;
  });
  if (O.EntryVars.empty())
    return;
  for (const auto &[MC, C] : Fills) {
    Container &K = Containers[C];
    std::optional<unsigned> Of =
        MC->getNumArgs() == 1 ? ownKeyOf(MC->getArg(0)) : std::nullopt;
    if (!Of || (K.KeysOf && *K.KeysOf != *Of))
      K.Other = true;
    else
      K.KeysOf = Of;
  }
  // Any other use (an index, an assignment, a call taking it) may put
  // other values in.
  for (const DeclRefExpr *DRE : Refs)
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
        V && !Accounted.contains(DRE) && Containers.count(V))
      Containers[V].Other = true;
  for (const auto &[C, K] : Containers) {
    const Expr *Init = C->getInit();
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
        Init ? Init->IgnoreImplicit() : nullptr);
    bool Empty = !Init || (CE && CE->getNumArgs() == 0);
    if (K.Other || !K.KeysOf || !Empty)
      continue;
    for (const VarDecl *L : K.LoopVars)
      O.KeyVars[L] = *K.KeysOf;
  }
}

/// What the summaries say \p C returns, when it may be a missing value.
std::optional<FunctionSummaries::ReturnedMiss>
MissSlots::returnedMiss(const CallExpr *C) {
  if (!Summaries)
    return std::nullopt;
  return Summaries->returnedMissOf(C, FD);
}

/// How \p E came out of a map, if it did: a lookup MapModel knows, or a
/// call of a function of the TU that may return a missing value (as a
/// subscript does, or as find() does when it returns the iterator).
std::optional<LookupKind> MissSlots::classify(const Expr *E) {
  if (auto K = Model.classifyLookup(E))
    return isOwnKeyLookup(E) ? std::nullopt : K;
  // `std::map<K, V>::const_iterator it = m.find(k);` on a non-const map:
  // the iterator is converted by a constructor first.
  if (const Expr *From = ignoreConvertingConstruction(E);
      From != ignoreTruthWrappers(E))
    if (Model.classifyLookup(From) == LookupKind::FindIterator)
      return LookupKind::FindIterator;
  if (const auto *C = dyn_cast_or_null<CallExpr>(ignoreCopies(E)))
    if (auto R = returnedMiss(C))
      return R->IsIterator ? LookupKind::FindIterator : LookupKind::Subscript;
  return std::nullopt;
}

/// The slot that \p E denotes in state \p S: a tracked variable, or a
/// lookup written in place (whose slot need not exist yet).
std::pair<SlotKey, bool> MissSlots::slotOf(const Expr *E, const State &S) {
  if (const ValueDecl *D = referencedDecl(E))
    if (S.Slots.count(D))
      return {D, false};
  E = ignoreTruthWrappers(E);
  if (auto K = classify(E)) {
    if (*K == LookupKind::Subscript || *K == LookupKind::FindIterator)
      return {keySlotOf(E), true};
  }
  return {nullptr, false};
}

SlotKey MissSlots::insertedKeySlot(const CXXMemberCallExpr *MC) {
  const Expr *Map = nullptr;
  const Expr *Key = Model.insertedKey(MC, Map);
  return Key ? keySlot(Map, Key) : nullptr;
}

} // namespace clang::tidy::mapguard::lookupmiss
