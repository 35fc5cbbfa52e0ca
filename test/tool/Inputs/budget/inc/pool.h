// Included by both files: drain() is over the budget of .clang-tidy.
#include <map>
#include <memory>

struct Session {
  void send();
};
using Sessions = std::map<int, std::shared_ptr<Session>>;

inline void drain(Sessions &m, int k) {
  for (int i = 0; i < k; ++i) {
    auto it = m.find(i);
    if (it == m.end())
      continue;
    if (i % 2)
      it->second->send();
    else
      m.erase(it);
  }
}
