#include "cli/cli.h"
#include "cli/text.h"
#include "util/err.h"
#include "util/i18n.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

void
cli_error(const char *what, const struct err *e)
{
    char message[256];

    i18n_message(cli_lang(), e->field, e->reason, message, sizeof(message));
    /* the message in the user's language, then the technical detail */
    fprintf(stderr, "kesu: %s: %s (%s)\n", what, message,
            e->detail[0] ? e->detail : cli_text(MSG_FAILED));
}

static int
value_of(int argc, char **argv, int *i, const char *name, const char **out)
{
    size_t n = strlen(name);

    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=') {
        *out = argv[*i] + n + 1;
        return 1;
    }
    if (strcmp(argv[*i], name) != 0)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, cli_text(MSG_NEEDS_VALUE), name);
        return -1;
    }
    *out = argv[++*i];
    return 1;
}

int
cli_options(int argc, char **argv, const char *usage, const char *const *extra,
            const char **extra_values, struct config *cfg)
{
    const char *config_path = NULL, *db = NULL, *listen = NULL;
    struct err e = { 0 };
    int i, rc;

    for (i = 0; extra && extra[i]; i++)
        extra_values[i] = NULL;
    for (i = 0; i < argc; i++) {
        const char *v;
        size_t k;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 1;
        }
        if ((rc = value_of(argc, argv, &i, "--config", &config_path)) != 0 ||
            (rc = value_of(argc, argv, &i, "--db", &db)) != 0 ||
            (rc = value_of(argc, argv, &i, "--listen", &listen)) != 0) {
            if (rc < 0)
                return -1;
            continue;
        }
        for (k = 0; extra && extra[k]; k++)
            if ((rc = value_of(argc, argv, &i, extra[k], &v)) != 0)
                break;
        if (extra && extra[k] && rc > 0) {
            extra_values[k] = v;
            continue;
        }
        if (rc < 0)
            return -1;
        fprintf(stderr, cli_text(MSG_UNKNOWN_OPTION), argv[i]);
        fputs(usage, stderr);
        return -1;
    }
    config_defaults(cfg);
    if (config_path != NULL) {
        if (config_load_file(cfg, config_path, &e) < 0) {
            cli_error(config_path, &e);
            return -1;
        }
    } else if (access("kesu.conf", F_OK) == 0 && config_load_file(cfg, "kesu.conf", &e) < 0) {
        cli_error("kesu.conf", &e);
        return -1;
    }
    if (config_load_env(cfg, environ, &e) < 0) {
        cli_error("environment", &e);
        return -1;
    }
    if ((db && config_set(cfg, "db", db, &e) < 0) ||
        (listen && config_set(cfg, "listen", listen, &e) < 0)) {
        cli_error("option", &e);
        return -1;
    }
    return 0;
}
