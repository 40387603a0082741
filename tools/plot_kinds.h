/* plot_kinds.h - the figures of lsnn plot (cmd_plot.c), one file each. Each writes one picture
 * (cli_plot.h) and returns 0, or -1 with the reason in e. */
#ifndef LSNN_PLOT_KINDS_H
#define LSNN_PLOT_KINDS_H

#include "error.h"

typedef struct {
    const char *out;   /* the picture: .png or .svg */
    int keep_script;   /* also OUT.gp */
    const char *title; /* NULL: the figure's own */
    int width, height; /* 0: the figure's own */
    long seq;          /* raster, compare: the test sequence */
    int quiet;         /* no progress on stderr */
} plot_opts;

/* The training curve of a run: loss, training and validation error (or mean squared error
 * for regression tasks), firing rate, against the iteration (RUN_DIR/curve.csv). */
int plot_curve(const char *run_dir, const plot_opts *o, lsnn_error *e);

/* One test sequence of an image on the reference chip: the input spikes, the recurrent
 * neurons' spikes (LIF and ALIF populations), the readouts' traces over time with the
 * scored windows shaded, and the decision against the label. */
int plot_raster(const char *image_dir, const plot_opts *o, lsnn_error *e);

/* The same test sequence in float and on the neurocore (compiled in memory from RUN_DIR, as
 * lsnn eval --engine ref does), spikes side by side, with the spikes they share. */
int plot_compare(const char *run_dir, const plot_opts *o, lsnn_error *e);

/* Each core's utilisation of an image (manifest.yaml): neurons, axons, profiles, synapse
 * words and route entries, used over available. */
int plot_cores(const char *image_dir, const plot_opts *o, lsnn_error *e);

/* The cores an image's manifest lists (0 if it cannot be read), for lsnn report. */
int plot_core_count(const char *image_dir);

#endif
