// mapguard/shim.h — the whole runtime shim: Go's map, channel, pointer, sync, go, defer
// and goleak, with Go's messages and deterministic race reports. See docs/shim.md.
//
//   #include "mapguard/shim.h"
//   namespace sh = mapguard::shim;
//
// Headers: map.h (Map), chan.h (Chan, make_chan, select), ptr.h (Ptr, make_ptr),
// sync.h (Mutex, RWMutex, WaitGroup, Once), go.h (go, verify_no_leaks),
// defer.h (MAPGUARD_DEFER), events.h (Panic, event format, modes).
#pragma once

#include "mapguard/chan.h"
#include "mapguard/defer.h"
#include "mapguard/events.h"
#include "mapguard/go.h"
#include "mapguard/map.h"
#include "mapguard/ptr.h"
#include "mapguard/sync.h"
