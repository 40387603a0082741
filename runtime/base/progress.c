/* progress.c - progress lines on stderr: rewritten in place on a terminal, plain periodic lines
 * in logs, nothing with --quiet (progress.h). */
#include "progress.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TTY_REDRAW_S 0.1

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int lsnn_progress_mode(int quiet)
{
    if (quiet) return LSNN_PROGRESS_QUIET;
    return isatty(STDERR_FILENO) ? LSNN_PROGRESS_TTY : LSNN_PROGRESS_LOG;
}

void lsnn_progress_fmt_time(char *buf, size_t n, double s)
{
    if (!isfinite(s) || s < 0) s = 0;
    long x = (long)s;
    snprintf(buf, n, "%ld:%02ld:%02ld", x / 3600, x / 60 % 60, x % 60);
}

double lsnn_progress_interval(void)
{
    const char *env = getenv("LSNN_PROGRESS_INTERVAL");
    if (env && *env) {
        char *end;
        double v = strtod(env, &end);
        if (end != env && !*end && v >= 0 && v <= 1e6) return v;
    }
    return LSNN_PROGRESS_INTERVAL;
}

void lsnn_progress_begin(lsnn_progress *p, const char *what, long total, int mode)
{
    memset(p, 0, sizeof *p);
    snprintf(p->what, sizeof p->what, "%s", what);
    p->total = total;
    p->mode = mode;
    p->t0 = p->last = now_s();
    p->interval = lsnn_progress_interval();
}

/* "what 12/100  12 %  3.4/s  ETA 0:00:26" (or "  in 0:00:29" when finished) into buf. */
static void format(const lsnn_progress *p, double now, int finished, char *buf, size_t n)
{
    double el = now - p->t0, rate = el > 0 ? p->done / el : 0;
    char t[32];
    int k;
    if (p->total > 0)
        k = snprintf(buf, n, "%s %ld/%ld  %3.0f %%", p->what, (long)p->done, p->total,
                     100.0 * p->done / p->total);
    else
        k = snprintf(buf, n, "%s %ld", p->what, (long)p->done);
    if (k < 0 || (size_t)k >= n) return;
    if (rate > 0)
        k += snprintf(buf + k, n - (size_t)k,
                      rate >= 100  ? "  %.0f/s"
                      : rate >= 10 ? "  %.1f/s"
                                   : "  %.2f/s",
                      rate);
    if ((size_t)k >= n) return;
    if (finished) {
        lsnn_progress_fmt_time(t, sizeof t, el);
        snprintf(buf + k, n - (size_t)k, "  in %s", t);
    } else if (p->total > 0 && rate > 0) {
        lsnn_progress_fmt_time(t, sizeof t, (p->total - p->done) / rate);
        k += snprintf(buf + k, n - (size_t)k, "  ETA %s", t);
        if ((size_t)k < n && p->extra[0]) snprintf(buf + k, n - (size_t)k, "  %s", p->extra);
    }
}

static void print(lsnn_progress *p, double now, int finished)
{
    char line[256];
    format(p, now, finished, line, sizeof line);
    if (p->mode == LSNN_PROGRESS_TTY)
        fprintf(stderr, "\r\033[K%s%s", line, finished ? "\n" : "");
    else
        fprintf(stderr, "%s\n", line);
    fflush(stderr);
    p->last = now;
    p->lines++;
}

void lsnn_progress_step(lsnn_progress *p, double done, const char *extra_fmt, ...)
{
    if (p->mode == LSNN_PROGRESS_QUIET) return;
    p->done = done;
    double now = now_s();
    if (p->mode == LSNN_PROGRESS_TTY) {
        int last = p->total > 0 && done >= p->total;
        if (p->lines && !last && now - p->last < TTY_REDRAW_S) return;
    } else if (now - p->last < p->interval) {
        return;
    }
    p->extra[0] = 0;
    if (extra_fmt) {
        va_list ap;
        va_start(ap, extra_fmt);
        vsnprintf(p->extra, sizeof p->extra, extra_fmt, ap);
        va_end(ap);
    }
    print(p, now, 0);
}

void lsnn_progress_end(lsnn_progress *p)
{
    if (p->mode != LSNN_PROGRESS_QUIET && p->lines) print(p, now_s(), 1);
    p->mode = LSNN_PROGRESS_QUIET; /* a second end prints nothing */
}

void lsnn_progress_note(int mode, const char *fmt, ...)
{
    if (mode == LSNN_PROGRESS_QUIET) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
