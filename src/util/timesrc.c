#include "util/timesrc.h"
#include "util/ts.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

int
timesrc_init(struct timesrc *t, const struct config *cfg, struct err *e)
{
    memset(t, 0, sizeof(*t));
    t->offset = cfg->clock_offset;
    t->tz_min = cfg->tz_offset_min;
    if (cfg->clock_file[0] != '\0')
        t->file = cfg->clock_file;
    if (cfg->clock_fixed[0] != '\0' &&
        ts_parse(cfg->clock_fixed, strlen(cfg->clock_fixed), cfg->tz_offset_min, &t->fixed, NULL,
                 "clock_fixed", e) < 0)
        return -1;
    return 0;
}

/* The last good reading of any clock file: a torn read keeps time from jumping back. */
static _Atomic int64_t last_file_time;

static int
read_file_time(const struct timesrc *t, int64_t *out)
{
    char buf[64];
    ssize_t n;
    size_t len;
    struct err ignored = { 0 };
    int fd = open(t->file, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    len = (size_t)n;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
        len--;
    return ts_parse(buf, len, t->tz_min, out, NULL, "clock_file", &ignored);
}

int64_t
timesrc_now(const struct timesrc *t)
{
    int64_t now;

    if (t->file != NULL) {
        if (read_file_time(t, &now) == 0) {
            atomic_store(&last_file_time, now);
            return now;
        }
        now = atomic_load(&last_file_time);
        return now != 0 ? now : ts_now();
    }
    if (t->fixed != 0)
        return t->fixed;
    return ts_now() + t->offset;
}
