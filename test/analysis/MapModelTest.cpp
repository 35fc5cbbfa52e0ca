//===--- MapModelTest.cpp - unit tests of analysis/MapModel ---------------===//

#include "analysis/core/MapModel.h"
#include "AnalysisTestUtil.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::tidy;
using namespace clang::tidy::mapguard;

namespace {

using mapguard_test::findNamed;
using mapguard_test::parse;

/// The type of the variable NAME.
QualType typeOf(ASTContext &Ctx, StringRef Name) {
  const auto *V = findNamed<VarDecl>(Ctx, Name);
  EXPECT_TRUE(V) << "no variable " << Name.str();
  return V ? V->getType() : QualType();
}

/// The initialiser of the variable NAME, as written.
const Expr *initOf(ASTContext &Ctx, StringRef Name) {
  const auto *V = findNamed<VarDecl>(Ctx, Name);
  EXPECT_TRUE(V && V->getInit()) << "no initialised variable " << Name.str();
  return V ? V->getInit()->IgnoreImplicit() : nullptr;
}

/// The first statement of function NAME.
const Expr *firstStmt(ASTContext &Ctx, StringRef Name) {
  const auto *F = findNamed<FunctionDecl>(Ctx, Name);
  EXPECT_TRUE(F && F->hasBody());
  const auto *Body = cast<CompoundStmt>(F->getBody());
  return cast<Expr>(Body->body_front());
}

constexpr const char *Prelude = R"cc(
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>
namespace my { template <class K, class V> struct FlatMap { using mapped_type = V; }; }
)cc";

TEST(MapModelTest, MapTypes) {
  auto AST = parse(std::string(Prelude) + R"cc(
    std::map<int, int> a;
    const std::unordered_map<std::string, int*> &b = *new std::unordered_map<std::string, int*>;
    std::multimap<int, int> c;
    using Alias = std::map<int, std::string>;
    Alias d;
    std::vector<int> e;
    std::map<int, int> *f;
    my::FlatMap<int, int> g;
  )cc");
  ASTContext &Ctx = AST->getASTContext();
  MapModel M{MapModelOptions{}};
  EXPECT_TRUE(M.isMapType(typeOf(Ctx, "a")));
  EXPECT_TRUE(M.isMapType(typeOf(Ctx, "b")));
  EXPECT_TRUE(M.isMapType(typeOf(Ctx, "c")));
  EXPECT_TRUE(M.isMapType(typeOf(Ctx, "d")));
  EXPECT_FALSE(M.isMapType(typeOf(Ctx, "e")));
  EXPECT_FALSE(M.isMapType(typeOf(Ctx, "f"))) << "pointers are not looked through";
  EXPECT_FALSE(M.isMapType(typeOf(Ctx, "g")));

  MapModelOptions Extra;
  Extra.ExtraMapTypes = {"my::FlatMap"};
  MapModel WithExtra{Extra};
  EXPECT_TRUE(WithExtra.isMapType(typeOf(Ctx, "g")));

  MapModelOptions Ignore;
  Ignore.Ignored = {"::std::multimap"};
  MapModel WithIgnored{Ignore};
  EXPECT_FALSE(WithIgnored.isMapType(typeOf(Ctx, "c")));
  EXPECT_TRUE(WithIgnored.isMapType(typeOf(Ctx, "a")));
}

TEST(MapModelTest, QualifiedNamesSkipInlineNamespaces) {
  auto AST = parse(std::string(Prelude) + "std::string s;");
  ASTContext &Ctx = AST->getASTContext();
  MapModel M{MapModelOptions{}};
  const CXXRecordDecl *RD = typeOf(Ctx, "s")->getAsCXXRecordDecl();
  ASSERT_TRUE(RD);
  const auto *Spec = cast<ClassTemplateSpecializationDecl>(RD);
  EXPECT_EQ(M.qualifiedName(Spec->getSpecializedTemplate()),
            "std::basic_string");
  std::vector<std::string> Patterns = {"basic_string"};
  EXPECT_TRUE(M.nameMatches(Spec->getSpecializedTemplate(), Patterns));
  Patterns = {"::string"};
  EXPECT_FALSE(M.nameMatches(Spec->getSpecializedTemplate(), Patterns));
  Patterns = {"d::basic_string"};
  EXPECT_FALSE(M.nameMatches(Spec->getSpecializedTemplate(), Patterns))
      << "a suffix must start at a scope boundary";
}

