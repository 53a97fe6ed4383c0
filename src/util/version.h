#ifndef KESU_UTIL_VERSION_H
#define KESU_UTIL_VERSION_H

#define KESU_VERSION "0.1.0"

#endif
