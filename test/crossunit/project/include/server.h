#pragma once
#include <map>
#include <mutex>
#include <string>

class Server {
public:
  void configure(const std::string &name);
  /// The worker loop: main.cpp runs it on a thread of its own.
  void run();
  void add(int id, std::string peer);
  void add_locked(int id, std::string peer);
  /// Hands on_open to the network library.
  void start();
  void on_open(int id);
  /// Audits the peers through util.cpp's for_each_peer.
  void audit();

private:
  std::map<int, std::string> peers_;          // run() and add(): a race
  std::map<int, int> stats_;                  // always under mu_
  std::map<std::string, std::string> config_; // written before the thread
  std::map<int, int> opened_;                 // library thread and run()
  std::map<int, int> audited_;                // only before the thread
  std::mutex mu_;
};
