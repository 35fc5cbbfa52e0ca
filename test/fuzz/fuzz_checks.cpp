//===--- fuzz_checks.cpp - libFuzzer target of the mapguard checks --------===//
//
// fuzz_checks runs every mapguard check, in process and through clang-tidy's
// library as the scanner runs them, on a small translation unit made from the
// input bytes:
//   - byte 0 chooses the budgets of the checks (MaxBlocks, MaxBlockVisits,
//     MaxTrackedSlots: the default or a tiny one), ReportSkipped, and
//     whether the skips are collected as the scanner collects them;
//   - byte 0 == 0xFF: the rest is C++ source text, compiled after the prelude;
//   - otherwise each later byte is a choice of a small generator (Generator
//     below) that writes functions with map lookups, m[k], find/end tests,
//     if/else, loops, switch, goto, try, lambdas, std::thread and std::async
//     spawns, lock_guard, unique_lock, gsl::finally cleanups: code that
//     mostly compiles and exercises the analyses.
// The translation unit includes no header: the prelude declares minimal
// look-alikes of std::map, std::unordered_map, std::shared_ptr, std::thread,
// std::mutex, the locks and gsl::finally, in the namespaces the analyses
// match, so that each input parses in milliseconds. A crash, an assertion, a
// sanitizer report or a timeout (a hang) fails the run.
//
// MAPGUARD_FUZZ_PRINT=1 in the environment prints each generated source and
// its diagnostics (the checks' and the compiler's errors) to stderr: to see
// that the generator writes valid code, and to turn a crashing input into a
// lit test.
//
//===----------------------------------------------------------------------===//

#include "CheckList.h"
#include "analysis/core/MapGuardAnalyses.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

using namespace clang;
using namespace clang::tidy;
using namespace clang::tidy::mapguard;

