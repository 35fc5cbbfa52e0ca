//===--- ProjectIndex.cpp - facts of a whole program, by USR --------------===//

#include "analysis/index/ProjectIndex.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <map>
#include <mutex>

namespace clang::tidy::mapguard {

namespace json = llvm::json;

namespace {

constexpr llvm::StringLiteral FormatName = "mapguard-index";

// --- Writing ---------------------------------------------------------------

/// Files are written once, in a table; a spot is [file, line, column].
class Writer {
public:
  json::Value spot(const SourceSpot &S) {
    return json::Array{fileIndex(S.File), S.Line, S.Column};
  }
  json::Value locks(const std::vector<LockFact> &Ls) {
    json::Array A;
    for (const LockFact &L : Ls)
      A.push_back(json::Array{L.Mutex, L.Shared});
    return A;
  }
  json::Array files() const {
    json::Array A;
    for (const std::string &F : Files)
      A.push_back(F);
    return A;
  }
  json::Object function(const IndexedFunction &F);

private:
  int64_t fileIndex(const std::string &File) {
    auto [It, New] = Index.try_emplace(File, Files.size());
    if (New)
      Files.push_back(File);
    return It->second;
  }
  std::vector<std::string> Files;
  std::map<std::string, int64_t> Index;
};

json::Object Writer::function(const IndexedFunction &F) {
  json::Object O{{"usr", F.USR}, {"name", F.Name}, {"unit", F.Unit}};
  if (F.Definition)
    O["def"] = spot(*F.Definition);
  const FunctionFacts &L = F.Lookup;
  if (L.Known) {
    json::Object LO{{"known", static_cast<int64_t>(L.Known)}};
    if (L.ReturnedMiss)
      LO["returnedMiss"] = json::Object{{"iterator", L.ReturnedMiss->IsIterator},
                                        {"at", spot(L.ReturnedMiss->Lookup)}};
    if (!L.ParamUses.empty()) {
      json::Array A;
      for (const ParamUseFact &U : L.ParamUses)
        A.push_back(json::Object{{"param", static_cast<int64_t>(U.Param)},
                                 {"at", spot(U.Use)}});
      LO["paramUses"] = std::move(A);
    }
    if (L.Membership)
      LO["membership"] =
          json::Object{{"fieldUsr", L.Membership->FieldUSR},
                       {"field", L.Membership->FieldName},
                       {"mapParam", L.Membership->MapParam},
                       {"keyParam", static_cast<int64_t>(L.Membership->KeyParam)},
                       {"trueMeansFound", L.Membership->TrueMeansFound}};
    if (L.NeverReturns)
      LO["neverReturns"] = true;
    O["lookup"] = std::move(LO);
  }
  const ThreadFacts &T = F.Threads;
  if (T.Known) {
    json::Object TO;
    json::Array Acc, Calls, Spawns, Cbs, Ovr;
    for (const MapAccessFact &A : T.Accesses)
      Acc.push_back(json::Object{{"map", A.Map},
                                 {"name", A.MapName},
                                 {"write", A.Write},
                                 {"locks", locks(A.Locks)},
                                 {"guarded", A.Guarded},
                                 {"at", spot(A.At)}});
    for (const CallFact &C : T.Calls)
      Calls.push_back(json::Object{{"callee", C.Callee},
                                   {"virtual", C.Virtual},
                                   {"locks", locks(C.Locks)},
                                   {"guarded", C.Guarded},
                                   {"at", spot(C.At)}});
    for (const SpawnFact &S : T.Spawns) {
      json::Object SO{{"entry", S.Entry}, {"at", spot(S.At)}};
      if (S.JoinedAt)
        SO["joinedAt"] = spot(*S.JoinedAt);
      Spawns.push_back(std::move(SO));
    }
    for (const CallbackFact &C : T.Callbacks)
      Cbs.push_back(json::Object{{"callable", C.Callable},
                                 {"handedTo", C.HandedTo},
                                 {"handedToName", C.HandedToName},
                                 {"toLibrary", C.ToLibrary},
                                 {"at", spot(C.At)}});
    for (const std::string &U : T.Overrides)
      Ovr.push_back(U);
    TO["accesses"] = std::move(Acc);
    TO["calls"] = std::move(Calls);
    TO["spawns"] = std::move(Spawns);
    TO["callbacks"] = std::move(Cbs);
    TO["overrides"] = std::move(Ovr);
    TO["spawnerParam"] = T.SpawnerParam;
    TO["main"] = T.IsMain;
    O["threads"] = std::move(TO);
  }
  return O;
}

// --- Reading ---------------------------------------------------------------

/// Reads the parsed document; the first problem found is kept, with the
/// place in the document (`functions[3].threads.calls[0].at`).
class Reader {
public:
  explicit Reader(const json::Array *Files) : Files(Files) {}

