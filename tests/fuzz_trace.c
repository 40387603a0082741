/* fuzz_trace.c - libFuzzer target for the tick-trace reader (runtime/chip/trace_read.c,
 * docs/trace-format.md §1). Every input is read as a trace in full; an accepted one must compare
 * equal to itself, with as many records as it has; every error must name the file. ctest
 * replays tests/fuzz_corpus/trace with tests/fuzz_replay.c (docs/fuzzing.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_read.h"

/* Reads the whole trace; returns its record count, or -1. */
static long read_all(const uint8_t *data, size_t size, lsnn_error *e)
{
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f) return -2;
    lsnn_trace_reader r;
    lsnn_trace_rec rec;
    long n = -1;
    if (!lsnn_trace_reader_open(&r, f, "fuzz", e)) {
        int rc;
        n = 0;
        while ((rc = lsnn_trace_next(&r, &rec, e)) == 1)
            n++;
        if (rc < 0) n = -1;
    }
    lsnn_trace_reader_close(&r);
    fclose(f);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lsnn_error e;
    if (size == 0) return 0; /* fmemopen refuses an empty buffer */
    long n = read_all(data, size, &e);
    if (n == -2) return 0;
    if (n < 0) {
        if (strncmp(e.msg, "fuzz", 4) != 0) abort();
        return 0;
    }
    FILE *fa = fmemopen((void *)data, size, "r"), *fb = fmemopen((void *)data, size, "r");
    if (!fa || !fb) abort();
    lsnn_trace_reader a, b;
    lsnn_trace_diff d;
    if (lsnn_trace_reader_open(&a, fa, "fuzz", &e) || lsnn_trace_reader_open(&b, fb, "fuzz", &e) ||
        lsnn_trace_compare(&a, &b, &d, &e) || !d.equal || d.records != n)
        abort();
    lsnn_trace_reader_close(&a);
    lsnn_trace_reader_close(&b);
    fclose(fa);
    fclose(fb);
    return 0;
}