namespace {

constexpr llvm::StringLiteral InputName = "/fuzz/input.cpp";

/// What the generated code and the raw text are compiled after.
constexpr llvm::StringLiteral Prelude = R"cpp(
namespace std {
using size_t = decltype(sizeof(0));
using nullptr_t = decltype(nullptr);
template <class T> struct remove_reference { using type = T; };
template <class T> struct remove_reference<T &> { using type = T; };
template <class T> struct remove_reference<T &&> { using type = T; };
template <class T> typename remove_reference<T>::type &&move(T &&t) {
  return static_cast<typename remove_reference<T>::type &&>(t);
}
template <class T> T &&forward(typename remove_reference<T>::type &t) {
  return static_cast<T &&>(t);
}
template <class A, class B> struct pair { A first; B second; };
template <class T> struct less {
  bool operator()(const T &a, const T &b) const { return a < b; }
};
template <class T> struct hash { size_t operator()(const T &) const; };
template <class T> class shared_ptr {
public:
  shared_ptr() = default;
  shared_ptr(nullptr_t) {}
  explicit shared_ptr(T *p) : p(p) {}
  T *operator->() const { return p; }
  T &operator*() const { return *p; }
  T *get() const { return p; }
  explicit operator bool() const { return p != nullptr; }
  void reset() { p = nullptr; }
private:
  T *p = nullptr;
};
template <class T, class... A> shared_ptr<T> make_shared(A &&...a) {
  return shared_ptr<T>(new T(forward<A>(a)...));
}
template <class T> class optional {
public:
  optional() = default;
  T *operator->();
  T &operator*();
  explicit operator bool() const;
  bool has_value() const;
  T &value();
};
#define MAPGUARD_FUZZ_MAP_BODY                                                 \
public:                                                                        \
  using key_type = K;                                                          \
  using mapped_type = V;                                                       \
  using value_type = pair<const K, V>;                                         \
  struct iterator {                                                            \
    value_type *p = nullptr;                                                   \
    value_type &operator*() const { return *p; }                               \
    value_type *operator->() const { return p; }                               \
    iterator &operator++() { return *this; }                                   \
    bool operator==(const iterator &o) const { return p == o.p; }              \
    bool operator!=(const iterator &o) const { return p != o.p; }              \
  };                                                                           \
  V &operator[](const K &k);                                                   \
  V &at(const K &k);                                                           \
  iterator find(const K &k);                                                   \
  iterator begin();                                                            \
  iterator end();                                                              \
  bool contains(const K &k) const;                                             \
  size_t count(const K &k) const;                                              \
  pair<iterator, bool> insert(const value_type &v);                            \
  template <class... A> pair<iterator, bool> emplace(A &&...a);                \
  template <class... A> pair<iterator, bool> try_emplace(const K &k, A &&...a);\
  size_t erase(const K &k);                                                    \
  iterator erase(iterator it);                                                 \
  size_t size() const;                                                         \
  bool empty() const;                                                          \
  void clear();
template <class K, class V, class C = less<K>> class map {
  MAPGUARD_FUZZ_MAP_BODY
};
template <class K, class V, class H = hash<K>> class unordered_map {
  MAPGUARD_FUZZ_MAP_BODY
};
class mutex {
public:
  void lock();
  void unlock();
  bool try_lock();
};
template <class M> class lock_guard {
public:
  explicit lock_guard(M &m) : m(m) { m.lock(); }
  ~lock_guard() { m.unlock(); }
  lock_guard(const lock_guard &) = delete;
private:
  M &m;
};
template <class M> class unique_lock {
public:
  explicit unique_lock(M &m);
  ~unique_lock();
  void lock();
  void unlock();
};
class thread {
public:
  thread() = default;
  template <class F, class... A> explicit thread(F &&f, A &&...a) {
    f(a...);
  }
  thread(thread &&) = default;
  thread &operator=(thread &&) = default;
  ~thread();
  void join();
  void detach();
  bool joinable() const;
};
template <class T> class future {
public:
  T get();
  void wait();
};
template <class F> future<void> async(F &&f) {
  f();
  return {};
}
[[noreturn]] void terminate();
} // namespace std
namespace gsl {
template <class F> class final_action {
public:
  explicit final_action(F f) : f(std::move(f)) {}
  ~final_action() { f(); }
private:
  F f;
};
template <class F> final_action<F> finally(F f) {
  return final_action<F>(std::move(f));
}
} // namespace gsl
struct FILE;
extern "C" int fclose(FILE *);
extern "C" [[noreturn]] void abort();
extern "C" [[noreturn]] void __assert_fail(const char *, const char *,
                                           unsigned, const char *);
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
struct Session {
  void send();
  bool alive() const;
};
void note(const char *);
using Map = std::map<int, std::shared_ptr<Session>>;
Map g_map;
std::unordered_map<int, Session *> g_umap;
std::map<int, FILE *> g_files;
std::map<int, int> g_counts;
std::map<int, std::optional<int>> g_opts;
std::mutex g_mu;
std::shared_ptr<Session> lookup(Map &m, int k) { return m[k]; }
Map::iterator locate(Map &m, int k) { return m.find(k); }
bool has(Map &m, int k) { return m.count(k) != 0; }
)cpp";

/// The input bytes as a sequence of choices; 0 once they run out, which
/// ends every block.
class Choices {
public:
  Choices(const uint8_t *Data, size_t Size) : Data(Data), Size(Size) {}
  unsigned pick(unsigned N) {
    if (N <= 1 || Pos >= Size)
      return 0;
    return Data[Pos++] % N;
  }
  bool flip() { return pick(2); }

private:
  const uint8_t *Data;
  size_t Size;
  size_t Pos = 0;
};

/// The maps code can name, and what their values are.
enum class Values { Handle, Pointer, File, Count, Optional };
struct MapName {
  const char *Name;
  Values Kind;
};
constexpr MapName FreeMaps[] = {{"m", Values::Handle},
                                {"g_map", Values::Handle},
                                {"g_umap", Values::Pointer},
                                {"g_files", Values::File},
                                {"g_counts", Values::Count},
                                {"g_opts", Values::Optional}};
/// In methods of Service, also its members.
constexpr MapName MemberMaps[] = {{"sessions", Values::Handle},
                                  {"m", Values::Handle},
                                  {"g_umap", Values::Pointer},
                                  {"g_files", Values::File}};

