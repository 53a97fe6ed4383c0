#include "core/account.h"
#include "util/utf8.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

const char *const core_roles_staff[] = {
    "operator", "handler", "supervisor", "manager", "executive", "centre", "auditor", "admin",
    NULL,
};

bool
core_role_is_company(const char *role)
{
    return strcmp(role, "executive") == 0 || strcmp(role, "centre") == 0 ||
           strcmp(role, "auditor") == 0 || strcmp(role, "admin") == 0;
}

int
core_login_check(const char *login, struct err *e)
{
    size_t n = strlen(login);

    if (n == 0)
        return err_set(e, ERR_INVALID, "login", "empty", "empty login");
    if (n > CORE_LOGIN_MAX)
        return err_set(e, ERR_INVALID, "login", "too_long", "login over %d", CORE_LOGIN_MAX);
    if (n < 2)
        return err_set(e, ERR_INVALID, "login", "too_short", "login of one character");
    if (!(login[0] >= 'a' && login[0] <= 'z'))
        return err_set(e, ERR_INVALID, "login", "bad_format", "login must start with a-z");
    for (const char *p = login; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-'))
            return err_set(e, ERR_INVALID, "login", "bad_format", "login has a character "
                                                                  "outside a-z 0-9 . _ -");
    return 0;
}

/* The most leaked passwords that pass the length rule; compared without case. */
static const char *const common[] = {
    "1234567890", "12345678910", "0123456789", "1q2w3e4r5t", "qwertyuiop", "1qaz2wsx3edc",
    "password123", "password1234", "passw0rd123", "iloveyou123", "woaini1314", "woaini520",
    "5201314520", "1314520520", "aa123456789", "a123456789", "abc1234567", "abcd123456",
    "qwerty1234", "admin12345", "admin123456", "administrator", "123456789a", "11111111111",
    NULL,
};

int
core_password_check(const char *password, const char *login, struct err *e)
{
    size_t len = strlen(password), chars;
    bool lower = false, upper = false, digit = false, other = false;
    int classes;

    if (len > CORE_PASSWORD_MAX)
        return err_set(e, ERR_INVALID, "password", "too_long", "password over %d bytes",
                       CORE_PASSWORD_MAX);
    if (!utf8_is_valid(password, len) || utf8_has_control(password, len, false))
        return err_set(e, ERR_INVALID, "password", "bad_character", "control characters");
    chars = utf8_len_chars(password, len);
    if (chars < CORE_PASSWORD_MIN)
        return err_set(e, ERR_INVALID, "password", "too_short", "%zu characters", chars);
    for (const char *p = password; *p; p++) {
        unsigned char c = (unsigned char)*p;
        lower |= c >= 'a' && c <= 'z';
        upper |= c >= 'A' && c <= 'Z';
        digit |= c >= '0' && c <= '9';
        other |= !isalnum(c);    /* punctuation, space, and every byte of CJK text */
    }
    classes = lower + upper + digit + other;
    if (classes < 3 && chars < CORE_PASSPHRASE_MIN)
        return err_set(e, ERR_INVALID, "password", "too_simple",
                       "needs three kinds of character or %d characters", CORE_PASSPHRASE_MIN);
    if (login != NULL && login[0] != '\0' && strcasestr(password, login) != NULL)
        return err_set(e, ERR_INVALID, "password", "contains_login", "contains the login");
    for (const char *const *c = common; *c != NULL; c++)
        if (strcasecmp(password, *c) == 0)
            return err_set(e, ERR_INVALID, "password", "common", "a commonly leaked password");
    return 0;
}
