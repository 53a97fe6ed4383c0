#ifndef KESU_UTIL_LOG_H
#define KESU_UTIL_LOG_H

/*
 * Log lines go to stderr: lower case, problem first, subject quoted, e.g.
 * `store: cannot open 'kesu.db': disk full`. Never a secret or personal data.
 */
enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level level);
/* Parse "error" | "warn" | "info" | "debug"; returns -1 for anything else. */
int log_level_parse(const char *s, enum log_level *out);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
