/* equal_terms.c - the LSNN and the LSTM line priced with one table: one node, one SRAM model,
 * one static-power assumption (docs/energy.md, "Equal terms").
 *
 * The LSNN's memory events are re-priced with the SRAM model on the core's memories as the
 * hardware config sizes them; its arithmetic with the table's ops; NoC and host events keep
 * the table's figures. The LSTM's weights go into banks of the same largest size, its state
 * into one small SRAM, its arithmetic at the same ops. Static power is leakage per powered
 * SRAM bit plus a logic leakage per core for both, taken over busy time, over real time, and
 * over real time with power gating (retention of the memories at a fraction between ticks). */
#include "energy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

static const char *const mem_name[LSNN_CM_N] = {"PROFILE", "NCFG", "STATE", "ACC",  "AXT",
                                                "SYN",     "RIX",  "RTE",   "LATCH"};

int lsnn_core_memories(const lsnn_hw_config *hw, const lsnn_tech_sram *m,
                       lsnn_sram_mem out[LSNN_CM_N], lsnn_error *e)
{
    /* the image's memories by their §7 rows and widths; ACC and LATCH are not in the image */
    static const int img[LSNN_CM_N] = {
        LSNN_IMG_PROFILE, LSNN_IMG_NCFG, LSNN_IMG_STATE, -1, LSNN_IMG_AXT,
        LSNN_IMG_SYN,     LSNN_IMG_RIX,  LSNN_IMG_RTE,   -1};
    if (lsnn_hw_check(hw, e)) return -1;
    for (int k = 0; k < LSNN_CM_N; k++) {
        uint64_t rows;
        int width, inst = 1;
        if (k == LSNN_CM_ACC) { /* S banks of D N / S rows (§7) */
            inst = hw->synapses_per_word;
            rows = (uint64_t)hw->delay_slots * (uint64_t)hw->neurons / (uint64_t)inst;
            width = hw->acc_bits;
        } else if (k == LSNN_CM_LATCH) { /* two latches of X / 32 words */
            rows = 2 * (uint64_t)hw->axons / 32;
            width = 32;
        } else {
            rows = lsnn_image_rows(hw, img[k]);
            width = (int)lsnn_image_width(hw, img[k]);
            /* §7a: PROFILE is copied per neuron lane, NCFG and STATE are banked by lane */
            if (k == LSNN_CM_PROFILE) inst = hw->neuron_lanes;
            if (k == LSNN_CM_NCFG || k == LSNN_CM_STATE) {
                inst = hw->neuron_lanes;
                rows /= (uint64_t)inst;
            }
        }
        if (lsnn_sram_price(m, mem_name[k], rows, width, inst, &out[k], e)) return -1;
    }
    return 0;
}

/* One event's price with the SRAM model: the memory rows it reads and writes (§5.2, §11) and
 * its arithmetic at the table's node. -1: not a memory event (the table's figure stands). */
static int event_price(int ev, const lsnn_sram_mem *m, const lsnn_tech_entry *ops, double *mem_pj,
                       double *arith_pj)
{
    const lsnn_sram_mem *latch = &m[LSNN_CM_LATCH], *acc = &m[LSNN_CM_ACC];
    double add = ops[LSNN_OP_INT32_ADD].value, mul = ops[LSNN_OP_INT32_MULT].value;
    *arith_pj = 0;
    switch (ev) {
    case LSNN_TECH_EVENTS_IN: /* latch read-modify-write */
    case LSNN_TECH_SPIKES_LOCAL:
        *mem_pj = latch->read_pj + latch->write_pj;
        return 0;
    case LSNN_TECH_LATCH_READS:
        *mem_pj = latch->read_pj;
        return 0;
    case LSNN_TECH_SYN_EVENTS:
        *mem_pj = m[LSNN_CM_AXT].read_pj;
        return 0;
    case LSNN_TECH_SYN_WORD_READS:
        *mem_pj = m[LSNN_CM_SYN].read_pj;
        return 0;
    case LSNN_TECH_SYN_OPS: /* ACC read, add, write */
        *mem_pj = acc->read_pj + acc->write_pj;
        *arith_pj = add;
        return 0;
    case LSNN_TECH_NEURON_UPDATES: /* PROFILE[NCFG[n]] read; 2 leak multiplies and 6 adds */
        *mem_pj = m[LSNN_CM_NCFG].read_pj + m[LSNN_CM_PROFILE].read_pj;
        *arith_pj = 2 * mul + 6 * add;
        return 0;
    case LSNN_TECH_STATE_READS:
        *mem_pj = m[LSNN_CM_STATE].read_pj;
        return 0;
    case LSNN_TECH_STATE_WRITES:
        *mem_pj = m[LSNN_CM_STATE].write_pj;
        return 0;
    case LSNN_TECH_ACC_READS: /* read and clear */
        *mem_pj = acc->read_pj + acc->write_pj;
        return 0;
    case LSNN_TECH_ROUTE_LOOKUPS:
        *mem_pj = m[LSNN_CM_RIX].read_pj;
        return 0;
    case LSNN_TECH_ROUTE_READS:
        *mem_pj = m[LSNN_CM_RTE].read_pj;
        return 0;
    default:
        *mem_pj = 0;
        return -1;
    }
}

