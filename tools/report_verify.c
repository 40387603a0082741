/* report_verify.c - what lsnn verify prints. */
#ifdef LSNN_HAVE_RTL
#include "report_verify.h"

#include <inttypes.h>
#include <stdio.h>

#include "cli_util.h"
#include "ref_core.h"

/* The synaptic phase's cycles, §10.2: L + E + Wd + 2 per tick. */
static uint64_t synaptic_cycles(const uint64_t *k)
{
    return k[LSNN_REF_LATCH_READS] + k[LSNN_REF_SYN_EVENTS] + k[LSNN_REF_SYN_WORD_READS] +
           2 * k[LSNN_REF_TICKS];
}

void report_verify_json(const report_verify_data *v)
{
    const uint64_t *k = v->counters;
    uint64_t ops = k[LSNN_REF_SYN_OPS], cyc = k[LSNN_REF_CYCLES], syn_cyc = synaptic_cycles(k);
    printf("{\"image\": ");
    cli_json_string(stdout, v->dir);
    printf(", \"engines\": [\"ref\", \"rtl\"], \"load\": \"%s\", \"equal\": %s, "
           "\"sequences\": %ld, \"ticks\": %" PRIu64 ", \"cycles\": %" PRIu64
           ", \"syn_ops\": %" PRIu64 ", \"sop_per_cycle\": %.4f, \"sop_per_synaptic_cycle\": "
           "%.4f, \"rtl_cycles_per_s\": %.0f, \"load_seconds\": %.3f",
           v->readmemh ? "readmemh" : "port", v->d ? "false" : "true", v->n_seq, v->ticks, cyc, ops,
           cyc ? (double)ops / cyc : 0, syn_cyc ? (double)ops / syn_cyc : 0,
           v->secs > 0 ? v->sim_cycles / v->secs : 0, v->load_secs);
    if (v->d)
        printf(", \"divergence\": {\"sequence\": %ld, \"tick\": %ld, \"core\": 0, \"neuron\": "
               "%ld, \"global_neuron\": %ld, \"variable\": \"%s\", \"ref\": %" PRId64
               ", \"rtl\": %" PRId64 "}",
               v->d->seq, v->d->tick, v->d->neuron, v->global_neuron, v->d->what, v->d->ref_val,
               v->d->rtl_val);
    printf("}\n");
}

void report_verify_text(const report_verify_data *v)
{
    const cli_divergence *d = v->d;
    const uint64_t *k = v->counters;
    uint64_t ops = k[LSNN_REF_SYN_OPS], cyc = k[LSNN_REF_CYCLES], syn_cyc = synaptic_cycles(k);
    if (d) {
        printf("FIRST DIVERGENCE: sequence %ld, tick %ld, core %u", d->seq, d->tick, v->core_id);
        if (v->global_neuron >= 0) printf(", neuron %ld (global %ld)", d->neuron, v->global_neuron);
        printf(", %s: ref %" PRId64 ", rtl %" PRId64 "\n", d->what, d->ref_val, d->rtl_val);
        return;
    }
    printf("verify %s: ref and rtl equal on %ld sequences, %" PRIu64
           " ticks: every neuron's v, a, ref, z, every counter, every cycle count and output "
           "word\n",
           v->dir, v->n_seq, v->ticks);
    printf("RTL (loaded through %s in %.2f s): %" PRIu64 " cycles, %.1f cycles per tick, "
           "%.0f per sequence; %.3f synaptic ops per cycle (%.3f in the synaptic phase); "
           "Verilator %.2f M cycles/s\n",
           v->readmemh ? "$readmemh" : "the programming port", v->load_secs, cyc,
           v->ticks ? (double)cyc / v->ticks : 0, v->n_seq ? (double)cyc / v->n_seq : 0,
           cyc ? (double)ops / cyc : 0, syn_cyc ? (double)ops / syn_cyc : 0,
           v->secs > 0 ? v->sim_cycles / v->secs * 1e-6 : 0);
}
#endif
