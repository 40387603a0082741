/* report_energy.c - what lsnn energy prints: each table's energy per inference, the LSTM line
 * and the comparison. */
#include "report_energy.h"

#include <math.h>
#include <stdio.h>

#include "cli_util.h"
#include "techtable.h"

/* Each router output E/W/N/S with flits: its cell, direction, flits and pJ per inference. */
static void json_links(const lsnn_energy_report *r)
{
    static const char dir[] = "LEWNS";
    int n = 0;
    printf("[");
    for (int y = 0; r->links_given && y < r->mesh_y; y++)
        for (int x = 0; x < r->mesh_x; x++)
            for (int p = LSNN_PORT_E; p < LSNN_PORTS; p++) {
                int cell = 16 * y + x;
                if (r->link_flits[cell][p] <= 0) continue;
                printf("%s{\"x\": %d, \"y\": %d, \"dir\": \"%c\", \"flits\": %.6g, \"pj\": %.6g}",
                       n++ ? ", " : "", x, y, dir[p], r->link_flits[cell][p], r->link_pj[cell][p]);
            }
    printf("]");
}

static void json_report(const lsnn_energy_report *r, int ncores)
{
    printf("{\"table\": ");
    cli_json_string(stdout, r->table);
    printf(", \"technology\": ");
    cli_json_string(stdout, r->technology);
    printf(", \"total_pj\": %.6g, \"dynamic_pj\": %.6g, \"static_pj\": %.6g, \"noc_pj\": %.6g, "
           "\"barrier_pj\": %.6g, \"cycles\": %.6g, \"latency_us\": %.6g, \"clock_mhz\": %g, "
           "\"terms\": {",
           r->total_pj, r->dynamic_pj, r->static_pj, r->noc_pj, r->barrier_pj, r->cycles,
           r->latency_us, r->clock_mhz);
    for (int i = 0; i < LSNN_TECH_N_EVENTS; i++)
        printf("%s\"%s\": {\"count\": %.6g, \"pj_per_event\": %.6g, \"pj\": %.6g}", i ? ", " : "",
               lsnn_tech_event_names[i], r->count[i], r->pj_per_event[i], r->pj[i]);
    printf("}, \"cores\": [");
    for (int c = 0; c < ncores; c++) {
        printf("%s{", c ? ", " : "");
        if (r->core_id[c] >= 0)
            printf("\"x\": %d, \"y\": %d, ", r->core_id[c] & 15, r->core_id[c] >> 4);
        printf("\"dynamic_pj\": %.6g, \"static_pj\": %.6g}", r->core_dynamic_pj[c],
               r->core_static_pj[c]);
    }
    printf("], \"mesh\": [%d, %d], \"links\": ", r->mesh_x, r->mesh_y);
    json_links(r);
    printf(", \"barrier\": {\"hops_per_command\": %.6g, \"commands\": %.6g, \"hops\": %.6g, "
           "\"pj_per_hop\": %.6g, \"pj\": %.6g}}",
           r->barrier_hops_per_command, r->commands, r->count[LSNN_TECH_BARRIER_HOPS],
           r->pj_per_event[LSNN_TECH_BARRIER_HOPS], r->barrier_pj);
}

static void json_lstm(const lsnn_lstm_energy *l)
{
    printf("{\"table\": ");
    cli_json_string(stdout, l->table);
    printf(", \"hidden\": %d, \"steps\": %d, \"params\": %.0f, \"macs\": %.6g, \"adds\": %.6g, "
           "\"mults\": %.6g, \"int8_pj\": %.6g, \"int8_memory_pj\": %.6g, \"fp32_pj\": %.6g, "
           "\"fp32_memory_pj\": %.6g}",
           l->hidden, l->steps, l->params, l->macs, l->adds, l->mults, l->int8.total_pj,
           l->int8.mem_pj, l->fp32.total_pj, l->fp32.mem_pj);
}

#define LSTM_PAPER_ACC 0.985
#define LSTM_PAPER_SRC                                                                             \
    "Bellec et al. 2018 (NeurIPS, arXiv 1803.09574), main text and Table S1: LSTM 128 units, "     \
    "sMNIST 1 ms per pixel, 98.5 % (best of 12 runs; mean 79.8 %); not measured here"

