/* trace_read.c - the tick trace read back and compared (trace_read.h, docs/trace-format.md). */
#include "trace_read.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ref_core.h"

#define MAX_TOKENS (2 + LSNN_TRACE_COUNTERS)

/* The next line into r->buf without its newline (and a CR before it). 1, 0 at EOF, -1. */
static int read_line(lsnn_trace_reader *r, lsnn_error *e)
{
    if (!fgets(r->buf, sizeof r->buf, r->f)) return 0;
    r->line++;
    size_t n = strlen(r->buf);
    if (n == sizeof r->buf - 1 && r->buf[n - 1] != '\n')
        return lsnn_fail(e, "%s:%ld: error: line longer than %zu characters", r->name, r->line,
                         sizeof r->buf - 2);
    if (n && r->buf[n - 1] == '\n') r->buf[--n] = 0;
    if (n && r->buf[n - 1] == '\r') r->buf[--n] = 0;
    if (strlen(r->buf) != n) return lsnn_fail(e, "%s:%ld: error: a NUL byte", r->name, r->line);
    return 1;
}

/* Splits r->buf at blanks into tok[]; returns the count (at most MAX_TOKENS + 1). */
static int split(char *s, char **tok)
{
    int n = 0;
    for (char *p = strtok(s, " \t"); p && n <= MAX_TOKENS; p = strtok(NULL, " \t"))
        tok[n++] = p;
    return n;
}

/* A decimal integer in [lo, hi] (unsigned when lo >= 0, so counters may use all 64 bits). */
static int num(const lsnn_trace_reader *r, const char *t, const char *what, int64_t lo, int64_t hi,
               int64_t *out, lsnn_error *e)
{
    char *end;
    errno = 0;
    int64_t v;
    if (lo >= 0) {
        if (t[0] == '-' || t[0] == '+') goto bad;
        uint64_t u = strtoull(t, &end, 10);
        if (errno || *end || end == t || u < (uint64_t)lo || u > (uint64_t)hi) goto bad;
        v = (int64_t)u;
    } else {
        v = strtoll(t, &end, 10);
        if (errno || *end || end == t || v < lo || v > hi) goto bad;
    }
    *out = v;
    return 0;
bad:
    return lsnn_fail(e,
                     "%s:%ld: error: %s must be an integer in [%" PRId64 ", %" PRIu64 "], got '%s'",
                     r->name, r->line, what, lo, (uint64_t)hi, t);
}

static int fail_at(const lsnn_trace_reader *r, lsnn_error *e, const char *msg)
{
    return lsnn_fail(e, "%s:%ld: error: %s", r->name, r->line, msg);
}

int lsnn_trace_reader_open(lsnn_trace_reader *r, FILE *f, const char *name, lsnn_error *e)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->name = name;
    r->seq = r->tick = -1;
    char *tok[MAX_TOKENS + 1];
    int64_t v[5] = {0};
    int rc = read_line(r, e);
    if (rc <= 0) return rc < 0 ? -1 : lsnn_fail(e, "%s: error: empty, not a trace", name);
    if (split(r->buf, tok) != 2 || strcmp(tok[0], "lsnn-trace"))
        return fail_at(r, e, "the first line must be 'lsnn-trace 1'");
    if (num(r, tok[1], "the version", 0, 1000, &v[0], e)) return -1;
    if (v[0] != LSNN_TRACE_VERSION)
        return lsnn_fail(e, "%s:1: error: trace version %" PRId64 ", this lsnn reads version %d",
                         name, v[0], LSNN_TRACE_VERSION);
    if ((rc = read_line(r, e)) <= 0) return rc < 0 ? -1 : fail_at(r, e, "no network line");
    if (split(r->buf, tok) != 6 || strcmp(tok[0], "network") || strcmp(tok[4], "cores"))
        return fail_at(r, e, "the second line must be 'network INPUTS NEURONS READOUTS cores K'");
    if (num(r, tok[1], "inputs", 0, 65536, &v[0], e) ||
        num(r, tok[2], "recurrent neurons", 0, 1 << 20, &v[1], e) ||
        num(r, tok[3], "readouts", 0, 65536, &v[2], e) || num(r, tok[5], "cores", 1, 256, &v[3], e))
        return -1;
    r->n_in = (int)v[0], r->n_rec = (int)v[1], r->n_out = (int)v[2], r->ncores = (int)v[3];
    r->core_ids = malloc(sizeof *r->core_ids * (size_t)r->ncores);
    if (!r->core_ids) return lsnn_fail(e, "%s: out of memory", name);
    for (int c = 0; c < r->ncores; c++)
        r->core_ids[c] = -1;
    return 0;
}

void lsnn_trace_reader_close(lsnn_trace_reader *r)
{
    free(r->core_ids);
    r->core_ids = NULL;
}

/* A sequence is complete when its last tick has every n and k line. */
static int seq_complete(const lsnn_trace_reader *r)
{
    return r->tick == r->steps && r->next_n == r->n_rec + r->n_out && r->next_k == r->ncores;
}

