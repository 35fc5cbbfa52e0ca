#pragma once
// A network library the program links against (not part of the project):
// it calls the handlers it is given on its own event-loop thread.
#include <functional>

namespace netlib {
void set_open_handler(std::function<void(int)> handler);
void run_loop();
} // namespace netlib
