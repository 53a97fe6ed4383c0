/* kesu: options, then one subcommand. Everything else is in libkesu.a. */
#include "cli/cli.h"
#include "cli/text.h"
#include "util/alloc.h"
#include "util/version.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
};

static int
cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("kesu %s\n", KESU_VERSION);
    return 0;
}

static const struct command commands[] = {
    { "init", cli_init },
    { "serve", cli_serve },
    { "demo", cli_demo },
    { "user", cli_user },
    { "audit", cli_audit },
    { "token", cli_token },
    { "tick", cli_tick },
    { "version", cmd_version },
};

int
main(int argc, char **argv)
{
    cli_lang_init();
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(cli_text(MSG_USAGE), argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(0, NULL);
    if (sodium_init() < 0) {
        fputs(cli_text(MSG_NO_SODIUM), stderr);
        return 1;
    }
    alloc_setup_json();
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, cli_text(MSG_UNKNOWN_COMMAND), argv[1]);
    fputs(cli_text(MSG_USAGE), stderr);
    return 2;
}
