/* equal_terms_print.c - the equal-terms table of lsnn_equal_terms_print. */
#include "energy.h"

static void print_mem(FILE *f, const lsnn_sram_mem *m)
{
    char shape[48];
    if (m->instances > 1)
        snprintf(shape, sizeof shape, "%d x %llu x %d", m->instances, (unsigned long long)m->rows,
                 m->width);
    else
        snprintf(shape, sizeof shape, "%llu x %d", (unsigned long long)m->rows, m->width);
    fprintf(f, "  %-9s %-18s %6d %10.2f %9.4f %9.4f %10.5f\n", m->name, shape, m->banks,
            m->bank_bits / 8192.0, m->read_pj, m->write_pj, m->area_um2 * 1e-6);
}

static void row(FILE *f, const char *label, double lsnn, double lstm, const char *unit)
{
    fprintf(f, "  %-34s %14.4f %14.4f   %s\n", label, lsnn, lstm, unit);
}

static double ratio(double num, double den)
{
    return den > 0 ? num / den : 0;
}

void lsnn_equal_terms_print(FILE *f, const lsnn_equal_terms *q)
{
    const lsnn_et_line *a = &q->lsnn, *b = &q->lstm;
    fprintf(f,
            "equal terms: table %s (%s): one SRAM model, banks of at most %g KiB, %g pW "
            "leakage per powered bit, logic leakage %g uW per core, retention %g; real time: "
            "LSNN tick %g us, LSTM step %g us\n",
            q->table, q->technology, q->bank_max_kib, q->bit_leakage_pw, q->logic_leakage_w * 1e6,
            q->retention, q->tick_us, q->lstm_step_us);
    fprintf(f, "  %-9s %-18s %6s %10s %9s %9s %10s\n", "memory", "rows x bits", "banks", "bank KiB",
            "read pJ", "write pJ", "area mm2");
    for (int k = 0; k < LSNN_CM_N; k++)
        print_mem(f, &q->mem[k]);
    print_mem(f, &q->lstm_weights);
    print_mem(f, &q->lstm_state);
    fprintf(f, "  %-34s %14s %14s\n", "per inference", "LSNN", "LSTM-int8");
    row(f, "dynamic: SRAM accesses", a->memory_pj / 1e3, b->memory_pj / 1e3, "nJ");
    row(f, "dynamic: arithmetic", a->arith_pj / 1e3, b->arith_pj / 1e3, "nJ");
    row(f, "dynamic: NoC, barrier, host", a->other_pj / 1e3, b->other_pj / 1e3, "nJ");
    row(f, "dynamic", a->dynamic_pj / 1e3, b->dynamic_pj / 1e3, "nJ");
    row(f, "SRAM powered", a->st.sram_bits / 8192.0, b->st.sram_bits / 8192.0, "KiB");
    row(f, "SRAM area", a->st.area_mm2, b->st.area_mm2, "mm2");
    row(f, "leakage: SRAM", a->st.leak_sram_w * 1e6, b->st.leak_sram_w * 1e6, "uW");
    row(f, "leakage: logic", a->st.leak_logic_w * 1e6, b->st.leak_logic_w * 1e6, "uW");
    row(f, "busy time", a->st.busy_us, b->st.busy_us, "us");
    row(f, "real time (steps x tick)", a->st.realtime_us, b->st.realtime_us, "us");
    row(f, "static, busy time", a->st.busy_pj / 1e3, b->st.busy_pj / 1e3, "nJ");
    row(f, "static, real time", a->st.realtime_pj / 1e3, b->st.realtime_pj / 1e3, "nJ");
    row(f, "static, real time, power-gated", a->st.gated_pj / 1e3, b->st.gated_pj / 1e3, "nJ");
    row(f, "total, busy time", (a->dynamic_pj + a->st.busy_pj) / 1e3,
        (b->dynamic_pj + b->st.busy_pj) / 1e3, "nJ");
    row(f, "total, real time", (a->dynamic_pj + a->st.realtime_pj) / 1e3,
        (b->dynamic_pj + b->st.realtime_pj) / 1e3, "nJ");
    row(f, "total, real time, power-gated", (a->dynamic_pj + a->st.gated_pj) / 1e3,
        (b->dynamic_pj + b->st.gated_pj) / 1e3, "nJ");
    row(f, "busy cycles", a->cycles, b->cycles, "");
    char lat[64];
    snprintf(lat, sizeof lat, "latency at %g MHz", q->clock_mhz);
    row(f, lat, a->latency_us, b->latency_us, "us");
    snprintf(lat, sizeof lat, "latency at fmax %g MHz", q->fmax_mhz);
    row(f, lat, a->latency_fmax_us, b->latency_fmax_us, "us");
    for (int k = 0; k < 2; k++) {
        const lsnn_et_line *l = k ? b : a;
        if (!l->st.keeps_real_time)
            fprintf(f,
                    "  warning: the %s needs %.4g us per inference, more than its real time; "
                    "real time is taken as its busy time\n",
                    k ? "LSTM" : "LSNN", l->st.busy_us);
    }
    fprintf(f,
            "  LSNN SRAM as configured (every SYN bank powered, %d cores): %.1f KiB; static at "
            "real time %.4f nJ (the line above powers %.0f SYN banks, those holding synapses)\n",
            q->cores_used, q->config_bits / 8192.0, q->config_realtime_pj / 1e3,
            q->syn_banks_powered);
    fprintf(f,
            "  LSTM / LSNN energy: busy time %.2fx, real time %.2fx, real time power-gated "
            "%.2fx; dynamic alone %.2fx\n",
            ratio(b->dynamic_pj + b->st.busy_pj, a->dynamic_pj + a->st.busy_pj),
            ratio(b->dynamic_pj + b->st.realtime_pj, a->dynamic_pj + a->st.realtime_pj),
            ratio(b->dynamic_pj + b->st.gated_pj, a->dynamic_pj + a->st.gated_pj),
            ratio(b->dynamic_pj, a->dynamic_pj));
}
