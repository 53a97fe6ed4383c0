#ifndef KESU_UTIL_TIMESRC_H
#define KESU_UTIL_TIMESRC_H

#include <stdint.h>

#include "util/config.h"
#include "util/err.h"

/*
 * Where "now" comes from. Core logic never reads a clock: it takes `now` as
 * a parameter, and the server, the scheduler and the sender take it from
 * here. In production that is the wall clock; tests start the server with
 * a fixed time (clock_fixed), an offset (clock_offset) or a file holding
 * the time (clock_file), which they rewrite to move time forward instead of
 * waiting. The file wins over the fixed time, which wins over the offset.
 */
struct timesrc {
    int64_t fixed;           /* 0: none */
    long long offset;        /* seconds added to the wall clock */
    const char *file;        /* NULL: none */
    int tz_min;              /* the zone of a time without one in the file */
};

/* From the configuration; ERR_INVALID ("clock_fixed") when the fixed time does not parse. */
int timesrc_init(struct timesrc *t, const struct config *cfg, struct err *e);
/*
 * Seconds since the epoch. A clock file that cannot be read or parsed
 * (being rewritten, say) gives the last good reading, or the wall clock
 * before any.
 */
int64_t timesrc_now(const struct timesrc *t);

#endif