static int read_record(lsnn_trace_reader *r, char **tok, int n, lsnn_trace_rec *rec, lsnn_error *e)
{
    int total = r->n_rec + r->n_out;
    memset(rec, 0, sizeof *rec);
    rec->line = r->line;
    if (!strcmp(tok[0], "place")) {
        if (r->seq >= 0 || r->ended) return fail_at(r, e, "a place line after the first sequence");
        if (n != 5) return fail_at(r, e, "'place CORE FIRST COUNT LOCAL' takes four numbers");
        int64_t v;
        for (int i = 1; i < 5; i++)
            if (num(r, tok[i], "a place field", 0, 1 << 20, &v, e)) return -1;
        return 2; /* not a record: the caller reads on */
    }
    if (!strcmp(tok[0], "seq")) {
        rec->kind = LSNN_TR_SEQ;
        if (r->seq >= 0 && !seq_complete(r))
            return fail_at(r, e, "a new sequence before the last one's ticks are complete");
        if (n != 4 || strcmp(tok[2], "steps")) return fail_at(r, e, "expected 'seq S steps T'");
        if (num(r, tok[1], "the sequence", 0, INT32_MAX, &rec->v[0], e) ||
            num(r, tok[3], "steps", 1, INT32_MAX, &rec->v[1], e))
            return -1;
        if (rec->v[0] != r->seq + 1)
            return lsnn_fail(e, "%s:%ld: error: sequence %" PRId64 " follows sequence %" PRId64,
                             r->name, r->line, rec->v[0], r->seq);
        r->seq = rec->v[0], r->steps = rec->v[1], r->tick = -1;
        r->next_n = total, r->next_k = r->ncores;
        return 1;
    }
    if (!strcmp(tok[0], "tick")) {
        rec->kind = LSNN_TR_TICK;
        if (r->seq < 0) return fail_at(r, e, "a tick before the first 'seq' line");
        if (r->tick >= 0 && (r->next_n < total || r->next_k < r->ncores))
            return fail_at(r, e, "a new tick before the last one's n and k lines are complete");
        if (n != 3) return fail_at(r, e, "expected 'tick T CYCLES'");
        if (num(r, tok[1], "the tick", 0, INT32_MAX, &rec->v[0], e) ||
            num(r, tok[2], "cycles", 0, INT64_MAX, &rec->v[1], e))
            return -1;
        if (rec->v[0] != r->tick + 1 || rec->v[0] > r->steps)
            return lsnn_fail(e,
                             "%s:%ld: error: tick %" PRId64 " where tick %" PRId64
                             " was due (ticks 0..%" PRId64 ")",
                             r->name, r->line, rec->v[0], r->tick + 1, r->steps);
        r->tick = rec->v[0], r->next_n = 0, r->next_k = 0;
        return 1;
    }
    if (!strcmp(tok[0], "n")) {
        rec->kind = LSNN_TR_NEURON;
        if (r->tick < 0 || r->next_n >= total || r->next_k > 0)
            return fail_at(r, e, "an n line outside a tick's n lines");
        if (n != 6) return fail_at(r, e, "expected 'n G V A REF Z'");
        if (num(r, tok[1], "the neuron", 0, total - 1, &rec->v[0], e) ||
            num(r, tok[2], "v", INT64_MIN, INT64_MAX, &rec->v[1], e) ||
            num(r, tok[3], "a", INT64_MIN, INT64_MAX, &rec->v[2], e) ||
            num(r, tok[4], "ref", 0, 1023, &rec->v[3], e) ||
            num(r, tok[5], "z", 0, 1, &rec->v[4], e))
            return -1;
        if (rec->v[0] != r->next_n)
            return lsnn_fail(e, "%s:%ld: error: neuron %" PRId64 " where neuron %d was due",
                             r->name, r->line, rec->v[0], r->next_n);
        r->next_n++;
        return 1;
    }
    if (!strcmp(tok[0], "k")) {
        rec->kind = LSNN_TR_CORE;
        if (r->tick < 0 || r->next_n < total || r->next_k >= r->ncores)
            return fail_at(r, e, "a k line outside a tick's k lines");
        if (n != 2 + LSNN_TRACE_COUNTERS) return fail_at(r, e, "expected 'k CORE' and 27 counters");
        if (num(r, tok[1], "the core id", 0, 255, &rec->v[0], e)) return -1;
        for (int i = 0; i < LSNN_TRACE_COUNTERS; i++)
            if (num(r, tok[2 + i], "a counter", 0, INT64_MAX, &rec->v[1 + i], e)) return -1;
        int *id = &r->core_ids[r->next_k];
        if (*id < 0) {
            for (int c = 0; c < r->next_k; c++)
                if (r->core_ids[c] == rec->v[0]) return fail_at(r, e, "a core listed twice");
            *id = (int)rec->v[0];
        } else if (*id != rec->v[0]) {
            return lsnn_fail(e, "%s:%ld: error: core %" PRId64 " where core %d was due", r->name,
                             r->line, rec->v[0], *id);
        }
        r->next_k++;
        return 1;
    }
    if (!strcmp(tok[0], "end")) {
        rec->kind = LSNN_TR_END;
        if (n != 1) return fail_at(r, e, "'end' takes nothing");
        if (r->seq >= 0 && !seq_complete(r))
            return fail_at(r, e, "'end' before the last sequence's ticks are complete");
        r->ended = 1;
        return 1;
    }
    return lsnn_fail(e, "%s:%ld: error: unknown record '%.40s'", r->name, r->line, tok[0]);
}

