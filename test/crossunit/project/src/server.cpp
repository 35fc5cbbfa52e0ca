#include "server.h"
#include "netlib.h"
#include "util.h"
#include <functional>

using namespace std::placeholders;

void Server::configure(const std::string &name) { config_["name"] = name; }

void Server::run() {
  for (int i = 0; i < 100; ++i) {
    peers_.erase(i);
    {
      std::lock_guard<std::mutex> guard(mu_);
      stats_[i]++;
    }
    opened_.erase(i);
    if (config_.count("name") == 0)
      return;
  }
}

void Server::add(int id, std::string peer) {
  peers_[id] = std::move(peer); // EXPECT: mapguard-concurrent-write "thread started in main.cpp:9"
}

void Server::add_locked(int id, std::string peer) {
  std::lock_guard<std::mutex> guard(mu_);
  stats_[id] = static_cast<int>(peer.size());
}

void Server::start() {
  netlib::set_open_handler(std::bind(&Server::on_open, this, _1));
}

void Server::on_open(int id) {
  opened_[id] = 1; // EXPECT: mapguard-concurrent-write "handed to 'netlib::set_open_handler'"
}

void Server::audit() {
  for_each_peer([this](int id) { audited_[id] = 1; });
}
