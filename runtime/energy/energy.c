/* energy.c - activity counters × a technology table -> energy per inference; the LSTM line.
 * The model and its assumptions: docs/energy.md. */
#include "energy.h"

#include <math.h>
#include <string.h>

/* §11 counter of each priced event (lsnn_tech_event order); -1: not a core counter (the
 * mesh's events, from the chip's counts). */
static const int event_counter[LSNN_TECH_N_EVENTS] = {
    LSNN_REF_EVENTS_IN,   LSNN_REF_LATCH_READS,    LSNN_REF_SYN_EVENTS,   LSNN_REF_SYN_WORD_READS,
    LSNN_REF_SYN_OPS,     LSNN_REF_NEURON_UPDATES, LSNN_REF_STATE_READS,  LSNN_REF_STATE_WRITES,
    LSNN_REF_ACC_READS,   LSNN_REF_ROUTE_LOOKUPS,  LSNN_REF_ROUTE_READS,  LSNN_REF_SPIKES_LOCAL,
    LSNN_REF_SPIKES_CORE, -1 /* noc_hops */,       -1 /* barrier_hops */, LSNN_REF_SPIKES_HOST};

static const char port_name[LSNN_PORTS] = {'L', 'E', 'W', 'N', 'S'};

int lsnn_energy_counter_of(lsnn_tech_event ev)
{
    if ((int)ev < 0 || ev >= LSNN_TECH_N_EVENTS) return -1;
    return event_counter[ev];
}

static uint64_t counter(const lsnn_energy_run *run, int core, int i)
{
    return run->counters[(size_t)core * LSNN_REF_NCOUNTERS + (size_t)i];
}

static uint64_t counter_sum(const lsnn_energy_run *run, int i)
{
    uint64_t s = 0;
    for (int c = 0; c < run->n_cores; c++)
        s += counter(run, c, i);
    return s;
}

static uint64_t counter_max(const lsnn_energy_run *run, int i)
{
    uint64_t m = 0;
    for (int c = 0; c < run->n_cores; c++)
        if (counter(run, c, i) > m) m = counter(run, c, i);
    return m;
}

static uint64_t flits_at(const lsnn_energy_run *run, int x, int y, int port)
{
    return run->flits[(size_t)(16 * y + x) * LSNN_PORTS + (size_t)port];
}

/* Router-to-router link traversals: Σ flits over E/W/N/S of the mesh's routers. */
static uint64_t link_hops(const lsnn_energy_run *run)
{
    uint64_t s = 0;
    for (int y = 0; y < run->mesh_y; y++)
        for (int x = 0; x < run->mesh_x; x++)
            for (int p = LSNN_PORT_E; p < LSNN_PORTS; p++)
                s += flits_at(run, x, y, p);
    return s;
}

/* §16.5: each command reduces the quiet flags towards cell (0, 0) over a spanning tree of the
 * mesh and broadcasts `go` back over it: 2 (cells - 1) token hops. */
static uint64_t barrier_hops_per_command(const lsnn_energy_run *run)
{
    int cells = run->mesh_x * run->mesh_y;
    return cells > 0 ? 2 * (uint64_t)(cells - 1) : 0;
}

