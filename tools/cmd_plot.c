/* cmd_plot.c - `lsnn plot KIND SOURCE -o OUT`: pictures of results (gnuplot, cli_plot.h). */
#include <stdio.h>
#include <string.h>

#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"
#include "plot_kinds.h"
#include "progress.h"

static const char about[] =
    "Draws a result as a picture, PNG or SVG by FILE's extension, with gnuplot (Debian's\n"
    "gnuplot-nox). KIND and SOURCE:\n"
    "  curve RUN_DIR      the training curve: loss, training and validation error (mean\n"
    "                     squared error for regression tasks), firing rate\n"
    "  raster IMAGE_DIR   one test sequence on the reference chip: input spikes, recurrent\n"
    "                     spikes, readout traces with the scored windows, the decision\n"
    "  compare RUN_DIR    the same test sequence in float and on the neurocore (compiled in\n"
    "                     memory as lsnn eval --engine ref does), spikes side by side\n"
    "  cores IMAGE_DIR    each core's utilisation: neurons, axons, profiles, synapse words,\n"
    "                     route entries\n"
    "The energy breakdown and the mesh's traffic are drawn by lsnn energy --plot and\n"
    "--plot-mesh, where they are computed.\n";

int cmd_plot(int argc, char **argv)
{
    const char *kind = NULL, *src = NULL, *out = NULL, *title = NULL, *size = NULL;
    long seq = 0;
    int keep = 0, quiet = 0;
    const cli_arg args[] = {{"KIND", &kind, 1}, {"SOURCE", &src, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_STR("--out", &out, "FILE", "the picture: FILE.png or FILE.svg"), .short_name = 'o',
         .required = 1},
        {CLI_INT("--seq", &seq, "N", 0, 1000000000L,
                 "raster, compare: the test sequence to draw (default 0)")},
        {CLI_STR("--title", &title, "TEXT", "the figure's title (default: what it shows)")},
        {CLI_STR("--size", &size, "WxH", "the picture's size in pixels (default: per kind)")},
        {CLI_FLAG("--script", &keep,
                  "also write the gnuplot script beside the picture (FILE.png.gp), data\n"
                  "included, to restyle the figure by hand")},
        {CLI_FLAG("--quiet", &quiet, "no progress on stderr")},
        {0},
    };
    const cli_cmd cmd = {"plot", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    plot_opts o = {.out = out, .keep_script = keep, .title = title, .seq = seq, .quiet = quiet};
    if (size) {
        char tail;
        if (sscanf(size, "%dx%d%c", &o.width, &o.height, &tail) != 2 || o.width < 100 ||
            o.height < 100 || o.width > 10000 || o.height > 10000) {
            fprintf(stderr, "lsnn plot: --size %s: WxH in pixels, each 100..10000\n", size);
            return 2;
        }
    }
    lsnn_error e;
    if (strcmp(kind, "curve") == 0)
        rc = plot_curve(src, &o, &e);
    else if (strcmp(kind, "raster") == 0)
        rc = plot_raster(src, &o, &e);
    else if (strcmp(kind, "compare") == 0)
        rc = plot_compare(src, &o, &e);
    else if (strcmp(kind, "cores") == 0)
        rc = plot_cores(src, &o, &e);
    else {
        fprintf(stderr, "lsnn plot: unknown KIND '%s' (curve, raster, compare or cores)\n", kind);
        return 2;
    }
    if (rc) {
        fprintf(stderr, "lsnn plot: %s\n", e.msg);
        return 1;
    }
    cli_wrote w = {0};
    cli_wrote_add(&w, kind, out, NULL);
    cli_wrote_print(&w, "plot", quiet ? LSNN_PROGRESS_QUIET : lsnn_progress_mode(0));
    return 0;
}