  std::optional<std::string> Problem;

  bool fail(const std::string &Where, const std::string &What) {
    if (!Problem)
      Problem = What + " at " + Where;
    return false;
  }
  bool str(const json::Object &O, llvm::StringRef Key, std::string &Out,
           const std::string &Where, bool Required = true) {
    const json::Value *V = O.get(Key);
    if (!V)
      return Required ? fail(Where, "missing '" + Key.str() + "'") : true;
    auto S = V->getAsString();
    if (!S)
      return fail(Where + "." + Key.str(), "not a string");
    Out = S->str();
    return true;
  }
  bool boolean(const json::Object &O, llvm::StringRef Key, bool &Out,
               const std::string &Where) {
    const json::Value *V = O.get(Key);
    if (!V)
      return true; // absent: false
    auto B = V->getAsBoolean();
    if (!B)
      return fail(Where + "." + Key.str(), "not a boolean");
    Out = *B;
    return true;
  }
  bool integer(const json::Object &O, llvm::StringRef Key, int64_t &Out,
               int64_t Min, int64_t Max, const std::string &Where) {
    const json::Value *V = O.get(Key);
    if (!V)
      return fail(Where, "missing '" + Key.str() + "'");
    auto I = V->getAsInteger();
    if (!I || *I < Min || *I > Max)
      return fail(Where + "." + Key.str(), "not an integer in range");
    Out = *I;
    return true;
  }
  bool spot(const json::Value *V, SourceSpot &Out, const std::string &Where) {
    const json::Array *A = V ? V->getAsArray() : nullptr;
    if (!A || A->size() != 3)
      return fail(Where, "not a [file, line, column] place");
    auto F = (*A)[0].getAsInteger();
    auto L = (*A)[1].getAsInteger();
    auto C = (*A)[2].getAsInteger();
    if (!F || !L || !C || *F < 0 || static_cast<size_t>(*F) >= Files->size() ||
        *L < 0 || *C < 0 || *L > UINT32_MAX || *C > UINT32_MAX)
      return fail(Where, "not a [file, line, column] place");
    auto Name = (*Files)[*F].getAsString();
    if (!Name)
      return fail("files[" + std::to_string(*F) + "]", "not a string");
    Out = SourceSpot{Name->str(), static_cast<unsigned>(*L),
                     static_cast<unsigned>(*C)};
    return true;
  }
  bool locks(const json::Object &O, std::vector<LockFact> &Out,
             const std::string &Where) {
    const json::Value *V = O.get("locks");
    if (!V)
      return true;
    const json::Array *A = V->getAsArray();
    if (!A)
      return fail(Where + ".locks", "not an array");
    for (size_t I = 0; I < A->size(); ++I) {
      const json::Array *P = (*A)[I].getAsArray();
      if (!P || P->size() != 2 || !(*P)[0].getAsString() ||
          !(*P)[1].getAsBoolean())
        return fail(Where + ".locks[" + std::to_string(I) + "]",
                    "not a [mutex, shared] pair");
      Out.push_back(
          LockFact{(*P)[0].getAsString()->str(), *(*P)[1].getAsBoolean()});
    }
    return true;
  }
  /// Calls \p Each on every object of array \p Key of \p O (absent: none).
  template <typename FnT>
  bool objects(const json::Object &O, llvm::StringRef Key,
               const std::string &Where, FnT Each) {
    const json::Value *V = O.get(Key);
    if (!V)
      return true;
    const json::Array *A = V->getAsArray();
    if (!A)
      return fail(Where + "." + Key.str(), "not an array");
    for (size_t I = 0; I < A->size(); ++I) {
      std::string At = Where + "." + Key.str() + "[" + std::to_string(I) + "]";
      const json::Object *E = (*A)[I].getAsObject();
      if (!E)
        return fail(At, "not an object");
      if (!Each(*E, At))
        return false;
    }
    return true;
  }