TEST(MapModelTest, MappedAndHandleTypes) {
  auto AST = parse(std::string(Prelude) + R"cc(
    std::map<int, std::shared_ptr<int>> a;
    std::unordered_map<int, std::function<void()>> b;
    std::map<int, int> c;
    std::map<int, std::string> d;
    int *p;
    std::unique_ptr<int> u;
    std::optional<int> o;
    void (*fp)();
    std::vector<int> v;
  )cc");
  ASTContext &Ctx = AST->getASTContext();
  MapModel M{MapModelOptions{}};
  EXPECT_TRUE(M.isHandleType(M.mappedType(typeOf(Ctx, "a"))));
  EXPECT_TRUE(M.isHandleType(M.mappedType(typeOf(Ctx, "b"))));
  EXPECT_FALSE(M.isHandleType(M.mappedType(typeOf(Ctx, "c"))));
  EXPECT_FALSE(M.isHandleType(M.mappedType(typeOf(Ctx, "d"))));
  EXPECT_TRUE(M.isHandleType(typeOf(Ctx, "p")));
  EXPECT_TRUE(M.isHandleType(typeOf(Ctx, "u")));
  EXPECT_TRUE(M.isHandleType(typeOf(Ctx, "o")));
  EXPECT_TRUE(M.isHandleType(typeOf(Ctx, "fp")));
  EXPECT_FALSE(M.isHandleType(typeOf(Ctx, "v")));
  EXPECT_TRUE(M.mappedType(typeOf(Ctx, "v")).isNull());
}

TEST(MapModelTest, LocksAndMutexes) {
  auto AST = parse(std::string(Prelude) + R"cc(
    std::mutex mu;
    std::shared_mutex smu;
    struct Spin { void lock(); void unlock(); } spin;
    struct NotALock { void lock(); } half;
    void f() {
      std::lock_guard<std::mutex> g1(mu);
      std::unique_lock<std::mutex> g2(mu, std::defer_lock);
      std::shared_lock<std::shared_mutex> g3(smu);
      std::scoped_lock g4(spin);
    }
  )cc");
  ASTContext &Ctx = AST->getASTContext();
  MapModel M{MapModelOptions{}};
  EXPECT_TRUE(M.isMutexType(typeOf(Ctx, "mu")));
  EXPECT_TRUE(M.isMutexType(typeOf(Ctx, "smu")));
  EXPECT_TRUE(M.isMutexType(typeOf(Ctx, "spin")));
  EXPECT_FALSE(M.isMutexType(typeOf(Ctx, "half")));
  EXPECT_TRUE(M.isLockGuardType(typeOf(Ctx, "g1")));
  EXPECT_FALSE(M.isReleasableLockGuardType(typeOf(Ctx, "g1")));
  EXPECT_TRUE(M.isLockGuardType(typeOf(Ctx, "g2")));
  EXPECT_TRUE(M.isReleasableLockGuardType(typeOf(Ctx, "g2")));
  EXPECT_FALSE(M.isSharedLockGuardType(typeOf(Ctx, "g2")));
  EXPECT_TRUE(M.isSharedLockGuardType(typeOf(Ctx, "g3")));
  EXPECT_TRUE(M.isLockGuardType(typeOf(Ctx, "g4")));
  EXPECT_FALSE(M.isMutexType(typeOf(Ctx, "g1"))) << "a guard is not a mutex";
}

