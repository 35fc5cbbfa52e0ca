// mapguard/map.h — Map<K, V>: std::unordered_map with Go's map-race checks and Go's `v, ok := m[k]`.
//
// What it is: the std::unordered_map surface (operator[], at, find, begin/end, contains,
// count, insert, emplace, try_emplace, insert_or_assign, erase, clear, size, empty,
// range-for) plus `lookup(k)`, which returns {value, true} or {V{}, false} and never inserts.
//
// The race check: every access is one read or one write, stamped with the goroutine's
// vector clock. Two accesses from different goroutines (or threads) that the shim's
// synchronisation does not order — `go` start, WaitGroup, Chan, Mutex/RWMutex, Once;
// see sync.h and chan.h — are a race, reported however far apart in time they ran:
//   write/write: `fatal error: concurrent map writes`           (kind concurrent-map-write)
//   read/write:  `fatal error: concurrent map read and map write` (kind concurrent-map-read-write)
// Go's own check only fires when the accesses overlap; this one is deterministic.
// Default: print and exit 2. Record mode: record (once per pair of lines) and carry on.
// Writes: operator[] (it may insert), insert*, emplace*, try_emplace, erase, clear,
// assignment. Reads: lookup, at, find, contains, count, size, empty, begin, copying.
// Not tracked: accesses through references and iterators after the call returns, end().
//
// Memory: each operation runs under the Map's own internal lock (a spin lock), so even a reported race
// in record mode never corrupts the table. That mutex is not a happens-before edge for
// the checks — your synchronisation must be the shim's.
//
// Handles made by a miss: when operator[] inserts a default value, or lookup() misses, and
// V is a shim handle (Ptr, Chan), the value remembers the line of the miss; a later nil
// dereference or nil channel operation names that line as its origin.
//
// Each operation records the caller's line: trailing std::source_location arguments, and
// for operator[] a key wrapper converted implicitly at the call.
//
//   mapguard::shim::Map<std::string, int> counts;
//   mapguard::shim::WaitGroup wg;
//   for (int i = 0; i < 2; ++i) {
//     wg.add(1);
//     mapguard::shim::go([&] { counts["k"]++; wg.done(); });   // unordered writes:
//   }                                                         // fatal error: concurrent map writes
//   wg.wait();
#pragma once

#include <concepts>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <source_location>
#include <unordered_map>
#include <utility>

#include "mapguard/detail/runtime.h"

namespace mapguard::shim {

// A key plus the line that used it: lets `m[k]` record where it was called.
template <class K>
struct KeyAt {
  template <class U>
    requires std::constructible_from<K, U&&>
  KeyAt(U&& k, std::source_location at = std::source_location::current())  // NOLINT
      : key(std::forward<U>(k)), where(at) {}
  K key;
  std::source_location where;
};

namespace detail {
template <class V>
void note_miss(V& value, const std::source_location& where) {
  if constexpr (requires { value.set_nil_origin(where); }) value.set_nil_origin(where);
}
}  // namespace detail

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>>
class Map {
  using Here = std::source_location;

 public:
  using impl_type = std::unordered_map<K, V, Hash, Eq>;
  using key_type = K;
  using mapped_type = V;
  using value_type = typename impl_type::value_type;
  using size_type = typename impl_type::size_type;
  using iterator = typename impl_type::iterator;
  using const_iterator = typename impl_type::const_iterator;

  Map() = default;
  Map(std::initializer_list<value_type> init) : m_(init) {}
  Map(const Map& other, Here where = Here::current()) : m_(other.snapshot(where)) {}
  Map(Map&& other) noexcept : m_(other.take()) {}
  Map& operator=(const Map& other) {
    if (this != &other) assign(other.snapshot(Here::current()), Here::current());
    return *this;
  }
  Map& operator=(Map&& other) noexcept {
    if (this != &other) assign(other.take(), Here::current());
    return *this;
  }

  // Go's m[k] on the left of `=`: inserts V{} on a miss (a write, always).
  V& operator[](KeyAt<K> k) {
    std::lock_guard lk(mu_);
    shadow_.write(k.where);
    auto [it, inserted] = m_.try_emplace(std::move(k.key));
    if (inserted) detail::note_miss(it->second, k.where);
    return it->second;
  }

