/* report_run.c - what lsnn run prints. */
#include "report_run.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_nav.h"
#include "cli_trial_curve.h"
#include "cli_util.h"
#include "trace.h"

void report_run_totals_of(const cli_fixed *fx, int rtl, report_run_totals *t)
{
    const lsnn_target *en = &fx->engine;
    memset(t, 0, sizeof *t);
    t->engine = en->name ? en->name : rtl ? "rtl" : "ref";
    t->cfg = &fx->img.cfg;
    t->ncores = en->ncores;
    for (int c = 0; c < en->ncores; c++) {
        uint64_t k[LSNN_REF_NCOUNTERS];
        en->counters(en->ctx, c, k);
        for (int i = 0; i < LSNN_REF_NCOUNTERS; i++)
            t->counter[i] += k[i];
    }
    if (en->chip_counters) {
        uint64_t k[LSNN_CHIP_NCOUNTERS];
        en->chip_counters(en->ctx, k);
        t->chip_cycles = k[LSNN_CHIP_CYCLES];
        t->barrier_cycles = k[LSNN_CHIP_BARRIER_CYCLES];
    }
    for (int y = 0; en->links && y < en->mesh_y; y++)
        for (int x = 0; x < en->mesh_x; x++) {
            uint64_t f[LSNN_PORTS], s[LSNN_PORTS];
            en->links(en->ctx, lsnn_hw_core_id(x, y), f, s);
            for (int p = LSNN_PORT_E; p < LSNN_PORTS; p++)
                t->noc_hops += f[p];
        }
    if (en->sim_time) {
        t->has_sim_time = 1;
        en->sim_time(en->ctx, &t->sim_cmd_ps, &t->sim_all_ps, &t->sim_period_ps);
    }
    for (int c = 0; c < en->ncores; c++) { /* the slowest core's busy cycles */
        uint64_t k[LSNN_REF_NCOUNTERS];
        en->counters(en->ctx, c, k);
        if (k[LSNN_REF_CYCLES] > t->core_cycles_max) t->core_cycles_max = k[LSNN_REF_CYCLES];
    }
}

void report_run_phases_of(const report_run_totals *t, report_run_phases *p)
{
    const uint64_t *k = t->counter;
    memset(p, 0, sizeof *p);
    double ticks = (double)k[LSNN_REF_TICKS];
    if (ticks <= 0) return;
    uint64_t c_clear = lsnn_hw_clear_cycles(t->cfg);
    uint64_t scan = k[LSNN_REF_LATCH_READS] + k[LSNN_REF_SYN_EVENTS] + k[LSNN_REF_SYN_WORD_READS];
    uint64_t route = k[LSNN_REF_ROUTE_LOOKUPS] + k[LSNN_REF_ROUTE_READS];
    uint64_t fixed = 7 * k[LSNN_REF_TICKS] + scan + route + k[LSNN_REF_STALL_CYCLES] +
                     k[LSNN_REF_CLEARS] * c_clear;
    double groups = k[LSNN_REF_CYCLES] >= fixed ? (double)(k[LSNN_REF_CYCLES] - fixed) : 0;
    p->start = 1;
    p->synaptic = (double)scan / ticks + 1;
    p->groups = groups / ticks;
    p->neuron = p->groups + 3;
    p->routing = (double)route / ticks + 1;
    p->done = 1;
    p->stalls = (double)k[LSNN_REF_STALL_CYCLES] / ticks;
    p->total = p->start + p->synaptic + p->neuron + p->routing + p->done + p->stalls;
    double busy = (double)(k[LSNN_REF_CYCLES] - k[LSNN_REF_CLEARS] * c_clear);
    p->sop_per_cycle = busy > 0 ? (double)k[LSNN_REF_SYN_OPS] / busy : 0;
}

int report_run_time_differs(const report_run_totals *t)
{
    return t->has_sim_time && t->sim_cmd_ps != t->chip_cycles * t->sim_period_ps;
}

