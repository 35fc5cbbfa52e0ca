// Pattern 2: m[k] default-inserts a null handle on a miss, then it is used.
#include <cstdio>
#include <map>
#include <memory>
#include <string>

struct Session {
  void send(const std::string &msg) { std::printf("send %s\n", msg.c_str()); }
};

std::map<int, std::shared_ptr<Session>> sessions;

void ping(int id) {
  std::shared_ptr<Session> s = sessions[id]; // a miss inserts nullptr
  s->send("ping");                           // null dereference
}

int main() {
  sessions[1] = std::make_shared<Session>();
  ping(1);
  ping(2);
}
