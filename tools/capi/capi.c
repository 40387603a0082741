/* capi.c - liblsnn.so's errors, its capture of the commands' output and lsnn_capi_command,
 * which runs the lsnn commands' own entry points (tools/commands.h) in the caller's process. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capi_internal.h"
#include "commands.h"
#include "lsnn_capi.h"
#include "targets.h"
#include "trace.h"

static char last_error[8192];

int lsnn_capi_version(void)
{
    return LSNN_CAPI_VERSION;
}

const char *lsnn_capi_error(void)
{
    return last_error;
}

void lsnn_capi_free(void *p)
{
    free(p);
}

const char *lsnn_capi_engines(void)
{
    static char names[256];
    cli_target_names(names, sizeof names);
    return names;
}

const char *lsnn_capi_counter_name(int i)
{
    return i >= 0 && i < LSNN_TRACE_COUNTERS ? lsnn_ref_counter_name(i) : NULL;
}

int capi_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return -1;
}

/* Points descriptor fd at a new temporary file; the original is kept in *saved. */
static FILE *redirect(int fd, int *saved)
{
    FILE *f = tmpfile();
    if (!f) return NULL;
    *saved = dup(fd);
    if (*saved < 0 || dup2(fileno(f), fd) < 0) {
        if (*saved >= 0) close(*saved);
        *saved = -1;
        fclose(f);
        return NULL;
    }
    return f;
}

static void restore(int fd, int *saved)
{
    if (*saved < 0) return;
    dup2(*saved, fd);
    close(*saved);
    *saved = -1;
}

/* The whole of a temporary file, malloc'ed and NUL-terminated (NULL: out of memory). */
static char *slurp(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    if (n < 0) n = 0;
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    rewind(f);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = 0;
    return s;
}

int capi_capture_begin(capi_capture *c, int want_out)
{
    c->saved_err = c->saved_out = -1;
    c->out = NULL;
    fflush(stdout);
    fflush(stderr);
    if (!(c->err = redirect(STDERR_FILENO, &c->saved_err)))
        return capi_fail("cannot capture stderr: %s", strerror(errno));
    if (want_out && !(c->out = redirect(STDOUT_FILENO, &c->saved_out))) {
        restore(STDERR_FILENO, &c->saved_err);
        fclose(c->err);
        return capi_fail("cannot capture stdout: %s", strerror(errno));
    }
    return 0;
}

int capi_capture_end(capi_capture *c, int failed, const char *what, char **out)
{
    fflush(stdout);
    fflush(stderr);
    restore(STDERR_FILENO, &c->saved_err);
    restore(STDOUT_FILENO, &c->saved_out);
    char *err = slurp(c->err), *text = c->out ? slurp(c->out) : NULL;
    fclose(c->err);
    if (c->out) fclose(c->out);
    int rc = failed ? -1 : 0;
    if (!err || (c->out && !text))
        rc = capi_fail("out of memory reading a command's output");
    else if (failed) {
        size_t n = strlen(err);
        while (n && (err[n - 1] == '\n' || err[n - 1] == ' '))
            err[--n] = 0;
        capi_fail("%s", n ? err : what);
    } else if (err[0]) {
        fputs(err, stderr);
    }
    free(err);
    if (out && rc == 0)
        *out = text;
    else
        free(text);
    return rc;
}

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"train", cmd_train},           {"eval", cmd_eval},
    {"compile", cmd_compile},       {"run", cmd_run},
    {"energy", cmd_energy},         {"verify", cmd_verify},
    {"trace-diff", cmd_trace_diff}, {"plot", cmd_plot},
    {"report", cmd_report},
};

int lsnn_capi_command(int argc, const char *const *argv, char **out)
{
    if (out) *out = NULL;
    if (argc < 1 || !argv || !argv[0]) return capi_fail("no command given"), 2;
    int (*run)(int, char **) = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[0], commands[i].name)) run = commands[i].run;
    if (!run) return capi_fail("unknown command '%s'", argv[0]), 2;
    /* the commands take char **: a copy they may keep pointers into until they return */
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) return capi_fail("out of memory"), 1;
    for (int i = 0; i < argc; i++)
        args[i] = (char *)argv[i];
    struct sigaction old_int, old_term;
    sigaction(SIGINT, NULL, &old_int);
    sigaction(SIGTERM, NULL, &old_term);
    capi_capture cap;
    if (capi_capture_begin(&cap, 1)) return free(args), 1;
    int rc = run(argc, args);
    char what[128];
    snprintf(what, sizeof what, "lsnn %s failed (exit status %d)", argv[0], rc);
    if (capi_capture_end(&cap, rc != 0, what, out) && rc == 0) rc = 1;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    free(args);
    return rc;
}
