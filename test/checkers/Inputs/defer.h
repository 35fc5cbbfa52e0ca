// A hand-written scope guard and a DEFER macro built on it, as projects
// write them (no library): the check must recognise them by their shape.
#pragma once
#include <utility>

template <class F> class ScopeExit {
public:
  explicit ScopeExit(F f) : f_(std::move(f)) {}
  ~ScopeExit() { f_(); }
private:
  F f_;
};
#define DEFER_CAT2(a, b) a##b
#define DEFER_CAT(a, b) DEFER_CAT2(a, b)
#define DEFER(...) ScopeExit DEFER_CAT(defer_, __LINE__)([&] { __VA_ARGS__; })
