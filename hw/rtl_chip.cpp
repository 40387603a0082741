// rtl_chip.cpp - the Verilator harness of the chip (rtl/nc_chip.v): rtl_chip.h.
//
// One verilated model per chip of hw/chips.txt (LSNN_RTL_CHIP_MODELS in rtl_models.h, written by
// hw/CMakeLists.txt) plus the router mutant (LSNN_RTL_CHIP_MUTANTS). A template (ChipSim<T>)
// drives any of them behind the Chip interface. The clock as in rtl_core.cpp: inputs change
// while clk is low; lo() sets the cycle's link-stall mask, evaluates clk = 0 and samples what
// transfers at the rising edge (host-out words: the host is always ready; NoC-out words entering
// the L FIFOs; whether a flit moves); hi() evaluates the rising edge. One lo()/hi() pair is one
// cycle. Cells are named by their core id 16*y + x; the model's arrays index them y*MX + x.
// The ASan build has no chip model: the lists are empty and every entry point says so.
extern "C" {
#include "error.h"
#include "hwconfig.h"
#include "image.h"
#include "mesh.h" // the ports, XY routing and the link-stall pattern, shared with the reference
#include "ref_core.h"
}
#include "rtl_chip.h"

#include <verilated.h>
#include <verilated_vcd_c.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "rtl_models.h"
#include "rtl_vcd.h"

namespace {

#define LSNN_RTL_REG(row, NAME) REG_##NAME = row,
enum { LSNN_REGISTERS(LSNN_RTL_REG) };
#undef LSNN_RTL_REG

enum { REGION_ACC = LSNN_REGION_ACC, REGION_LATCH = LSNN_REGION_LATCH }; // neurocore.def

uint32_t addr_of(uint32_t region, uint32_t row, uint32_t chunk)
{
    return LSNN_PORT_ADDR(region, row, chunk);
}

// Word i (32 bits) and single bits of a Verilator value of any width.
template <std::size_t Wd>
uint32_t word_of(const VlWide<Wd> &w, int i)
{
    return w[i];
}
template <class I>
uint32_t word_of(const I &v, int i)
{
    return i < 2 ? (uint32_t)((uint64_t)v >> (32 * i)) : 0;
}
template <class T>
int bit_of(const T &v, int b)
{
    return (int)((word_of(v, b / 32) >> (b % 32)) & 1u);
}
template <class T>
uint64_t bits_of(const T &v, int lo, int n) // n <= 64
{
    uint64_t r = 0;
    for (int i = 0; i < n; i++)
        r |= (uint64_t)bit_of(v, lo + i) << i;
    return r;
}
template <std::size_t Wd>
void set_bit(VlWide<Wd> &w, int b, int x)
{
    if (x)
        w[b / 32] |= 1u << (b % 32);
    else
        w[b / 32] &= ~(1u << (b % 32));
}
template <class I>
void set_bit(I &v, int b, int x)
{
    if (x)
        v = (I)(v | ((I)1 << b));
    else
        v = (I)(v & ~((I)1 << b));
}

const char *const port_names[LSNN_PORTS] = {"L", "E", "W", "N", "S"};

struct Chip {
    int mx, my, bmax;        // the model's largest mesh and FIFO
    int ax = 1, ay = 1, b = 1; // the active mesh and B
    std::vector<std::vector<uint32_t>> words; // per cell index y*mx + x: outputs of the command
    std::vector<std::vector<int>> ports;
    uint64_t cycles = 0;
    int stall_on = 0;
    uint64_t stall_seed = 0;
    unsigned stall_permille = 0;
    int moved = 0, buffered = 0; // sampled in lo(): a flit moves / flits are buffered
    VcdGate gate;                // which cycles go into the VCD
    std::string vcd_err;         // why the VCD cannot be written ("" if it can)

    virtual ~Chip() {}
    virtual void lo() = 0;
    virtual void hi() = 0;
    virtual void set_host(int valid, uint32_t cell, uint32_t data) = 0;
    virtual int host_ready() = 0;
    virtual void set_prog(uint32_t cell, int we, int re, uint32_t addr, uint32_t wdata) = 0;
    virtual int prog_ready(uint32_t *rdata) = 0;
    virtual void set_rm(int en, uint32_t cell, int region, const std::string &file) = 0;
    virtual void set_cnt_clr(int on) = 0;
    virtual int idle() = 0;
    virtual void chip_counters(uint64_t out[LSNN_CHIP_NCOUNTERS]) = 0;
    virtual void state(uint32_t cell, uint32_t n, lsnn_ref_state *out) = 0;
    virtual void counters(uint32_t cell, uint64_t out[LSNN_REF_NCOUNTERS]) = 0;
    virtual void links(uint32_t cell, uint64_t flits[5], uint64_t stalls[5]) = 0;
    virtual void fifos(uint32_t cell, int cnt[5], uint32_t head[5]) = 0;
    virtual int core_busy(uint32_t cell) = 0;
    virtual int stalled(uint32_t cell, int port) = 0; // this cycle's mask bit