/* The LSNN is more than this many points less accurate than the LSTM: the energy ratios then
 * compare two networks that do not solve the task equally well, and say so. */
#define ACC_GAP_PP 5.0

/* The LSTM's accuracy: a trained one's (lsnn energy --lstm), else the paper's. */
static double lstm_acc(const report_accuracy *a)
{
    return a->lstm_n ? a->lstm : LSTM_PAPER_ACC;
}

/* The gap in points when it exceeds ACC_GAP_PP (both accuracies known), else 0; either way
 * round: a trained LSTM may be the less accurate one. */
static double accuracy_gap_pp(const report_accuracy *a)
{
    double gap = 100.0 * fabs(lstm_acc(a) - a->lsnn);
    return a->labelled && a->lstm_known && gap > ACC_GAP_PP ? gap : 0;
}

/* The caveat beside the energy ratios, when the accuracies are far apart. */
static void print_caveat(const report_accuracy *a)
{
    double gap = accuracy_gap_pp(a);
    if (gap <= 0) return;
    printf("  caveat: not at equal accuracy: the LSNN %.2f %% (%d sequences, %s), the ",
           100 * a->lsnn, a->lsnn_n, a->lsnn_source);
    if (a->lstm_n)
        printf("trained LSTM %.2f %% (%s, %d sequences)", 100 * a->lstm, a->lstm_source, a->lstm_n);
    else
        printf("LSTM-128 %.1f %% (paper)", 100 * LSTM_PAPER_ACC);
    printf(", %.1f points apart; the ratios compare energies of networks that do not solve the "
           "task equally well\n",
           gap);
}

static void json_static(const char *name, const lsnn_et_static *s)
{
    printf("\"%s\": {\"sram_bits\": %.6g, \"sram_area_mm2\": %.6g, \"leak_sram_w\": %.6g, "
           "\"leak_logic_w\": %.6g, \"busy_us\": %.6g, \"realtime_us\": %.6g, "
           "\"keeps_real_time\": %s, \"busy_pj\": %.6g, \"realtime_pj\": %.6g, "
           "\"gated_pj\": %.6g}",
           name, s->sram_bits, s->area_mm2, s->leak_sram_w, s->leak_logic_w, s->busy_us,
           s->realtime_us, s->keeps_real_time ? "true" : "false", s->busy_pj, s->realtime_pj,
           s->gated_pj);
}

static void json_line(const char *name, const lsnn_et_line *l)
{
    printf("\"%s\": {\"memory_pj\": %.6g, \"arith_pj\": %.6g, \"other_pj\": %.6g, "
           "\"dynamic_pj\": %.6g, \"cycles\": %.6g, \"latency_us\": %.6g, "
           "\"latency_fmax_us\": %.6g, ",
           name, l->memory_pj, l->arith_pj, l->other_pj, l->dynamic_pj, l->cycles, l->latency_us,
           l->latency_fmax_us);
    json_static("static", &l->st);
    printf(", \"total_busy_pj\": %.6g, \"total_realtime_pj\": %.6g, \"total_gated_pj\": %.6g}",
           l->dynamic_pj + l->st.busy_pj, l->dynamic_pj + l->st.realtime_pj,
           l->dynamic_pj + l->st.gated_pj);
}