/* The three static figures from the powers and the times; W x us = 1e6 pJ. */
static void price_static(lsnn_et_static *s, double retention, double steps_us)
{
    double p = s->leak_sram_w + s->leak_logic_w;
    s->keeps_real_time = steps_us >= s->busy_us;
    s->realtime_us = s->keeps_real_time ? steps_us : s->busy_us;
    s->busy_pj = p * s->busy_us * 1e6;
    s->realtime_pj = p * s->realtime_us * 1e6;
    s->gated_pj = s->busy_pj + retention * s->leak_sram_w * (s->realtime_us - s->busy_us) * 1e6;
}

static void price_lsnn(const lsnn_energy_report *rep, const lsnn_tech_table *t,
                       const uint32_t *syn_words_used, lsnn_equal_terms *q)
{
    lsnn_et_line *l = &q->lsnn;
    const lsnn_sram_mem *syn = &q->mem[LSNN_CM_SYN];
    for (int ev = 0; ev < LSNN_TECH_N_EVENTS; ev++) {
        double mem, arith;
        int is_mem = event_price(ev, q->mem, t->ops, &mem, &arith) == 0;
        q->event_pj[ev] = is_mem ? mem + arith : t->events[ev].value;
        q->term_pj[ev] = rep->count[ev] * q->event_pj[ev];
        l->memory_pj += rep->count[ev] * mem;
        l->arith_pj += rep->count[ev] * arith;
        l->other_pj += is_mem ? 0 : q->term_pj[ev];
    }
    l->dynamic_pj = l->memory_pj + l->arith_pj + l->other_pj;
    double other_bits = 0, other_area = 0;
    for (int k = 0; k < LSNN_CM_N; k++)
        if (k != LSNN_CM_SYN) other_bits += q->mem[k].bits, other_area += q->mem[k].area_um2;
    q->cores_used = rep->cores_used;
    for (int c = 0; c < rep->n_cores; c++) {
        if (!rep->core_used[c]) continue;
        uint64_t banks = (uint64_t)syn->banks;
        if (syn_words_used) banks = (syn_words_used[c] + syn->bank_rows - 1) / syn->bank_rows;
        if (banks > (uint64_t)syn->banks) banks = (uint64_t)syn->banks;
        q->syn_banks_powered += (double)banks;
        l->st.sram_bits += other_bits + (double)banks * syn->bank_bits;
        l->st.area_mm2 +=
            (other_area + (double)banks * syn->bank_bits * t->sram.bit_area.value) * 1e-6;
        q->config_bits += other_bits + syn->bits;
    }
    l->st.leak_sram_w = l->st.sram_bits * q->bit_leakage_pw * 1e-12;
    l->st.leak_logic_w = q->logic_leakage_w * q->cores_used;
    l->cycles = rep->cycles;
    l->latency_us = rep->latency_us;
    l->latency_fmax_us = rep->cycles / q->fmax_mhz;
    l->st.busy_us = rep->latency_us;
    q->ticks = rep->ticks;
    price_static(&l->st, q->retention, rep->ticks * q->tick_us);
    double config_w = q->config_bits * q->bit_leakage_pw * 1e-12 + l->st.leak_logic_w;
    q->config_realtime_pj = config_w * l->st.realtime_us * 1e6;
}

/* The LSTM (int8): its weights read once per step, one 64-bit word per cycle from banks of at
 * most bank_max; h and c (32 bits each) read and written once per step per unit. */
