//===--- MissSlots.h - which slot an expression of a lookup denotes -------===//
//
// The identities LookupMiss tracks: a variable bound to a lookup is its own
// slot; a lookup or test written in place (`m[k]`, `m.find(k)`,
// `m.contains(k)`, `node(id)` of a helper that may return a miss) is keyed by
// the map's identity -- a field is the field of its object, so a predicate
// helper's `table_` and the caller's agree -- and the key as written. Keys
// taken from the map itself (`for (auto &[k, v] : m) m[k]`) are not lookups
// that may miss. Private to analysis/lookup/.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSSLOTS_H
#define MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSSLOTS_H

#include "analysis/core/MapModel.h"
#include "analysis/lookup/MissLattice.h"
#include "analysis/lookup/Summaries.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/StringMap.h"
#include <optional>
#include <utility>

namespace clang::tidy::mapguard::lookupmiss {

class MissSlots {
public:
  MissSlots(const FunctionDecl *FD, ASTContext &Ctx, const MapModel &Model,
            FunctionSummaries *Summaries)
      : FD(FD), Ctx(Ctx), Model(Model), Summaries(Summaries) {}

  /// The identity of the map \p Map designates: a field is the field of
  /// its object (`this`, written or not, or the object expression), so a
  /// predicate helper's `table_` and the caller's `table_` agree.
  void addMapIdentity(llvm::FoldingSetNodeID &ID, const Expr *Map);
  void addObjectIdentity(llvm::FoldingSetNodeID &ID, const Expr *Obj);
  SlotKey keySlot(const Expr *Map, const Expr *Key);
  /// The slot of key \p Key in the map whose identity \p ID holds.
  SlotKey keySlotFor(llvm::FoldingSetNodeID ID, const Expr *Key);
  /// The key slot of a lookup or test written in place: m[k], m.find(k),
  /// m.contains(k), m.count(k), a call of a function that may return the
  /// default of a miss (`node(id)`, keyed by the call as written); null
  /// otherwise.
  SlotKey keySlotOf(const Expr *E);
  /// The key slot that an insertion into a map makes present: the key of
  /// `insert(pair/make_pair/{k, v})`, `emplace(k, ...)`, `try_emplace(k, ...)`,
  /// `insert_or_assign(k, v)`; null otherwise.
  SlotKey insertedKeySlot(const CXXMemberCallExpr *MC);
  /// What the summaries say \p C returns, when it may be a missing value.
  std::optional<FunctionSummaries::ReturnedMiss>
  returnedMiss(const CallExpr *C);
  /// How \p E came out of a map, if it did: a lookup MapModel knows, or a
  /// call of a function of the TU that may return a missing value (as a
  /// subscript does, or as find() does when it returns the iterator).
  std::optional<LookupKind> classify(const Expr *E);
  /// The slot that \p E denotes in state \p S: a tracked variable, or a
  /// lookup written in place (whose slot need not exist yet).
  std::pair<SlotKey, bool> slotOf(const Expr *E, const State &S);

private:
  // --- Keys that come from the map itself ------------------------------
  /// Keys taken from the map they look up cannot miss: `for (auto &p : m)
  /// m[p.first]`, `for (auto &[k, v] : m) m.find(k)`, and a local container
  /// filled only with them (`for (auto &p : m) ids.push_back(p.first); ...
  /// for (auto i : ids) m[i]`, rocksdb's lock manager). Not for a map the
  /// function erases from, clears, swaps, assigns or hands out by non-const
  /// reference.
  struct OwnKeyFacts {
    /// Range-for variables over a map, by the map's identity.
    llvm::DenseMap<const VarDecl *, unsigned> EntryVars;
    /// Range-for variables over a local container of a map's own keys.
    llvm::DenseMap<const VarDecl *, unsigned> KeyVars;
    /// Maps the function may remove keys from.
    llvm::DenseSet<unsigned> Shrunk;
  };
  std::optional<OwnKeyFacts> OwnKeys;
  unsigned mapHash(const Expr *Map);
  /// The identity of the map whose entry \p Key is the key of (`p.first`
  /// or `k` of `[k, v]` for a range-for over the map; an element of a
  /// container of its keys).
  std::optional<unsigned> ownKeyOf(const Expr *Key);
  /// \p E looks up one of the map's own keys in it.
  bool isOwnKeyLookup(const Expr *E);
  /// One walk of the body for OwnKeyFacts.
  void collectOwnKeys();

  const FunctionDecl *FD;
  ASTContext &Ctx;
  const MapModel &Model;
  FunctionSummaries *Summaries;
  /// Interned key slots (a slot is the address of its name).
  llvm::StringMap<char> KeyNames;
};

} // namespace clang::tidy::mapguard::lookupmiss

#endif // MAPGUARD_CHECKS_ANALYSIS_LOOKUP_MISSSLOTS_H