/* The mesh fields: both sides or none, the cores on the mesh, flits that agree with noc_hops. */
static int check_mesh(const lsnn_energy_run *run, lsnn_error *e)
{
    int mx = run->mesh_x, my = run->mesh_y;
    if (mx || my) {
        if (mx < 1 || mx > 16 || my < 1 || my > 16)
            return lsnn_fail(
                e, "energy: mesh sides must be in 1..16 (or both 0: no mesh), got %dx%d", mx, my);
        if (run->n_cores > mx * my)
            return lsnn_fail(e, "energy: %d cores do not fit a %dx%d mesh", run->n_cores, mx, my);
    } else if (run->flits) {
        return lsnn_fail(e, "energy: per-link flits need the mesh size (mesh_x, mesh_y)");
    } else if (run->commands) {
        return lsnn_fail(e, "energy: the barrier's commands need the mesh size (mesh_x, mesh_y)");
    }
    if (run->flits && run->noc_hops && run->noc_hops != link_hops(run))
        return lsnn_fail(e,
                         "energy: noc_hops %llu differs from the flits' %llu link traversals "
                         "(Σ over E/W/N/S)",
                         (unsigned long long)run->noc_hops, (unsigned long long)link_hops(run));
    for (int c = 0; run->core_ids && c < run->n_cores; c++) {
        unsigned id = run->core_ids[c];
        int x = (int)(id & 15u), y = (int)(id >> 4);
        if (id >= LSNN_HW_MAX_CORES || (mx && (x >= mx || y >= my)))
            return lsnn_fail(e, "energy: core %d has cell id %u, outside the %dx%d mesh", c, id,
                             mx ? mx : 16, mx ? my : 16);
    }
    return 0;
}

static int check_run(const lsnn_energy_run *run, const lsnn_tech_table *tech, lsnn_error *e)
{
    if (!run || !tech) return lsnn_fail(e, "energy: no run or no technology table");
    if (tech->kind != LSNN_TECH_NEUROCORE)
        return lsnn_fail(e,
                         "energy: table '%s' is of kind reference_ops; the counters need a "
                         "neurocore table",
                         tech->name);
    if (run->n_cores < 1 || run->n_cores > LSNN_HW_MAX_CORES)
        return lsnn_fail(e, "energy: n_cores must be in 1..%d, got %d", LSNN_HW_MAX_CORES,
                         run->n_cores);
    if (!run->counters) return lsnn_fail(e, "energy: no counters");
    if (run->n_inferences == 0) return lsnn_fail(e, "energy: n_inferences must be >= 1, got 0");
    return check_mesh(run, e);
}

/* The run's count of a mesh event: link traversals from the flits (else the caller's hop
 * count), barrier token hops from the commands. */
static uint64_t mesh_total(const lsnn_energy_run *run, int ev)
{
    if (ev == LSNN_TECH_BARRIER_HOPS) return run->commands * barrier_hops_per_command(run);
    return run->flits ? link_hops(run) : run->noc_hops;
}

/* Per term and per core dynamic energy. */
static void price_events(const lsnn_energy_run *run, const lsnn_tech_table *tech,
                         lsnn_energy_report *r)
{
    double n = (double)run->n_inferences;
    for (int ev = 0; ev < LSNN_TECH_N_EVENTS; ev++) {
        int i = event_counter[ev];
        uint64_t total = i < 0 ? mesh_total(run, ev) : counter_sum(run, i);
        r->pj_per_event[ev] = tech->events[ev].value;
        r->count[ev] = (double)total / n;
        r->pj[ev] = r->count[ev] * r->pj_per_event[ev];
        r->dynamic_pj += r->pj[ev];
    }
    r->noc_pj = r->pj[LSNN_TECH_NOC_HOPS];
    r->barrier_pj = r->pj[LSNN_TECH_BARRIER_HOPS];
    for (int c = 0; c < run->n_cores; c++) {
        double s = 0;
        for (int ev = 0; ev < LSNN_TECH_N_EVENTS; ev++)
            if (event_counter[ev] >= 0)
                s += (double)counter(run, c, event_counter[ev]) * r->pj_per_event[ev];
        r->core_dynamic_pj[c] = s / n;
        r->core_id[c] = run->core_ids ? (int)run->core_ids[c] : -1;
    }
}

