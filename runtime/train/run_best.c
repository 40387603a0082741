/* run_best.c - RUN/best/ of `lsnn train --keep-best` (run_best.h). */
#include "run_best.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "folder.h"
#include "spec.h" /* LSNN_PATH_MAX */

enum { BEST_PATH = LSNN_PATH_MAX + 64 };

static const char *const best_files[] = {
    "weights.safetensors", "model.yaml", "validation.txt", "eval.json", LSNN_FOLDER_MARKER, NULL};

static void best_path(char *buf, const char *run_dir, const char *name)
{
    snprintf(buf, BEST_PATH, "%s/best%s%s", run_dir, name[0] ? "/" : "", name);
}

double lsnn_run_best_error(const char *run_dir)
{
    char path[BEST_PATH], *text = NULL;
    size_t len;
    lsnn_error e;
    best_path(path, run_dir, "validation.txt");
    if (!lsnn_file_exists(path) || lsnn_read_file(path, &text, &len, &e)) return INFINITY;
    long it;
    double err;
    int ok = sscanf(text, "iteration %ld validation_error %lf", &it, &err) == 2 && err >= 0 &&
             isfinite(err);
    free(text);
    return ok ? err : INFINITY;
}

int lsnn_run_write_best(const char *run_dir, long iteration, double error,
                        int (*write_weights)(void *ctx, const char *path, lsnn_error *e), void *ctx,
                        lsnn_error *e)
{
    char dir[BEST_PATH], path[BEST_PATH], *spec = NULL;
    size_t len;
    best_path(dir, run_dir, "");
    if (lsnn_mkdir_p(dir, e) || lsnn_folder_write_marker(dir, "run", e)) return -1;
    snprintf(path, sizeof path, "%s/model.yaml", run_dir);
    if (lsnn_read_file(path, &spec, &len, e)) return -1;
    best_path(path, run_dir, "model.yaml");
    int rc = lsnn_write_file_atomic(path, spec, len, e);
    free(spec);
    if (rc) return -1;
    /* an eval.json that lsnn eval --json wrote into best/ describes the weights being replaced */
    best_path(path, run_dir, "eval.json");
    if (unlink(path) && errno != ENOENT)
        return lsnn_fail(e, "%s: cannot remove the earlier best's evaluation: %s", path,
                         strerror(errno));
    best_path(path, run_dir, "weights.safetensors");
    if (write_weights(ctx, path, e)) return -1;
    char text[128];
    int n = snprintf(text, sizeof text, "iteration %ld\nvalidation_error %.9g\n", iteration, error);
    best_path(path, run_dir, "validation.txt");
    return lsnn_write_file_atomic(path, text, (size_t)n, e);
}

int lsnn_run_remove_best(const char *run_dir, lsnn_error *e)
{
    char path[BEST_PATH];
    for (int i = 0; best_files[i]; i++) {
        best_path(path, run_dir, best_files[i]);
        if (unlink(path) && errno != ENOENT)
            return lsnn_fail(e, "%s: cannot remove the earlier run's file: %s", path,
                             strerror(errno));
    }
    best_path(path, run_dir, "");
    if (rmdir(path) && errno != ENOENT && errno != ENOTEMPTY)
        return lsnn_fail(e, "%s: cannot remove the earlier run's folder: %s", path,
                         strerror(errno));
    return 0;
}
