/* kesu: options, then one subcommand. Everything else is in libkesu.a. */
#include "cli/cli.h"
#include "util/alloc.h"
#include "util/version.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "kesu " KESU_VERSION " — 客诉管理系统 customer-complaint management\n"
    "\n"
    "usage: kesu <command> [options]\n"
    "\n"
    "commands:\n"
    "  init      create or migrate the database\n"
    "  serve     run the HTTP server\n"
    "  demo      fill the database with demo data\n"
    "  version   print the version\n"
    "\n"
    "`kesu <command> --help` explains each command and its options.\n";

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
    { "version", cmd_version },
};

int
main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(0, NULL);
    if (sodium_init() < 0) {
        fprintf(stderr, "kesu: cannot initialise libsodium\n");
        return 1;
    }
    alloc_setup_json();
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "kesu: unknown command '%s'\n\n%s", argv[1], usage);
    return 2;
}