/// A variable the generated code declared: a value from a map, an iterator
/// into one, or a thread.
struct Var {
  enum Kinds { Value, Iterator, Thread } Kind;
  std::string Name;
  MapName Map;
};

/// Writes a translation unit from the choices: up to four functions (free
/// or methods of a class with a map and a mutex), each a block of
/// statements nested at most MaxDepth deep, MaxStatements in all.
class Generator {
public:
  explicit Generator(Choices &C) : C(C) {}

  std::string run() {
    unsigned Functions = 1 + C.pick(4);
    for (unsigned F = 0; F < Functions; ++F)
      IsMethod.push_back(C.pick(3) == 0);
    std::string Out;
    Out += "struct Service {\n  Map sessions;\n  std::mutex mu;\n"
           "  std::thread worker;\n";
    for (unsigned F = 0; F < Functions; ++F)
      if (IsMethod[F])
        Out += "  void f" + std::to_string(F) + "(int k, Map &m);\n";
    Out += "};\n";
    for (unsigned F = 0; F < Functions; ++F)
      if (!IsMethod[F])
        Out += "void f" + std::to_string(F) + "(int k, Map &m);\n";
    for (unsigned F = 0; F < Functions; ++F) {
      Method = IsMethod[F];
      Out += std::string("void ") + (Method ? "Service::" : "") + "f" +
             std::to_string(F) + "(int k, Map &m) {\nagain:\n  {\n";
      Scopes.assign(1, {});
      Keys.assign(1, "k");
      block(Out, 2);
      Out += "  }\ndone:\n  return;\n}\n";
    }
    return Out;
  }

private:
  static constexpr unsigned MaxDepth = 5;
  static constexpr unsigned MaxStatements = 80;

  llvm::ArrayRef<MapName> maps() const {
    if (Method)
      return MemberMaps;
    return FreeMaps;
  }
  const MapName &anyMap() { return maps()[C.pick(maps().size())]; }
  /// A map whose values are pointers or handles.
  const MapName &handleMap() {
    for (unsigned Tries = 0; Tries < 4; ++Tries) {
      const MapName &M = anyMap();
      if (M.Kind == Values::Handle || M.Kind == Values::Pointer)
        return M;
    }
    return maps().front();
  }
  std::string key() {
    switch (C.pick(4)) {
    case 0:
      return Keys[C.pick(Keys.size())];
    case 1:
      return "0";
    case 2:
      return "1";
    default:
      return "k + 1";
    }
  }
  std::string fresh(const char *Prefix) {
    return Prefix + std::to_string(Counter++);
  }
  /// A variable of \p Kind in scope, or null.
  const Var *pickVar(Var::Kinds Kind) {
    std::vector<const Var *> Found;
    for (const std::vector<Var> &S : Scopes)
      for (const Var &V : S)
        if (V.Kind == Kind)
          Found.push_back(&V);
    if (Found.empty())
      return nullptr;
    return Found[C.pick(Found.size())];
  }
  void declare(Var V) { Scopes.back().push_back(std::move(V)); }

  /// What a use of a value of \p M looks like.
  static std::string use(const std::string &E, const MapName &M) {
    switch (M.Kind) {
    case Values::Handle:
    case Values::Pointer:
      return E + "->send();";
    case Values::File:
      return "fclose(" + E + ");";
    case Values::Count:
      return "note(" + E + " ? \"some\" : \"none\");";
    case Values::Optional:
      return "(void)*" + E + ";";
    }
    return ";";
  }
  /// A value of \p M's type that is not a live one.
  static std::string null(const MapName &M) {
    switch (M.Kind) {
    case Values::Count:
      return "0";
    case Values::Optional:
      return "std::optional<int>()";
    default:
      return "nullptr";
    }
  }

  void line(std::string &Out, unsigned Depth, const std::string &Text) {
    Out.append(2 * Depth, ' ');
    Out += Text;
    Out += '\n';
  }

