/*
 * main.c — entry point of `clusterplan`: parses the command line and runs
 * one command.
 */
#include "cli.h"

#include <string.h>

static const struct {
    const char *name;
    int (*run)(const cli_args *);
} commands[] = {{"validate", cmd_validate}, {"evaluate", cmd_evaluate}, {"compare", cmd_compare},
                {"solve", cmd_solve}, {"generate", cmd_generate}, {"rank", cmd_rank},
                {"assign", cmd_assign}, {"batch", cmd_batch}, {"zones", cmd_zones}};


int main(int argc, char **argv)
{
    cli_args a;
    size_t k;
    int i;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            /* after a command: that command's options; otherwise all commands */
            if (i > 1 && argv[1][0] != '-' && cli_command_help(stdout, argv[1]) == 0)
                return 0;
            cli_usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("clusterplan %s\n", CP_VERSION);
            return 0;
        }
    }
    if (cli_parse(argc, argv, &a))
        return 2;
    if (!a.command) {
        cli_usage(stderr);
        return 2;
    }
    for (k = 0; k < sizeof commands / sizeof *commands; k++)
        if (!strcmp(a.command, commands[k].name))
            return commands[k].run(&a);
    fprintf(stderr, "clusterplan: unknown command '%s' (clusterplan --help)\n", a.command);
    return 2;
}
