// The happens-before check behind Map: FastTrack's last-write epoch and read epochs.
#include <algorithm>
#include <string>

#include "mapguard/detail/runtime.h"
#include "scheduler.h"

namespace mapguard::shim::detail {

namespace {
bool same_site(Site a, Site b) { return a.line == b.line && a.file == b.file; }
}  // namespace

void MapShadow::race(EventKind kind, Site where, Site other) {
  if (record_mode()) {
    // One event per pair of sites and map: a loop does not flood the file.
    const bool seen = std::any_of(reported_.begin(), reported_.end(), [&](const auto& p) {
      return same_site(p.first, where) && same_site(p.second, other);
    });
    if (seen) return;
    reported_.emplace_back(where, other);
  }
  fatal(Event{kind, "fatal error: " + std::string(go_message(kind)), where, other, current_id()},
        /*can_continue=*/true);
}

void MapShadow::write(Site where) {
  Goroutine& me = current();
  const VectorClock& c = clock_of(me);
  const goroutine_id id = id_of(me);
  if (has_write_ && write_.g != id && write_.clock > c.get(write_.g)) {
    race(EventKind::concurrent_map_write, where, write_.where);
  }
  for (const Access& r : reads_) {
    if (r.g != id && r.clock > c.get(r.g)) {
      race(EventKind::concurrent_map_read_write, where, r.where);
      break;
    }
  }
  reads_.clear();
  has_write_ = true;
  write_ = Access{id, c.get(id), where};
}

void MapShadow::read(Site where) {
  Goroutine& me = current();
  const VectorClock& c = clock_of(me);
  const goroutine_id id = id_of(me);
  if (has_write_ && write_.g != id && write_.clock > c.get(write_.g)) {
    race(EventKind::concurrent_map_read_write, where, write_.where);
  }
  for (Access& r : reads_) {
    if (r.g == id) {
      r.clock = c.get(id);
      r.where = where;
      return;
    }
  }
  reads_.push_back(Access{id, c.get(id), where});
}

}  // namespace mapguard::shim::detail
