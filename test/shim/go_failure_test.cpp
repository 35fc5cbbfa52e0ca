// go() when its thread cannot be created (std::thread throws std::system_error): the
// exception reaches the caller and no goroutine is left registered, so the leak check
// and the deadlock watchdog still see the truth. Its own executable (shim_go_failure_tests,
// not built under the sanitizers, which intercept pthread_create themselves): it replaces
// pthread_create with one that can be told to fail once.
#include <dlfcn.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <system_error>
#include <thread>

#include "shim_test_util.h"

namespace {
std::atomic<bool> fail_next_thread{false};
}  // namespace

extern "C" int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*),
                              void* arg) {
  using Real = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
  static const Real real = reinterpret_cast<Real>(::dlsym(RTLD_NEXT, "pthread_create"));
  if (fail_next_thread.exchange(false)) return EAGAIN;
  return real(thread, attr, start, arg);
}

namespace mapguard::shim {
namespace {

using namespace std::chrono_literals;

// One go() that throws, with the thread creation failing.
void failing_go(bool& body_ran) {
  fail_next_thread = true;
  EXPECT_THROW(go([&] { body_ran = true; }), std::system_error);
  EXPECT_FALSE(fail_next_thread.load());  // the failure was consumed by that go()
}

TEST(GoThreadFailure, TheExceptionReachesTheCallerAndNoGoroutineRemains) {
  (void)this_goroutine();  // main registers itself on first use
  const auto before = current_goroutines();
  bool body_ran = false;
  failing_go(body_ran);
  EXPECT_EQ(current_goroutines(), before);
  EXPECT_TRUE(verify_no_leaks({.timeout = 50ms}));
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(body_ran);
}

TEST(GoThreadFailure, LaterGoroutinesStillRun) {
  bool body_ran = false;
  failing_go(body_ran);
  auto done = make_chan<int>(1);
  go([=]() mutable { done.send(7); });
  EXPECT_EQ(done.recv(), 7);
  EXPECT_TRUE(verify_no_leaks());
}

TEST(GoThreadFailureDeathTest, ALaterDeadlockIsStillReported) {
  // Without the fix the phantom goroutine counts as running, the deadlock is never
  // reported and the program hangs: a plain thread ends it with 42 after 20 s.
  auto body = [] {
    std::thread([] {
      std::this_thread::sleep_for(20s);
      ::_exit(42);
    }).detach();
    bool body_ran = false;
    failing_go(body_ran);
    auto never = make_chan<int>();
    (void)never.recv();
  };
  EXPECT_EXIT(testing::as_main(body), ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!");
}

}  // namespace
}  // namespace mapguard::shim