static void json_equal_terms(const lsnn_equal_terms *q, const report_accuracy *acc)
{
    printf("{\"table\": ");
    cli_json_string(stdout, q->table);
    printf(", \"clock_mhz\": %g, \"fmax_mhz\": %g, \"tick_us\": %g, \"lstm_step_us\": %g, "
           "\"retention\": %g, \"bit_leakage_pw\": %g, \"logic_leakage_w\": %g, "
           "\"bank_max_kib\": %g, \"memories\": [",
           q->clock_mhz, q->fmax_mhz, q->tick_us, q->lstm_step_us, q->retention, q->bit_leakage_pw,
           q->logic_leakage_w, q->bank_max_kib);
    for (int k = 0; k < LSNN_CM_N + 2; k++) {
        const lsnn_sram_mem *m =
            k < LSNN_CM_N ? &q->mem[k] : (k == LSNN_CM_N ? &q->lstm_weights : &q->lstm_state);
        printf("%s{\"name\": ", k ? ", " : "");
        cli_json_string(stdout, m->name);
        printf(", \"rows\": %llu, \"width\": %d, \"instances\": %d, \"banks\": %d, "
               "\"bank_bits\": %.6g, \"read_pj\": %.6g, \"write_pj\": %.6g, \"area_um2\": %.6g}",
               (unsigned long long)m->rows, m->width, m->instances, m->banks, m->bank_bits,
               m->read_pj, m->write_pj, m->area_um2);
    }
    printf("], ");
    json_line("lsnn", &q->lsnn);
    printf(", \"lsnn_config_bits\": %.6g, \"lsnn_config_realtime_pj\": %.6g, ", q->config_bits,
           q->config_realtime_pj);
    json_line("lstm", &q->lstm);
    printf(", \"accuracy\": {");
    if (acc->labelled) {
        printf("\"lsnn\": %.6f, \"lsnn_sequences\": %d, \"lsnn_source\": ", acc->lsnn, acc->lsnn_n);
        cli_json_string(stdout, acc->lsnn_source);
        printf("%s", acc->lstm_known ? ", " : "");
    }
    if (acc->lstm_known && acc->lstm_n) {
        printf("\"lstm\": %.6f, \"lstm_measured\": true, \"lstm_sequences\": %d, "
               "\"lstm_source\": ",
               acc->lstm, acc->lstm_n);
        cli_json_string(stdout, acc->lstm_source);
    } else if (acc->lstm_known) {
        printf("\"lstm\": %.3f, \"lstm_measured\": false, \"lstm_source\": ", LSTM_PAPER_ACC);
        cli_json_string(stdout, LSTM_PAPER_SRC);
    }
    printf("}}");
}

void report_energy_json(const report_energy_data *d)
{
    const lsnn_ref_chip *chip = d->chip;
    const cli_fixed_result *r = d->r;
    const lsnn_energy_report *rep = d->rep;
    printf("{\"image\": ");
    cli_json_string(stdout, d->dir);
    printf(", \"model\": ");
    cli_json_string(stdout, d->spec->name);
    printf(", \"hw\": ");
    cli_json_string(stdout, chip->cfg.name);
    printf(", \"cores\": %d, \"inferences\": %d, \"steps\": %d", chip->ncores, r->n_seq, d->steps);
    if (d->labelled && r->regression) /* a regression task: its MSE, no accuracy */
        printf(", \"mse\": %.6f", r->n_win ? r->sq_err / r->n_win : 0);
    else if (d->labelled)
        printf(", \"accuracy\": %.6f", r->n_win ? (double)r->n_correct / r->n_win : 0);
    if (d->spec->task == LSNN_TASK_L2L)
        printf(", \"trials\": %d, \"per_trial_nj\": %.6g", d->spec->l2l.trials,
               d->n_rep ? rep[0].total_pj * 1e-3 / d->spec->l2l.trials : 0);
    printf(", \"per_inference\": {\"syn_ops\": %.6g, \"dense_macs\": %.6g, "
           "\"membrane_updates\": %.6g, \"spikes\": %.6g, \"activation_sparsity\": %.6g}",
           rep[0].syn_ops, rep[0].dense_macs, rep[0].membrane_updates, rep[0].spikes,
           rep[0].activation_sparsity);
    printf(", \"tables\": [");
    for (int t = 0; t < d->n_rep; t++) {
        printf("%s", t ? ", " : "");
        json_report(&rep[t], chip->ncores);
    }
    printf("], \"lstm\": ");
    json_lstm(d->lstm);
    printf(", \"equal_terms\": [");
    for (int t = 0; t < d->n_et; t++) {
        printf("%s", t ? ", " : "");
        json_equal_terms(&d->et[t], d->acc);
    }
    /* the LSTM energy ratios are not at equal accuracy: null, or both accuracies */
    double gap = accuracy_gap_pp(d->acc);
    printf("], \"accuracy_caveat\": ");
    if (gap > 0)
        printf("{\"equal_accuracy\": false, \"lsnn\": %.6f, \"lstm\": %.6g, \"gap_pp\": %.2f, "
               "\"text\": \"not at equal accuracy: the LSTM energy ratios compare networks that "
               "do not solve the task equally well\"}",
               d->acc->lsnn, lstm_acc(d->acc), gap);
    else
        printf("null");
    printf("}\n");
}

