// What redis-plus-plus's CMake configure writes from hiredis_features.h.in
// against Debian's libhiredis-dev: the keep-alive-with-interval API is absent.
#ifndef SEWENEW_REDISPLUSPLUS_HIREDIS_FEATURES_H
#define SEWENEW_REDISPLUSPLUS_HIREDIS_FEATURES_H
/* #undef REDIS_PLUS_PLUS_HAS_redisEnableKeepAliveWithInterval */
#endif
