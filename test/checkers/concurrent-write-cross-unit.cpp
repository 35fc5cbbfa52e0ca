// RUN: %check_mapguard %s mapguard-concurrent-write %t -- \
// RUN:   -config="{CheckOptions: {ProjectIndex: '%S/Inputs/cross-unit/index.json'}}"

// Across translation units: this file is server.cpp; the project index
// (Inputs/cross-unit/index.json, as `mapguard index` writes it, by hand)
// holds main.cpp, which starts a thread on `&Server::run` and calls
// `s.add()` and `s.locked_add()` while it runs, and net.cpp, which hands
// `&Server::on_open` to a library's `set_open_handler`. The per-TU analysis
// sees no thread here; the notes name the other files.

#include <map>
#include <mutex>

struct Server {
  void run();
  void add(int k);
  void locked_add(int k);
  void on_open(int k);
  void before(int k);
  std::map<int, int> m_, safe_, sessions_, early_;
  std::mutex mu_;
};

// The thread's routine: its races are reported on the other side.
void Server::run() {
  m_[1] = 2;
  std::lock_guard<std::mutex> g(mu_);
  (void)safe_.count(1);
  (void)sessions_.count(1);
  (void)early_.count(1);
}

void Server::add(int k) {
  m_[k] = 1;
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: map 'm_' is written from a thread without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: called from 'main' (main.cpp:13)
  // CHECK-NOTES: :[[@LINE-3]]:3: note: thread started in main.cpp:12 ('Server::run' runs on it)
  // CHECK-NOTES: :26:3: note: conflicting access in {{.*}}.cpp:26 ('Server::run')
}

// Locked on both sides: silent.
void Server::locked_add(int k) {
  std::lock_guard<std::mutex> g(mu_);
  safe_[k] = 1;
}

// Handed to a library (net.cpp): runs on the library's thread, beside the
// thread main starts; the thread reads sessions_ under a lock this
// callback does not take.
void Server::on_open(int k) {
  sessions_[k] = 1;
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: concurrent map read and map write: map 'sessions_' is read and written from threads without holding a lock [mapguard-concurrent-write]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: 'Server::on_open' is handed to 'set_open_handler' in net.cpp:6 and runs on the library's thread
  // CHECK-NOTES: :29:9: note: conflicting access in {{.*}}.cpp:29 ('Server::run')
  // CHECK-NOTES: :29:9: note: thread started in main.cpp:12 ('Server::run' runs on it)
}

// Called by main before the thread starts (main.cpp:11): silent.
void Server::before(int k) { early_[k] = 1; }
