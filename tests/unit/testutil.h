#ifndef KESU_TESTS_TESTUTIL_H
#define KESU_TESTS_TESTUTIL_H

/* Shared by the cmocka unit tests: includes in the order cmocka needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#define TEST_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