/* By link: every router output of the mesh, E/W/N/S priced per flit, L counted only. */
static void price_mesh(const lsnn_energy_run *run, lsnn_energy_report *r)
{
    double n = (double)run->n_inferences;
    r->mesh_x = run->mesh_x;
    r->mesh_y = run->mesh_y;
    r->commands = (double)run->commands / n;
    r->barrier_hops_per_command = (double)barrier_hops_per_command(run);
    r->links_given = run->flits != NULL;
    if (!run->flits) return;
    for (int y = 0; y < run->mesh_y; y++)
        for (int x = 0; x < run->mesh_x; x++)
            for (int p = 0; p < LSNN_PORTS; p++) {
                uint64_t f = flits_at(run, x, y, p);
                int cell = 16 * y + x;
                r->link_flits[cell][p] = (double)f / n;
                if (p == LSNN_PORT_L) continue;
                r->link_pj[cell][p] = r->link_flits[cell][p] * r->pj_per_event[LSNN_TECH_NOC_HOPS];
                r->links_used += f > 0;
            }
}

/* Latency from chip cycles; every used core leaks for all of it. W × µs = 1e6 pJ. */
static void price_static(const lsnn_energy_run *run, const lsnn_tech_table *tech,
                         lsnn_energy_report *r)
{
    uint64_t cycles = run->chip_cycles;
    r->chip_cycles_given = cycles != 0;
    if (!cycles) cycles = counter_max(run, LSNN_REF_CYCLES);
    r->cycles = (double)cycles / (double)run->n_inferences;
    r->latency_us = r->cycles / r->clock_mhz;
    r->static_watts_per_core = tech->static_power.value;
    double per_core = r->static_watts_per_core * r->latency_us * 1e6;
    for (int c = 0; c < run->n_cores; c++) {
        int used = counter(run, c, LSNN_REF_CYCLES) != 0;
        r->core_used[c] = used;
        r->cores_used += used;
        r->core_static_pj[c] = used ? per_core : 0;
        r->static_pj += r->core_static_pj[c];
    }
}

static void neurobench_counts(const lsnn_energy_run *run, lsnn_energy_report *r)
{
    double n = (double)run->n_inferences;
    r->ticks = run->ticks_per_inference ? (double)run->ticks_per_inference
                                        : (double)counter_max(run, LSNN_REF_TICKS) / n;
    r->syn_ops = (double)counter_sum(run, LSNN_REF_SYN_OPS) / n;
    r->dense_macs = (double)run->dense_synapses * r->ticks;
    r->membrane_updates = (double)counter_sum(run, LSNN_REF_NEURON_UPDATES) / n;
    r->spikes = (double)counter_sum(run, LSNN_REF_SPIKES) / n;
    double slots =
        run->spiking_neurons ? (double)run->spiking_neurons * r->ticks : r->membrane_updates;
    r->activation_sparsity = slots > 0 ? 1.0 - r->spikes / slots : 0;
}

int lsnn_energy_compute(const lsnn_energy_run *run, const lsnn_hw_config *hw,
                        const lsnn_tech_table *tech, lsnn_energy_report *out, lsnn_error *e)
{
    if (check_run(run, tech, e)) return -1;
    double clock = hw ? hw->clock_mhz : tech->clock_mhz;
    if (!(clock > 0))
        return lsnn_fail(e, "energy: clock must be > 0 MHz, got %g (%s)", clock,
                         hw ? "hardware config" : "technology table");
    static const lsnn_energy_report zero;
    lsnn_energy_report r = zero;
    snprintf(r.table, sizeof r.table, "%s", tech->name);
    snprintf(r.technology, sizeof r.technology, "%s", tech->technology);
    r.logic_only = tech->logic_only;
    for (int c = 0; c < LSNN_HW_MAX_CORES; c++)
        r.core_id[c] = -1;
    r.n_inferences = run->n_inferences;
    r.n_cores = run->n_cores;
    r.clock_mhz = clock;
    price_events(run, tech, &r);
    price_mesh(run, &r);
    price_static(run, tech, &r);
    r.total_pj = r.dynamic_pj + r.static_pj;
    neurobench_counts(run, &r);
    *out = r;
    return 0;
}

static double share(double part, double total)
{
    return total > 0 ? 100.0 * part / total : 0;
}