  /// Statements until a 0 choice, the depth or the statement budget.
  void block(std::string &Out, unsigned Depth) {
    Scopes.emplace_back();
    while (Statements < MaxStatements) {
      unsigned Kind = C.pick(26);
      if (Kind == 0)
        break;
      ++Statements;
      statement(Out, Depth, Kind);
    }
    Scopes.pop_back();
  }
  /// A nested block in braces, or an empty one past MaxDepth.
  void nested(std::string &Out, unsigned Depth) {
    if (Depth >= MaxDepth)
      return;
    block(Out, Depth + 1);
  }
  /// The body of a lambda: no goto to the labels of the function.
  void lambdaBody(std::string &Out, unsigned Depth) {
    ++InLambda;
    nested(Out, Depth);
    --InLambda;
  }

  void statement(std::string &Out, unsigned Depth, unsigned Kind) {
    switch (Kind) {
    case 1: { // a value from operator[]
      const MapName &M = anyMap();
      std::string V = fresh("v");
      line(Out, Depth,
           std::string(C.flip() ? "auto " : "auto &") + V + " = " + M.Name +
               "[" + key() + "];");
      declare({Var::Value, V, M});
      return;
    }
    case 2: { // use a value
      if (const Var *V = pickVar(Var::Value))
        line(Out, Depth, use(V->Name, V->Map));
      return;
    }
    case 3: { // find
      const MapName &M = anyMap();
      std::string It = fresh("it");
      line(Out, Depth,
           "auto " + It + " = " + M.Name + ".find(" + key() + ");");
      declare({Var::Iterator, It, M});
      return;
    }
    case 4: { // test an iterator against end()
      const Var *It = pickVar(Var::Iterator);
      if (!It)
        return;
      std::string End = std::string(It->Map.Name) + ".end()";
      std::string Name = It->Name;
      switch (C.pick(4)) {
      case 0:
        line(Out, Depth, "if (" + Name + " == " + End + ")");
        line(Out, Depth + 1, "return;");
        return;
      case 1:
        line(Out, Depth, "if (" + Name + " == " + End + ") {");
        line(Out, Depth + 1, "note(\"missing\");");
        nested(Out, Depth);
        line(Out, Depth, "}");
        return;
      case 2:
        line(Out, Depth, "if (" + Name + " != " + End + ") {");
        nested(Out, Depth);
        line(Out, Depth, "}");
        return;
      default:
        line(Out, Depth, "if (" + Name + " == " + End + ") {");
        nested(Out, Depth);
        line(Out, Depth, "} else {");
        nested(Out, Depth);
        line(Out, Depth, "}");
        return;
      }
    }
    case 5: { // use an iterator
      if (const Var *It = pickVar(Var::Iterator))
        line(Out, Depth, use(It->Name + "->second", It->Map));
      return;
    }
    case 6: { // test a value
      const Var *V = pickVar(Var::Value);
      if (!V)
        return;
      if (C.flip()) {
        line(Out, Depth, "if (!" + V->Name + ")");
        line(Out, Depth + 1, C.flip() ? "return;" : "abort();");
      } else {
        line(Out, Depth, "if (" + V->Name + ") {");
        nested(Out, Depth);
        line(Out, Depth, "}");
      }
      return;
    }
    case 7: { // for
      std::string I = fresh("i");
      line(Out, Depth,
           "for (int " + I + " = 0; " + I + " < k; ++" + I + ") {");
      Keys.push_back(I);
      nested(Out, Depth);
      Keys.pop_back();
      line(Out, Depth, "}");
      return;
    }
    case 8: // while
      line(Out, Depth, "while (k > 0) {");
      line(Out, Depth + 1, "--k;");
      nested(Out, Depth);
      line(Out, Depth, "}");
      return;
    case 9: { // a lock
      const char *Mutex = Method && C.flip() ? "mu" : "g_mu";
      std::string G = fresh("g");
      switch (C.pick(3)) {
      case 0:
        line(Out, Depth, "{");
        line(Out, Depth + 1,
             "std::lock_guard<std::mutex> " + G + "(" + Mutex + ");");
        nested(Out, Depth);
        line(Out, Depth, "}");
        return;
      case 1:
        line(Out, Depth, "{");
        line(Out, Depth + 1,
             "std::unique_lock<std::mutex> " + G + "(" + Mutex + ");");
        nested(Out, Depth);
        line(Out, Depth + 1, G + ".unlock();");
        nested(Out, Depth);
        line(Out, Depth, "}");
        return;
      default:
        line(Out, Depth, std::string(Mutex) + ".lock();");
        nested(Out, Depth);
        line(Out, Depth, std::string(Mutex) + ".unlock();");
        return;
      }
    }
    case 10: { // a thread
      std::string T = fresh("t");
      switch (C.pick(3)) {
      case 0:
        line(Out, Depth, "std::thread " + T + "([&] {");
        lambdaBody(Out, Depth);
        line(Out, Depth, "});");
        declare({Var::Thread, T, maps().front()});
        return;
      case 1:
        line(Out, Depth, "std::thread([&] {");
        lambdaBody(Out, Depth);
        line(Out, Depth, "}).detach();");
        return;
      default:
        line(Out, Depth, "auto " + T + " = std::async([&] {");
        lambdaBody(Out, Depth);
        line(Out, Depth, "});");
        line(Out, Depth, T + ".wait();");
        return;
      }
    }
    case 11: // join a thread
      if (const Var *T = pickVar(Var::Thread))
        line(Out, Depth, T->Name + ".join();");
      return;
    case 12: { // a deferred cleanup
      std::string G = fresh("c");
      std::string Body;
      if (const Var *It = pickVar(Var::Iterator))
        Body = use(It->Name + "->second", It->Map);
      else if (const Var *V = pickVar(Var::Value))
        Body = use(V->Name, V->Map);
      else
        Body = "note(\"cleanup\");";
      line(Out, Depth, "auto " + G + " = gsl::finally([&] { " + Body + " });");
      return;
    }
    case 13: // goto
      if (InLambda)
        return;
      line(Out, Depth,
           C.flip() ? "if (k == " + std::to_string(C.pick(4)) + ") goto done;"
                    : std::string("if (k-- > 0) goto again;"));
      return;
    case 14: { // a lambda, called
      std::string L = fresh("l"), X = fresh("x");
      line(Out, Depth, "auto " + L + " = [&](int " + X + ") {");
      Keys.push_back(X);
      lambdaBody(Out, Depth);
      Keys.pop_back();
      line(Out, Depth, "};");
      line(Out, Depth, L + "(" + key() + ");");
      return;
    }
    case 15: { // change a map
      const MapName &M = anyMap();
      std::string Name = M.Name;
      switch (C.pick(6)) {
      case 0:
        line(Out, Depth, Name + ".erase(" + key() + ");");
        return;
      case 1:
        line(Out, Depth, Name + ".insert({" + key() + ", " + null(M) + "});");
        return;
      case 2:
        line(Out, Depth, Name + ".emplace(" + key() + ", " + null(M) + ");");
        return;
      case 3:
        line(Out, Depth, Name + ".clear();");
        return;
      case 4:
        line(Out, Depth,
             M.Kind == Values::Count
                 ? Name + "[" + key() + "]++;"
                 : Name + "[" + key() + "] = " + null(M) + ";");
        return;
      default:
        if (M.Kind == Values::Handle)
          line(Out, Depth,
               Name + "[" + key() + "] = std::make_shared<Session>();");
        else
          line(Out, Depth, Name + ".try_emplace(" + key() + ");");
        return;
      }
    }
    case 16: { // a membership test
      const MapName &M = handleMap();
      std::string Name = M.Name;
      std::string K = key();
      switch (C.pick(3)) {
      case 0:
        line(Out, Depth, "if (" + Name + ".contains(" + K + ")) {");
        line(Out, Depth + 1, use(Name + "[" + K + "]", M));
        nested(Out, Depth);
        line(Out, Depth, "}");
        return;
      case 1:
        line(Out, Depth, "if (" + Name + ".count(" + K + ") == 0)");
        line(Out, Depth + 1, "return;");
        line(Out, Depth, use(Name + "[" + K + "]", M));
        return;
      default:
        line(Out, Depth, "assert(" + Name + ".count(" + K + "));");
        line(Out, Depth, use(Name + "[" + K + "]", M));
        return;
      }
    }
    case 17: { // at()
      const MapName &M = handleMap();
      line(Out, Depth, use(std::string(M.Name) + ".at(" + key() + ")", M));
      return;
    }
    case 18: { // a call of a generated function or a helper
      switch (C.pick(4)) {
      case 0: { // a method calls any function, a free function the free ones
        unsigned Callee = C.pick(IsMethod.size());
        if (Method || !IsMethod[Callee])
          line(Out, Depth, "f" + std::to_string(Callee) + "(k, m);");
        return;
      }
      case 1:
        line(Out, Depth, "lookup(m, " + key() + ")->send();");
        return;
      case 2: {
        std::string V = fresh("v");
        line(Out, Depth, "auto " + V + " = lookup(m, " + key() + ");");
        declare({Var::Value, V, FreeMaps[0]});
        return;
      }
      default: {
        std::string It = fresh("it");
        line(Out, Depth, "auto " + It + " = locate(m, " + key() + ");");
        declare({Var::Iterator, It, FreeMaps[0]});
        return;
      }
      }
    }
    case 19:
      line(Out, Depth, "return;");
      return;
    case 20: { // a direct use of m[k]
      const MapName &M = handleMap();
      line(Out, Depth, use(std::string(M.Name) + "[" + key() + "]", M));
      return;
    }
    case 21: // switch
      line(Out, Depth, "switch (k) {");
      line(Out, Depth, "case 0: {");
      nested(Out, Depth);
      line(Out, Depth, "  break;");
      line(Out, Depth, "}");
      line(Out, Depth, "case 1:");
      line(Out, Depth, "  [[fallthrough]];");
      line(Out, Depth, "default: {");
      nested(Out, Depth);
      line(Out, Depth, "}");
      line(Out, Depth, "}");
      return;
    case 22: // try
      line(Out, Depth, "try {");
      nested(Out, Depth);
      if (C.flip())
        line(Out, Depth + 1, "throw 1;");
      line(Out, Depth, "} catch (...) {");
      nested(Out, Depth);
      line(Out, Depth, "}");
      return;
    case 23: { // move a value
      const Var *V = pickVar(Var::Value);
      if (!V)
        return;
      std::string W = fresh("w");
      line(Out, Depth, "auto " + W + " = std::move(" + V->Name + ");");
      declare({Var::Value, W, V->Map});
      return;
    }
    case 24: // a method starts a thread on a member
      if (Method)
        line(Out, Depth,
             "worker = std::thread([this] { sessions[" + std::to_string(
                 C.pick(3)) + "] = nullptr; });");
      else
        line(Out, Depth, "if (has(m, " + key() + ")) lookup(m, k)->send();");
      return;
    default: { // a test of a value's state, then a use
      const Var *V = pickVar(Var::Value);
      if (!V || V->Map.Kind != Values::Handle)
        return;
      line(Out, Depth, "if (!" + V->Name + " || !" + V->Name + "->alive())");
      line(Out, Depth + 1, "note(\"dead\");");
      line(Out, Depth, use(V->Name, V->Map));
      return;
    }
    }
  }

