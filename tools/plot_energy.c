/* plot_energy.c - lsnn energy --plot and --plot-mesh: the energy per inference by term and by
 * core, and the mesh's links with their traffic, as lsnn energy computed them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli_plot.h"
#include "mesh.h"
#include "plot_energy.h"
#include "techtable.h"

/* The table the per-core and per-link figures use: the first that prices memories and links
 * (a logic-only table, such as the project's own gates, prices neither). */
static const lsnn_energy_report *main_table(const report_energy_data *d)
{
    for (int t = 0; t < d->n_rep; t++)
        if (!d->rep[t].logic_only) return &d->rep[t];
    return &d->rep[0];
}

/* Seventeen colours that stay apart (Paul Tol's), one per term and static. */
static void term_colours(FILE *f)
{
    static const char *const c[] = {"#332288", "#88ccee", "#44aa99", "#117733", "#999933",
                                    "#ddcc77", "#cc6677", "#882255", "#aa4499", "#dddddd",
                                    "#4477aa", "#66ccee", "#228833", "#ccbb44", "#ee6677",
                                    "#aa3377", "#bbbbbb"};
    for (int k = 0; k < (int)(sizeof c / sizeof c[0]); k++)
        fprintf(f, "set linetype %d lc rgb '%s'\n", k + 1, c[k]);
}

int plot_energy(const report_energy_data *d, const char *out, int keep_script, lsnn_error *e)
{
    plot_fig fig;
    const lsnn_energy_report *first = main_table(d);
    int per_core = first->n_cores > 1;
    if (plot_begin(&fig, out, per_core ? 1400 : 900, 650, e)) return -1;
    FILE *f = plot_script(&fig);
    /* shares per term of each table (tables differ by orders of magnitude: the total goes in
     * the column's label) */
    fprintf(f, "$share << EOD\ntable");
    for (int k = 0; k < LSNN_TECH_N_EVENTS; k++)
        fprintf(f, " %s", lsnn_tech_event_names[k]);
    fprintf(f, " static\n");
    for (int t = 0; t < d->n_rep; t++) {
        const lsnn_energy_report *r = &d->rep[t];
        fprintf(f, "\"%s\\n%.4g nJ\"", r->table, r->total_pj / 1000);
        for (int k = 0; k < LSNN_TECH_N_EVENTS; k++)
            fprintf(f, " %.6g", r->total_pj > 0 ? 100 * r->pj[k] / r->total_pj : 0);
        fprintf(f, " %.6g\n", r->total_pj > 0 ? 100 * r->static_pj / r->total_pj : 0);
    }
    fprintf(f, "EOD\n");
    char title[512];
    snprintf(title, sizeof title, "%s: energy per inference (%d inferences, %s)", d->spec->name,
             (int)first->n_inferences, d->dir);
    term_colours(f);
    fprintf(f, "set bmargin 5\nset multiplot layout 1,%d title ", per_core ? 2 : 1);
    plot_string(f, title);
    fprintf(f,
            "\nset style data histograms\nset style histogram rowstacked\n"
            "set style fill solid 0.9 border -1\nset boxwidth 0.6\nset yrange [0:100]\n"
            "set ylabel 'share of the total (%%)'\nset key outside right top font ',8'\n"
            "set title 'by term, per technology table'\nset grid ytics\n"
            "plot for [k=2:%d] $share using k:xtic(1) title columnheader(k)\n",
            LSNN_TECH_N_EVENTS + 2);
    if (per_core) {
        fprintf(f, "$core << EOD\ncore dynamic static\n");
        for (int c = 0; c < first->n_cores; c++)
            fprintf(f, "\"%d\" %.6g %.6g\n", first->core_id[c] >= 0 ? first->core_id[c] : c,
                    first->core_dynamic_pj[c] / 1000, first->core_static_pj[c] / 1000);
        fprintf(f, "EOD\nset autoscale y\nset yrange [0:*]\nset ylabel 'nJ per inference'\n"
                   "set xlabel 'core (cell id 16 y + x)'\nset title ");
        char sub[256];
        snprintf(sub, sizeof sub, "by core, %s (links %.4g nJ, barrier %.4g nJ)", first->table,
                 first->noc_pj / 1000, first->barrier_pj / 1000);
        plot_string(f, sub);
        fprintf(f, "\nplot for [k=2:3] $core using k:xtic(1) title columnheader(k)\n");
    }
    fprintf(f, "unset multiplot\n");
    return plot_end(&fig, keep_script, e);
}