static int price_lstm(const lsnn_lstm_energy *x, const lsnn_tech_table *t, lsnn_equal_terms *q,
                      lsnn_error *e)
{
    lsnn_et_line *l = &q->lstm;
    uint64_t words = (uint64_t)ceil(x->params / 8.0); /* 8 int8 parameters per 64-bit word */
    if (lsnn_sram_price(&t->sram, "LSTM W", words, 64, 1, &q->lstm_weights, e) ||
        lsnn_sram_price(&t->sram, "LSTM h,c", (uint64_t)x->hidden, 64, 1, &q->lstm_state, e))
        return -1;
    const lsnn_tech_entry *ops = t->ops;
    double steps = x->steps, h = x->hidden;
    q->hidden = x->hidden;
    q->steps = x->steps;
    q->params = x->params;
    l->memory_pj = steps * ((double)words * q->lstm_weights.read_pj +
                            h * (q->lstm_state.read_pj + q->lstm_state.write_pj));
    l->arith_pj = x->macs * ops[LSNN_OP_INT8_MAC].value + x->adds * ops[LSNN_OP_INT8_ADD].value +
                  x->mults * ops[LSNN_OP_INT8_MULT].value;
    l->dynamic_pj = l->memory_pj + l->arith_pj;
    l->cycles = steps * (double)words;
    l->latency_us = l->cycles / q->clock_mhz;
    l->latency_fmax_us = l->cycles / q->fmax_mhz;
    l->st.sram_bits = q->lstm_weights.bits + q->lstm_state.bits;
    l->st.area_mm2 = (q->lstm_weights.area_um2 + q->lstm_state.area_um2) * 1e-6;
    l->st.leak_sram_w = l->st.sram_bits * q->bit_leakage_pw * 1e-12;
    l->st.leak_logic_w = q->logic_leakage_w;
    l->st.busy_us = l->latency_us;
    price_static(&l->st, q->retention, steps * q->lstm_step_us);
    return 0;
}

int lsnn_equal_terms_compute(const lsnn_energy_report *rep, const lsnn_hw_config *hw,
                             const lsnn_tech_table *t, const uint32_t *syn_words_used,
                             const lsnn_lstm_energy *lstm, double tick_us, double lstm_step_us,
                             double fmax_mhz, lsnn_equal_terms *out, lsnn_error *e)
{
    if (!rep || !hw || !t || !lstm) return lsnn_fail(e, "equal terms: a missing argument");
    if (t->kind != LSNN_TECH_NEUROCORE || !t->has_equal_terms)
        return lsnn_fail(e,
                         "equal terms: table '%s' has no sram, logic_leakage and ops sections "
                         "(docs/tech-tables.md): it cannot price both lines on one node",
                         t->name);
    if (strcmp(rep->table, t->name) != 0)
        return lsnn_fail(e, "equal terms: the run was priced with table '%s', not '%s'", rep->table,
                         t->name);
    if (!(tick_us > 0) || !(lstm_step_us > 0) || !(fmax_mhz > 0) || !(rep->clock_mhz > 0))
        return lsnn_fail(e,
                         "equal terms: tick period (%g us), LSTM step period (%g us), fmax (%g "
                         "MHz) and clock (%g MHz) must be > 0",
                         tick_us, lstm_step_us, fmax_mhz, rep->clock_mhz);
    lsnn_equal_terms *q = calloc(1, sizeof *q);
    if (!q) return lsnn_fail(e, "equal terms: out of memory");
    snprintf(q->table, sizeof q->table, "%s", t->name);
    snprintf(q->technology, sizeof q->technology, "%s", t->technology);
    q->clock_mhz = rep->clock_mhz;
    q->fmax_mhz = fmax_mhz;
    q->tick_us = tick_us;
    q->lstm_step_us = lstm_step_us;
    q->retention = t->sram.retention.value;
    q->bit_leakage_pw = t->sram.bit_leakage.value;
    q->logic_leakage_w = t->logic_leakage.value;
    q->bank_max_kib = t->sram.bank_max.value;
    int rc = lsnn_core_memories(hw, &t->sram, q->mem, e);
    if (rc == 0) price_lsnn(rep, t, syn_words_used, q);
    if (rc == 0) rc = price_lstm(lstm, t, q, e);
    if (rc == 0) *out = *q;
    free(q);
    return rc;
}