/* The per-core lines, then the links and the barrier: the identity's terms and its total. */
static void print_cores(FILE *f, const lsnn_energy_report *r)
{
    double dyn = 0, stat = 0;
    fprintf(f, "  %-6s %-8s %12s %12s %12s\n", "core", "cell", "dynamic nJ", "static nJ",
            "total nJ");
    for (int c = 0; c < r->n_cores; c++) {
        char cell[16] = "-";
        if (r->core_id[c] >= 0)
            snprintf(cell, sizeof cell, "(%d, %d)", r->core_id[c] & 15, r->core_id[c] >> 4);
        fprintf(f, "  %-6d %-8s %12.4f %12.4f %12.4f\n", c, cell, r->core_dynamic_pj[c] / 1e3,
                r->core_static_pj[c] / 1e3, (r->core_dynamic_pj[c] + r->core_static_pj[c]) / 1e3);
        dyn += r->core_dynamic_pj[c];
        stat += r->core_static_pj[c];
    }
    fprintf(f, "  %-15s %12.4f %12s %12.4f   (NoC, by link below)\n", "links", r->noc_pj / 1e3, "",
            r->noc_pj / 1e3);
    fprintf(f, "  %-15s %12.4f %12s %12.4f\n", "barrier", r->barrier_pj / 1e3, "",
            r->barrier_pj / 1e3);
    fprintf(f, "  %-15s %12.4f %12.4f %12.4f   (= cores + links + barrier)\n", "total",
            (dyn + r->noc_pj + r->barrier_pj) / 1e3, stat / 1e3, r->total_pj / 1e3);
}

/* Each router output E/W/N/S that carried flits; or why there is none. */
static void print_links(FILE *f, const lsnn_energy_report *r)
{
    double hop = r->pj_per_event[LSNN_TECH_NOC_HOPS];
    if (!r->mesh_x) {
        fprintf(f,
                "NoC: no mesh given: %.1f hops per inference from the caller's count, %.4f nJ; "
                "no per-link figures, barrier not priced\n",
                r->count[LSNN_TECH_NOC_HOPS], r->noc_pj / 1e3);
        return;
    }
    if (!r->links_given) {
        fprintf(f,
                "NoC links, %dx%d mesh: no per-link counts given; %.1f hops per inference, "
                "%.4f nJ\n",
                r->mesh_x, r->mesh_y, r->count[LSNN_TECH_NOC_HOPS], r->noc_pj / 1e3);
        return;
    }
    if (!r->links_used) {
        fprintf(f,
                "NoC links, %dx%d mesh: no NoC traffic (no flit crossed a router-to-router "
                "link), 0 nJ\n",
                r->mesh_x, r->mesh_y);
        return;
    }
    fprintf(f, "NoC links, %dx%d mesh: %d router outputs with flits, %.4g pJ per flit per link\n",
            r->mesh_x, r->mesh_y, r->links_used, hop);
    fprintf(f, "  %-14s %14s %12s %7s\n", "router -> out", "flits/inf", "nJ/inf", "share");
    for (int y = 0; y < r->mesh_y; y++)
        for (int x = 0; x < r->mesh_x; x++)
            for (int p = LSNN_PORT_E; p < LSNN_PORTS; p++) {
                int cell = 16 * y + x;
                if (r->link_flits[cell][p] <= 0) continue;
                char link[32];
                snprintf(link, sizeof link, "(%d, %d) -> %c", x, y, port_name[p]);
                fprintf(f, "  %-14s %14.1f %12.4f %6.2f%%\n", link, r->link_flits[cell][p],
                        r->link_pj[cell][p] / 1e3, share(r->link_pj[cell][p], r->total_pj));
            }
    fprintf(f, "  %-14s %14.1f %12.4f %6.2f%%\n", "links", r->count[LSNN_TECH_NOC_HOPS],
            r->noc_pj / 1e3, share(r->noc_pj, r->total_pj));
}

