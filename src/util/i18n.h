#ifndef KESU_UTIL_I18N_H
#define KESU_UTIL_I18N_H

#include <stddef.h>

/*
 * The message catalog: every user-visible string in Chinese (the default)
 * and English. Keys are the stable `reason` and `field` names of struct err.
 */
enum i18n_lang { I18N_ZH, I18N_EN };

/* The text for a reason key; a generic text for an unknown key. */
const char *i18n_reason(enum i18n_lang lang, const char *reason);

/* A readable name for a field path ("complainant.phone" -> "投诉人电话"); the path itself when unknown. */
const char *i18n_field(enum i18n_lang lang, const char *field);

/* "<field>: <reason>" or just the reason when there is no field. Returns the length written. */
size_t i18n_message(enum i18n_lang lang, const char *field, const char *reason, char *out,
                    size_t size);

/*
 * For a rule condition (core/grading.h): the message of `bad_syntax` names
 * the byte and what was expected there, that of `unknown` the fact, both read
 * from the error's detail as core_grade_condition_parse() writes it; any
 * other error (or a detail of another form) reads as i18n_message's.
 */
size_t i18n_condition_message(enum i18n_lang lang, const char *field, const char *reason,
                              const char *detail, char *out, size_t size);

#endif
