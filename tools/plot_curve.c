/* plot_curve.c - lsnn plot curve: a run's curve.csv as three panels. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_plot.h"
#include "spec.h"
#include "plot_kinds.h"

/* The curve's columns that the figure reads (docs/model-files.md), by header name. */
/* The smoothed training error: the mean over this many iterations. */
#define SMOOTH 50

enum { IT, LOSS, LOSS_TASK, TRAIN_ERR, RATE, VAL_ERR, N_COLS };
static const char *const col_name[N_COLS] = {"iteration",   "loss",    "loss_ce",
                                             "train_error", "rate_hz", "val_error"};

/* Splits a CSV line in place; returns the number of fields (at most max). */
static int split(char *line, char **field, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = 0;
    for (char *p = line; n < max;) {
        field[n++] = p;
        char *c = strchr(p, ',');
        if (!c) break;
        *c = 0;
        p = c + 1;
    }
    return n;
}

/* 1 if the run's model is a regression task, 0 if not, -1 if its model.yaml cannot be read. */
static int run_is_regression(const char *run_dir)
{
    char path[4200];
    lsnn_spec spec;
    lsnn_error e;
    snprintf(path, sizeof path, "%s/model.yaml", run_dir);
    return lsnn_spec_load(path, &spec, &e) ? -1 : lsnn_spec_regression(&spec);
}

/* Copies a CSV file into datablock $name after checking each line: as many fields as the
 * header, each a number or empty. Returns the rows, or -1 with e set. */
static long csv_block(FILE *f, const char *name, const char *path, lsnn_error *e)
{
    FILE *in = fopen(path, "r");
    if (!in) return lsnn_fail(e, "%s: %s", path, strerror(errno));
    char line[4096], copy[4096], *field[64];
    long lineno = 0;
    int n_head = 0;
    fprintf(f, "$%s << EOD\n", name);
    while (fgets(line, sizeof line, in)) {
        lineno++;
        snprintf(copy, sizeof copy, "%s", line);
        int n = split(copy, field, 64);
        if (lineno == 1)
            n_head = n;
        else if (n != n_head) {
            fclose(in);
            return lsnn_fail(e, "%s:%ld: %d fields, the header has %d", path, lineno, n, n_head);
        } else
            for (int k = 0; k < n; k++) {
                char *end;
                if (field[k][0] && (strtod(field[k], &end), *end)) {
                    fclose(in);
                    return lsnn_fail(e, "%s:%ld: field %d is not a number: '%s'", path, lineno,
                                     k + 1, field[k]);
                }
            }
        line[strcspn(line, "\r\n")] = 0;
        fprintf(f, "%s\n", line);
    }
    fclose(in);
    fprintf(f, "EOD\n");
    if (lineno < 2) return lsnn_fail(e, "%s: no iterations yet", path);
    return lineno - 1;
}

/* A navigation run (nav_curve.csv, docs/navigation.md): goals per episode, the actions to the
 * first and to later goals, PPO's losses and the firing rate. */
static int plot_nav_curve(const char *run_dir, const char *path, const plot_opts *o, lsnn_error *e)
{
    plot_fig fig;
    if (plot_begin(&fig, o->out, o->width ? o->width : 900, o->height ? o->height : 900, e))
        return -1;
    FILE *f = plot_script(&fig);
    if (csv_block(f, "nav", path, e) < 0) {
        plot_abort(&fig);
        return -1;
    }
    fprintf(f, "set datafile separator comma\nset multiplot layout 3,1 title ");
    plot_string(f, o->title ? o->title : run_dir);
    fprintf(f, "\nset grid\nset key top left\nset lmargin 12\nset xrange [0:*]\n"
               "set ylabel 'goals per episode'\n"
               "plot $nav using 'iteration':'goals_per_episode' with lines lc rgb '#bbbbbb' "
               "title 'training episodes', $nav using 'iteration':'test_goals_per_episode' with "
               "linespoints pt 7 ps 0.5 lc rgb '#ee6677' lw 2 title 'test episodes'\n"
               "set ylabel 'actions'\nset key top right\n"
               "plot $nav using 'iteration':'first_goal_actions' with lines lc rgb '#4477aa' "
               "title 'to the first goal', $nav using 'iteration':'later_goal_actions' with lines "
               "lc rgb '#228833' title 'to each later goal'\n"
               "set ylabel 'PPO loss'\nset xlabel 'iteration'\n"
               "plot $nav using 'iteration':'loss_policy' with lines lc rgb '#aa3377' title "
               "'policy', $nav using 'iteration':'loss_value' with lines lc rgb '#66ccee' title "
               "'value'\nunset multiplot\n");
    return plot_end(&fig, o->keep_script, e);
}

