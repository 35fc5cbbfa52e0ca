#pragma once
#include <string>

struct Session {
  void send(const std::string &msg);
  int fd = -1;
};
