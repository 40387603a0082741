/* run_files.c - a training run folder's paths and curve, shared by the two trainers. */
#include "run_files.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curve.h"
#include "progress.h"
#include "run_best.h"

void lsnn_run_files_init(lsnn_run_files *f, const char *run_dir)
{
    static const char *const names[LSNN_RUN_FILES] = {"model.yaml", "weights.safetensors",
                                                      "checkpoint.safetensors", "curve.csv"};
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "%s", run_dir);
    for (int p = 0; p < LSNN_RUN_FILES; p++)
        snprintf(f->path[p], sizeof f->path[p], "%s/%s", run_dir, names[p]);
}

void lsnn_run_files_free(lsnn_run_files *f)
{
    free(f->curve);
    f->curve = NULL;
    f->rows = f->cap = 0;
}

int lsnn_run_push_row(lsnn_run_files *f, const double *row)
{
    if (f->rows == f->cap) {
        int cap = f->cap ? 2 * f->cap : 256;
        double *c = realloc(f->curve, sizeof(double) * LSNN_CURVE_COLS * cap);
        if (!c) return -1;
        f->curve = c;
        f->cap = cap;
    }
    memcpy(f->curve + (size_t)f->rows++ * LSNN_CURVE_COLS, row, sizeof(double) * LSNN_CURVE_COLS);
    return 0;
}

int lsnn_run_write_curve(const lsnn_run_files *f, lsnn_error *e)
{
    size_t cap = 128 + (size_t)f->rows * 256, n = 0;
    char *buf = malloc(cap);
    if (!buf) return lsnn_fail(e, "out of memory");
    n += snprintf(buf + n, cap - n, "%s\n", LSNN_CURVE_HEADER);
    for (int r = 0; r < f->rows; r++) {
        const double *c = f->curve + (size_t)r * LSNN_CURVE_COLS;
        n += snprintf(buf + n, cap - n, "%.0f,%.6f,%.6f,%.6f,%.6f,%.4f,", c[0], c[1], c[2], c[3],
                      c[4], c[5]);
        n += isnan(c[6]) ? snprintf(buf + n, cap - n, ",")
                         : snprintf(buf + n, cap - n, "%.6f,", c[6]);
        n += snprintf(buf + n, cap - n, "%.6g,%.2f,%.2f\n", c[7], c[8], c[9]);
    }
    int rc = lsnn_write_file_atomic(f->path[LSNN_RUN_CURVE], buf, n, e);
    free(buf);
    return rc;
}

void lsnn_run_cut_curve(lsnn_run_files *f, long step)
{
    if (f->cap < f->rows) f->cap = f->rows;
    while (f->rows > 0 && f->curve[(size_t)(f->rows - 1) * LSNN_CURVE_COLS] > step)
        f->rows--;
}

double lsnn_run_elapsed(const lsnn_run_files *f)
{
    return f->rows ? f->curve[(size_t)(f->rows - 1) * LSNN_CURVE_COLS + 9] : 0;
}

int lsnn_run_refuse_trained(const lsnn_run_files *f, const char *run_dir, int force, lsnn_error *e)
{
    int weights = lsnn_file_exists(f->path[LSNN_RUN_WEIGHTS]);
    if (force || !(weights || lsnn_file_exists(f->path[LSNN_RUN_CKPT]))) return 0;
    return lsnn_fail(e,
                     "%s already holds a trained model (%s); continue it with --resume, or "
                     "replace it with --force",
                     run_dir, weights ? "weights.safetensors" : "checkpoint.safetensors");
}

int lsnn_run_remove_earlier(const lsnn_run_files *f, lsnn_error *e)
{
    for (int p = LSNN_RUN_WEIGHTS; p <= LSNN_RUN_CURVE; p++)
        if (unlink(f->path[p]) && errno != ENOENT)
            return lsnn_fail(e, "%s: cannot remove the earlier run's file: %s", f->path[p],
                             strerror(errno));
    return lsnn_run_remove_best(f->dir, e);
}

