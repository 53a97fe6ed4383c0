#ifndef KESU_UTIL_BANNED_H
#define KESU_UTIL_BANNED_H

/*
 * Functions that invite overflow or hidden global state. Included by every
 * kesu source file through the compiler's -include flag; use the sbuf,
 * snprintf, strtol and util/ts helpers instead.
 */
/* the system headers first, so the macros below do not rewrite their declarations */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_banned_in_kesu

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef gets
#define gets(x) BANNED(gets)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef localtime
#define localtime(x) BANNED(localtime)

#endif
