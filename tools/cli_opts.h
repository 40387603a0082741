/* cli_opts.h - the option table of a command: the parser and the --help text both read it, so
 * what a command accepts and what its help lists cannot disagree. */
#ifndef LSNN_CLI_OPTS_H
#define LSNN_CLI_OPTS_H

#include <stdio.h>

/* How many times a repeatable string option may be given. */
#define CLI_STRS_MAX 8

/* The values of a repeatable string option, in the order given. */
typedef struct {
    const char *v[CLI_STRS_MAX];
    int n;
} cli_strs;

typedef enum {
    CLI_KIND_FLAG,   /* no value: sets *flag to 1 */
    CLI_KIND_INT,    /* a decimal integer in [lo, hi] into *num */
    CLI_KIND_STR,    /* a string into *str (the last one given wins) */
    CLI_KIND_STRS,   /* a string appended to *strs (repeatable) */
    CLI_KIND_CHOICE, /* one of meta's '|'-separated words: its index into *choice */
} cli_kind;

/* One option. Tables end with an entry whose name is NULL; entries are written with the
 * macros below, which check the destination's type, plus optional designators:
 * {CLI_STR("--out", &out, "DIR", "output directory"), .short_name = 'o', .required = 1}. */
typedef struct {
    const char *name; /* "--out" */
    char short_name;  /* 'o' for -o, or 0 */
    int required;     /* a usage error when missing (listed in the usage line) */
    cli_kind kind;
    union {
        int *flag;
        int *choice;
        long *num;
        const char **str;
        cli_strs *strs;
    };
    const char *meta; /* the value's name in the help: "FILE"; choices: "ref|rtl" */
    long lo, hi;      /* CLI_KIND_INT's range */
    const char *help; /* lines separated by '\n' */
} cli_opt;

#define CLI_FLAG(n, d, h) .name = (n), .kind = CLI_KIND_FLAG, .flag = (d), .help = (h)
#define CLI_INT(n, d, m, l, u, h)                                                                  \
    .name = (n), .kind = CLI_KIND_INT, .num = (d), .meta = (m), .lo = (l), .hi = (u), .help = (h)
#define CLI_STR(n, d, m, h) .name = (n), .kind = CLI_KIND_STR, .str = (d), .meta = (m), .help = (h)
#define CLI_STRS(n, d, m, h)                                                                       \
    .name = (n), .kind = CLI_KIND_STRS, .strs = (d), .meta = (m), .help = (h)
#define CLI_CHOICE(n, d, m, h)                                                                     \
    .name = (n), .kind = CLI_KIND_CHOICE, .choice = (d), .meta = (m), .help = (h)

/* A positional argument. Tables end with an entry whose meta is NULL. */
typedef struct {
    const char *meta; /* "RUN_DIR" */
    const char **dest;
    int required; /* missing: the usage on stderr, status 2 */
} cli_arg;

/* A command's arguments and help. */
typedef struct {
    const char *name;    /* "train": messages start "lsnn train: " */
    const cli_arg *args; /* positional arguments, in order */
    const cli_opt *opts;
    const char *also;  /* further usage lines, or NULL */
    const char *about; /* the paragraph between the usage and the options */
} cli_cmd;

/* cli_parse's answer when the command should go on. */
#define CLI_GO (-1)

/* Parses argv[1..argc-1] against c into the tables' destinations (which hold the defaults).
 * Returns CLI_GO, or the status the command returns at once: 0 after printing the help for
 * -h/--help, 2 after a usage error (printed as "lsnn NAME: ..." on stderr). */
int cli_parse(const cli_cmd *c, int argc, char **argv);

/* Prints the help (usage lines, about, the options and -h, --help) to f. */
void cli_help(const cli_cmd *c, FILE *f);

/* Prints the help to stderr and returns 2: a usage error a command finds itself. */
int cli_usage_error(const cli_cmd *c);

#endif
