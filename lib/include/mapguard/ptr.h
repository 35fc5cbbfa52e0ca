// mapguard/ptr.h — Ptr<T>: a shared, nil-checked handle, Go's pointer.
//
// A Ptr<T> owns a T through std::shared_ptr; copies share it. A default-constructed Ptr is
// nil and remembers where it became nil: its declaration, or the map miss that made it
// (Map::operator[] or Map::lookup on a missing key — see map.h).
//
// The caller must: check `if (p)` / `p.is_nil()` before `->` or `*` when it may be nil.
// Guaranteed: `->` or `*` on nil throws Panic with Go's
//   `panic: runtime error: invalid memory address or nil pointer dereference`
// (kind `nil-deref`), naming the nil's origin and — when the binary has debug info and
// addr2line is installed — the line of the dereference (`->`/`*` cannot take a
// std::source_location, so it comes from the return address). Never undefined behaviour.
// Ptr adds no synchronisation: the pointee is shared, its accesses are the caller's job.
//
//   mapguard::shim::Map<std::string, mapguard::shim::Ptr<Worker>> workers;
//   auto [w, ok] = workers.lookup("w1");   // miss: w is nil, origin = this line
//   if (!ok) log("no worker");
//   w->run();                              // panic, origin: the lookup line
#pragma once

#include <cstddef>
#include <memory>
#include <source_location>
#include <utility>

#include "mapguard/detail/runtime.h"

namespace mapguard::shim {

template <class T>
class Ptr {
 public:
  using element_type = T;

  // A nil Ptr, nil since `made_nil`.
  Ptr(std::source_location made_nil = std::source_location::current()) noexcept  // NOLINT
      : origin_{made_nil, false} {}
  Ptr(std::nullptr_t, std::source_location made_nil = std::source_location::current()) noexcept  // NOLINT
      : origin_{made_nil, false} {}
  explicit Ptr(std::shared_ptr<T> p, std::source_location made = std::source_location::current()) noexcept
      : p_(std::move(p)), origin_{made, false} {}

  bool is_nil() const noexcept { return p_ == nullptr; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  T* get() const noexcept { return p_.get(); }
  const std::shared_ptr<T>& shared() const noexcept { return p_; }

  // Not inlined, so that the return address names the caller's line.
  [[gnu::noinline]] T* operator->() const {
    if (p_ == nullptr) [[unlikely]]
      detail::nil_deref(origin_, __builtin_return_address(0));
    return p_.get();
  }
  [[gnu::noinline]] T& operator*() const {
    if (p_ == nullptr) [[unlikely]]
      detail::nil_deref(origin_, __builtin_return_address(0));
    return *p_;
  }

  void reset(std::source_location made_nil = std::source_location::current()) noexcept {
    p_.reset();
    origin_ = detail::NilOrigin{made_nil, false};
  }

  friend bool operator==(const Ptr& a, const Ptr& b) noexcept { return a.p_ == b.p_; }
  friend bool operator==(const Ptr& a, std::nullptr_t) noexcept { return a.p_ == nullptr; }

  // Called by Map when a miss default-constructs this handle (see map.h).
  void set_nil_origin(std::source_location where) noexcept { origin_ = detail::NilOrigin{where, true}; }

 private:
  std::shared_ptr<T> p_;
  detail::NilOrigin origin_;
};

// Go's new(T) / &T{...}.
template <class T, class... Args>
Ptr<T> make_ptr(Args&&... args) {
  return Ptr<T>(std::make_shared<T>(std::forward<Args>(args)...));
}

}  // namespace mapguard::shim