void lsnn_run_stopped(int progress, const char *run_dir, const lsnn_run_files *f, long done,
                      long iterations, lsnn_error *e)
{
    if (progress == LSNN_PROGRESS_TTY) fputc('\n', stderr);
    lsnn_fail(e,
              "stopped after iteration %ld of %ld; checkpoint written to %s; continue with: "
              "lsnn train --resume -o %s",
              done, iterations, f->path[LSNN_RUN_CKPT], run_dir);
}

void lsnn_run_finished(int progress, const char *run_dir, const lsnn_run_files *f, long start,
                       long iterations)
{
    if (progress == LSNN_PROGRESS_TTY && start < iterations) fputc('\n', stderr);
    if (progress == LSNN_PROGRESS_QUIET) return;
    if (start >= iterations)
        fprintf(stderr, "lsnn train: %s is already at iteration %ld of %ld: nothing to do\n",
                run_dir, start, iterations);
    else
        fprintf(stderr,
                "lsnn train: wrote %s (model.yaml, weights.safetensors, curve.csv) at iteration "
                "%ld\n",
                run_dir, f->rows ? (long)f->curve[(size_t)(f->rows - 1) * LSNN_CURVE_COLS] : start);
}

int lsnn_run_resume_spec(const lsnn_train_opts *o, const lsnn_run_files *f, lsnn_spec *spec,
                         void (*adjust)(const lsnn_train_opts *o, lsnn_spec *asked), lsnn_error *e)
{
    if (!lsnn_file_exists(f->path[LSNN_RUN_CKPT]))
        return lsnn_fail(e, "%s: no checkpoint to resume from", f->path[LSNN_RUN_CKPT]);
    if (lsnn_spec_load(f->path[LSNN_RUN_SPEC], spec, e)) return -1;
    lsnn_spec asked = *spec;
    if (o->spec_path && lsnn_spec_load(o->spec_path, &asked, e)) return -1;
    if (o->has_seed) asked.seed = o->seed;
    asked.iterations = spec->iterations; /* the one setting a resume may change */
    if (adjust) adjust(o, &asked);
    char diff[512];
    int d = lsnn_spec_diff(spec, &asked, diff, sizeof diff);
    if (d < 0) return lsnn_fail(e, "out of memory");
    if (d)
        return lsnn_fail(e,
                         "--resume: %s differs from the run's %s at %s (the run's first); resume "
                         "with the run's own spec, or start a new run",
                         o->spec_path && asked.seed == spec->seed ? o->spec_path : "the seed",
                         f->path[LSNN_RUN_SPEC], diff);
    return 0;
}

int lsnn_run_resume_at(const lsnn_train_opts *o, lsnn_run_files *f, lsnn_spec *spec, long step,
                       int write_spec, lsnn_error *e)
{
    lsnn_run_cut_curve(f, step);
    if (o->iters > 0 && o->iters < step)
        return lsnn_fail(e,
                         "--resume --iters %ld: the run is already at iteration %ld; nothing "
                         "was changed",
                         o->iters, step);
    if (o->iters > 0 && o->iters != spec->iterations) {
        spec->iterations = o->iters;
        if (write_spec && lsnn_spec_save(f->path[LSNN_RUN_SPEC], spec, e)) return -1;
    }
    if (o->progress != LSNN_PROGRESS_QUIET)
        fprintf(stderr, "lsnn train: resuming %s from iteration %ld of %ld\n", o->run_dir, step,
                spec->iterations);
    return 0;
}

int lsnn_run_spec_of(const lsnn_train_opts *o, lsnn_spec *s)
{
    char path[LSNN_PATH_MAX + 64];
    lsnn_error e;
    snprintf(path, sizeof path, "%s/model.yaml", o->run_dir ? o->run_dir : ".");
    /* --resume continues the run's own spec when it has one */
    const char *from = o->resume && lsnn_file_exists(path) ? path : o->spec_path;
    return from && lsnn_spec_load(from, s, &e) == 0 ? 0 : -1;
}