static void print_accuracy(const report_accuracy *a, const cli_fixed_result *r)
{
    if (r->regression)
        printf("  accuracy: none (a regression task: the LSNN's MSE is %.4f)",
               r->n_win ? r->sq_err / r->n_win : 0);
    else if (a->labelled)
        printf("  accuracy: LSNN %.2f %% (%d sequences, %s)", 100 * a->lsnn, a->lsnn_n,
               a->lsnn_source);
    else
        printf("  accuracy: LSNN not known (unlabelled input)");
    if (a->lstm_known && a->lstm_n)
        printf("; LSTM %.2f %% (trained: %s, %d sequences)\n", 100 * a->lstm, a->lstm_source,
               a->lstm_n);
    else if (a->lstm_known)
        printf("; LSTM-128 %.1f %% (%s)\n", 100 * LSTM_PAPER_ACC, LSTM_PAPER_SRC);
    else
        printf("; LSTM: no published accuracy for this task and size\n");
}

void report_energy_text(const report_energy_data *d)
{
    const lsnn_ref_chip *chip = d->chip;
    const cli_fixed_result *r = d->r;
    const lsnn_energy_report *rep = d->rep;
    const lsnn_lstm_energy *lstm = d->lstm;
    printf("image %s: model %s on %d core%s of hw config '%s'; %d inferences of %d steps", d->dir,
           d->spec->name, chip->ncores, chip->ncores == 1 ? "" : "s", chip->cfg.name, r->n_seq,
           d->steps);
    if (d->labelled && r->regression)
        printf(", MSE %.4f", r->n_win ? r->sq_err / r->n_win : 0);
    else if (d->labelled)
        printf(", accuracy %.2f %%", r->n_win ? 100.0 * r->n_correct / r->n_win : 0);
    printf("\n");
    if (d->spec->task == LSNN_TASK_L2L) /* an inference is an episode of trials */
        for (int t = 0; t < d->n_rep; t++)
            printf("per trial (%d per episode): %.4g nJ on %s\n", d->spec->l2l.trials,
                   rep[t].total_pj * 1e-3 / d->spec->l2l.trials, rep[t].table);
    printf("\n");
    for (int t = 0; t < d->n_rep; t++) {
        lsnn_energy_print(stdout, &rep[t]);
        printf("\n");
    }
    lsnn_lstm_print(stdout, lstm);
    printf("\ncomparison per inference:");
    for (int t = 0; t < d->n_rep; t++)
        printf(" LSNN on %s %.4g nJ;", rep[t].table, rep[t].total_pj * 1e-3);
    printf(" LSTM-%d int8 %.4g nJ, fp32 %.4g nJ (%s)", lstm->hidden, lstm->int8.total_pj * 1e-3,
           lstm->fp32.total_pj * 1e-3, lstm->table);
    if (d->acc->lstm_known && d->acc->lstm_n) /* a trained LSTM: its accuracy beside its energy */
        printf(", accuracy %.2f %% (trained: %s, %d sequences)", 100 * d->acc->lstm,
               d->acc->lstm_source, d->acc->lstm_n);
    printf("\n");
    for (int t = 0; t < d->n_rep; t++) {
        double lsnn = rep[t].total_pj > 0 ? rep[t].total_pj : 1;
        printf("  %s: the LSTM-%d (int8) takes %.1fx the LSNN's energy; its MACs alone, "
               "weights fetched for free, %.1fx\n",
               rep[t].table, lstm->hidden, lstm->int8.total_pj / lsnn, lstm->int8.mac_pj / lsnn);
    }
    print_caveat(d->acc);
    if (d->n_et)
        printf("  (these ratios mix nodes, memory models and static assumptions; the "
               "equal-terms comparison follows)\n");
    for (int t = 0; t < d->n_et; t++) {
        printf("\n");
        lsnn_equal_terms_print(stdout, &d->et[t]);
        print_accuracy(d->acc, d->r);
        print_caveat(d->acc);
    }
}