/* What the counts of an engine are called in the report. */
static const char *cycles_label(const char *engine)
{
    return !strcmp(engine, "rtl")       ? "RTL chip cycles"
           : !strcmp(engine, "systemc") ? "SystemC chip cycles"
                                        : "chip cycle model";
}

static const char *speed_label(const char *engine)
{
    return !strcmp(engine, "rtl")       ? "Verilator"
           : !strcmp(engine, "systemc") ? "SystemC (verilated chip)"
           : !strcmp(engine, "jit")     ? "jit (LLVM, native code)"
                                        : "reference runtime";
}

void report_run_text(const char *dir, const report_run_totals *c, const cli_fixed *fx,
                     const lsnn_spec *spec, const cli_fixed_result *r, int labelled, double secs,
                     const lsnn_window_curve *curve)
{
    const uint64_t *k = c->counter;
    double n = r->n_seq ? r->n_seq : 1, ticks = (double)k[LSNN_REF_TICKS] / c->ncores;
    printf("image %s: model %s, %d core%s of hw config '%s', engine %s\n", dir, spec->name,
           c->ncores, c->ncores == 1 ? "" : "s", c->cfg->name, c->engine);
    printf("%d sequences, %ld steps each, %d scored windows", r->n_seq,
           r->n_seq ? r->steps / r->n_seq : 0, r->n_win);
    if (labelled && r->regression) {
        printf(": MSE %.4f\n", r->n_win ? r->sq_err / r->n_win : 0);
        if (curve) cli_curve_text(stdout, c->engine, curve);
    } else if (labelled)
        printf(": accuracy %.2f %% (%d correct)\n", r->n_win ? 100.0 * r->n_correct / r->n_win : 0,
               r->n_correct);
    else
        printf(" (unlabelled)\n");
    if (c->nav) cli_nav_print_text(stdout, c->nav);
    double neuron_s = (double)r->steps * fx->hm.n_rec * spec->dt_ms * 1e-3;
    printf("recurrent spikes %ld (mean rate %.2f Hz)\n", r->spikes,
           neuron_s > 0 ? r->spikes / neuron_s : 0);
    printf("per inference: %.0f synaptic ops, %.0f synaptic events, %.0f SYN word reads, %.0f "
           "neuron updates, %.0f spikes, %.0f spike packets to other cores (%.1f NoC hops)\n",
           k[LSNN_REF_SYN_OPS] / n, k[LSNN_REF_SYN_EVENTS] / n, k[LSNN_REF_SYN_WORD_READS] / n,
           k[LSNN_REF_NEURON_UPDATES] / n, k[LSNN_REF_SPIKES] / n, k[LSNN_REF_SPIKES_CORE] / n,
           (double)c->noc_hops / n);
    printf("%s: %.1f chip cycles per tick (the slowest core's busy cycles %.1f, the barrier "
           "%.1f), %.0f per inference = %.3f ms at %g MHz\n",
           cycles_label(c->engine), ticks > 0 ? (double)c->chip_cycles / ticks : 0,
           ticks > 0 ? (double)c->core_cycles_max / ticks : 0,
           ticks > 0 ? (double)c->barrier_cycles / ticks : 0, (double)c->chip_cycles / n,
           (double)c->chip_cycles / n / (c->cfg->clock_mhz * 1e3), c->cfg->clock_mhz);
    report_run_phases ph;
    report_run_phases_of(c, &ph);
    printf("core tick by phase (cycles, mean over %d core%s): START %.0f, synaptic %.1f, neuron "
           "%.1f (%.1f groups of NL = %d, fill 3), routing %.1f, DONE %.0f, stalls %.1f; "
           "%.1f in all, %.2f synaptic ops per cycle\n",
           c->ncores, c->ncores == 1 ? "" : "s", ph.start, ph.synaptic, ph.neuron, ph.groups,
           c->cfg->neuron_lanes, ph.routing, ph.done, ph.stalls, ph.total, ph.sop_per_cycle);
    if (c->has_sim_time) { /* the simulated time against the chip's own cycle count */
        double ns = 1e-3 * (double)c->sim_period_ps;
        printf("SystemC time: %.1f ns per inference (= %.1f chip cycles x %g ns: %s); %.1f ns "
               "per inference with the host's EVENT writes (%.1f clock cycles)\n",
               1e-3 * (double)c->sim_cmd_ps / n, (double)c->chip_cycles / n, ns,
               report_run_time_differs(c) ? "DIFFERENT" : "equal", 1e-3 * (double)c->sim_all_ps / n,
               (double)c->sim_all_ps / (double)(c->sim_period_ps ? c->sim_period_ps : 1) / n);
    }
    printf("saturations: acc %" PRIu64 ", v %" PRIu64 ", readout %" PRIu64 ", a %" PRIu64
           "; duplicate events %" PRIu64 ", bad words %" PRIu64 "\n",
           k[LSNN_REF_SAT_ACC], k[LSNN_REF_SAT_V], k[LSNN_REF_SAT_R], k[LSNN_REF_SAT_A],
           k[LSNN_REF_DUP_EVENTS], k[LSNN_REF_BAD_WORDS]);
    printf("%s: %.2f s, %.1f M synaptic ops/s\n", speed_label(c->engine), secs,
           secs > 0 ? k[LSNN_REF_SYN_OPS] / secs * 1e-6 : 0);
}