TEST(MapModelTest, InferredThreadPoolAndGuardTypes) {
  auto AST = parse(std::string(Prelude) + R"cc(
    #include <atomic>
    #include <thread>
    struct Thread {
      explicit Thread(std::function<void()> f) : fn(f) {}
      void start() { t = std::thread([this] { fn(); }); }
      std::function<void()> fn;
      std::thread t;
    };
    struct Holder { explicit Holder(std::function<void()> f) : fn(f) {} std::function<void()> fn; };
    struct Pool {
      void submit(std::function<void()> f) { q.push_back(f); }
      void resize(std::function<void()> f) { q.push_back(f); }
      std::vector<std::function<void()>> q;
      std::vector<std::thread> workers;
    };
    struct Guard {
      explicit Guard(std::mutex &m) : mu(m) { mu.lock(); }
      ~Guard() { mu.unlock(); }
      std::mutex &mu;
    };
    struct Logger {  // locks and unlocks in the constructor: no guard
      explicit Logger(std::mutex &m) : mu(m) { mu.lock(); mu.unlock(); }
      ~Logger() {}
      std::mutex &mu;
    };
    struct Spin {
      explicit Spin(std::atomic_flag &f) : flag(f) { while (flag.test_and_set()) {} }
      ~Spin() { flag.clear(); }
      std::atomic_flag &flag;
    };
    std::mutex mu;
    std::atomic_flag af;
    Thread th([] {});
    Holder ho([] {});
    Pool pool;
    Guard g(mu);
    Logger lo(mu);
    Spin sp(af);
  )cc");
  ASTContext &Ctx = AST->getASTContext();
  MapModel M{MapModelOptions{}};
  EXPECT_TRUE(M.isThreadType(typeOf(Ctx, "th")));
  EXPECT_TRUE(M.isInferredThreadType(typeOf(Ctx, "th")));
  EXPECT_FALSE(M.isThreadType(typeOf(Ctx, "ho"))) << "runs no thread";
  EXPECT_FALSE(M.isThreadType(typeOf(Ctx, "pool"))) << "no callable ctor";
  const auto *Pool = typeOf(Ctx, "pool")->getAsCXXRecordDecl();
  const CXXMethodDecl *Submit = nullptr, *Resize = nullptr;
  for (const CXXMethodDecl *MD : Pool->methods()) {
    if (MD->getName() == "submit") Submit = MD;
    if (MD->getName() == "resize") Resize = MD;
  }
  EXPECT_TRUE(M.isSpawnerFunction(Submit));
  EXPECT_FALSE(M.isSpawnerFunction(Resize)) << "not a pool method name";
  EXPECT_TRUE(M.isLockGuardType(typeOf(Ctx, "g")));
  EXPECT_TRUE(M.isInferredLockGuardType(typeOf(Ctx, "g")));
  EXPECT_FALSE(M.isLockGuardType(typeOf(Ctx, "lo")));
  EXPECT_TRUE(M.isLockGuardType(typeOf(Ctx, "sp")));
  EXPECT_TRUE(M.isMutexType(typeOf(Ctx, "af"))) << "a spin lock";
  EXPECT_FALSE(M.isThreadType(typeOf(Ctx, "mu")));
}

TEST(MapModelTest, AccessKinds) {
  auto AST = parse(std::string(Prelude) + R"cc(
    std::map<int, int> m, n;
    void sub() { m[1]; }
    void find() { m.find(1); }
    void at() { m.at(1); }
    void ins() { m.insert({1, 2}); }
    void clr() { m.clear(); }
    void asg() { m = n; }
    void swp() { std::swap(m, n); }
    void sz() { m.size(); }
    void cnt() { m.count(1); }
    void era() { m.erase(1); }
    std::vector<int> v;
    void vec() { v.push_back(1); }
  )cc");
  ASTContext &Ctx = AST->getASTContext();
  MapModel M{MapModelOptions{}};
  auto Kind = [&](StringRef F) { return M.classifyAccess(firstStmt(Ctx, F)); };
  EXPECT_EQ(Kind("sub"), MapAccessKind::Write);
  EXPECT_EQ(Kind("find"), MapAccessKind::Read);
  EXPECT_EQ(Kind("at"), MapAccessKind::Read);
  EXPECT_EQ(Kind("ins"), MapAccessKind::Write);
  EXPECT_EQ(Kind("clr"), MapAccessKind::Write);
  EXPECT_EQ(Kind("asg"), MapAccessKind::Write);
  EXPECT_EQ(Kind("swp"), MapAccessKind::Write);
  EXPECT_EQ(Kind("sz"), MapAccessKind::Read);
  EXPECT_EQ(Kind("cnt"), MapAccessKind::Read);
  EXPECT_EQ(Kind("era"), MapAccessKind::Write);
  EXPECT_EQ(Kind("vec"), MapAccessKind::None);
}

