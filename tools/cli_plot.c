/* cli_plot.c - runs gnuplot on a figure's script (cli_plot.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_plot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_spawn.h"
#include "fileio.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

int plot_begin(plot_fig *p, const char *out, int width, int height, lsnn_error *e)
{
    memset(p, 0, sizeof *p);
    if (ends_with(out, ".svg"))
        p->svg = 1;
    else if (!ends_with(out, ".png"))
        return lsnn_fail(e, "%s: a picture's name ends in .png or .svg", out);
    if (strlen(out) >= sizeof p->out) return lsnn_fail(e, "%s: path too long", out);
    snprintf(p->out, sizeof p->out, "%s", out);
    snprintf(p->tmp_out, sizeof p->tmp_out, "%s.tmp.%ld", out, (long)getpid());
    const char *dir = getenv("TMPDIR");
    snprintf(p->script, sizeof p->script, "%s/lsnn-plot-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(p->script);
    if (fd < 0 || !(p->f = fdopen(fd, "w"))) {
        if (fd >= 0) close(fd);
        return lsnn_fail(e, "%s: cannot create a script: %s", p->script, strerror(errno));
    }
    if (p->svg)
        fprintf(p->f, "set terminal svg size %d,%d dynamic noenhanced font 'DejaVu Sans,11'\n",
                width, height);
    else
        fprintf(p->f, "set terminal pngcairo size %d,%d noenhanced font 'DejaVu Sans,10'\n", width,
                height);
    fprintf(p->f, "set output ");
    plot_string(p->f, p->tmp_out);
    fprintf(p->f, "\nset encoding utf8\nset datafile separator whitespace\n");
    return 0;
}

FILE *plot_script(plot_fig *p)
{
    return p->f;
}

void plot_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c >= 32)
            fputc(c, f);
    }
    fputc('"', f);
}

/* Copies the script, with its output line pointing at the picture, to OUT.gp. */
static int keep_copy(const plot_fig *p, lsnn_error *e)
{
    char path[4200], line[8192];
    snprintf(path, sizeof path, "%s.gp", p->out);
    FILE *in = fopen(p->script, "r");
    lsnn_atomic_file a;
    if (!in) return lsnn_fail(e, "%s: %s", p->script, strerror(errno));
    if (lsnn_atomic_open(&a, path, e)) {
        fclose(in);
        return -1;
    }
    while (fgets(line, sizeof line, in)) {
        if (strncmp(line, "set output ", 11) == 0) {
            fprintf(a.f, "set output ");
            plot_string(a.f, p->out);
            fputc('\n', a.f);
        } else {
            fputs(line, a.f);
        }
    }
    fclose(in);
    return lsnn_atomic_commit(&a, e);
}

int plot_end(plot_fig *p, int keep_script, lsnn_error *e)
{
    char errpath[4200], why[512];
    fprintf(p->f, "unset output\n");
    if (fclose(p->f) != 0) {
        p->f = NULL;
        plot_abort(p);
        return lsnn_fail(e, "%s: cannot write the script", p->script);
    }
    p->f = NULL;
    snprintf(errpath, sizeof errpath, "%s.err", p->script);
    char *argv[] = {"gnuplot", p->script, NULL};
    int rc = cli_spawn(argv, NULL, errpath);
    struct stat st;
    if (rc < 0) {
        int err = errno;
        plot_abort(p);
        unlink(errpath);
        return lsnn_fail(e, "%s: cannot run gnuplot (%s); install it: apt-get install gnuplot-nox",
                         p->out, strerror(err));
    }
    cli_last_line(errpath, why, sizeof why);
    unlink(errpath);
    if (rc != 0 || stat(p->tmp_out, &st) != 0 || st.st_size == 0) {
        plot_abort(p);
        return lsnn_fail(e, "%s: gnuplot failed (exit %d)%s%s", p->out, rc, why[0] ? ": " : "",
                         why);
    }
    if (keep_script && keep_copy(p, e)) {
        plot_abort(p);
        return -1;
    }
    if (rename(p->tmp_out, p->out) != 0) {
        int err = errno;
        plot_abort(p);
        return lsnn_fail(e, "%s: %s", p->out, strerror(err));
    }
    unlink(p->script);
    return 0;
}

void plot_abort(plot_fig *p)
{
    if (p->f) fclose(p->f);
    p->f = NULL;
    if (p->script[0]) unlink(p->script);
    if (p->tmp_out[0]) unlink(p->tmp_out);
}
