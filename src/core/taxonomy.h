#ifndef KESU_CORE_TAXONOMY_H
#define KESU_CORE_TAXONOMY_H

#include <stddef.h>

/*
 * The category presets of DOMAIN §3, shipped as data. `kesu init` copies the
 * chosen preset into the database; from then on the database is the truth
 * and an administrator edits it there. Nothing else in the code names a
 * category.
 */
struct taxonomy_entry {
    const char *code;
    const char *name_zh, *name_en;
    const char *description_zh, *description_en;
    const struct taxonomy_entry *subs;   /* terminated by an entry with code NULL; may be NULL */
};

struct taxonomy_preset {
    const char *name;                      /* "property" */
    const struct taxonomy_entry *entries;  /* terminated by an entry with code NULL */
};

extern const struct taxonomy_preset core_taxonomy_presets[];  /* terminated by { NULL, NULL } */

/* The preset of that name, or NULL. */
const struct taxonomy_preset *core_taxonomy_find(const char *name);

#endif
