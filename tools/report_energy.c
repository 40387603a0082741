/* report_energy.c - what lsnn energy prints: each table's energy per inference, the LSTM line
 * and the comparison. */
#include "report_energy.h"

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
    if (d->labelled) printf(", \"accuracy\": %.6f", r->n_win ? (double)r->n_correct / r->n_win : 0);
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
    printf("}\n");
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
    if (d->labelled) printf(", accuracy %.2f %%", r->n_win ? 100.0 * r->n_correct / r->n_win : 0);
    printf("\n\n");
    for (int t = 0; t < d->n_rep; t++) {
        lsnn_energy_print(stdout, &rep[t]);
        printf("\n");
    }
    lsnn_lstm_print(stdout, lstm);
    printf("\ncomparison per inference:");
    for (int t = 0; t < d->n_rep; t++)
        printf(" LSNN on %s %.4g nJ;", rep[t].table, rep[t].total_pj * 1e-3);
    printf(" LSTM-%d int8 %.4g nJ, fp32 %.4g nJ (%s)\n", lstm->hidden, lstm->int8.total_pj * 1e-3,
           lstm->fp32.total_pj * 1e-3, lstm->table);
    for (int t = 0; t < d->n_rep; t++) {
        double lsnn = rep[t].total_pj > 0 ? rep[t].total_pj : 1;
        printf("  %s: the LSTM-%d (int8) takes %.1fx the LSNN's energy; its MACs alone, "
               "weights fetched for free, %.1fx\n",
               rep[t].table, lstm->hidden, lstm->int8.total_pj / lsnn, lstm->int8.mac_pj / lsnn);
    }
}