  // Go's `v, ok := m[k]`: never inserts; on a miss, {V{}, false} with V's origin set here.
  [[nodiscard]] std::pair<V, bool> lookup(const K& k, Here where = Here::current()) const {
    std::lock_guard lk(mu_);
    shadow_.read(where);
    if (auto it = m_.find(k); it != m_.end()) return {it->second, true};
    std::pair<V, bool> miss{V{}, false};
    detail::note_miss(miss.first, where);
    return miss;
  }

  V& at(const K& k, Here where = Here::current()) { return read(where, [&]() -> V& { return m_.at(k); }); }
  const V& at(const K& k, Here where = Here::current()) const {
    return read(where, [&]() -> const V& { return m_.at(k); });
  }
  iterator find(const K& k, Here where = Here::current()) { return read(where, [&] { return m_.find(k); }); }
  const_iterator find(const K& k, Here where = Here::current()) const {
    return read(where, [&] { return m_.find(k); });
  }
  bool contains(const K& k, Here where = Here::current()) const {
    return read(where, [&] { return m_.find(k) != m_.end(); });
  }
  size_type count(const K& k, Here where = Here::current()) const {
    return read(where, [&] { return m_.count(k); });
  }
  size_type size(Here where = Here::current()) const { return read(where, [&] { return m_.size(); }); }
  bool empty(Here where = Here::current()) const { return read(where, [&] { return m_.empty(); }); }

  iterator begin(Here where = Here::current()) { return read(where, [&] { return m_.begin(); }); }
  const_iterator begin(Here where = Here::current()) const {
    return read(where, [&] { return m_.begin(); });
  }
  const_iterator cbegin(Here where = Here::current()) const { return begin(where); }
  iterator end() noexcept { return m_.end(); }
  const_iterator end() const noexcept { return m_.end(); }
  const_iterator cend() const noexcept { return m_.end(); }

  std::pair<iterator, bool> insert(const value_type& v, Here where = Here::current()) {
    return write(where, [&] { return m_.insert(v); });
  }
  std::pair<iterator, bool> insert(value_type&& v, Here where = Here::current()) {
    return write(where, [&] { return m_.insert(std::move(v)); });
  }
  template <class... Args>
  std::pair<iterator, bool> emplace(KeyAt<K> k, Args&&... args) {
    return write(k.where, [&] { return m_.emplace(std::move(k.key), std::forward<Args>(args)...); });
  }
  template <class... Args>
  std::pair<iterator, bool> try_emplace(KeyAt<K> k, Args&&... args) {
    return write(k.where, [&] { return m_.try_emplace(std::move(k.key), std::forward<Args>(args)...); });
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(KeyAt<K> k, M&& value) {
    return write(k.where, [&] { return m_.insert_or_assign(std::move(k.key), std::forward<M>(value)); });
  }
  size_type erase(const K& k, Here where = Here::current()) { return write(where, [&] { return m_.erase(k); }); }
  iterator erase(const_iterator pos, Here where = Here::current()) {
    return write(where, [&] { return m_.erase(pos); });
  }
  iterator erase(iterator pos, Here where = Here::current()) { return erase(const_iterator(pos), where); }
  void clear(Here where = Here::current()) {
    write(where, [&] { m_.clear(); });
  }

 private:
  template <class F>
  decltype(auto) read(Here where, F&& f) const {
    std::lock_guard lk(mu_);
    shadow_.read(where);
    return f();
  }
  template <class F>
  decltype(auto) write(Here where, F&& f) {
    std::lock_guard lk(mu_);
    shadow_.write(where);
    return f();
  }
  impl_type snapshot(Here where) const {
    return read(where, [&] { return m_; });
  }
  impl_type take() {
    std::lock_guard lk(mu_);
    shadow_.write(Here::current());
    return std::move(m_);
  }
  void assign(impl_type&& m, Here where) {
    write(where, [&] { m_ = std::move(m); });
  }

  impl_type m_;
  mutable detail::SpinLock mu_;
  mutable detail::MapShadow shadow_;
};

}  // namespace mapguard::shim