int plot_curve(const char *run_dir, const plot_opts *o, lsnn_error *e)
{
    char path[4200], line[4096];
    snprintf(path, sizeof path, "%s/nav_curve.csv", run_dir);
    if (access(path, R_OK) == 0) return plot_nav_curve(run_dir, path, o, e);
    int regression = run_is_regression(run_dir);
    snprintf(path, sizeof path, "%s/curve.csv", run_dir);
    FILE *in = fopen(path, "r");
    if (!in) return lsnn_fail(e, "%s: %s", path, strerror(errno));
    int at[N_COLS], n_head;
    char *field[64];
    if (!fgets(line, sizeof line, in)) {
        fclose(in);
        return lsnn_fail(e, "%s: empty (no header line)", path);
    }
    n_head = split(line, field, 64);
    for (int k = 0; k < N_COLS; k++) {
        at[k] = -1;
        for (int j = 0; j < n_head; j++)
            if (strcmp(field[j], col_name[k]) == 0) at[k] = j;
    }
    if (at[IT] < 0 || at[LOSS] < 0 || at[TRAIN_ERR] < 0) {
        fclose(in);
        return lsnn_fail(e, "%s:1: not a training curve (no iteration, loss or train_error column)",
                         path);
    }
    plot_fig fig;
    if (plot_begin(&fig, o->out, o->width ? o->width : 900, o->height ? o->height : 900, e)) {
        fclose(in);
        return -1;
    }
    FILE *f = plot_script(&fig);
    long rows = 0, val_rows = 0, lineno = 1;
    double max_err = 0, max_rate = 0, ring[SMOOTH] = {0}, ring_sum = 0, gone = 0;
    fprintf(f, "$train << EOD\n");
    char val[1 << 16];
    size_t val_n = 0;
    val[0] = 0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        int n = split(line, field, 64);
        if (n < n_head) {
            if (n <= 1 && field[0][0] == 0) continue; /* a blank line */
            fclose(in);
            plot_abort(&fig);
            return lsnn_fail(e, "%s:%ld: %d fields, the header has %d", path, lineno, n, n_head);
        }
        double v[N_COLS];
        for (int k = 0; k < N_COLS; k++) {
            char *end;
            v[k] = at[k] >= 0 && field[at[k]][0] ? strtod(field[at[k]], &end) : NAN;
            if (at[k] >= 0 && field[at[k]][0] && *end) {
                fclose(in);
                plot_abort(&fig);
                return lsnn_fail(e, "%s:%ld: %s is not a number: '%s'", path, lineno, col_name[k],
                                 field[at[k]]);
            }
        }
        if (v[TRAIN_ERR] > max_err) max_err = v[TRAIN_ERR];
        if (v[RATE] > max_rate) max_rate = v[RATE];
        /* the trailing mean of the last SMOOTH training errors: one batch is noisy */
        ring[rows % SMOOTH] = v[TRAIN_ERR];
        ring_sum += v[TRAIN_ERR] - (rows >= SMOOTH ? gone : 0);
        double mean = ring_sum / (rows + 1 < SMOOTH ? rows + 1 : SMOOTH);
        gone = ring[(rows + 1) % SMOOTH];
        fprintf(f, "%.0f %.9g %.9g %.9g %.9g %.9g\n", v[IT], v[LOSS], v[LOSS_TASK], v[TRAIN_ERR],
                v[RATE], mean);
        rows++;
        if (!isnan(v[VAL_ERR]) && val_n + 64 < sizeof val) {
            val_n +=
                (size_t)snprintf(val + val_n, sizeof val - val_n, "%.0f %.9g\n", v[IT], v[VAL_ERR]);
            val_rows++;
        }
    }
    fclose(in);
    if (rows == 0) {
        plot_abort(&fig);
        return lsnn_fail(e, "%s: no iterations yet", path);
    }
    fprintf(f, "EOD\n$val << EOD\n%sEOD\n", val);
    /* errors are fractions for classification (plotted in %), mean squared errors for regression
     * tasks, as the run's model says (a curve without a readable model.yaml: by its values) */
    int percent = regression < 0 ? max_err <= 1 : !regression;
    const char *scale = percent ? "100*" : "";
    fprintf(f, "set multiplot layout 3,1 title ");
    plot_string(f, o->title ? o->title : run_dir);
    fprintf(f,
            "\nset grid\nset key top right\nset lmargin 12\n"
            "set xrange [0:*]\n"
            "set ylabel 'loss'\nset logscale y\n"
            "plot $train using 1:2 with lines lc rgb '#4477aa' title 'loss (task + regulariser)'");
    if (at[LOSS_TASK] >= 0)
        fprintf(f, ", $train using 1:3 with lines lc rgb '#66ccee' title 'task loss'");
    fprintf(f, "\nunset logscale y\nset ylabel '%s'\n", percent ? "error (%)" : "MSE");
    fprintf(f,
            "plot $train using 1:(%s$4) with lines lc rgb '#bbbbbb' title 'training batch', "
            "$train using 1:(%s$6) with lines lc rgb '#228833' lw 2 title "
            "'training (mean of the last %d)'",
            scale, scale, SMOOTH);
    if (val_rows)
        fprintf(f,
                ", $val using 1:(%s$2) with linespoints pt 7 ps 0.5 lc rgb '#ee6677' lw 2 "
                "title 'validation'",
                scale);
    fprintf(f, "\nset ylabel 'rate (Hz)'\nset xlabel 'iteration'\n");
    /* an LSTM's curve has the column, all zeros: say so rather than draw a silent network */
    if (at[RATE] >= 0 && !(max_rate > 0))
        fprintf(f, "set yrange [0:1]\nset label 1 'firing rate 0 throughout (a network without "
                   "spikes, such as an LSTM)' at graph 0.5,0.5 center\n");
    if (at[RATE] >= 0)
        fprintf(f, "plot $train using 1:5 with lines lc rgb '#aa3377' title 'mean firing rate'\n");
    else
        fprintf(f, "set label 1 'no firing rate in this curve' at graph 0.5,0.5 center\n"
                   "plot [0:1] NaN notitle\n");
    fprintf(f, "unset multiplot\n");
    return plot_end(&fig, o->keep_script, e);
}
