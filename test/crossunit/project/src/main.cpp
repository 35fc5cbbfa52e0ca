#include "netlib.h"
#include "server.h"
#include <thread>

int main() {
  Server s;
  s.configure("edge"); // before the thread starts: ordered
  s.audit();           // for_each_peer runs the lambda here: ordered
  std::thread worker(&Server::run, &s);
  s.add(1, "alice");
  s.add_locked(2, "bob");
  s.start();
  netlib::run_loop();
  worker.join();
  s.add(3, "carol");
  return 0;
}