    int index(uint32_t id) const { return (int)(id >> 4) * mx + (int)(id & 15u); }
    int active(uint32_t id) const { return id < 256 && (int)(id & 15u) < ax && (int)(id >> 4) < ay; }
};

template <class T, bool TRACE>
struct ChipSim : Chip {
    std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    std::unique_ptr<T> top;
    VerilatedVcdC *tfp = nullptr;
    int V, G, Q, U, BW;
    uint64_t mask_cycle = ~0ull; // the chip_cycles value the stall mask was drawn for

    ChipSim(const lsnn_hw_config *c, int mx_, int my_, int bmax_, const char *vcd,
            const lsnn_rtl_vcd *lim)
        : V(c->v_bits), G(c->a_frac_bits), Q(c->ref_bits), U(c->acc_bits)
    {
        mx = mx_, my = my_, bmax = bmax_;
        ax = c->mesh_x, ay = c->mesh_y, b = c->noc_buffer;
        BW = 0;
        while ((1 << BW) < bmax + 1)
            BW++;
        // random registers and memories (the model is verilated with --x-initial unique)
        const char *rr = getenv("LSNN_RTL_RAND_RESET");
        if (rr && *rr) {
            ctx->randReset(atoi(rr));
            const char *seed = getenv("LSNN_RTL_RAND_SEED");
            ctx->randSeed(seed && *seed ? atoi(seed) : 1);
        }
        Verilated::threadContextp(ctx.get());
        if (TRACE && vcd) ctx->traceEverOn(true);
        top.reset(new T{ctx.get(), "TOP"});
        if constexpr (TRACE) {
            if (vcd) tfp = vcd_open(top.get(), vcd, lim ? lim->scope : nullptr, vcd_err);
        }
        if (lim) gate.set(lim->tick_from, lim->tick_to);
        words.assign((size_t)mx * my, {});
        ports.assign((size_t)mx * my, {});
        // every input (a random start randomises them too)
        set_host(0, 0, 0);
        set_prog(0, 0, 0, 0, 0);
        set_rm(0, 0, 0, "");
        set_cnt_clr(0);
        top->i_dbg_cell = 0;
        top->i_dbg_n = 0;
        for (int i = 0; i < 5 * mx * my; i++)
            set_bit(top->i_link_stall, i, 0);
        top->i_mesh_x = ax;
        top->i_mesh_y = ay;
        top->i_b = b;
        for (int i = 0; i < mx * my; i++)
            set_bit(top->i_hout_ready, i, 1);
        top->i_rst = 1;
        for (int i = 0; i < 4; i++) {
            lo();
            hi();
        }
        top->i_rst = 0;
        cycles = 0;
    }
    ~ChipSim() override
    {
        top->final();
        if constexpr (TRACE) {
            if (tfp) {
                tfp->close();
                delete tfp;
            }
        }
    }
    void dump()
    {
        if constexpr (TRACE) {
            if (tfp && gate.on()) tfp->dump(ctx->time());
        }
    }
    void draw_stalls()
    {
        uint64_t cyc = top->o_chip_cycles;
        if (cyc == mask_cycle) return;
        mask_cycle = cyc;
        for (int y = 0; y < ay; y++)
            for (int x = 0; x < ax; x++) {
                unsigned id = lsnn_hw_core_id(x, y);
                for (int o = 0; o < LSNN_PORTS; o++)
                    set_bit(top->i_link_stall, 5 * (y * mx + x) + o,
                            lsnn_link_stalled(stall_seed, stall_permille, cyc, id, (unsigned)o));
            }
    }
    void lo() override
    {
        top->i_clk = 0;
        if (stall_on)
            draw_stalls();
        else if (mask_cycle != ~0ull) { // stalls just switched off
            for (int i = 0; i < 5 * mx * my; i++)
                set_bit(top->i_link_stall, i, 0);
            mask_cycle = ~0ull;
        }
        top->eval();
        dump();
        ctx->timeInc(1);
        moved = top->o_noc_move;
        buffered = top->o_noc_busy;
        for (int k = 0; k * 32 < mx * my; k++) {
            uint32_t h = word_of(top->o_hout_valid, k), n = word_of(top->o_inj_valid, k);
            if (!h && !n) continue;
            for (int j = 0; j < 32 && 32 * k + j < mx * my; j++) {
                int i = 32 * k + j;
                if ((h >> j) & 1) {
                    words[i].push_back(word_of(top->o_hout_data, i));
                    ports[i].push_back(LSNN_REF_PORT_HOST);
                }
                if ((n >> j) & 1) {
                    words[i].push_back(word_of(top->o_inj_data, i));
                    ports[i].push_back(LSNN_REF_PORT_NOC);
                }
            }
        }
    }
    void hi() override
    {
        top->i_clk = 1;
        top->eval();
        dump();
        ctx->timeInc(1);
        cycles++;
    }
    void set_host(int valid, uint32_t cell, uint32_t data) override
    {
        top->i_host_valid = valid;
        top->i_host_cell = cell;
        top->i_host_data = data;
    }
    int host_ready() override { return top->o_host_ready; }
    void set_prog(uint32_t cell, int we, int re, uint32_t addr, uint32_t wdata) override
    {
        top->i_prog_cell = cell;
        top->i_prog_we = we;
        top->i_prog_re = re;
        top->i_prog_addr = addr;
        top->i_prog_wdata = wdata;
    }
    int prog_ready(uint32_t *rdata) override
    {
        *rdata = top->o_prog_rdata;
        return top->o_prog_ready;
    }
    void set_rm(int en, uint32_t cell, int region, const std::string &file) override
    {
        top->i_rm_en = en;
        top->i_rm_cell = cell;
        top->i_rm_region = region;
        const int nw = (int)(sizeof top->i_rm_file / sizeof top->i_rm_file[0]);
        for (int i = 0; i < nw; i++)
            top->i_rm_file[i] = 0;
        size_t n = file.size();
        for (size_t i = 0; i < n && i < (size_t)nw * 4; i++) // the last character in [7:0]
            top->i_rm_file[i / 4] |= (uint32_t)(uint8_t)file[n - 1 - i] << (8 * (i % 4));
    }
    void set_cnt_clr(int on) override { top->i_cnt_clr = on; }
    int idle() override { return top->o_idle; }
    void chip_counters(uint64_t out[LSNN_CHIP_NCOUNTERS]) override
    {
        out[LSNN_CHIP_TICKS] = top->o_chip_ticks;
        out[LSNN_CHIP_CLEARS] = top->o_chip_clears;
        out[LSNN_CHIP_CYCLES] = top->o_chip_cycles;
        out[LSNN_CHIP_BARRIER_CYCLES] = top->o_barrier_cycles;
    }
    // the backdoor mux: no clock edge, so evaluating changes no state
    void select(uint32_t cell)
    {
        top->i_dbg_cell = cell;
        top->eval();
    }
    void state(uint32_t cell, uint32_t n, lsnn_ref_state *out) override
    {
        top->i_dbg_n = n;
        select(cell);
        int lsb = 0; // the STATE row of §7, fields from bit 0 up (neurocore.def)
#define LSNN_RTL_FIELD(field, width, sign)                                                         \
    {                                                                                              \
        int w = (width);                                                                           \
        uint64_t x = bits_of(top->o_dbg_state, lsb, w);                                            \
        if ((sign) && w < 64 && (x >> (w - 1)) & 1) x |= ~0ull << w;                               \
        out->field = (decltype(out->field))x;                                                      \
        lsb += w;                                                                                  \
    }
        enum { UNSIGNED, SIGNED };
        LSNN_ROW_STATE(LSNN_RTL_FIELD)
#undef LSNN_RTL_FIELD
    }
    void counters(uint32_t cell, uint64_t out[LSNN_REF_NCOUNTERS]) override
    {
        select(cell);
        for (int i = 0; i < LSNN_REF_NCOUNTERS; i++)
            out[i] = (uint64_t)word_of(top->o_counters, 2 * i) |
                     (uint64_t)word_of(top->o_counters, 2 * i + 1) << 32;
    }
    void links(uint32_t cell, uint64_t flits[5], uint64_t stalls[5]) override
    {
        select(cell);
        for (int o = 0; o < 5; o++) {
            if (flits)
                flits[o] = (uint64_t)word_of(top->o_link_flits, 2 * o) |
                           (uint64_t)word_of(top->o_link_flits, 2 * o + 1) << 32;
            if (stalls)
                stalls[o] = (uint64_t)word_of(top->o_link_stalls, 2 * o) |
                            (uint64_t)word_of(top->o_link_stalls, 2 * o + 1) << 32;
        }
    }
    void fifos(uint32_t cell, int cnt[5], uint32_t head[5]) override
    {
        select(cell);
        for (int p = 0; p < 5; p++) {
            cnt[p] = (int)bits_of(top->o_fifo_cnt, BW * p, BW);
            head[p] = word_of(top->o_fifo_head, p);
        }
    }
    int core_busy(uint32_t cell) override { return bit_of(top->o_busy, index(cell)); }
    int stalled(uint32_t cell, int port) override
    {
        return bit_of(top->i_link_stall, 5 * index(cell) + port);
    }
};

struct ChipModel {
    const char *name;
    int trace, mx, my, bmax;
    int cfg[LSNN_HW_NPARAMS];
    Chip *(*make)(const lsnn_hw_config *, const char *vcd, const lsnn_rtl_vcd *lim);
};

#define LSNN_RTL_CHIP_MAKE(name, tr, MX, MY, BMAX, N, X, M, S, D, P, R, W, V, U, G, Q, K, FI, FO, NL) \
    Chip *make_##name(const lsnn_hw_config *c, const char *vcd, const lsnn_rtl_vcd *lim)        \
    {                                                                                           \
        return new ChipSim<Vnc_##name, tr>(c, MX, MY, BMAX, vcd, lim);                          \
    }
#define LSNN_RTL_CHIP_ENTRY(name, tr, MX, MY, BMAX, N, X, M, S, D, P, R, W, V, U, G, Q, K, FI, FO, NL) \
    {#name, tr, MX, MY, BMAX, {N, X, M, S, D, P, R, W, V, U, G, Q, K, FI, FO, NL}, make_##name},
LSNN_RTL_CHIP_MODELS(LSNN_RTL_CHIP_MAKE)
LSNN_RTL_CHIP_MUTANTS(LSNN_RTL_CHIP_MAKE)
// each list ends with a null entry (the ASan build has no chip: the lists are only that)
const ChipModel chip_models[] = {LSNN_RTL_CHIP_MODELS(LSNN_RTL_CHIP_ENTRY){nullptr, 0, 0, 0, 0, {0}, nullptr}};
const ChipModel chip_mutants[] = {LSNN_RTL_CHIP_MUTANTS(LSNN_RTL_CHIP_ENTRY){nullptr, 0, 0, 0, 0, {0}, nullptr}};

// LSNN_RTL_MUTANT=wrong_turn: the router mutant only (hw/CMakeLists.txt)
const ChipModel *model_list()
{
    const char *mut = getenv("LSNN_RTL_MUTANT");
    return mut && !strcmp(mut, "wrong_turn") ? chip_mutants : chip_models;
}

const ChipModel *find_model(const lsnn_hw_config *c)
{
    int k[LSNN_HW_NPARAMS];
    for (int i = 0; i < LSNN_HW_NPARAMS; i++)
        k[i] = lsnn_hw_param_value(c, i);
    const ChipModel *best = nullptr;
    for (const ChipModel *m = model_list(); m->name; m++)
        if (!memcmp(k, m->cfg, sizeof k) && c->mesh_x >= 1 && c->mesh_x <= m->mx &&
            c->mesh_y >= 1 && c->mesh_y <= m->my && c->noc_buffer >= 1 &&
            c->noc_buffer <= m->bmax && (!best || m->mx * m->my < best->mx * best->my))
            best = m;
    return best;
}

#define LSNN_RTL_STEM(NAME, stem, region, rows, LIST) #stem,
const char *const mem_files[LSNN_IMG_NMEM] = {LSNN_MEMORIES(LSNN_RTL_STEM)};
#undef LSNN_RTL_STEM

} // namespace

struct lsnn_rtl_chip {
    lsnn_hw_config cfg;
    const ChipModel *model;
    std::string vcd_path, vcd_tmp;
    Chip *chip;
    std::string zero_dir;          // the all-zero $readmemh files (zero_file)
    int zero_files[LSNN_IMG_NMEM];
};

namespace {

std::string cell_str(uint32_t id)
{
    return "(" + std::to_string(id & 15u) + ", " + std::to_string(id >> 4) + ")";
}

// The stuck links: every buffered input FIFO of the active mesh, its head flit, the output
// it requests and why that output is not ready; at most `most` of them.
std::string stuck_links(lsnn_rtl_chip *c, int most)
{
    Chip *h = c->chip;
    std::string s;
    int n = 0, more = 0;
    for (int y = 0; y < h->ay; y++)
        for (int x = 0; x < h->ax; x++) {
            uint32_t id = lsnn_hw_core_id(x, y);
            int cnt[5];
            uint32_t head[5];
            h->fifos(id, cnt, head);
            for (int p = 0; p < 5; p++) {
                if (!cnt[p]) continue;
                if (n == most) {
                    more++;
                    continue;
                }
                int dx = (int)((head[p] >> 16) & 15u), dy = (int)((head[p] >> 20) & 15u);
                int o = lsnn_mesh_route(head[p] >> 16, x, y);
                int nx = x + (o == LSNN_PORT_E) - (o == LSNN_PORT_W);
                int ny = y + (o == LSNN_PORT_S) - (o == LSNN_PORT_N);
                std::string why;
                if (h->stalled(id, o))
                    why = "stalled by the link-stall pattern";
                else if (o == LSNN_PORT_L)
                    why = "the core's AER-in FIFO is full";
                else if (nx < 0 || ny < 0 || nx >= h->ax || ny >= h->ay)
                    why = "cell " + cell_str(lsnn_hw_core_id(nx < 0 ? 15 : nx, ny < 0 ? 15 : ny)) +
                          " is outside the active mesh [" + std::to_string(h->ax) + ", " +
                          std::to_string(h->ay) + "]";
                else {
                    int ncnt[5];
                    uint32_t nhead[5];
                    static const int opposite[5] = {0, 2, 1, 4, 3};
                    h->fifos(lsnn_hw_core_id(nx, ny), ncnt, nhead);
                    why = "the downstream FIFO " + cell_str(lsnn_hw_core_id(nx, ny)) + " input " +
                          port_names[opposite[o]] + " holds " + std::to_string(ncnt[opposite[o]]) +
                          " of B = " + std::to_string(h->b) + " flits";
                }
                char buf[512];
                snprintf(buf, sizeof buf,
                         "%srouter %s input %s (%d flit%s): head flit dst (%d, %d) axon %u "
                         "requests output %s, not ready: %s",
                         n ? "; " : "", cell_str(id).c_str(), port_names[p], cnt[p],
                         cnt[p] == 1 ? "" : "s", dx, dy, head[p] & 0xFFFFu, port_names[o],
                         why.c_str());
                s += buf;
                n++;
            }
        }
    if (more) s += "; and " + std::to_string(more) + " more";
    return n ? s : "no flit buffered";
}

std::string busy_cores(lsnn_rtl_chip *c)
{
    Chip *h = c->chip;
    std::string s;
    for (int y = 0; y < h->ay; y++)
        for (int x = 0; x < h->ax; x++)
            if (h->core_busy(lsnn_hw_core_id(x, y)))
                s += (s.empty() ? "" : ", ") + cell_str(lsnn_hw_core_id(x, y));
    return s.empty() ? "none" : s;
}

// Cycles a command may take: the longest legal core tick (every axon with a full-memory
// segment, 15 routes per neuron) plus every flit the cores can send crossing the mesh, with
// the slow-down of link stalls; a watchdog catches a network that stops much earlier.
uint64_t command_bound(const lsnn_rtl_chip *c)
{
    const lsnn_hw_config *g = &c->cfg;
    uint64_t core = 1000 + (uint64_t)g->fifo_in + g->axons / 32 + (uint64_t)g->axons +
                    (uint64_t)g->axons * g->synapse_words + 17ull * g->neurons +
                    (uint64_t)g->delay_slots * g->neurons;
    uint64_t cells = (uint64_t)g->mesh_x * g->mesh_y;
    uint64_t flits = cells * 15ull * g->neurons;
    uint64_t net = flits * (2ull * (g->mesh_x + g->mesh_y) + 4);
    uint64_t slow = 1;
    if (c->chip->stall_on && c->chip->stall_permille < 1000)
        slow = 4 * (1000 / (1000 - c->chip->stall_permille) + 1);
    return core + 64 + net * slow;
}

// Cycles without a moving flit while flits are buffered that legal operation can produce: a
// core pops nothing while its routing phase delivers local spikes (up to 15 per neuron), so
// ejections into it wait that long, plus link stalls.
uint64_t watchdog_bound(const lsnn_rtl_chip *c)
{
    uint64_t w = 16ull * c->cfg.neurons + 4096;
    if (c->chip->stall_on && c->chip->stall_permille < 1000)
        w *= 4 * (1000 / (1000 - c->chip->stall_permille) + 1);
    return w;
}

int port(lsnn_rtl_chip *c, uint32_t id, int we, uint32_t addr, uint32_t data, uint32_t *rd,
         lsnn_error *e)
{
    Chip *h = c->chip;
    if (!h->active(id))
        return lsnn_fail(e, "RTL chip: core %u %s is not a cell of the active mesh [%d, %d]", id,
                         cell_str(id).c_str(), h->ax, h->ay);
    h->set_prog(id, we, !we, addr, data);
    for (int i = 0; i < 1000; i++) {
        h->lo();
        uint32_t v;
        int ready = h->prog_ready(&v);
        h->hi();
        if (ready) {
            h->set_prog(0, 0, 0, 0, 0);
            if (rd) *rd = v;
            return 0;
        }
    }
    h->set_prog(0, 0, 0, 0, 0);
    return lsnn_fail(e, "RTL chip: programming bus: core %u %s does not answer the %s of address "
                        "0x%08x (is the chip idle?)",
                     id, cell_str(id).c_str(), we ? "write" : "read", addr);
}

// write and read back (a register or one chunk of a row)
int put(lsnn_rtl_chip *c, uint32_t id, uint32_t addr, uint32_t v, const char *what, uint32_t row,
        lsnn_error *e)
{
    uint32_t r;
    if (port(c, id, 1, addr, v, nullptr, e) || port(c, id, 0, addr, 0, &r, e)) return -1;
    if (r != v)
        return lsnn_fail(e, "RTL chip: core %u: %s row %u chunk %u reads back 0x%08x, wrote 0x%08x",
                         id, what, row, addr & 7u, r, v);
    return 0;
}

int command(lsnn_rtl_chip *c, uint32_t word, const char *what, uint64_t *cycles, lsnn_error *e)
{
    Chip *h = c->chip;
    for (auto &w : h->words)
        w.clear();
    for (auto &p : h->ports)
        p.clear();
    uint64_t k0[LSNN_CHIP_NCOUNTERS], k1[LSNN_CHIP_NCOUNTERS];
    h->chip_counters(k0);
    // accepted when every AER-in is empty: an idle chip drains them one word a cycle
    h->set_host(1, 0, word);
    uint64_t wait = 0, limit = (uint64_t)c->cfg.fifo_in + 1000;
    for (;; wait++) {
        if (wait == limit) {
            h->set_host(0, 0, 0);
            return lsnn_fail(e, "RTL chip: %s not accepted within %llu cycles (an AER-in FIFO "
                                "does not drain, or the chip is not idle)",
                             what, (unsigned long long)limit);
        }
        h->lo();
        int ready = h->host_ready();
        h->hi();
        if (ready) break;
    }
    h->set_host(0, 0, 0);
    uint64_t bound = command_bound(c), dog = watchdog_bound(c), still = 0;
    for (uint64_t i = 0; !h->idle(); i++) {
        if (i == bound)
            return lsnn_fail(e, "RTL chip: %s did not finish within %llu cycles (a hang): busy "
                                "cores %s; %s",
                             what, (unsigned long long)bound, busy_cores(c).c_str(),
                             stuck_links(c, 8).c_str());
        h->lo();
        h->hi();
        still = h->buffered && !h->moved ? still + 1 : 0;
        if (still == dog)
            return lsnn_fail(e, "RTL chip: %s: no flit moved for %llu cycles while flits are "
                                "buffered (a deadlock, or a flit that cannot leave): %s",
                             what, (unsigned long long)dog, stuck_links(c, 8).c_str());
    }
    h->chip_counters(k1);
    if (cycles) *cycles = k1[LSNN_CHIP_CYCLES] - k0[LSNN_CHIP_CYCLES];
    return 0;
}

// An all-zero $readmemh file of `rows` rows for memory m (empty cells in the $readmemh load),
// written once into a private temporary directory that lsnn_rtl_chip_free removes.
int zero_file(lsnn_rtl_chip *c, int m, uint32_t rows, std::string *path, lsnn_error *e)
{
    if (c->zero_dir.empty()) {
        const char *t = getenv("TMPDIR");
        std::string tmpl = std::string(t && *t ? t : "/tmp") + "/lsnn_rtl_chip.XXXXXX";
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back(0);
        if (!mkdtemp(buf.data()))
            return lsnn_fail(e, "RTL chip: cannot create a temporary directory %s", tmpl.c_str());
        c->zero_dir = buf.data();
    }
    *path = c->zero_dir + "/zero_" + mem_files[m] + ".hex";
    if (!c->zero_files[m]) {
        FILE *f = fopen(path->c_str(), "w");
        if (!f) return lsnn_fail(e, "RTL chip: cannot write %s", path->c_str());
        for (uint32_t r = 0; r < rows; r++)
            fputs("0\n", f);
        if (fclose(f)) return lsnn_fail(e, "RTL chip: cannot write %s", path->c_str());
        c->zero_files[m] = 1;
    }
    return 0;
}

const lsnn_image_core *image_core(const lsnn_image *img, uint32_t id)
{
    for (int i = 0; i < img->ncores; i++)
        if (img->cores[i].core_id == id) return &img->cores[i];
    return nullptr;
}

// Both loaders: check, CLEAR, then per cell the registers, the memories (through the bus, or
// $readmemh for an image core when dir is non-NULL) and the read-backs of ACC and LATCH.
int load(lsnn_rtl_chip *c, const lsnn_image *img, const char *dir, lsnn_error *e)
{
    Chip *h = c->chip;
    const lsnn_hw_config *g = &c->cfg;
    if (!lsnn_hw_same_core(&img->cfg, g))
        return lsnn_fail(e, "RTL chip: the image's core ('%s') differs from the chip's ('%s')",
                         img->cfg.name, g->name);
    for (int i = 0; i < img->ncores; i++)
        if (!h->active(img->cores[i].core_id))
            return lsnn_fail(e, "RTL chip: image core %d has core id %u %s, not a cell of the "
                                "chip's active mesh [%d, %d]",
                             i, img->cores[i].core_id, cell_str(img->cores[i].core_id).c_str(),
                             h->ax, h->ay);
    std::string cwd;
    if (dir && dir[0] != '/') {
        char buf[2048];
        if (!getcwd(buf, sizeof buf))
            return lsnn_fail(e, "RTL chip: $readmemh: cannot resolve the relative directory %s",
                             dir);
        cwd = std::string(buf) + "/";
    }
    // ACC and both latches (and STATE, written again below) to zero on every core
    if (command(c, 0x80000000u, "CLEAR (load)", nullptr, e)) return -1;
    for (int y = 0; y < h->ay; y++)
        for (int x = 0; x < h->ax; x++) {
            uint32_t id = lsnn_hw_core_id(x, y);
            const lsnn_image_core *ic = image_core(img, id);
            const uint32_t regs[3][2] = {
                {REG_CORE_ID, id}, {REG_NU, ic ? ic->nu : 0}, {REG_XU, ic ? ic->xu : 0}};
            for (int k = 0; k < 3; k++)
                if (put(c, id, addr_of(0, regs[k][0], 0), regs[k][1], "register", regs[k][0], e))
                    return -1;
            for (int m = 0; m < LSNN_IMG_NMEM; m++) {
                uint32_t region = lsnn_image_mem_id(m), rows = lsnn_image_rows(g, m);
                uint32_t width = lsnn_image_width(g, m), rb = lsnn_image_row_bytes(g, m);
                if (dir) { // the image's file, or the all-zero file for an empty cell
                    std::string path;
                    if (ic) {
                        char name[64];
                        snprintf(name, sizeof name, "/core%03u_%s.hex", id, mem_files[m]);
                        path = cwd + dir + name;
                    } else if (zero_file(c, m, rows, &path, e))
                        return -1;
                    FILE *f = fopen(path.c_str(), "r");
                    if (!f)
                        return lsnn_fail(e, "RTL chip: $readmemh file %s: cannot open",
                                         path.c_str());
                    fclose(f);
                    if (path.size() > 256)
                        return lsnn_fail(e, "RTL chip: $readmemh path %s longer than 256 "
                                            "characters",
                                         path.c_str());
                    h->set_rm(1, id, (int)region, path);
                    h->lo();
                    h->hi();
                    h->set_rm(0, 0, 0, "");
                    continue;
                }
                for (uint32_t row = 0; row < rows; row++) {
                    uint32_t w[8] = {0};
                    if (ic) {
                        const uint8_t *p = ic->mem[m] + (size_t)row * rb;
                        for (uint32_t b = 0; b < rb; b++)
                            w[b / 4] |= (uint32_t)p[b] << (8 * (b % 4));
                    }
                    for (uint32_t ch = 0; ch < (width + 31) / 32; ch++)
                        if (put(c, id, addr_of(region, row, ch), w[ch], lsnn_image_mem_name(m), row,
                                e))
                            return -1;
                }
            }
            // ACC and LATCH: zero since the CLEAR
            const uint32_t zr[2][2] = {
                {REGION_ACC, (uint32_t)(g->delay_slots * g->neurons)},
                {REGION_LATCH, (uint32_t)(g->axons / 32)}};
            for (int k = 0; k < 2; k++)
                for (uint32_t row = 0; row < zr[k][1]; row++) {
                    uint32_t v;
                    if (port(c, id, 0, addr_of(zr[k][0], row, 0), 0, &v, e)) return -1;
                    if (v)
                        return lsnn_fail(e, "RTL chip: core %u: %s row %u reads 0x%08x after "
                                            "CLEAR, not 0",
                                         id, k ? "LATCH" : "ACC", row, v);
                }
            if (port(c, id, 1, addr_of(0, REG_CTRL, 0), 3, nullptr, e)) return -1;
        }
    h->set_cnt_clr(1);
    h->lo();
    h->hi();
    h->set_cnt_clr(0);
    for (auto &w : h->words)
        w.clear();
    for (auto &p : h->ports)
        p.clear();
    h->gate.started = true;
    return 0;
}

} // namespace

extern "C" {

void lsnn_rtl_chip_models(char *buf, size_t n)
{
    std::string s;
    for (const ChipModel *m = chip_models; m->name; m++) {
        if (!s.empty()) s += ", ";
        s += std::string(m->name) + " (" + std::to_string(m->mx) + "x" + std::to_string(m->my) +
             ", noc_buffer <= " + std::to_string(m->bmax) + ")";
    }
    if (n) snprintf(buf, n, "%s", s.c_str());
}

int lsnn_rtl_chip_supported(const lsnn_hw_config *cfg)
{
    return find_model(cfg) != nullptr;
}

lsnn_rtl_chip *lsnn_rtl_chip_create(const lsnn_hw_config *cfg, const char *vcd_path,
                                    lsnn_error *e)
{
    lsnn_rtl_vcd v = {vcd_path, 0, 0, nullptr};
    return lsnn_rtl_chip_create_vcd(cfg, &v, e);
}

lsnn_rtl_chip *lsnn_rtl_chip_create_vcd(const lsnn_hw_config *cfg, const lsnn_rtl_vcd *vcd,
                                        lsnn_error *e)
{
    const char *vcd_path = vcd ? vcd->path : nullptr;
    if (const char *bad = lsnn_rtl_mutant_error()) {
        lsnn_fail(e, "RTL chip: %s", bad);
        return nullptr;
    }
    const ChipModel *m = find_model(cfg);
    if (!m) {
        char names[512];
        lsnn_rtl_chip_models(names, sizeof names);
        if (model_list() == chip_mutants) // LSNN_RTL_MUTANT=wrong_turn
            snprintf(names, sizeof names, "with LSNN_RTL_MUTANT=wrong_turn only %s (%dx%d)",
                     chip_mutants[0].name ? chip_mutants[0].name : "none",
                     chip_mutants[0].mx, chip_mutants[0].my);
        lsnn_fail(e, "RTL chip: no verilated chip for hardware config '%s' (mesh [%d, %d], "
                     "noc_buffer %d; a chip needs the same core keys neurons..fifo_out, a mesh "
                     "within its largest and noc_buffer up to its BMAX: %s; hw/chips.txt)",
                  cfg->name, cfg->mesh_x, cfg->mesh_y, cfg->noc_buffer,
                  names[0] ? names : "none in this build");
        return nullptr;
    }
    if (vcd_path && !m->trace) {
        lsnn_fail(e, "RTL chip: model '%s' was verilated without --trace; VCD is only available "
                     "for chip_small (hw/CMakeLists.txt)", m->name);
        return nullptr;
    }
    lsnn_rtl_chip *c = new (std::nothrow) lsnn_rtl_chip();
    if (!c) {
        lsnn_fail(e, "RTL chip: out of memory");
        return nullptr;
    }
    c->cfg = *cfg;
    c->model = m;
    if (vcd_path) {
        c->vcd_path = vcd_path;
        c->vcd_tmp = c->vcd_path + ".tmp." + std::to_string((long)getpid());
    }
    c->chip = m->make(cfg, vcd_path ? c->vcd_tmp.c_str() : nullptr, vcd);
    if (!c->chip->vcd_err.empty()) {
        lsnn_fail(e, "RTL chip: %s", c->chip->vcd_err.c_str());
        delete c->chip;
        remove(c->vcd_tmp.c_str());
        delete c;
        return nullptr;
    }
    return c;
}

void lsnn_rtl_chip_free(lsnn_rtl_chip *c)
{
    if (!c) return;
    delete c->chip;
    if (!c->vcd_tmp.empty()) rename(c->vcd_tmp.c_str(), c->vcd_path.c_str());
    if (!c->zero_dir.empty()) {
        for (int m = 0; m < LSNN_IMG_NMEM; m++)
            if (c->zero_files[m]) remove((c->zero_dir + "/zero_" + mem_files[m] + ".hex").c_str());
        rmdir(c->zero_dir.c_str());
    }
    delete c;
}

int lsnn_rtl_chip_load(lsnn_rtl_chip *c, const lsnn_image *img, lsnn_error *e)
{
    return load(c, img, nullptr, e);
}

int lsnn_rtl_chip_load_readmemh(lsnn_rtl_chip *c, const char *dir, const lsnn_image *img,
                                lsnn_error *e)
{
    return load(c, img, dir, e);
}

int lsnn_rtl_chip_port_write(lsnn_rtl_chip *c, uint32_t core_id, uint32_t addr, uint32_t data,
                             lsnn_error *e)
{
    return port(c, core_id, 1, addr, data, nullptr, e);
}

int lsnn_rtl_chip_port_read(lsnn_rtl_chip *c, uint32_t core_id, uint32_t addr, uint32_t *data,
                            lsnn_error *e)
{
    return port(c, core_id, 0, addr, 0, data, e);
}

int lsnn_rtl_chip_word(lsnn_rtl_chip *c, uint32_t core_id, uint32_t word, lsnn_error *e)
{
    Chip *h = c->chip;
    if (!h->active(core_id))
        return lsnn_fail(e, "RTL chip: EVENT for core %u %s, not a cell of the active mesh [%d, %d]",
                         core_id, cell_str(core_id).c_str(), h->ax, h->ay);
    uint32_t type = word >> 30;
    if (type == 1 || type == 2)
        return lsnn_fail(e, "RTL chip: word 0x%08x is a command; use lsnn_rtl_chip_tick/clear",
                         word);
    h->gate.started = true;
    h->set_host(1, core_id, word);
    uint64_t limit = (uint64_t)c->cfg.fifo_in + 100000;
    for (uint64_t i = 0; i < limit; i++) {
        h->lo();
        int ready = h->host_ready();
        h->hi();
        if (ready) {
            h->set_host(0, 0, 0);
            return 0;
        }
    }
    h->set_host(0, 0, 0);
    return lsnn_fail(e, "RTL chip: the host bus never accepted word 0x%08x for core %u", word,
                     core_id);
}

int lsnn_rtl_chip_event(lsnn_rtl_chip *c, uint32_t core_id, uint32_t axon, lsnn_error *e)
{
    return lsnn_rtl_chip_word(c, core_id, axon & 0x3FFFFFFFu, e);
}

int lsnn_rtl_chip_tick(lsnn_rtl_chip *c, uint64_t *cycles, lsnn_error *e)
{
    c->chip->gate.started = true;
    if (command(c, 0x40000000u, "TICK", cycles, e)) return -1;
    c->chip->gate.ticks++;
    return 0;
}

int lsnn_rtl_chip_clear(lsnn_rtl_chip *c, uint64_t *cycles, lsnn_error *e)
{
    return command(c, 0x80000000u, "CLEAR", cycles, e);
}

int lsnn_rtl_chip_state(const lsnn_rtl_chip *c, uint32_t core_id, uint32_t n, lsnn_ref_state *out)
{
    if (!c->chip->active(core_id) || n >= (uint32_t)c->cfg.neurons) return -1;
    c->chip->state(core_id, n, out);
    return 0;
}

int lsnn_rtl_chip_core_counters(const lsnn_rtl_chip *c, uint32_t core_id,
                                uint64_t out[LSNN_REF_NCOUNTERS])
{
    if (!c->chip->active(core_id)) return -1;
    c->chip->counters(core_id, out);
    return 0;
}

void lsnn_rtl_chip_counters(const lsnn_rtl_chip *c, uint64_t out[LSNN_CHIP_NCOUNTERS])
{
    c->chip->chip_counters(out);
}

int lsnn_rtl_chip_links(const lsnn_rtl_chip *c, uint32_t core_id, uint64_t flits[LSNN_PORTS],
                        uint64_t stalls[LSNN_PORTS])
{
    if (!c->chip->active(core_id)) return -1;
    c->chip->links(core_id, flits, stalls);
    return 0;
}

size_t lsnn_rtl_chip_outputs(const lsnn_rtl_chip *c, uint32_t core_id, uint32_t *out, int *ports,
                             size_t cap)
{
    const Chip *h = c->chip;
    if (!h->active(core_id)) return 0;
    const std::vector<uint32_t> &w = h->words[(size_t)h->index(core_id)];
    const std::vector<int> &p = h->ports[(size_t)h->index(core_id)];
    for (size_t k = 0; k < w.size() && k < cap; k++) {
        if (out) out[k] = w[k];
        if (ports) ports[k] = p[k];
    }
    return w.size();
}

int lsnn_rtl_chip_set_link_stalls(lsnn_rtl_chip *c, int on, uint64_t seed, unsigned permille)
{
    if (!c || permille > 1000) return -1;
    c->chip->stall_on = on;
    c->chip->stall_seed = seed;
    c->chip->stall_permille = permille;
    return 0;
}

const char *lsnn_rtl_chip_model(const lsnn_rtl_chip *c, int *mx, int *my)
{
    if (mx) *mx = c->model->mx;
    if (my) *my = c->model->my;
    return c->model->name;
}

uint64_t lsnn_rtl_chip_cycles(const lsnn_rtl_chip *c)
{
    return c->chip->cycles;
}

} // extern "C"
