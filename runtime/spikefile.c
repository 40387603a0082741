/* spikefile.c - the lsnn-spikes text format (spikefile.h): strict line-by-line reader. */
#include "spikefile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

#define MAX_SEQ   1000000L
#define MAX_STEPS 10000000L

typedef struct {
    const char *name;
    const char *p, *end;
    long line;
    lsnn_error *e;
} reader;

/* The next non-blank, non-comment line into buf (NUL-terminated, comment cut). 0 at EOF. */
static int next_line(reader *r, char *buf, size_t cap)
{
    while (r->p < r->end) {
        const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
        size_t n = nl ? (size_t)(nl - r->p) : (size_t)(r->end - r->p);
        r->line++;
        if (n >= cap) n = cap - 1; /* over-long lines fail to parse below */
        memcpy(buf, r->p, n);
        buf[n] = 0;
        r->p = nl ? nl + 1 : r->end;
        char *hash = strchr(buf, '#');
        if (hash) *hash = 0;
        if (strspn(buf, " \t\r") != strlen(buf)) return 1;
    }
    return 0;
}

/* Up to n integers of a line; returns how many were read, -1 on a malformed token. */
static int ints(const char *s, long *v, int n)
{
    int k = 0;
    while (1) {
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        if (!*s) return k;
        if (k == n) return -1;
        char *end;
        errno = 0;
        v[k] = strtol(s, &end, 10);
        if (end == s || errno || (*end && *end != ' ' && *end != '\t' && *end != '\r')) return -1;
        s = end;
        k++;
    }
}

static int fail(reader *r, const char *fmt, long a, long b)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, a, b);
    return lsnn_fail(r->e, "%s:%ld: error: %s", r->name, r->line, msg);
}

int lsnn_spikefile_parse(const char *name, const char *text, size_t len, int n_out, lsnn_batch *b,
                         int *labelled, lsnn_error *e)
{
    reader r = {name, text, text + len, 0, e};
    char buf[256], head[64];
    long C, T, S, v[4];
    *labelled = 0;
    if (!next_line(&r, buf, sizeof buf) || sscanf(buf, "%63s %ld", head, &v[0]) != 2 ||
        strcmp(head, "lsnn-spikes") || v[0] != LSNN_SPIKEFILE_VERSION)
        return fail(&r, "the first line must be 'lsnn-spikes %ld'%.0ld", LSNN_SPIKEFILE_VERSION, 0);
    if (!next_line(&r, buf, sizeof buf) ||
        sscanf(buf, "channels %ld steps %ld sequences %ld", &C, &T, &S) != 3)
        return fail(&r, "expected 'channels C steps T sequences S'%.0ld%.0ld", 0, 0);
    if (C < 1 || C > 65536) return fail(&r, "channels must be in 1..65536, got %ld%.0ld", C, 0);
    if (T < 1 || T > MAX_STEPS) return fail(&r, "steps must be in 1..%ld, got %ld", MAX_STEPS, T);
    if (S < 1 || S > MAX_SEQ) return fail(&r, "sequences must be in 1..%ld, got %ld", MAX_SEQ, S);
    if (S * T > 100000000L)
        return fail(&r, "sequences x steps must be at most 1e8, got %ld x %ld", S, T);
    if (lsnn_batch_reset(b, (int)S, (int)T, (int)C)) return lsnn_fail(e, "%s: out of memory", name);
    long cell = 0, last_ch = -1; /* the open cell (seq*T + step) and its last channel */
    int windows = 0;
    while (next_line(&r, buf, sizeof buf)) {
        if (!strncmp(buf, "window", 6)) {
            if (ints(buf + 6, v, 4) != 4)
                return fail(&r, "expected 'window SEQ START END LABEL'%.0ld%.0ld", 0, 0);
            if (v[0] < 0 || v[0] >= S)
                return fail(&r, "window sequence %ld is not in 0..%ld", v[0], S - 1);
            if (v[1] < 0 || v[2] <= v[1] || v[2] > T)
                return fail(&r, "window [%ld, %ld) is not inside the sequence's steps", v[1], v[2]);
            if (v[3] < 0 || v[3] >= n_out)
                return fail(&r, "window label %ld is not a class of the network (0..%ld)", v[3],
                            n_out - 1);
            if (lsnn_batch_add_window(b, (int)v[0], (int)v[1], (int)v[2], (int)v[3]))
                return lsnn_fail(e, "%s: out of memory", name);
            windows++;
            continue;
        }
        if (ints(buf, v, 3) != 3)
            return fail(&r, "expected 'SEQ STEP CHANNEL' or a window line%.0ld%.0ld", 0, 0);
        if (v[0] < 0 || v[0] >= S || v[1] < 0 || v[1] >= T)
            return fail(&r, "sequence %ld step %ld is outside the header's sizes", v[0], v[1]);
        if (v[2] < 0 || v[2] >= C) return fail(&r, "channel %ld is not in 0..%ld", v[2], C - 1);
        long c = v[0] * T + v[1];
        if (c < cell || (c == cell && v[2] <= last_ch))
            return fail(
                &r,
                "spikes must be in ascending (sequence, step, channel) order: step %ld channel %ld",
                v[1], v[2]);
        while (cell < c) {
            lsnn_batch_end_cell(b);
            cell++;
            last_ch = -1;
        }
        if (lsnn_batch_push(b, (int)v[2])) return lsnn_fail(e, "%s: out of memory", name);
        last_ch = v[2];
    }
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