static void print_barrier(FILE *f, const lsnn_energy_report *r)
{
    if (!r->mesh_x) return;
    int cells = r->mesh_x * r->mesh_y;
    if (cells == 1) {
        fprintf(f, "barrier: 1x1 mesh: no barrier links, 0 token hops, 0 nJ\n");
        return;
    }
    fprintf(f,
            "barrier: 2 x (%d cells - 1) = %.0f token hops per command x %.1f commands per "
            "inference = %.1f hops x %.4g pJ = %.4f nJ (%.2f%%)\n",
            cells, r->barrier_hops_per_command, r->commands, r->count[LSNN_TECH_BARRIER_HOPS],
            r->pj_per_event[LSNN_TECH_BARRIER_HOPS], r->barrier_pj / 1e3,
            share(r->barrier_pj, r->total_pj));
}

void lsnn_energy_print(FILE *f, const lsnn_energy_report *r)
{
    fprintf(f, "energy per inference: table %s (%s), %llu inferences, %d of %d cores used\n",
            r->table, r->technology, (unsigned long long)r->n_inferences, r->cores_used,
            r->n_cores);
    if (r->logic_only)
        fprintf(f,
                "  (a logic-only table: it prices no memory access, so this total leaves the SRAM "
                "out)\n");
    fprintf(f, "  %-16s %14s %10s %12s %7s\n", "term", "count/inf", "pJ/event", "nJ/inf", "share");
    for (int ev = 0; ev < LSNN_TECH_N_EVENTS; ev++)
        fprintf(f, "  %-16s %14.1f %10.4g %12.4f %6.2f%%\n", lsnn_tech_event_names[ev],
                r->count[ev], r->pj_per_event[ev], r->pj[ev] / 1e3, share(r->pj[ev], r->total_pj));
    fprintf(f, "  %-16s %14s %10s %12.4f %6.2f%%\n", "dynamic", "", "", r->dynamic_pj / 1e3,
            share(r->dynamic_pj, r->total_pj));
    fprintf(f, "  %-16s %14s %10s %12.4f %6.2f%%   (%.4g W x %.4g us x %d cores)\n", "static", "",
            "", r->static_pj / 1e3, share(r->static_pj, r->total_pj), r->static_watts_per_core,
            r->latency_us, r->cores_used);
    fprintf(f, "  %-16s %14s %10s %12.4f\n", "total", "", "", r->total_pj / 1e3);
    fprintf(f, "latency: %.1f cycles = %.4g us at %.4g MHz (%s)\n", r->cycles, r->latency_us,
            r->clock_mhz,
            r->chip_cycles_given ? "chip cycles, barrier included"
                                 : "max over cores of totals: a lower bound");
    if (r->n_cores > 1) print_cores(f, r);
    print_links(f, r);
    print_barrier(f, r);
    fprintf(f,
            "NeuroBench-style per inference: synaptic ops %.1f, dense MACs %.1f, membrane "
            "updates %.1f, spikes %.1f, activation sparsity %.4f, ticks %.1f\n",
            r->syn_ops, r->dense_macs, r->membrane_updates, r->spikes, r->activation_sparsity,
            r->ticks);
}

/* The smallest table memory that holds `bytes`; past 1 MB, DRAM at the low end. */
static lsnn_tech_op weight_memory(double bytes)
{
    if (bytes <= 8 * 1024.0) return LSNN_OP_SRAM64_8KB;
    if (bytes <= 32 * 1024.0) return LSNN_OP_SRAM64_32KB;
    if (bytes <= 1024 * 1024.0) return LSNN_OP_SRAM64_1MB;
    return LSNN_OP_DRAM64_LOW;
}

/* One precision: every parameter read once per step, 64/bits of them per 64-bit word. */
static void price_lstm(const lsnn_tech_table *ops, const lsnn_lstm_energy *l, int bits,
                       lsnn_tech_op mac, lsnn_tech_op add, lsnn_tech_op mult, lsnn_lstm_variant *v)
{
    v->weight_bits = bits;
    v->param_bytes = l->params * bits / 8;
    v->mem = weight_memory(v->param_bytes);
    v->mem_reads = ceil(l->params / (64 / bits)) * l->steps;
    v->mac_pj = l->macs * ops->ops[mac].value;
    v->add_pj = l->adds * ops->ops[add].value;
    v->mult_pj = l->mults * ops->ops[mult].value;
    v->mem_pj = v->mem_reads * ops->ops[v->mem].value;
    v->total_pj = v->mac_pj + v->add_pj + v->mult_pj + v->mem_pj;
}

