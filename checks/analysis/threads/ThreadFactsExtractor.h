//===--- ThreadFactsExtractor.h - the thread facts of a TU ------*- C++ -*-===//
//
// Computes the thread facts (ThreadFacts.h) of every function of the
// translation unit whose body is the project's (MapGuardAnalyses::
// isProjectFunction: the main file or a non-system header; lambdas' call
// operators too, dependent contexts skipped) and records them in the
// context's unitFacts(): what the project index carries across TUs.
//
// Per function, one walk of the body (plus ThreadEntries::accessesOf, cached
// and shared with the per-TU analysis):
//  - map accesses of a field (`this->m_`, `obj.m_`, `p->m_`: the field, of
//    whichever object: class-level identity) or of a global or static
//    variable, by USR; locals, accesses through a pointer and references are
//    not named across TUs and are left out;
//  - calls of functions outside system headers (virtual when not
//    devirtualised), and the callables handed to std algorithms that call
//    them at once (std::for_each, std::sort, std::invoke, std::visit,
//    std::call_once...): calls too;
//  - with the locks held there (LockState; a mutex by the USR of its field
//    or variable, "" when it cannot be named: a reference, a pointer, a
//    call's result). LockState runs only for a function with a map access,
//    or with a call and something that may take a lock (a guard, a mutex's
//    method, std::lock, an ACQUIRE callee, a REQUIRES annotation); where it
//    gives up (MaxBlocks, MaxBlockVisits) the facts are Guarded;
//  - the threads it starts (SpawnRecognition, ThreadEntries::siteOf), with
//    where it joins them (ThreadOrdering's window), and SpawnerParam when it
//    hands its own parameter to a spawner;
//  - the callables it hands to other calls or stores (CallbackFact):
//    HandedTo the callee (ToLibrary when the callee has no body the project
//    shows in this TU), or "" when stored (a variable, a field, a std
//    container or std::function member);
//  - the methods it overrides, and whether it is `main`.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADFACTSEXTRACTOR_H
#define MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADFACTSEXTRACTOR_H

#include "analysis/core/MapGuardAnalyses.h"

namespace clang::tidy::mapguard {

class ThreadEntries;

/// Records in \p A.unitFacts() the thread facts of every project function
/// of \p A's current TU (Known set), under \p Model and \p Budget.
/// \p Entries is the per-TU ThreadEntries of the same model (its accesses
/// and spawned lambdas are shared). Returns the number of functions.
unsigned extractThreadFacts(MapGuardAnalyses &A, const MapModel &Model,
                            ThreadEntries &Entries,
                            const AnalysisBudget &Budget);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_CHECKS_ANALYSIS_THREADS_THREADFACTSEXTRACTOR_H