int plot_mesh(const report_energy_data *d, const char *out, int keep_script, lsnn_error *e)
{
    const lsnn_energy_report *r = main_table(d);
    if (r->mesh_x * r->mesh_y < 2 || !r->links_given)
        return lsnn_fail(e, "--plot-mesh: %s runs on one core without a mesh: no links to draw",
                         d->dir);
    plot_fig fig;
    int X = r->mesh_x, Y = r->mesh_y;
    if (plot_begin(&fig, out, 260 + 220 * X, 200 + 200 * Y, e)) return -1;
    FILE *f = plot_script(&fig);
    double most = 0;
    for (int y = 0; y < Y; y++)
        for (int x = 0; x < X; x++)
            for (int p = LSNN_PORT_E; p < LSNN_PORTS; p++)
                most = fmax(most, r->link_flits[16 * y + x][p]);
    char title[512];
    snprintf(title, sizeof title,
             "%s: flits per inference on each link of the %dx%d mesh (%s: %.4g nJ)", d->spec->name,
             X, Y, r->table, r->noc_pj / 1000);
    fprintf(f, "set title ");
    plot_string(f, title);
    fprintf(f,
            "\nunset border\nunset tics\nunset key\nset size ratio -1\n"
            "set xrange [-0.6:%d.6]\nset yrange [%d.6:-0.6]\n",
            X - 1, Y - 1);
    int obj = 1;
    for (int y = 0; y < Y; y++)
        for (int x = 0; x < X; x++) {
            int cell = 16 * y + x, core = -1;
            for (int c = 0; c < r->n_cores; c++)
                if (r->core_id[c] == cell) core = c;
            fprintf(f,
                    "set object %d rect center %d,%d size 0.5,0.5 fc rgb '%s' fs solid border "
                    "rgb 'black'\n",
                    obj++, x, y, core >= 0 ? "#cfe2f3" : "#eeeeee");
            fprintf(f, "set label %d 'cell %d%s' at %d,%d center font ',9'\n", obj++, cell,
                    core >= 0 ? "" : " (idle)", x, y);
        }
    /* each link as an arrow from its router, offset to its side so both directions show */
    static const int dx[LSNN_PORTS] = {0, 1, -1, 0, 0}, dy[LSNN_PORTS] = {0, 0, 0, -1, 1};
    for (int y = 0; y < Y; y++)
        for (int x = 0; x < X; x++)
            for (int p = LSNN_PORT_E; p < LSNN_PORTS; p++) {
                int nx = x + dx[p], ny = y + dy[p];
                if (nx < 0 || ny < 0 || nx >= X || ny >= Y) continue;
                double flits = r->link_flits[16 * y + x][p];
                double off = 0.08 * (p == LSNN_PORT_E || p == LSNN_PORT_S ? 1 : -1);
                double ox = dy[p] ? off : 0, oy = dx[p] ? off : 0;
                double lw = most > 0 ? 0.5 + 5 * flits / most : 0.5;
                fprintf(f,
                        "set arrow from %g,%g to %g,%g lw %.2f lc rgb '%s' head filled size "
                        "0.06,20\n",
                        x + 0.27 * dx[p] + ox, y + 0.27 * dy[p] + oy, nx - 0.27 * dx[p] + ox,
                        ny - 0.27 * dy[p] + oy, lw, flits > 0 ? "#cc3311" : "#bbbbbb");
                if (flits > 0)
                    fprintf(f, "set label %d '%.4g' at %g,%g center font ',8' tc rgb '#cc3311'\n",
                            obj++, flits, x + 0.5 * dx[p] + 2.2 * ox, y + 0.5 * dy[p] + 2.2 * oy);
            }
    fprintf(f, "plot NaN notitle\n");
    return plot_end(&fig, keep_script, e);
}
