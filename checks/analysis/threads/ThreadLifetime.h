//===--- ThreadLifetime.h - code beside a thread that escapes ---*- C++ -*-===//
//
// A thread that outlives the function that starts it (stored in a member,
// a container member, a std::jthread or std::future member, detached, or
// handed to a pool) runs until the join that ends it. This analysis says
// which code outside the spawning function runs beside it:
//
//  - the callers of the spawning function, after the call that started the
//    thread, up to the first call that joins it (a direct join of the
//    handle, or a call of a joiner: a function of the TU that joins it, such
//    as `stop()` or the destructor), followed up the TU's call index while
//    the thread stays unjoined (`s.start(); s.add(x); s.stop();`);
//  - when the thread's entry reaches the spawner's own object (a lambda
//    capturing `this`, a member function run with `this`, a pool task
//    capturing `this`): every public method of that class, up to a join in
//    it, except the constructors, the spawning method, methods only called
//    from that thread, and methods only called before the thread starts.
//
// Each root names what stands for the spawner's object in it (a caller's
// `s` for `s.start()`), so that accesses there match the thread's.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADLIFETIME_H
#define MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADLIFETIME_H

#include "analysis/core/MapGuardAnalyses.h"
#include "analysis/threads/ThreadEntries.h"
#include "analysis/threads/ThreadOrdering.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <vector>

namespace clang::tidy::mapguard {

/// Code that runs beside an escaping thread: statements of FD (and what they
/// call) that may follow After and precede Until.
struct ConcurrentRoot {
  const FunctionDecl *FD = nullptr;
  /// What `this` designates in FD.
  const Decl *ThisRoot = nullptr;
  /// Only statements that may run after this one (null: from the start).
  const Stmt *After = nullptr;
  /// Only statements before this join (null: to the end).
  const Stmt *Until = nullptr;
  /// What stands for the spawner's `this` in FD (null: nothing, or the
  /// same object as in the spawner).
  const Decl *Alias = nullptr;
  /// A public method of the thread's own class (for the docs and tests).
  bool ClassMethod = false;
};

class ThreadLifetime {
public:
  ThreadLifetime(MapGuardAnalyses &Analyses, ThreadEntries &Entries,
                 ThreadOrdering &Order, ThreadEntriesOptions Opts);

  /// The roots beside escaping site \p S; \p OnThread tells the functions
  /// its thread walk reached.
  std::vector<ConcurrentRoot>
  rootsOf(const SpawnSite &S,
          llvm::function_ref<bool(const FunctionDecl *)> OnThread);

  /// The first call in \p FD after \p After (anywhere when null) that ends
  /// \p S's thread: a join of its handle or a call of a joiner.
  const Stmt *joinAfter(const SpawnSite &S, const FunctionDecl *FD,
                        const Stmt *After);

private:
  void findJoiners(const SpawnSite &S);

  MapGuardAnalyses &Analyses;
  ThreadEntries &Entries;
  ThreadOrdering &Order;
  ThreadEntriesOptions Opts;
  /// Functions that join the current site's thread before they return.
  llvm::DenseSet<const FunctionDecl *> Joiners;
};

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADLIFETIME_H
