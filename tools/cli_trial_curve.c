/* cli_trial_curve.c - the MSE against the trial index on the command line (cli_trial_curve.h). */
#include "cli_trial_curve.h"

#include <math.h>

void cli_curve_seq_done(void *ctx, int seq, const lsnn_batch *b, int q, const lsnn_host_result *r)
{
    (void)seq, (void)b, (void)q;
    lsnn_window_curve *c = ctx;
    for (int w = 0; w < r->n_win; w++)
        lsnn_window_curve_add(c, w, r->logit[(size_t)w * r->n_out + r->label[w]] - r->target[w]);
}

void cli_curve_text(FILE *f, const char *label, const lsnn_window_curve *c)
{
    int a[LSNN_WINDOW_CURVE_RANGES], b[LSNN_WINDOW_CURVE_RANGES];
    const char *name[LSNN_WINDOW_CURVE_RANGES];
    lsnn_window_curve_ranges(c, a, b, name);
    fprintf(f, "%s MSE by trial:", label);
    for (int i = 0; i < LSNN_WINDOW_CURVE_RANGES; i++) {
        double m = lsnn_window_curve_mse(c, a[i], b[i]);
        if (!isnan(m)) fprintf(f, "%s %s %.4f", i ? "," : "", name[i], m);
    }
    fputc('\n', f);
}

void cli_curve_json(FILE *f, const lsnn_window_curve *c)
{
    static const char *const keys[LSNN_WINDOW_CURVE_RANGES] = {"trial_1", "trials_2_7",
                                                               "trials_8_plus", "all"};
    int a[LSNN_WINDOW_CURVE_RANGES], b[LSNN_WINDOW_CURVE_RANGES];
    const char *name[LSNN_WINDOW_CURVE_RANGES];
    lsnn_window_curve_ranges(c, a, b, name);
    fprintf(f, "\"trial_mse\": {");
    for (int i = 0; i < LSNN_WINDOW_CURVE_RANGES; i++) {
        double m = lsnn_window_curve_mse(c, a[i], b[i]);
        fprintf(f, "%s\"%s\": ", i ? ", " : "", keys[i]);
        if (isnan(m))
            fprintf(f, "null");
        else
            fprintf(f, "%.6f", m);
    }
    fputc('}', f);
}

int cli_curve_write(const char *cmd, const lsnn_window_curve *c, const char *path)
{
    lsnn_error e;
    if (!path || lsnn_window_curve_write(c, path, &e) == 0) return 0;
    fprintf(stderr, "lsnn %s: %s\n", cmd, e.msg);
    return -1;
}
