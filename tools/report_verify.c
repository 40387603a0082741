/* report_verify.c - what lsnn verify prints. */
#include "report_verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_util.h"
#include "ref_core.h"

long cli_divergence_neuron(const lsnn_hostmap *m, const lsnn_divergence *d)
{
    long n = strstr(d->what, "word") ? -1 : d->neuron;
    for (int g = 0; n >= 0 && g < m->n_rec + m->n_out; g++)
        if (m->core_index[g] == d->core && m->local[g] == (uint32_t)n) return g;
    return -1;
}

/* The synaptic phase's cycles, §10.2: L + E + Wd + 2 per tick. */
static uint64_t synaptic_cycles(const uint64_t *k)
{
    return k[LSNN_REF_LATCH_READS] + k[LSNN_REF_SYN_EVENTS] + k[LSNN_REF_SYN_WORD_READS] +
           2 * k[LSNN_REF_TICKS];
}

/* How the simulating engine is named, how it was loaded, what runs it. */
static const char *sim_label(const char *name)
{
    return !strcmp(name, "rtl") ? "RTL" : !strcmp(name, "systemc") ? "SystemC platform" : name;
}

static const char *load_label(const report_verify_data *v)
{
    return v->readmemh                       ? "$readmemh"
           : !strcmp(v->sim_name, "systemc") ? "the programming window"
                                             : "the programming port";
}

static const char *speed_label(const char *name)
{
    return !strcmp(name, "systemc") ? "SystemC" : "Verilator";
}

void report_verify_json(const report_verify_data *v)
{
    const uint64_t *k = v->counters;
    uint64_t ops = k[LSNN_REF_SYN_OPS], cyc = k[LSNN_REF_CYCLES], syn_cyc = synaptic_cycles(k);
    printf("{\"image\": ");
    cli_json_string(stdout, v->dir);
    printf(", \"engines\": [\"%s\", \"%s\"], \"load\": \"%s\", \"equal\": %s, "
           "\"sequences\": %ld, \"ticks\": %" PRIu64 ", \"cycles\": %" PRIu64
           ", \"syn_ops\": %" PRIu64 ", \"sop_per_cycle\": %.4f, \"sop_per_synaptic_cycle\": "
           "%.4f, \"%s_cycles_per_s\": %.0f, \"load_seconds\": %.3f",
           v->a, v->b, v->readmemh ? "readmemh" : "port", v->d ? "false" : "true", v->n_seq,
           v->ticks, cyc, ops, cyc ? (double)ops / cyc : 0, syn_cyc ? (double)ops / syn_cyc : 0,
           v->sim_name ? v->sim_name : "sim", v->secs > 0 ? v->sim_cycles / v->secs : 0,
           v->load_secs);
    if (v->has_sim_time)
        printf(", \"systemc_cmd_ps\": %" PRIu64 ", \"systemc_all_ps\": %" PRIu64
               ", \"clock_period_ps\": %" PRIu64 ", \"chip_cycles\": %" PRIu64
               ", \"systemc_time_equal\": %s",
               v->sim_cmd_ps, v->sim_all_ps, v->sim_period_ps, v->chip_cycles,
               v->sim_cmd_ps == v->chip_cycles * v->sim_period_ps ? "true" : "false");
    if (v->regression) printf(", \"windows\": %d, \"mse\": %.6f", v->n_win, v->mse);
    if (v->d)
        printf(", \"divergence\": {\"sequence\": %ld, \"tick\": %ld, \"core\": %d, \"neuron\": "
               "%ld, \"global_neuron\": %ld, \"variable\": \"%s\", \"%s\": %" PRId64
               ", \"%s\": %" PRId64 "}",
               v->d->seq, v->d->tick, v->d->core, v->d->neuron, v->global_neuron, v->d->what, v->a,
               v->d->a, v->b, v->d->b);
    printf("}\n");
}

void report_verify_text(const report_verify_data *v)
{
    const lsnn_divergence *d = v->d;
    const uint64_t *k = v->counters;
    uint64_t ops = k[LSNN_REF_SYN_OPS], cyc = k[LSNN_REF_CYCLES], syn_cyc = synaptic_cycles(k);
    if (d) {
        printf("FIRST DIVERGENCE: sequence %ld, tick %ld", d->seq, d->tick);
        if (d->core >= 0) printf(", core %u", v->core_id); /* -1: the chip (§16) */
        if (v->global_neuron >= 0) printf(", neuron %ld (global %ld)", d->neuron, v->global_neuron);
        printf(", %s: %s %" PRId64 ", %s %" PRId64 "\n", d->what, v->a, d->a, v->b, d->b);
        return;
    }
    printf("verify %s: %s and %s equal on %ld sequences, %" PRIu64
           " ticks: every neuron's v, a, ref, z, i, every counter, every cycle count and output "
           "word\n",
           v->dir, v->a, v->b, v->n_seq, v->ticks);
    if (v->regression)
        printf("regression windows: %d, MSE %.4f (the same on both engines)\n", v->n_win, v->mse);
    if (v->ncores > 1 && v->run_chip_cycles)
        printf("chip of %d cores: %" PRIu64 " chip cycles, %.1f per tick, %.0f per sequence "
               "(routers, contention and the barrier included; the CLEARs too); the core "
               "figures below are core 0's\n",
               v->ncores, v->run_chip_cycles, v->ticks ? (double)v->run_chip_cycles / v->ticks : 0,
               v->n_seq ? (double)v->run_chip_cycles / v->n_seq : 0);
    if (!v->sim_name) return;
    printf("%s (loaded through %s in %.2f s): %" PRIu64 " cycles, %.1f cycles per tick, "
           "%.0f per sequence; %.3f synaptic ops per cycle (%.3f in the synaptic phase); "
           "%s %.2f M cycles/s\n",
           sim_label(v->sim_name), load_label(v), v->load_secs, cyc,
           v->ticks ? (double)cyc / v->ticks : 0, v->n_seq ? (double)cyc / v->n_seq : 0,
           cyc ? (double)ops / cyc : 0, syn_cyc ? (double)ops / syn_cyc : 0,
           speed_label(v->sim_name), v->secs > 0 ? v->sim_cycles / v->secs * 1e-6 : 0);
    if (v->has_sim_time)
        printf("SystemC time: %.0f ns in TICK and CLEAR commands (= %" PRIu64
               " chip cycles x %g ns: %s), %.0f ns in all (%.0f clock cycles, %.0f per "
               "sequence)\n",
               1e-3 * (double)v->sim_cmd_ps, v->chip_cycles, 1e-3 * (double)v->sim_period_ps,
               v->sim_cmd_ps == v->chip_cycles * v->sim_period_ps ? "equal" : "DIFFERENT",
               1e-3 * (double)v->sim_all_ps,
               (double)v->sim_all_ps / (double)(v->sim_period_ps ? v->sim_period_ps : 1),
               v->n_seq ? (double)v->sim_all_ps /
                              (double)(v->sim_period_ps ? v->sim_period_ps : 1) / (double)v->n_seq
                        : 0);
}
