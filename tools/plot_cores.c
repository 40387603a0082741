/* plot_cores.c - lsnn plot cores: each core's utilisation, from an image's manifest.yaml
 * (docs/image-format.md: cores[].used.KEY: {used: U, available: A}). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_plot.h"
#include "hwconfig.h"
#include "plot_kinds.h"

enum { N_RES = 5 };
static const char *const res_key[N_RES] = {"neurons", "axons", "profiles", "synapse_words",
                                           "route_entries"};
static const char *const res_label[N_RES] = {"neurons", "axons", "profiles", "synapse words",
                                             "route entries"};

typedef struct {
    int id;
    long used[N_RES], avail[N_RES];
    int seen[N_RES];
} core_use;

/* Reads the cores' `used:` figures. The manifest is the compiler's own output, so a line
 * reader suffices; anything out of its shape is an error naming the line. */
static int read_usage(const char *path, core_use *core, int *n_core, lsnn_error *e)
{
    FILE *f = fopen(path, "r");
    if (!f) return lsnn_fail(e, "%s: %s", path, strerror(errno));
    char line[1024];
    long lineno = 0;
    int in_cores = 0, n = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] != ' ' && line[0] != '\n' && line[0] != '#')
            in_cores = !strncmp(line, "cores:", 6);
        if (!in_cores) continue;
        int id;
        if (sscanf(line, "  - id: %d", &id) == 1) {
            if (n == LSNN_HW_MAX_CORES) {
                fclose(f);
                return lsnn_fail(e, "%s:%ld: more than %d cores", path, lineno, LSNN_HW_MAX_CORES);
            }
            memset(&core[n], 0, sizeof core[n]);
            core[n++].id = id;
            continue;
        }
        for (int k = 0; k < N_RES && n > 0; k++) {
            char fmt[96];
            long u, a;
            snprintf(fmt, sizeof fmt, "      %s: {used: %%ld, available: %%ld}", res_key[k]);
            if (sscanf(line, fmt, &u, &a) == 2) {
                if (u < 0 || a <= 0 || u > a) {
                    fclose(f);
                    return lsnn_fail(e, "%s:%ld: %s used %ld of %ld", path, lineno, res_key[k], u,
                                     a);
                }
                core[n - 1].used[k] = u;
                core[n - 1].avail[k] = a;
                core[n - 1].seen[k] = 1;
            }
        }
    }
    fclose(f);
    if (n == 0) return lsnn_fail(e, "%s: no cores: section (not an image manifest?)", path);
    for (int c = 0; c < n; c++)
        for (int k = 0; k < N_RES; k++)
            if (!core[c].seen[k])
                return lsnn_fail(e, "%s: core %d has no used.%s figure", path, core[c].id,
                                 res_key[k]);
    *n_core = n;
    return 0;
}

int plot_cores(const char *image_dir, const plot_opts *o, lsnn_error *e)
{
    static core_use core[LSNN_HW_MAX_CORES];
    char path[4200];
    int n = 0;
    snprintf(path, sizeof path, "%s/manifest.yaml", image_dir);
    if (read_usage(path, core, &n, e)) return -1;
    plot_fig fig;
    int w = o->width ? o->width : 300 + 110 * n, h = o->height ? o->height : 600;
    if (plot_begin(&fig, o->out, w < 700 ? 700 : w, h, e)) return -1;
    FILE *f = plot_script(&fig);
    fprintf(f, "$use << EOD\ncore");
    for (int k = 0; k < N_RES; k++)
        fprintf(f, " \"%s\"", res_label[k]);
    fprintf(f, "\n");
    for (int c = 0; c < n; c++) {
        fprintf(f, "\"core %d\"", core[c].id);
        for (int k = 0; k < N_RES; k++)
            fprintf(f, " %.4f", 100.0 * core[c].used[k] / core[c].avail[k]);
        fprintf(f, "\n");
    }
    fprintf(f, "EOD\n");
    char title[512];
    snprintf(title, sizeof title, "%s: utilisation of %d core%s (used / available)", image_dir, n,
             n == 1 ? "" : "s");
    fprintf(f, "set title ");
    plot_string(f, o->title ? o->title : title);
    fprintf(f,
            "\nset style data histograms\nset style histogram clustered gap 1\n"
            "set style fill solid 0.85 border -1\nset boxwidth 0.9\nset yrange [0:105]\n"
            "set ylabel 'used (%%)'\nset grid ytics\nset key outside right top\n"
            "set xtics nomirror\n"
            "plot for [k=2:%d] $use using k:xtic(1) title columnheader(k)\n",
            N_RES + 1);
    return plot_end(&fig, o->keep_script, e);
}

int plot_core_count(const char *image_dir)
{
    static core_use core[LSNN_HW_MAX_CORES];
    char path[4200];
    int n = 0;
    lsnn_error e;
    snprintf(path, sizeof path, "%s/manifest.yaml", image_dir);
    return read_usage(path, core, &n, &e) ? 0 : n;
}