void report_run_json(const char *dir, const report_run_totals *c, const lsnn_spec *spec,
                     const cli_fixed_result *r, int labelled, double secs,
                     const lsnn_window_curve *curve)
{
    printf("{\"image\": ");
    cli_json_string(stdout, dir);
    printf(", \"model\": ");
    cli_json_string(stdout, spec->name);
    printf(", \"hw\": ");
    cli_json_string(stdout, c->cfg->name);
    printf(", \"engine\": \"%s\", \"cores\": %d, \"sequences\": %d, \"steps\": %ld, "
           "\"windows\": %d, ",
           c->engine, c->ncores, r->n_seq, r->steps, r->n_win);
    if (labelled && r->regression) {
        printf("\"mse\": %.6f, ", r->n_win ? r->sq_err / r->n_win : 0);
        if (curve) cli_curve_json(stdout, curve), printf(", ");
    } else if (labelled)
        printf("\"correct\": %d, \"accuracy\": %.6f, ", r->n_correct,
               r->n_win ? (double)r->n_correct / r->n_win : 0);
    if (c->nav) {
        printf("\"navigation\": {");
        cli_nav_print_json(stdout, c->nav);
        printf("}, ");
    }
    printf("\"spikes\": %ld, \"chip_cycles\": %" PRIu64 ", \"noc_hops\": %" PRIu64
           ", \"seconds\": %.3f, ",
           r->spikes, c->chip_cycles, c->noc_hops, secs);
    report_run_phases ph;
    report_run_phases_of(c, &ph);
    printf("\"phases\": {\"start\": %.4f, \"synaptic\": %.4f, \"neuron\": %.4f, \"groups\": "
           "%.4f, \"routing\": %.4f, \"done\": %.4f, \"stalls\": %.4f, \"total\": %.4f, "
           "\"neuron_lanes\": %d, \"sop_per_cycle\": %.4f}, \"counters\": {",
           ph.start, ph.synaptic, ph.neuron, ph.groups, ph.routing, ph.done, ph.stalls, ph.total,
           c->cfg->neuron_lanes, ph.sop_per_cycle);
    if (c->has_sim_time)
        printf("\"systemc_cmd_ps\": %" PRIu64 ", \"systemc_all_ps\": %" PRIu64
               ", \"clock_period_ps\": %" PRIu64 ", \"systemc_time_equal\": %s, ",
               c->sim_cmd_ps, c->sim_all_ps, c->sim_period_ps,
               report_run_time_differs(c) ? "false" : "true");
    for (int i = 0; i < LSNN_TRACE_COUNTERS; i++)
        printf("%s\"%s\": %" PRIu64, i ? ", " : "", lsnn_ref_counter_name(i), c->counter[i]);
    printf("}}\n");
}