  Choices &C;
  /// Whether each function is a method of Service, and the current one.
  std::vector<bool> IsMethod;
  bool Method = false;
  unsigned Statements = 0;
  unsigned Counter = 0;
  unsigned InLambda = 0;
  std::vector<std::vector<Var>> Scopes;
  std::vector<std::string> Keys;
};

/// The names of the mapguard checks linked in.
const std::vector<std::string> &checkNames() {
  static const std::vector<std::string> Names = registeredChecks();
  return Names;
}

/// The options of byte 0: budgets, ReportSkipped.
ClangTidyOptions optionsFor(uint8_t Byte) {
  ClangTidyOptions O = ClangTidyOptions::getDefaults();
  O.Checks = "-*,mapguard-*";
  const char *Blocks[] = {"3000", "64", "8", "2"};
  const char *Visits[] = {"40", "8", "2", "1"};
  const char *Slots[] = {"256", "8", "2", "1"};
  for (const std::string &Check : checkNames()) {
    O.CheckOptions[Check + ".MaxBlocks"] = {Blocks[Byte & 3], 0};
    O.CheckOptions[Check + ".MaxBlockVisits"] = {Visits[(Byte >> 2) & 3], 0};
    O.CheckOptions[Check + ".MaxTrackedSlots"] = {Slots[(Byte >> 4) & 3], 0};
    O.CheckOptions[Check + ".ReportSkipped"] = {Byte & 64 ? "true" : "false",
                                                0};
  }
  return O;
}

