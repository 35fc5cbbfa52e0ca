#pragma once
#include <functional>

/// Calls `f` for each peer id, on the caller's thread.
void for_each_peer(const std::function<void(int)> &f);
