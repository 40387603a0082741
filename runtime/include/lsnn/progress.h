/* progress.h - progress of a long operation on stderr (issue 13), the same in every command.
 *
 * Three modes, chosen once per command by lsnn_progress_mode(quiet):
 *   LSNN_PROGRESS_TTY   stderr is a terminal: one line rewritten in place ("\r\033[K"), as
 *                       lsnn train's: "lsnn run: sequence 12/100  12 %  3.4/s  ETA 0:00:26
 *                       extra"; at most ten redraws a second; lsnn_progress_end ends it with
 *                       a newline.
 *   LSNN_PROGRESS_LOG   stderr is not a terminal (a log file, a pipe): a plain line at most
 *                       every LSNN_PROGRESS_INTERVAL seconds (default 10; the environment
 *                       variable of that name overrides it, 0 = a line per step), and a last
 *                       line at the end if any was printed, so short runs stay silent.
 *   LSNN_PROGRESS_QUIET nothing (--quiet).
 * Progress never goes to stdout, so results and --json output do not depend on it. */
#ifndef LSNN_PROGRESS_H
#define LSNN_PROGRESS_H

#include <stddef.h>

#define LSNN_PROGRESS_QUIET 0 /* zero, so a zeroed struct or option is quiet */
#define LSNN_PROGRESS_LOG   1
#define LSNN_PROGRESS_TTY   2

#define LSNN_PROGRESS_INTERVAL 10.0 /* seconds between LOG lines */

typedef struct {
    char what[96]; /* "lsnn run: test sequence" */
    long total;    /* <= 0: unknown (no percent, no ETA) */
    int mode;
    double t0;       /* monotonic seconds at begin */
    double last;     /* when the last line was printed */
    double interval; /* LOG: seconds between lines */
    double done;     /* the last step's count */
    int lines;       /* lines printed (LOG) or redraws (TTY) */
    char extra[96];  /* the last step's extra text */
} lsnn_progress;

/* QUIET if quiet, else TTY when stderr is a terminal, else LOG. */
int lsnn_progress_mode(int quiet);

/* Seconds between LOG lines: LSNN_PROGRESS_INTERVAL from the environment, else its default. */
double lsnn_progress_interval(void);

/* Starts an operation of total units (sequences, ticks, ...) called what. */
void lsnn_progress_begin(lsnn_progress *p, const char *what, long total, int mode);

/* done units finished (may be fractional: a sequence half run); extra_fmt (printf, may be
 * NULL) is a short text shown after the ETA. Cheap when nothing is due: the clock is read,
 * nothing is formatted. */
void lsnn_progress_step(lsnn_progress *p, double done, const char *extra_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Ends the line (TTY) or prints the last line (LOG, if any was printed). */
void lsnn_progress_end(lsnn_progress *p);

/* A one-line note to stderr unless mode is QUIET: a command's final "wrote ..." line. */
void lsnn_progress_note(int mode, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Seconds as H:MM:SS into buf (the look of lsnn train's ETA). */
void lsnn_progress_fmt_time(char *buf, size_t n, double s);

#endif
