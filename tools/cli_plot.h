/* cli_plot.h - pictures through gnuplot (Debian's gnuplot-nox), PNG or SVG.
 *
 * A figure is a gnuplot script with its data inline (datablocks), which the caller writes to
 * plot_script(); plot_end runs gnuplot on it. The terminal follows the output's extension:
 * .png (pngcairo) or .svg. The picture is written to "OUT.tmp.PID" and renamed over OUT only
 * when gnuplot succeeded, so a failed or killed run never leaves a torn picture. With
 * keep_script the script is also kept beside it (OUT.gp), for users who want to restyle a
 * figure: it holds its data and runs alone (`gnuplot OUT.gp`). */
#ifndef LSNN_CLI_PLOT_H
#define LSNN_CLI_PLOT_H

#include <stdio.h>

#include "error.h"

typedef struct {
    FILE *f;            /* the script being written */
    char script[4096];  /* its path (a temporary file) */
    char out[4096];     /* the picture */
    char tmp_out[4200]; /* where gnuplot writes it first */
    int svg;            /* 1: SVG, 0: PNG */
} plot_fig;

/* Starts a figure of width x height pixels (SVG: the same in its units). Fails, with the
 * reason in e, when out has neither extension or the script cannot be created. */
int plot_begin(plot_fig *p, const char *out, int width, int height, lsnn_error *e);

/* The script: the caller writes datablocks and plot commands to it. */
FILE *plot_script(plot_fig *p);

/* Writes s as a gnuplot string in double quotes (quotes, backslashes and non-printing
 * characters escaped or dropped), for titles and labels taken from files. */
void plot_string(FILE *f, const char *s);

/* Runs gnuplot and publishes the picture; keep_script also writes OUT.gp. Fails with gnuplot's
 * first error line, or a hint to install gnuplot-nox when it is missing. The script is removed
 * either way. */
int plot_end(plot_fig *p, int keep_script, lsnn_error *e);

/* Drops the figure (after an error while writing it). */
void plot_abort(plot_fig *p);

#endif