/// Runs the checks, as clang-tidy's ClangTidyASTConsumerFactory makes them;
/// reads the collected skips (as the scanner does) while the AST lives.
class CheckAction : public ASTFrontendAction {
public:
  CheckAction(ClangTidyASTConsumerFactory &Factory, MapGuardAnalyses *Collect)
      : Factory(Factory), Collect(Collect) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef File) override {
    return Factory.createASTConsumer(CI, File);
  }
  /// What the scanner reads of each skip: the function's name.
  void EndSourceFileAction() override {
    if (!Collect)
      return;
    PrintingPolicy Policy(getCompilerInstance().getLangOpts());
    std::string Names;
    llvm::raw_string_ostream OS(Names);
    for (const CheckSkip &S : Collect->checkSkips())
      if (S.Function)
        S.Function->getNameForDiagnostic(OS, Policy, /*Qualified=*/true);
  }

private:
  ClangTidyASTConsumerFactory &Factory;
  MapGuardAnalyses *Collect;
};

void runChecks(llvm::StringRef Source, uint8_t OptionByte, bool Print) {
  auto Memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  Memory->addFile(InputName, 0, llvm::MemoryBuffer::getMemBufferCopy(Source));
  auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(Memory);

  ClangTidyContext Context(std::make_unique<DefaultOptionsProvider>(
      ClangTidyGlobalOptions(), optionsFor(OptionByte)));
  std::shared_ptr<MapGuardAnalyses> Analyses;
  if (OptionByte & 128) {
    Analyses = MapGuardAnalyses::get(&Context);
    Analyses->collectCheckSkips();
  }
  ClangTidyDiagnosticConsumer DiagConsumer(Context);
  auto DiagOpts = std::make_unique<DiagnosticOptions>();
  DiagnosticsEngine DE(llvm::makeIntrusiveRefCnt<DiagnosticIDs>(), *DiagOpts,
                       &DiagConsumer, /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(DiagOpts), &DE);
  ClangTidyASTConsumerFactory Factory(Context, FS);

  auto Files = llvm::makeIntrusiveRefCnt<FileManager>(FileSystemOptions(), FS);
  std::vector<std::string> Args = {"clang++",
                                   "-fsyntax-only",
                                   "-std=c++20",
                                   "-nostdinc",
                                   "-w",
                                   "-fno-caret-diagnostics",
                                   "-ferror-limit=50",
                                   "-resource-dir=/fuzz/resource",
                                   InputName.str()};
  tooling::ToolInvocation Invocation(
      Args, std::make_unique<CheckAction>(Factory, Analyses.get()),
      Files.get());
  Invocation.setDiagnosticConsumer(&DiagConsumer);
  (void)Invocation.run();
  std::vector<ClangTidyError> Errors = DiagConsumer.take();
  if (Print)
    for (const ClangTidyError &E : Errors)
      llvm::errs() << "// " << E.DiagnosticName << ": " << E.Message.Message
                   << '\n';
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size == 0)
    return 0;
  std::string Source = Prelude.str();
  if (Data[0] == 0xFF) {
    Source.append(reinterpret_cast<const char *>(Data + 1), Size - 1);
  } else {
    Choices C(Data + 1, Size - 1);
    Source += Generator(C).run();
  }
  static const bool Print = std::getenv("MAPGUARD_FUZZ_PRINT");
  if (Print)
    llvm::errs() << "// options byte " << unsigned(Data[0]) << "\n"
                 << Source.substr(Prelude.size()) << '\n';
  runChecks(Source, Data[0] == 0xFF ? 0 : Data[0], Print);
  return 0;
}