  bool function(const json::Object &O, const std::string &W,
                IndexedFunction &F);

private:
  const json::Array *Files;
};

bool Reader::function(const json::Object &O, const std::string &W,
                      IndexedFunction &F) {
  if (!str(O, "usr", F.USR, W) || !str(O, "name", F.Name, W) ||
      !str(O, "unit", F.Unit, W, /*Required=*/false))
    return false;
  if (F.USR.empty())
    return fail(W + ".usr", "empty");
  F.Lookup.USR = F.USR;
  F.Lookup.Name = F.Name;
  if (const json::Value *D = O.get("def")) {
    SourceSpot S;
    if (!spot(D, S, W + ".def"))
      return false;
    F.Definition = std::move(S);
  }
  if (const json::Value *LV = O.get("lookup")) {
    const json::Object *L = LV->getAsObject();
    std::string LW = W + ".lookup";
    if (!L)
      return fail(LW, "not an object");
    int64_t Known = 0;
    if (!integer(*L, "known", Known, 0, 15, LW))
      return false;
    FunctionFacts &FF = F.Lookup;
    FF.Known = static_cast<unsigned>(Known);
    if (const json::Value *R = L->get("returnedMiss")) {
      const json::Object *RO = R->getAsObject();
      if (!RO)
        return fail(LW + ".returnedMiss", "not an object");
      ReturnedMissFact RM;
      if (!boolean(*RO, "iterator", RM.IsIterator, LW + ".returnedMiss") ||
          !spot(RO->get("at"), RM.Lookup, LW + ".returnedMiss.at"))
        return false;
      FF.ReturnedMiss = std::move(RM);
    }
    if (!objects(*L, "paramUses", LW,
                 [&](const json::Object &U, const std::string &At) {
                   int64_t P = 0;
                   ParamUseFact PU;
                   if (!integer(U, "param", P, 0, 65535, At) ||
                       !spot(U.get("at"), PU.Use, At + ".at"))
                     return false;
                   PU.Param = static_cast<unsigned>(P);
                   FF.ParamUses.push_back(std::move(PU));
                   return true;
                 }))
      return false;
    if (const json::Value *M = L->get("membership")) {
      const json::Object *MO = M->getAsObject();
      std::string MW = LW + ".membership";
      if (!MO)
        return fail(MW, "not an object");
      MembershipFact MF;
      int64_t MapParam = -1, KeyParam = 0;
      if (!str(*MO, "fieldUsr", MF.FieldUSR, MW) ||
          !str(*MO, "field", MF.FieldName, MW) ||
          !integer(*MO, "mapParam", MapParam, -1, 65535, MW) ||
          !integer(*MO, "keyParam", KeyParam, 0, 65535, MW) ||
          !boolean(*MO, "trueMeansFound", MF.TrueMeansFound, MW))
        return false;
      MF.MapParam = static_cast<int>(MapParam);
      MF.KeyParam = static_cast<unsigned>(KeyParam);
      FF.Membership = std::move(MF);
    }
    if (!boolean(*L, "neverReturns", FF.NeverReturns, LW))
      return false;
  }
  if (const json::Value *TV = O.get("threads")) {
    const json::Object *T = TV->getAsObject();
    std::string TW = W + ".threads";
    if (!T)
      return fail(TW, "not an object");
    ThreadFacts &TF = F.Threads;
    TF.Known = true;
    int64_t SpawnerParam = -1;
    if (!integer(*T, "spawnerParam", SpawnerParam, -1, 65535, TW) ||
        !boolean(*T, "main", TF.IsMain, TW))
      return false;
    TF.SpawnerParam = static_cast<int>(SpawnerParam);
    bool Ok =
        objects(*T, "accesses", TW,
                [&](const json::Object &A, const std::string &At) {
                  MapAccessFact M;
                  if (!str(A, "map", M.Map, At) ||
                      !str(A, "name", M.MapName, At) ||
                      !boolean(A, "write", M.Write, At) ||
                      !locks(A, M.Locks, At) ||
                      !boolean(A, "guarded", M.Guarded, At) ||
                      !spot(A.get("at"), M.At, At + ".at"))
                    return false;
                  TF.Accesses.push_back(std::move(M));
                  return true;
                }) &&
        objects(*T, "calls", TW,
                [&](const json::Object &C, const std::string &At) {
                  CallFact CF;
                  if (!str(C, "callee", CF.Callee, At) ||
                      !boolean(C, "virtual", CF.Virtual, At) ||
                      !locks(C, CF.Locks, At) ||
                      !boolean(C, "guarded", CF.Guarded, At) ||
                      !spot(C.get("at"), CF.At, At + ".at"))
                    return false;
                  TF.Calls.push_back(std::move(CF));
                  return true;
                }) &&
        objects(*T, "spawns", TW,
                [&](const json::Object &S, const std::string &At) {
                  SpawnFact SF;
                  if (!str(S, "entry", SF.Entry, At) ||
                      !spot(S.get("at"), SF.At, At + ".at"))
                    return false;
                  if (const json::Value *J = S.get("joinedAt")) {
                    SourceSpot JS;
                    if (!spot(J, JS, At + ".joinedAt"))
                      return false;
                    SF.JoinedAt = std::move(JS);
                  }
                  TF.Spawns.push_back(std::move(SF));
                  return true;
                }) &&
        objects(*T, "callbacks", TW,
                [&](const json::Object &C, const std::string &At) {
                  CallbackFact CF;
                  if (!str(C, "callable", CF.Callable, At) ||
                      !str(C, "handedTo", CF.HandedTo, At) ||
                      !str(C, "handedToName", CF.HandedToName, At) ||
                      !boolean(C, "toLibrary", CF.ToLibrary, At) ||
                      !spot(C.get("at"), CF.At, At + ".at"))
                    return false;
                  TF.Callbacks.push_back(std::move(CF));
                  return true;
                });
    if (!Ok)
      return false;
    if (const json::Value *OV = T->get("overrides")) {
      const json::Array *A = OV->getAsArray();
      if (!A)
        return fail(TW + ".overrides", "not an array");
      for (const json::Value &U : *A) {
        auto S = U.getAsString();
        if (!S)
          return fail(TW + ".overrides", "not an array of strings");
        TF.Overrides.push_back(S->str());
      }
    }
  }
  return true;
}

/// The index nests 6 levels deep; llvm::json::parse recurses once per
/// level, so a damaged or hostile file nesting thousands deep would
/// overflow the stack of the plugin or clangd. Scanned first, linearly.
constexpr unsigned MaxNesting = 64;
bool nestsTooDeep(llvm::StringRef Text) {
  unsigned Depth = 0;
  bool InString = false, Escaped = false;
  for (char C : Text) {
    if (InString) {
      if (Escaped)
        Escaped = false;
      else if (C == '\\')
        Escaped = true;
      else if (C == '"')
        InString = false;
      continue;
    }
    if (C == '"')
      InString = true;
    else if ((C == '[' || C == '{') && ++Depth > MaxNesting)
      return true;
    else if ((C == ']' || C == '}') && Depth > 0)
      --Depth;
  }
  return false;
}

/// The rank of a record among duplicates: defined first, then knowing more.
std::pair<int, int> rank(const IndexedFunction &F) {
  return {F.Definition ? 1 : 0,
          __builtin_popcount(F.Lookup.Known) + (F.Threads.Known ? 1 : 0)};
}

std::string serialised(const IndexedFunction &F) {
  Writer W;
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << json::Value(W.function(F)) << json::Value(W.files());
  return OS.str();
}

} // namespace

IndexedFunction &ProjectIndex::function(llvm::StringRef USR,
                                        llvm::StringRef Name) {
  auto [It, New] = Functions.try_emplace(USR);
  if (New) {
    It->second.USR = USR.str();
    It->second.Name = Name.str();
    It->second.Lookup.USR = USR.str();
    It->second.Lookup.Name = Name.str();
  }
  return It->second;
}

const IndexedFunction *ProjectIndex::find(llvm::StringRef USR) const {
  auto It = Functions.find(USR);
  return It == Functions.end() ? nullptr : &It->second;
}

void ProjectIndex::merge(const ProjectIndex &Other) {
  Units.insert(Other.Units.begin(), Other.Units.end());
  for (const auto &E : Other.Functions) {
    auto [It, New] = Functions.try_emplace(E.first(), E.second);
    if (New)
      continue;
    IndexedFunction &Mine = It->second;
    const IndexedFunction &Theirs = E.second;
    // A total order on records: the greater stays, whatever the order of
    // the merges.
    auto RM = rank(Mine), RT = rank(Theirs);
    if (RT > RM || (RT == RM && serialised(Theirs) < serialised(Mine)))
      Mine = Theirs;
  }
}

std::string ProjectIndex::toJSON() const {
  std::vector<const IndexedFunction *> Sorted;
  for (const auto &E : Functions)
    Sorted.push_back(&E.second);
  llvm::sort(Sorted, [](const IndexedFunction *A, const IndexedFunction *B) {
    return A->USR < B->USR;
  });
  Writer W;
  json::Array Fns;
  for (const IndexedFunction *F : Sorted)
    Fns.push_back(W.function(*F));
  json::Array UnitList;
  for (const std::string &U : Units)
    UnitList.push_back(U);
  json::Object Doc{{"format", FormatName},
                   {"version", static_cast<int64_t>(FormatVersion)},
                   {"units", std::move(UnitList)},
                   {"files", W.files()},
                   {"functions", std::move(Fns)}};
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << json::Value(std::move(Doc)) << "\n";
  return OS.str();
}

llvm::Expected<ProjectIndex> ProjectIndex::fromJSON(llvm::StringRef Text,
                                                    llvm::StringRef Name) {
  auto Err = [&](const std::string &What) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'%s' is not a usable mapguard index: %s",
                                   Name.str().c_str(), What.c_str());
  };
  if (nestsTooDeep(Text))
    return Err("nested deeper than " + std::to_string(MaxNesting) + " levels");
  llvm::Expected<json::Value> Doc = json::parse(Text);
  if (!Doc) {
    std::string Why = llvm::toString(Doc.takeError());
    return Err("not JSON (" + Why.substr(0, Why.find('\n')) + ")");
  }
  const json::Object *Root = Doc->getAsObject();
  if (!Root)
    return Err("not a JSON object");
  auto Format = Root->getString("format");
  if (!Format || *Format != FormatName)
    return Err("no \"format\": \"mapguard-index\"");
  auto Version = Root->getInteger("version");
  if (!Version)
    return Err("no version");
  if (*Version != static_cast<int64_t>(FormatVersion))
    return Err("index version " + std::to_string(*Version) +
               (*Version > static_cast<int64_t>(FormatVersion)
                    ? " is newer than this mapguard reads ("
                    : " is older than this mapguard reads (") +
               std::to_string(FormatVersion) + "); rebuild it with mapguard index");
  const json::Array *Files = Root->getArray("files");
  const json::Array *Fns = Root->getArray("functions");
  const json::Array *UnitList = Root->getArray("units");
  if (!Files || !Fns || !UnitList)
    return Err("missing \"files\", \"functions\" or \"units\"");
  ProjectIndex Index;
  for (const json::Value &U : *UnitList) {
    auto S = U.getAsString();
    if (!S)
      return Err("units: not an array of strings");
    Index.Units.insert(S->str());
  }
  Reader R(Files);
  for (size_t I = 0; I < Fns->size(); ++I) {
    std::string W = "functions[" + std::to_string(I) + "]";
    const json::Object *O = (*Fns)[I].getAsObject();
    if (!O)
      return Err("not an object at " + W);
    IndexedFunction F;
    if (!R.function(*O, W, F))
      return Err(*R.Problem);
    std::string USR = F.USR;
    if (!Index.Functions.try_emplace(USR, std::move(F)).second)
      return Err("two records of one function at " + W);
  }
  return std::move(Index);
}