TEST(MapModelTest, Lookups) {
  auto AST = parse(std::string(Prelude) + R"cc(
    std::map<int, int *> ptrs;
    std::map<int, int> counts;
    std::map<int, std::map<int, std::shared_ptr<int>>> nested;
    int *FindOrNull(std::map<int, int *> &, int);
    auto a = ptrs[1];
    auto b = counts[1];
    auto c = ptrs.find(1);
    auto d = ptrs.at(1);
    auto e = nested[1][2];
    auto f = FindOrNull(ptrs, 1);
    auto g = ptrs.count(1);
  )cc");
  ASTContext &Ctx = AST->getASTContext();
  MapModel M{MapModelOptions{}};
  EXPECT_EQ(M.classifyLookup(initOf(Ctx, "a")), LookupKind::Subscript);
  EXPECT_EQ(M.classifyLookup(initOf(Ctx, "b")), std::nullopt)
      << "a counter map's default is a valid value";
  EXPECT_EQ(M.classifyLookup(initOf(Ctx, "c")), LookupKind::FindIterator);
  EXPECT_EQ(M.classifyLookup(initOf(Ctx, "d")), std::nullopt)
      << "at() throws on a miss";
  EXPECT_EQ(M.classifyLookup(initOf(Ctx, "e")), LookupKind::Subscript);
  EXPECT_EQ(M.classifyLookup(initOf(Ctx, "f")), LookupKind::LookupFunction);
  EXPECT_EQ(M.classifyLookup(initOf(Ctx, "g")), std::nullopt);
}

TEST(MapModelTest, Functions) {
  auto AST = parse(std::string(Prelude) + R"cc(
    #include <cstdio>
    #include <cstdlib>
    [[noreturn]] void die(const char *);
    void log(const char *);
    void close_it(int);
    struct Conn { void Close(); };
    extern "C" int fclose(FILE *); // redeclared here so that the test finds it
  )cc");
  ASTContext &Ctx = AST->getASTContext();
  MapModelOptions Opts;
  Opts.NoReturn = {"fatal"};
  Opts.Close = {"fclose", "Close"};
  MapModel M{Opts};
  EXPECT_TRUE(M.isNoReturnFunction(findNamed<FunctionDecl>(Ctx, "die")))
      << "[[noreturn]] needs no option";
  EXPECT_FALSE(M.isNoReturnFunction(findNamed<FunctionDecl>(Ctx, "log")));
  EXPECT_TRUE(M.isCloseFunction(findNamed<FunctionDecl>(Ctx, "fclose")));
  EXPECT_TRUE(M.isCloseFunction(findNamed<FunctionDecl>(Ctx, "Close")));
  EXPECT_FALSE(M.isCloseFunction(findNamed<FunctionDecl>(Ctx, "close_it")));
}

TEST(MapModelTest, OptionsLocalThenGlobal) {
  ClangTidyOptions Opts = ClangTidyOptions::getDefaults();
  Opts.CheckOptions["mapguard-x.MapTypes"] = "a::Map;b::Map";
  Opts.CheckOptions["MapTypes"] = "global::Map";
  Opts.CheckOptions["HandleTypes"] = "h::Handle";
  ClangTidyContext Context(std::make_unique<DefaultOptionsProvider>(
      ClangTidyGlobalOptions(), Opts));
  Context.setCurrentFile("input.cpp");
  ClangTidyCheck::OptionsView View("mapguard-x", Opts.CheckOptions, &Context);
  MapModelOptions Read = MapModelOptions::read(
      View, MapModelOptions::MapTypes | MapModelOptions::HandleTypes |
                MapModelOptions::CloseFunctions);
  EXPECT_EQ(Read.ExtraMapTypes, (std::vector<std::string>{"a::Map", "b::Map"}));
  EXPECT_EQ(Read.ExtraHandleTypes, (std::vector<std::string>{"h::Handle"}));
  EXPECT_EQ(Read.Close.front(), "close") << "the documented default";

  ClangTidyOptions::OptionMap Stored;
  Read.store(View, Stored);
  EXPECT_EQ(Stored["mapguard-x.MapTypes"].Value, "a::Map;b::Map");
  EXPECT_EQ(Stored.count("mapguard-x.LockTypes"), 0u)
      << "groups the check does not use are not stored";
}

} // namespace
