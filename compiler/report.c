/* report.c - the compiler's report for people: utilisation per core (§13) and quantisation. */
#include <stdio.h>

#include "cc_internal.h"

static void usage_line(FILE *f, const char *what, const char *key, uint32_t used, uint32_t max)
{
    fprintf(f, "  %-14s %8u / %-8u %5.1f %%  (%s)\n", what, used, max,
            max ? 100.0 * used / max : 0.0, key);
}

void lsnn_cc_print_usage(FILE *f, const lsnn_compiled *cc)
{
    for (int c = 0; c < cc->n_cores; c++) {
        const lsnn_cc_core *k = &cc->core[c];
        const lsnn_cc_usage *u = &k->usage;
        fprintf(f, "core %u utilisation (hw config '%s'): neurons %u..%u\n", k->id, cc->cfg.name,
                k->first, k->first + k->size - 1);
        usage_line(f, "neurons", "core.neurons", u->neurons, u->neurons_max);
        usage_line(f, "axons", "core.axons", u->axons, u->axons_max);
        usage_line(f, "synapse words", "core.synapse_words", u->words, u->words_max);
        usage_line(f, "route entries", "core.route_entries", u->routes, u->routes_max);
        usage_line(f, "profiles", "core.profiles", u->profiles, u->profiles_max);
        fprintf(f, "  synapses %ld in %u words: %.1f %% of lanes valid\n", u->synapses, u->words,
                u->words ? 100.0 * u->synapses / ((double)u->words * cc->cfg.synapses_per_word)
                         : 0.0);
    }
    long routes = 0;
    for (int c = 0; c < cc->n_cores; c++)
        routes += cc->core[c].n_rte;
    fprintf(f, "routing: %ld entries on %d core%s (%s)", routes, cc->n_cores,
            cc->n_cores == 1 ? "" : "s",
            cc->opt.route_rel ? "relative entries shared by a core's neurons"
                              : "one per neuron and destination");
    if (cc->opt.route_rel && routes)
        fprintf(f, "; one entry per neuron and destination would take %ld: %.1fx smaller\n",
                cc->routes_explicit, (double)cc->routes_explicit / (double)routes);
    else
        fprintf(f, "\n");
}

void lsnn_cc_print_report(FILE *f, const lsnn_compiled *cc)
{
    const lsnn_cc_report *r = &cc->report;
    fprintf(f,
            "quantisation (W = %d): %ld weights, %ld clipped, %ld dropped (m = 0); max error "
            "%.3f LSB of the axon, %.3g v-LSB\n",
            cc->cfg.weight_bits, r->n_weights, r->n_clipped, r->n_dropped, r->max_err_lsb,
            r->max_err_v);
    for (int p = 0; p < cc->n_pops; p++)
        fprintf(f, "  population %s: neurons %d..%d, e = %d\n", cc->pops[p].name, cc->pops[p].first,
                cc->pops[p].first + cc->pops[p].size - 1, cc->pops[p].e);
    fprintf(f, "  readout: neurons %d..%d, e_r = %d\n", cc->pops[LSNN_CC_POP_READOUT].first,
            cc->pops[LSNN_CC_POP_READOUT].first + cc->n_out - 1, cc->e_r);
    fprintf(f, "  accumulators %s saturate\n", r->acc_never_sat ? "can never" : "may");
    if (r->silence_checked) fprintf(f, "  silence check: %s\n", r->silent ? "SILENT" : "spikes");
    if (r->log[0]) fputs(r->log, f);
}
