/* spikefile.c - the lsnn-spikes text format (spikefile.h): strict line-by-line reader.
 *
 * Each line is cut at '#', stripped of trailing blanks and split into tokens at spaces, tabs
 * and CRs; every token must be used. A line whose content is longer than LINE_MAX_CHARS, a
 * NUL byte, a token that is not a decimal integer and an integer beyond `long` are errors,
 * never silently truncated. */
#include "spikefile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

#define MAX_SEQ   1000000L
#define MAX_STEPS 10000000L
/* sequences x steps; the fuzz target (tests/fuzz_spikefile.c) builds with a lower limit */
#ifndef LSNN_SPIKEFILE_MAX_CELLS
#define LSNN_SPIKEFILE_MAX_CELLS 100000000L
#endif
#define LINE_MAX_CHARS 255 /* characters of a line before its comment and trailing blanks */
#define MAX_TOKENS     8   /* more than any line may hold */

typedef struct {
    const char *name;
    const char *p, *end;
    long line;
    lsnn_error *e;
} reader;

static int fail(const reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(const reader *r, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lsnn_fail(r->e, "%s:%ld: error: %s", r->name, r->line > 0 ? r->line : 1, msg);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* The next line with content into buf (NUL-terminated; comment and trailing blanks cut).
 * Returns 1, 0 at the end of the text, or -1 (message set) on a NUL byte or a line longer
 * than LINE_MAX_CHARS. */
static int next_line(reader *r, char buf[LINE_MAX_CHARS + 1])
{
    while (r->p < r->end) {
        const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
        const char *s = r->p, *stop = nl ? nl : r->end;
        r->line++;
        r->p = nl ? nl + 1 : r->end;
        const char *hash = memchr(s, '#', (size_t)(stop - s));
        if (hash) stop = hash;
        if (memchr(s, '\0', (size_t)(stop - s))) return fail(r, "the line holds a NUL byte");
        while (stop > s && is_blank(stop[-1]))
            stop--;
        size_t n = (size_t)(stop - s);
        if (n > LINE_MAX_CHARS)
            return fail(r, "the line is longer than %d characters (comments aside)",
                        LINE_MAX_CHARS);
        memcpy(buf, s, n);
        buf[n] = 0;
        if (strspn(buf, " \t\r") != n) return 1;
    }
    return 0;
}

/* Splits buf in place into at most MAX_TOKENS tokens; returns the number of tokens found
 * (MAX_TOKENS + 1 when there are more). */
static int split(char *buf, char *tok[MAX_TOKENS])
{
    int k = 0;
    char *s = buf;
    while (1) {
        while (is_blank(*s))
            s++;
        if (!*s) return k;
        if (k == MAX_TOKENS) return k + 1;
        tok[k++] = s;
        while (*s && !is_blank(*s))
            s++;
        if (*s) *s++ = 0;
    }
}

/* A decimal integer token ([+-]digits) into *v. */
static int integer(const reader *r, const char *tok, long *v)
{
    char *end;
    const char *d = tok + (*tok == '+' || *tok == '-');
    if (*d < '0' || *d > '9') return fail(r, "'%.32s' is not an integer", tok);
    errno = 0;
    *v = strtol(tok, &end, 10);
    if (*end) return fail(r, "'%.32s' is not an integer", tok);
    if (errno == ERANGE) return fail(r, "integer '%.32s' is out of range", tok);
    return 0;
}

static int integers(const reader *r, char *const *tok, int n, long *v)
{
    for (int i = 0; i < n; i++)
        if (integer(r, tok[i], &v[i])) return -1;
    return 0;
}

int lsnn_spikefile_parse(const char *name, const char *text, size_t len, int n_out, lsnn_batch *b,
                         int *labelled, lsnn_error *e)
{
    reader r = {name, text, text + len, 0, e};
    char buf[LINE_MAX_CHARS + 1], *tok[MAX_TOKENS];
    long C, T, S, v[4];
    int k, rc;
    *labelled = 0;

    if ((rc = next_line(&r, buf)) < 0) return -1;
    if (!rc)
        return fail(&r, "no header: the first line must be 'lsnn-spikes %d'",
                    LSNN_SPIKEFILE_VERSION);
    k = split(buf, tok);
    if (k != 2 || strcmp(tok[0], "lsnn-spikes") || strspn(tok[1], "0123456789") != strlen(tok[1]) ||
        strtol(tok[1], NULL, 10) != LSNN_SPIKEFILE_VERSION || strlen(tok[1]) > 9)
        return fail(&r, "the first line must be 'lsnn-spikes %d'", LSNN_SPIKEFILE_VERSION);

    if ((rc = next_line(&r, buf)) < 0) return -1;
    k = rc ? split(buf, tok) : 0;
    if (k != 6 || strcmp(tok[0], "channels") || strcmp(tok[2], "steps") ||
        strcmp(tok[4], "sequences"))
        return fail(&r, "expected 'channels C steps T sequences S'");
    if (integer(&r, tok[1], &C) || integer(&r, tok[3], &T) || integer(&r, tok[5], &S)) return -1;
    if (C < 1 || C > 65536) return fail(&r, "channels must be in 1..65536, got %ld", C);
    if (T < 1 || T > MAX_STEPS) return fail(&r, "steps must be in 1..%ld, got %ld", MAX_STEPS, T);
    if (S < 1 || S > MAX_SEQ) return fail(&r, "sequences must be in 1..%ld, got %ld", MAX_SEQ, S);
    if (S * T > LSNN_SPIKEFILE_MAX_CELLS)
        return fail(&r, "sequences x steps must be at most %ld, got %ld x %ld",
                    (long)LSNN_SPIKEFILE_MAX_CELLS, S, T);
    if (lsnn_batch_reset(b, (int)S, (int)T, (int)C)) return lsnn_fail(e, "%s: out of memory", name);

    long cell = 0, last_ch = -1; /* the open cell (seq*T + step) and its last channel */
    int windows = 0;
    while ((rc = next_line(&r, buf)) > 0) {
        k = split(buf, tok);
        if (!strcmp(tok[0], "window")) {
            if (k != 5) return fail(&r, "expected 'window SEQ START END LABEL'");
            if (integers(&r, tok + 1, 4, v)) return -1;
            if (v[0] < 0 || v[0] >= S)
                return fail(&r, "window sequence %ld is not in 0..%ld", v[0], S - 1);
            if (v[1] < 0 || v[2] <= v[1] || v[2] > T)
                return fail(&r, "window [%ld, %ld) is not inside the sequence's steps [0, %ld)",
                            v[1], v[2], T);
            if (n_out < 1)
                return fail(&r, "window label %ld: the network has no readout classes", v[3]);
            if (v[3] < 0 || v[3] >= n_out)
                return fail(&r, "window label %ld is not a class of the network (0..%d)", v[3],
                            n_out - 1);
            if (lsnn_batch_add_window(b, (int)v[0], (int)v[1], (int)v[2], (int)v[3]))
                return lsnn_fail(e, "%s: out of memory", name);
            windows++;
            continue;
        }
        if (k != 3) return fail(&r, "expected 'SEQ STEP CHANNEL' or a window line");
        if (integers(&r, tok, 3, v)) return -1;
        if (v[0] < 0 || v[0] >= S || v[1] < 0 || v[1] >= T)
            return fail(&r, "sequence %ld step %ld is outside the header's sizes (%ld x %ld)", v[0],
                        v[1], S, T);
        if (v[2] < 0 || v[2] >= C) return fail(&r, "channel %ld is not in 0..%ld", v[2], C - 1);
        long c = v[0] * T + v[1];
        if (c == cell && v[2] == last_ch)
            return fail(&r, "spike %ld %ld %ld is listed twice", v[0], v[1], v[2]);
        if (c < cell || (c == cell && v[2] < last_ch))
            return fail(&r,
                        "spikes must be in ascending (sequence, step, channel) order: %ld %ld %ld "
                        "follows %ld %ld %ld",
                        v[0], v[1], v[2], cell / T, cell % T, last_ch);
        while (cell < c) {
            lsnn_batch_end_cell(b);
            cell++;
            last_ch = -1;
        }
        if (lsnn_batch_push(b, (int)v[2])) return lsnn_fail(e, "%s: out of memory", name);
        last_ch = v[2];
    }
    if (rc < 0) return -1;
    while (cell < S * T) {
        lsnn_batch_end_cell(b);
        cell++;
    }
    if (!windows)
        for (long s = 0; s < S; s++)
            if (lsnn_batch_add_window(b, (int)s, 0, (int)T, 0))
                return lsnn_fail(e, "%s: out of memory", name);
    *labelled = windows > 0;
    if (lsnn_batch_check(b, n_out > 0 ? n_out : 1))
        return lsnn_fail(e, "%s: inconsistent spike trains", name);
    return 0;
}

int lsnn_spikefile_load(const char *path, int n_out, lsnn_batch *b, int *labelled, lsnn_error *e)
{
    char *text;
    size_t len;
    if (lsnn_read_file(path, &text, &len, e)) return -1;
    int rc = lsnn_spikefile_parse(path, text, len, n_out, b, labelled, e);
    free(text);
    return rc;
}