int lsnn_trace_next(lsnn_trace_reader *r, lsnn_trace_rec *rec, lsnn_error *e)
{
    for (;;) {
        int rc = read_line(r, e);
        if (rc < 0) return -1;
        if (rc == 0) {
            if (r->ended) return 0;
            return lsnn_fail(e, "%s: error: cut short after line %ld: no 'end' line", r->name,
                             r->line);
        }
        if (r->ended) return fail_at(r, e, "text after 'end'");
        char *tok[MAX_TOKENS + 1];
        int n = split(r->buf, tok);
        if (n == 0) return fail_at(r, e, "an empty line");
        if (n > MAX_TOKENS) return fail_at(r, e, "too many fields");
        rc = read_record(r, tok, n, rec, e);
        if (rc != 2) return rc < 0 ? -1 : 1;
    }
}

static const char *const kind_names[] = {"seq", "tick", "n", "k", "end"};

/* Records compared: all when both traces place the network on the same cores; only seq, n
 * and end lines otherwise (cycles and counters follow the placement). */
static int next_compared(lsnn_trace_reader *r, int all, lsnn_trace_rec *rec, lsnn_error *e)
{
    for (;;) {
        int rc = lsnn_trace_next(r, rec, e);
        if (rc <= 0 || all || rec->kind == LSNN_TR_SEQ || rec->kind == LSNN_TR_NEURON ||
            rec->kind == LSNN_TR_END)
            return rc;
    }
}

static void describe(const lsnn_trace_reader *a, const lsnn_trace_rec *x, const lsnn_trace_rec *y,
                     lsnn_trace_diff *d)
{
    char at[128];
    snprintf(at, sizeof at, "first difference at sequence %" PRId64 ", tick %" PRId64, a->seq,
             a->tick);
    if (x->kind != y->kind) {
        snprintf(d->what, sizeof d->what, "after %s: A has a '%s' line where B has a '%s' line", at,
                 kind_names[x->kind], kind_names[y->kind]);
        return;
    }
    static const char *const nvar[] = {"neuron", "v", "a", "ref", "z"};
    int i = 0;
    while (x->v[i] == y->v[i])
        i++;
    switch (x->kind) {
    case LSNN_TR_SEQ:
        snprintf(d->what, sizeof d->what,
                 "first difference at sequence %" PRId64 ": %s A %" PRId64 ", B %" PRId64, x->v[0],
                 i ? "steps" : "number", x->v[i], y->v[i]);
        break;
    case LSNN_TR_TICK:
        snprintf(d->what, sizeof d->what, "%s%s: %s A %" PRId64 ", B %" PRId64, at,
                 i ? "" : " (tick numbers)", i ? "chip cycles" : "tick", x->v[i], y->v[i]);
        break;
    case LSNN_TR_NEURON:
        snprintf(d->what, sizeof d->what, "%s, neuron %" PRId64 ": %s A %" PRId64 ", B %" PRId64,
                 at, x->v[0], nvar[i], x->v[i], y->v[i]);
        break;
    default:
        snprintf(d->what, sizeof d->what, "%s, core %" PRId64 ": %s A %" PRIu64 ", B %" PRIu64, at,
                 x->v[0], i ? lsnn_ref_counter_name(i - 1) : "core id", (uint64_t)x->v[i],
                 (uint64_t)y->v[i]);
    }
}

int lsnn_trace_compare(lsnn_trace_reader *a, lsnn_trace_reader *b, lsnn_trace_diff *d,
                       lsnn_error *e)
{
    memset(d, 0, sizeof *d);
    if (a->n_in != b->n_in || a->n_rec != b->n_rec || a->n_out != b->n_out) {
        snprintf(d->what, sizeof d->what,
                 "different networks: A %d inputs, %d neurons, %d readouts; B %d, %d, %d", a->n_in,
                 a->n_rec, a->n_out, b->n_in, b->n_rec, b->n_out);
        d->line_a = d->line_b = 2;
        return 0;
    }
    int all = a->ncores == b->ncores;
    for (;;) {
        lsnn_trace_rec x, y;
        int ra = next_compared(a, all, &x, e);
        if (ra < 0) return -1;
        int rb = next_compared(b, all, &y, e);
        if (rb < 0) return -1;
        if (ra == 0 || rb == 0) { /* both ended: equal (each 'end' was compared) */
            d->equal = 1;
            return 0;
        }
        d->records++;
        if (x.kind != y.kind || memcmp(x.v, y.v, sizeof x.v)) {
            d->line_a = x.line;
            d->line_b = y.line;
            describe(a, &x, &y, d);
            return 0;
        }
    }
}
