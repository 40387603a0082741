/* report_eval.c - what lsnn eval prints: accuracy, firing rates and connectivity of the float
 * network, and the fixed-point run beside it. */
#include "report_eval.h"

#include <stdio.h>

#include "cli_trial_curve.h"
#include "cli_util.h"
#include "model.h"

static const char *const matrix_names[3] = {"w_in", "w_rec", "w_out"};

static double frac(long a, long b)
{
    return b ? (double)a / b : 0;
}

/* Mean recurrent firing rate of the fixed-point runs. */
static double fixed_rate_hz(const report_eval_data *d)
{
    double neuron_s = (double)d->fixed->steps * lsnn_spec_n_rec(d->spec) * d->spec->dt_ms * 1e-3;
    return neuron_s > 0 ? d->fixed->spikes / neuron_s : 0;
}

static void connectivity_json(const lsnn_spec *s, const lsnn_connectivity *c)
{
    printf("\"connectivity\": {\"mode\": \"%s\", \"budget\": ",
           s->connectivity == LSNN_CONN_DEEP_R ? "deep_r" : "dense");
    if (c->budget >= 0)
        printf("%ld", c->budget);
    else
        printf("null");
    for (int m = 0; m < 3; m++)
        printf(", \"%s\": {\"active\": %ld, \"possible\": %ld, \"fraction\": %.6f}",
               matrix_names[m], c->active[m], c->possible[m], frac(c->active[m], c->possible[m]));
    printf(", \"total\": {\"active\": %ld, \"possible\": %ld, \"fraction\": %.6f}, "
           "\"excitatory_fraction\": %.6f}",
           c->active_total, c->possible_total, frac(c->active_total, c->possible_total),
           frac(c->excitatory, c->active_total));
}

static void connectivity_text(const lsnn_spec *s, const lsnn_connectivity *c)
{
    printf("connectivity (%s", s->connectivity == LSNN_CONN_DEEP_R ? "deep_r" : "dense");
    if (c->budget >= 0) printf(", budget %ld", c->budget);
    printf("):");
    for (int m = 0; m < 3; m++)
        printf(" %s %ld/%ld (%.2f %%),", matrix_names[m], c->active[m], c->possible[m],
               100 * frac(c->active[m], c->possible[m]));
    printf(" total %ld/%ld (%.2f %%)\n", c->active_total, c->possible_total,
           100 * frac(c->active_total, c->possible_total));
    printf("excitatory: %.2f %% of the active weights\n",
           100 * frac(c->excitatory, c->active_total));
}

void report_eval_json(const report_eval_data *d)
{
    const lsnn_spec *s = d->spec;
    const lsnn_eval_result *r = d->r;
    printf("{\"run\": ");
    cli_json_string(stdout, d->dir); /* a path may hold quotes and backslashes */
    printf(", \"model\": \"%s\", \"split\": \"test\", \"sequences\": %d, "
           "\"windows\": %d, \"metric\": \"%s\", \"error\": %.6f, ",
           s->name, r->n_seq, r->n_win, d->metric, r->error);
    if (d->curve) { /* regression: error is the MSE; no accuracy */
        printf("\"mse\": %.6f, ", r->error);
        cli_curve_json(stdout, d->curve);
        printf(", ");
    } else {
        printf("\"accuracy\": %.6f, ", 1 - r->error);
    }
    printf("\"loss\": %.6f, \"mean_rate_hz\": %.4f, \"rates_hz\": {", r->loss, r->mean_rate_hz);
    for (int p = 0; p < s->n_pops; p++)
        printf("%s\"%s\": %.4f", p ? ", " : "", s->pops[p].name, r->pop_rate_hz[p]);
    printf("}, ");
    connectivity_json(s, d->conn);
    if (d->fixed && d->fixed_curve) {
        const cli_fixed_result *fx = d->fixed;
        double mse = fx->n_win ? fx->sq_err / fx->n_win : 0;
        printf(", \"engine\": \"ref\", \"hw\": ");
        cli_json_string(stdout, d->hw->name);
        printf(", \"fixed\": {\"weight_bits\": %d, \"sequences\": %d, \"windows\": %d, "
               "\"mse\": %.6f, ",
               d->hw->weight_bits, fx->n_seq, fx->n_win, mse);
        cli_curve_json(stdout, d->fixed_curve);
        printf(", \"mean_rate_hz\": %.4f, \"mse_difference\": %.6f}", fixed_rate_hz(d),
               mse - r->error);
    } else if (d->fixed) {
        const cli_fixed_result *fx = d->fixed;
        double acc = fx->n_win ? (double)fx->n_correct / fx->n_win : 0;
        printf(", \"engine\": \"ref\", \"hw\": ");
        cli_json_string(stdout, d->hw->name);
        printf(", \"fixed\": {\"weight_bits\": %d, \"sequences\": %d, \"windows\": %d, "
               "\"correct\": %d, \"error\": %.6f, \"accuracy\": %.6f, \"mean_rate_hz\": %.4f, "
               "\"difference_points\": %.4f}",
               d->hw->weight_bits, fx->n_seq, fx->n_win, fx->n_correct, 1 - acc, acc,
               fixed_rate_hz(d), 100 * (acc - (r->n_win ? (double)r->n_correct / r->n_win : 0)));
    }
    printf("}\n");
}