llvm::Expected<ProjectIndex> ProjectIndex::readFile(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(),
                                   "cannot read mapguard index '%s': %s",
                                   Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  return fromJSON((*Buffer)->getBuffer(), Path);
}

llvm::Error ProjectIndex::writeFile(llvm::StringRef Path) const {
  std::string Text = toJSON();
  llvm::SmallString<256> Temp(Path);
  Temp += ".tmp-%%%%%%";
  int FD = -1;
  llvm::SmallString<256> TempPath;
  if (std::error_code EC =
          llvm::sys::fs::createUniqueFile(Temp, FD, TempPath))
    return llvm::createStringError(EC, "cannot write mapguard index '%s': %s",
                                   Path.str().c_str(), EC.message().c_str());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Text;
    OS.close();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      llvm::sys::fs::remove(TempPath);
      return llvm::createStringError(EC,
                                     "cannot write mapguard index '%s': %s",
                                     Path.str().c_str(), EC.message().c_str());
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(TempPath, Path)) {
    llvm::sys::fs::remove(TempPath);
    return llvm::createStringError(EC, "cannot write mapguard index '%s': %s",
                                   Path.str().c_str(), EC.message().c_str());
  }
  return llvm::Error::success();
}

llvm::Expected<std::shared_ptr<const ProjectIndex>>
ProjectIndex::load(llvm::StringRef Path) {
  struct Cached {
    llvm::sys::TimePoint<> Modified;
    uint64_t Size = 0;
    std::shared_ptr<const ProjectIndex> Index;
  };
  static std::mutex Lock;
  static std::map<std::string, Cached> Cache;
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(Path, Status))
    return llvm::createStringError(EC, "cannot read mapguard index '%s': %s",
                                   Path.str().c_str(), EC.message().c_str());
  if (Status.type() != llvm::sys::fs::file_type::regular_file)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot read mapguard index '%s': not a "
                                   "regular file",
                                   Path.str().c_str());
  std::lock_guard<std::mutex> Guard(Lock);
  Cached &C = Cache[Path.str()];
  if (C.Index && C.Modified == Status.getLastModificationTime() &&
      C.Size == Status.getSize())
    return C.Index;
  llvm::Expected<ProjectIndex> Read = readFile(Path);
  if (!Read) {
    Cache.erase(Path.str());
    return Read.takeError();
  }
  C.Modified = Status.getLastModificationTime();
  C.Size = Status.getSize();
  C.Index = std::make_shared<const ProjectIndex>(std::move(*Read));
  return C.Index;
}

const IndexedFunction *IndexView::find(llvm::StringRef USR) const {
  if (Fresh)
    if (const IndexedFunction *F = Fresh->find(USR))
      return F;
  if (Base)
    if (const IndexedFunction *F = Base->find(USR); F && shows(*F))
      return F;
  return nullptr;
}

bool IndexView::shows(const IndexedFunction &F) const {
  if (F.Unit == MainFile)
    return false;
  return !Fresh || !Fresh->find(F.USR);
}

} // namespace clang::tidy::mapguard
