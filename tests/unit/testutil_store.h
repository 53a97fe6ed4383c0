#ifndef KESU_TESTS_TESTUTIL_STORE_H
#define KESU_TESTS_TESTUTIL_STORE_H

/* Shared by the store tests: times in the test zone and temporary directories. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/ts.h"

#ifndef TZ
#define TZ 480              /* China, +08:00 */
#endif

/* A local time in the test zone. */
static inline int64_t
at(int year, int month, int day, int hour, int minute)
{
    struct ts_civil c = { year, month, day, hour, minute, 0, 0 };

    return ts_from_civil(&c, TZ);
}

/* Remove a directory of plain files (a test's database and its -wal, -shm). */
static inline void
remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char path[768];

    if (d == NULL)
        return;
    while ((ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

#endif
