/* cli_opts.c - parses a command's arguments against its option table and prints its help from
 * the same table. */
#include "cli_opts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The option column: "-o, --out DIR", "--hw FILE", "--json". */
static void left_column(const cli_opt *o, char *buf, size_t n)
{
    int k = o->short_name ? snprintf(buf, n, "-%c, %s", o->short_name, o->name)
                          : snprintf(buf, n, "%s", o->name);
    if (o->meta && (size_t)k < n) snprintf(buf + k, n - (size_t)k, " %s", o->meta);
}

/* One row of the options list; continuation lines of the help are indented to its column. */
static void row(FILE *f, int width, const char *left, const char *help)
{
    fprintf(f, "  %-*s  ", width, left);
    for (const char *nl; (nl = strchr(help, '\n')); help = nl + 1)
        fprintf(f, "%.*s\n%*s", (int)(nl - help), help, width + 4, "");
    fprintf(f, "%s\n", help);
}

void cli_help(const cli_cmd *c, FILE *f)
{
    char left[128];
    fprintf(f, "usage: lsnn %s", c->name);
    for (const cli_arg *a = c->args; a->meta; a++)
        fprintf(f, " %s", a->meta);
    for (const cli_opt *o = c->opts; o->name; o++)
        if (o->required && o->short_name)
            fprintf(f, " -%c %s", o->short_name, o->meta);
        else if (o->required)
            fprintf(f, " %s %s", o->name, o->meta);
    fputs(" [options]\n", f);
    for (const char *l = c->also; l && *l;) {
        size_t n = strcspn(l, "\n");
        fprintf(f, "       %.*s\n", (int)n, l);
        l += n + (l[n] == '\n');
    }
    fprintf(f, "\n%s\noptions:\n", c->about);
    int width = (int)strlen("-h, --help");
    for (const cli_opt *o = c->opts; o->name; o++) {
        left_column(o, left, sizeof left);
        if ((int)strlen(left) > width) width = (int)strlen(left);
    }
    for (const cli_opt *o = c->opts; o->name; o++) {
        left_column(o, left, sizeof left);
        row(f, width, left, o->help);
    }
    row(f, width, "-h, --help", "this help");
}

int cli_usage_error(const cli_cmd *c)
{
    cli_help(c, stderr);
    return 2;
}

/* What a missing value is called in the error, from its name in the help. */
static const char *value_noun(const char *meta)
{
    size_t n = strlen(meta);
    if (n >= 3 && !strcmp(meta + n - 3, "DIR")) return "a directory";
    if (n >= 4 && !strcmp(meta + n - 4, "FILE")) return "a file";
    return "a value";
}

/* The index of s among meta's '|'-separated words, or -1. */
static int choice_index(const char *meta, const char *s)
{
    int i = 0;
    for (const char *w = meta;; i++) {
        size_t n = strcspn(w, "|");
        if (s && strlen(s) == n && !strncmp(w, s, n)) return i;
        if (!w[n]) return -1;
        w += n + 1;
    }
}

static int bad_choice(const cli_cmd *c, const char *opt, const char *meta)
{
    fprintf(stderr, "lsnn %s: %s must be ", c->name, opt);
    for (const char *w = meta;;) {
        size_t n = strcspn(w, "|");
        fprintf(stderr, "'%.*s'", (int)n, w);
        if (!w[n]) break;
        w += n + 1;
        fputs(strchr(w, '|') ? ", " : " or ", stderr);
    }
    fputc('\n', stderr);
    return -1;
}

/* Stores v (NULL: missing) as the value of option o, given as opt. 0, or -1 after printing. */
static int take(const cli_cmd *c, const cli_opt *o, const char *opt, const char *v)
{
    char *end;
    long x;
    int k;
    switch (o->kind) {
    case CLI_KIND_FLAG:
        *o->flag = 1;
        return 0;
    case CLI_KIND_INT:
        errno = 0;
        x = v ? strtol(v, &end, 10) : 0;
        if (!v || errno || end == v || *end || x < o->lo || x > o->hi) {
            fprintf(stderr, "lsnn: %s needs an integer in [%ld, %ld], got '%s'\n", opt, o->lo,
                    o->hi, v ? v : "(nothing)");
            return -1;
        }
        *o->num = x;
        return 0;
    case CLI_KIND_CHOICE:
        if ((k = choice_index(o->meta, v)) < 0) return bad_choice(c, opt, o->meta);
        *o->choice = k;
        return 0;
    case CLI_KIND_STR:
    case CLI_KIND_STRS:
        break;
    }
    if (!v) return fprintf(stderr, "lsnn %s: %s needs %s\n", c->name, opt, value_noun(o->meta)), -1;
    if (o->kind == CLI_KIND_STR) {
        *o->str = v;
    } else if (o->strs->n < CLI_STRS_MAX) {
        o->strs->v[o->strs->n++] = v;
    } else {
        fprintf(stderr, "lsnn %s: %s may be given at most %d times\n", c->name, o->name,
                CLI_STRS_MAX);
        return -1;
    }
    return 0;
}

static const cli_opt *find(const cli_cmd *c, const char *a)
{
    for (const cli_opt *o = c->opts; o->name; o++)
        if (!strcmp(a, o->name) || (o->short_name && a[1] == o->short_name && !a[2])) return o;
    return NULL;
}

int cli_parse(const cli_cmd *c, int argc, char **argv)
{
    unsigned long long seen = 0; /* bit k: option k was given (tables hold up to 64) */
    const cli_arg *next = c->args;
    if (argc < 2) return cli_usage_error(c); /* nothing given: what the command wants */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const cli_opt *o;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            cli_help(c, stdout);
            return 0;
        } else if (a[0] == '-' && (o = find(c, a))) {
            const char *v = o->kind == CLI_KIND_FLAG ? NULL : i + 1 < argc ? argv[++i] : NULL;
            if (take(c, o, a, v)) return 2;
            seen |= 1ull << (o - c->opts);
        } else if (a[0] == '-') {
            fprintf(stderr, "lsnn %s: unknown option '%s'\n", c->name, a);
            return cli_usage_error(c);
        } else if (next->meta) {
            *(next++)->dest = a;
        } else {
            fprintf(stderr, "lsnn %s: unexpected argument '%s'\n", c->name, a);
            return 2;
        }
    }
    for (; next->meta; next++)
        if (next->required) return cli_usage_error(c);
    for (const cli_opt *o = c->opts; o->name; o++)
        if (o->required && !((seen >> (o - c->opts)) & 1)) {
            if (o->short_name)
                fprintf(stderr, "lsnn %s: -%c %s is required\n", c->name, o->short_name, o->meta);
            else
                fprintf(stderr, "lsnn %s: %s %s is required\n", c->name, o->name, o->meta);
            return cli_usage_error(c);
        }
    return CLI_GO;
}
