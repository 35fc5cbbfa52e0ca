// The happens-before check behind Map: FastTrack's last-write epoch and read epochs. The
// same-epoch shortcuts are inline in runtime.h; these are the full checks.
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

void MapShadow::write_slow(GoroutineHead& me, Site where) {
  const VectorClock& c = me.clock;
  if (has_write_ && write_.slot != me.slot && write_.clock > c.get(write_.slot)) {
    race(EventKind::concurrent_map_write, where, write_.where);
  }
  for (const Access& r : reads_) {
    if (r.slot != me.slot && r.clock > c.get(r.slot)) {
      race(EventKind::concurrent_map_read_write, where, r.where);
      break;
    }
  }
  reads_.clear();
  has_write_ = true;
  const std::uint32_t e = me.epoch();
  write_ = Access{me.slot, e, where};
  me.last_access = e;
}

void MapShadow::read_slow(GoroutineHead& me, Site where) {
  const VectorClock& c = me.clock;
  if (has_write_ && write_.slot != me.slot && write_.clock > c.get(write_.slot)) {
    race(EventKind::concurrent_map_read_write, where, write_.where);
  }
  const std::uint32_t e = me.epoch();
  me.last_access = e;
  for (Access& r : reads_) {
    if (r.slot == me.slot) {
      r.clock = e;
      r.where = where;
      return;
    }
  }
  reads_.push_back(Access{me.slot, e, where});
}

}  // namespace mapguard::shim::detail
