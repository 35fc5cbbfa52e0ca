// RUN: %check_mapguard %s mapguard-miss-default-use %t
// UNSUPPORTED: clang-tidy-14

// Getters returning the shim's handles: a nil Chan or Ptr from a miss,
// behind a helper.

#include "mapguard/shim.h"

namespace sh = mapguard::shim;

struct Job { int id = 0; };

class Broker {
public:
  sh::Chan<int> &topic(int id) { return topics_[id]; }
  sh::Ptr<Job> job(int id) { return jobs_[id]; }

  void publish(int id, int v) {
    topic(id).send(v);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'topic(id)' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  }
  int jobId(int id) {
    return job(id)->id;
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'job(id)' may be a default-constructed value from a map miss [mapguard-miss-default-use]
  }
  // Look-alikes: tested first.
  void publishChecked(int id, int v) {
    if (topics_.contains(id))
      topics_[id].send(v);
  }
  int jobIdChecked(int id) {
    sh::Ptr<Job> j = job(id);
    if (!j)
      return -1;
    return j->id;
  }

private:
  sh::Map<int, sh::Chan<int>> topics_;
  sh::Map<int, sh::Ptr<Job>> jobs_;
};
