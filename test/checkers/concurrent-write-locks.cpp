// RUN: %check_mapguard %s mapguard-concurrent-write %t

// Which locks are held at an access, flow-sensitively.

#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define CAPABILITY(x) __attribute__((capability(x)))

std::mutex Mu;
std::map<int, int> M;

// Runs F on four threads at once; the notes point here.
#define SPAWN_MANY(F)                                                          \
  {                                                                            \
    std::vector<std::thread> Ts;                                               \
    for (int I = 0; I < 4; ++I)                                                \
      Ts.emplace_back(F, I);                                                   \
    for (auto &T : Ts)                                                         \
      T.join();                                                                \
  }

// --- Negatives: one mutex, however it is taken -------------------------------

void withLockGuard(int I) {
  std::lock_guard<std::mutex> L(Mu);
  M[I] = I;
}
void withUniqueLock(int I) {
  std::unique_lock<std::mutex> L(Mu);
  M.erase(I);
}
void withScopedLock(int I) {
  std::scoped_lock L(Mu);
  M.insert({I, I});
}
void withLockUnlock(int I) {
  Mu.lock();
  M[I] += 1;
  Mu.unlock();
}
void withDeferredThenLock(int I) {
  std::unique_lock<std::mutex> L(Mu, std::defer_lock);
  L.lock();
  M[I] = 0;
}
void withRelockAfterUnlock(int I) {
  std::unique_lock<std::mutex> L(Mu);
  L.unlock();
  int X = I * 2;
  L.lock();
  M[X] = I;
}
// A helper whose every caller holds the lock.
void helperUnderLock(int I) { M[I] = I; }
void callsHelperLocked(int I) {
  std::lock_guard<std::mutex> L(Mu);
  helperUnderLock(I);
}

void negatives() {
  SPAWN_MANY(withLockGuard);
  SPAWN_MANY(withUniqueLock);
  SPAWN_MANY(withScopedLock);
  SPAWN_MANY(withLockUnlock);
  SPAWN_MANY(withDeferredThenLock);
  SPAWN_MANY(withRelockAfterUnlock);
  SPAWN_MANY(callsHelperLocked);
}

// A class whose methods lock consistently.
class Cache {
public:
  void start() {
    std::thread A([this] { fill(); });
    std::thread B([this] { fill(); });
    std::thread C([this] { (void)lookup(1); });
    A.join();
    B.join();
    C.join();
  }
  void fill() {
    std::unique_lock<std::shared_mutex> L(RW);
    Data[1] = 2;
  }
  int lookup(int K) {
    std::shared_lock<std::shared_mutex> L(RW); // shared: fine for reads
    auto It = Data.find(K);
    return It == Data.end() ? 0 : It->second;
  }

private:
  std::shared_mutex RW;
  std::map<int, int> Data;
};

// Clang thread-safety annotations are honoured.
class CAPABILITY("mutex") AnnotatedMutex {
public:
  void lock();
  void unlock();
};
AnnotatedMutex AMu;
std::map<int, int> Annotated GUARDED_BY(AMu);
std::map<int, int> ByContract;
void writesAnnotated(int I) { Annotated[I] = I; }
void writesUnderContract(int I) REQUIRES(AMu) { ByContract[I] = I; }
void annotations() {
  SPAWN_MANY(writesAnnotated);
  std::vector<std::thread> Ts;
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([I] {
      AMu.lock();
      writesUnderContract(I);
      AMu.unlock();
    });
  for (auto &T : Ts)
    T.join();
}

// --- Positives --------------------------------------------------------------

std::map<int, int> Released;
void unlockedTooEarly(int I) {
  std::unique_lock<std::mutex> L(Mu);
  L.unlock();
  Released[I] = I;
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: map 'Released' is written from a thread without holding a lock [mapguard-concurrent-write]
}
void runUnlockedTooEarly() {
  SPAWN_MANY(unlockedTooEarly);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: thread started here
  // CHECK-NOTES: :{{[0-9]+}}:7: note: expanded from macro 'SPAWN_MANY'
}

std::map<int, int> AfterScope;
void guardOutOfScope(int I) {
  {
    std::lock_guard<std::mutex> L(Mu);
    AfterScope[0] = 0;
  }
  AfterScope[I] = I;
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: map 'AfterScope' is written from a thread without holding a lock [mapguard-concurrent-write]
}
void runGuardOutOfScope() {
  SPAWN_MANY(guardOutOfScope);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: thread started here
  // CHECK-NOTES: :{{[0-9]+}}:7: note: expanded from macro 'SPAWN_MANY'
  // CHECK-NOTES: :[[@LINE-9]]:5: note: conflicting access here
}

std::map<int, int> SharedWrite;
std::shared_mutex SM;
void writeUnderSharedLock(int I) {
  std::shared_lock<std::shared_mutex> L(SM); // shared guards protect reads only
  SharedWrite[I] = I;
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: map 'SharedWrite' is written from a thread without holding a lock [mapguard-concurrent-write]
}
void runWriteUnderSharedLock() {
  SPAWN_MANY(writeUnderSharedLock);
  // CHECK-NOTES: :[[@LINE-1]]:3: note: thread started here
  // CHECK-NOTES: :{{[0-9]+}}:7: note: expanded from macro 'SPAWN_MANY'
}

std::mutex Other;
std::map<int, int> TwoMutexes;
// Each write holds a lock, but not the same one: reported at the first.
void underMu(int I) {
  std::lock_guard<std::mutex> L(Mu);
  TwoMutexes[I] = I;
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: map 'TwoMutexes' is written from a thread without holding a lock [mapguard-concurrent-write]
}
void underOther(int I) {
  std::lock_guard<std::mutex> L(Other);
  TwoMutexes[I] = -I;
}
void differentMutexes() {
  std::thread A(underMu, 1);
  // CHECK-NOTES: :[[@LINE-1]]:15: note: thread started here
  // CHECK-NOTES: :[[@LINE-5]]:3: note: conflicting access here
  std::thread B(underOther, 2);
  A.join();
  B.join();
}