static int check_size(const char *name, int x, lsnn_error *e)
{
    if (x < 1 || x > (1 << 20))
        return lsnn_fail(e, "lstm: %s must be in 1..%d, got %d", name, 1 << 20, x);
    return 0;
}

int lsnn_lstm_energy_compute(const lsnn_tech_table *ops, int n_in, int hidden, int n_out, int steps,
                             lsnn_lstm_energy *out, lsnn_error *e)
{
    double h = hidden, x = n_in, y = n_out;
    return lsnn_lstm_energy_of_model(ops, n_in, hidden, n_out, steps,
                                     4 * h * (x + h + 1) + y * (h + 1), out, e);
}

int lsnn_lstm_energy_of_model(const lsnn_tech_table *ops, int n_in, int hidden, int n_out,
                              int steps, double params, lsnn_lstm_energy *out, lsnn_error *e)
{
    if (!ops) return lsnn_fail(e, "lstm: no technology table");
    if (ops->kind != LSNN_TECH_REFERENCE_OPS)
        return lsnn_fail(e,
                         "lstm: table '%s' is of kind neurocore; the LSTM line needs a "
                         "reference_ops table",
                         ops->name);
    if (check_size("n_in", n_in, e) || check_size("hidden", hidden, e) ||
        check_size("n_out", n_out, e) || check_size("steps", steps, e))
        return -1;
    if (!(params >= 1 && params <= 1e15))
        return lsnn_fail(e, "lstm: params must be in 1..1e15, got %g", params);
    static const lsnn_lstm_energy zero;
    lsnn_lstm_energy l = zero;
    double h = hidden, x = n_in, y = n_out, t = steps;
    snprintf(l.table, sizeof l.table, "%s", ops->name);
    l.n_in = n_in, l.hidden = hidden, l.n_out = n_out, l.steps = steps;
    l.params = params;
    l.macs = (4 * h * (x + h) + y * h) * t;
    l.adds = (4 * h + y + h) * t;
    l.mults = 3 * h * t;
    l.nonlinearities = 5 * h * t;
    price_lstm(ops, &l, 8, LSNN_OP_INT8_MAC, LSNN_OP_INT8_ADD, LSNN_OP_INT8_MULT, &l.int8);
    price_lstm(ops, &l, 32, LSNN_OP_FP32_MAC, LSNN_OP_FP32_ADD, LSNN_OP_FP32_MULT, &l.fp32);
    *out = l;
    return 0;
}

static void print_variant(FILE *f, const char *name, const lsnn_lstm_variant *v)
{
    fprintf(f, "  %-5s %12.4f %12.4f %12.4f %14.4f %14.4f   (%.0f bytes in %s, %.0f reads)\n", name,
            v->mac_pj / 1e3, v->add_pj / 1e3, v->mult_pj / 1e3, v->mem_pj / 1e3, v->total_pj / 1e3,
            v->param_bytes, lsnn_tech_op_names[v->mem], v->mem_reads);
}

void lsnn_lstm_print(FILE *f, const lsnn_lstm_energy *l)
{
    fprintf(f,
            "LSTM-%d line (table %s): %d in, %d out, %d steps; per inference %.0f MACs, %.0f "
            "adds, %.0f mults, %.0f nonlinearities (not priced), %.0f parameters\n",
            l->hidden, l->table, l->n_in, l->n_out, l->steps, l->macs, l->adds, l->mults,
            l->nonlinearities, l->params);
    fprintf(f, "  %-5s %12s %12s %12s %14s %14s   (nJ per inference)\n", "", "MAC", "add", "mult",
            "memory", "total");
    print_variant(f, "int8", &l->int8);
    print_variant(f, "fp32", &l->fp32);
}