void report_eval_text(const report_eval_data *d)
{
    const lsnn_spec *s = d->spec;
    const lsnn_eval_result *r = d->r;
    if (s->connectivity == LSNN_CONN_DEEP_R)
        printf("model %s: %d recurrent neurons, %ld active weights (of %ld dense)\n", s->name,
               d->n_rec, d->conn->active_total, lsnn_model_n_params(s));
    else
        printf("model %s: %d recurrent neurons, %ld parameters\n", s->name, d->n_rec,
               lsnn_model_n_params(s));
    printf("test split: %d sequences, %d scored windows\n", r->n_seq, r->n_win);
    if (d->curve) {
        printf("MSE: %.4f, loss %.4f\n", r->error, r->loss);
        cli_curve_text(stdout, "float", d->curve);
    } else {
        printf("%s: %.2f %% (accuracy %.2f %%), loss %.4f\n", d->metric, 100 * r->error,
               100 * (1 - r->error), r->loss);
    }
    printf("firing rates:");
    for (int p = 0; p < s->n_pops; p++)
        printf(" %s %.2f Hz,", s->pops[p].name, r->pop_rate_hz[p]);
    printf(" mean %.2f Hz\n", r->mean_rate_hz);
    connectivity_text(s, d->conn);
    if (!d->fixed) return;
    const cli_fixed_result *fx = d->fixed;
    if (d->fixed_curve) {
        printf("reference runtime (hw config '%s', %d core%s): %d sequences, %d scored windows, "
               "mean rate %.2f Hz\n",
               d->hw->name, d->n_cores, d->n_cores == 1 ? "" : "s", fx->n_seq, fx->n_win,
               fixed_rate_hz(d));
        double mse = fx->n_win ? fx->sq_err / fx->n_win : 0;
        printf("float MSE: %.4f, fixed (%d-bit weights) MSE: %.4f, difference %+.4f\n", r->error,
               d->hw->weight_bits, mse, mse - r->error);
        cli_curve_text(stdout, "fixed", d->fixed_curve);
        return;
    }
    double fa = r->n_win ? 100.0 * r->n_correct / r->n_win : 0,
           xa = fx->n_win ? 100.0 * fx->n_correct / fx->n_win : 0;
    printf("reference runtime (hw config '%s', %d core%s): %d sequences, %d scored windows, mean "
           "rate %.2f Hz\n",
           d->hw->name, d->n_cores, d->n_cores == 1 ? "" : "s", fx->n_seq, fx->n_win,
           fixed_rate_hz(d));
    printf("float: %.2f %%, fixed (%d-bit weights): %.2f %%, difference %+.2f points\n", fa,
           d->hw->weight_bits, xa, xa - fa);
}
