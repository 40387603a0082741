// sc_chip_target.cpp - ChipTarget (sc_platform.h): the register map of sc_regs.h decoded in
// front of the verilated chip (rtl/nc_chip.v, `verilator --sc`).
//
// b_transport drives the chip's pins and consumes the cycles of each access with wait() on the
// clock (sc_platform.h: timing and sampling); transport_dbg answers from registers, output
// signals and Verilator public state (backdoor.vlt) without touching a pin or the clock.
// The operations mirror hw/rtl_chip.cpp cycle for cycle: a host-bus word is offered until the
// chip takes it, a programming access waits for o_prog_ready (3 cycles), a command is offered
// until every AER-in FIFO is empty (T0) and runs until the controller is idle (Tq + Lb).
#include "sc_platform.h"

#include <verilated.h>
#include <verilated_syms.h>

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <stdexcept>

extern "C" {
#include "mesh.h"
}
#include "sc_regs.h"

namespace lsnn_sc
{

namespace
{

// Word i (32 bits) of a signal value of any of Verilator's SystemC port types.
inline uint32_t word_of(bool v, int i)
{
    return i ? 0u : (uint32_t)v;
}
inline uint32_t word_of(uint32_t v, int i)
{
    return i ? 0u : v;
}
inline uint32_t word_of(uint64_t v, int i)
{
    return i < 2 ? (uint32_t)(v >> (32 * i)) : 0u;
}
template <int W> uint32_t word_of(const sc_dt::sc_bv<W> &v, int i)
{
    return 32 * i < W ? (uint32_t)v.get_word(i) : 0u;
}

inline void set_bit(uint32_t &v, int b)
{
    v |= 1u << b;
}
inline void set_bit(uint64_t &v, int b)
{
    v |= 1ull << b;
}
template <int W> void set_bit(sc_dt::sc_bv<W> &v, int b)
{
    v[b] = sc_dt::SC_LOGIC_1;
}

std::string cell_str(uint32_t id)
{
    return "(" + std::to_string(id & 15u) + ", " + std::to_string(id >> 4) + ")";
}

std::string fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char *f, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

// Element i of a public variable as 32-bit words (at most n words; the rest zero).
void var_words(const VerilatedVar *v, int i, uint32_t *out, int n)
{
    const unsigned char *p = (const unsigned char *)v->datap() + (size_t)v->entSize() * i;
    for (int k = 0; k < n; k++)
        out[k] = 0;
    switch (v->vltype()) {
    case VLVT_UINT8:
        out[0] = *(const uint8_t *)p;
        break;
    case VLVT_UINT16:
        out[0] = *(const uint16_t *)p;
        break;
    case VLVT_UINT32:
        out[0] = *(const uint32_t *)p;
        break;
    case VLVT_UINT64: {
        uint64_t q = *(const uint64_t *)p;
        out[0] = (uint32_t)q;
        if (n > 1) out[1] = (uint32_t)(q >> 32);
        break;
    }
    case VLVT_WDATA:
        for (int k = 0; k < n && 4 * k < (int)v->entSize(); k++)
            out[k] = ((const uint32_t *)p)[k];
        break;
    default:
        break;
    }
}

uint64_t var_u64(const VerilatedVar *v, int i)
{
    uint32_t w[2];
    var_words(v, i, w, 2);
    return (uint64_t)w[0] | (uint64_t)w[1] << 32;
}

} // namespace

// ---- construction ---------------------------------------------------------------------------

ChipTarget::ChipTarget(sc_core::sc_module_name name, const sc_core::sc_time &period)
    : sc_core::sc_module(name), socket("socket"), clk("clk"), vctx_(new VerilatedContext),
      period_(period)
{
    // The chip gets its own Verilator context (the Verilator RTL engines of hw/ set the thread's
    // context to theirs; time comes from the SystemC kernel either way).
    VerilatedContext *prev = Verilated::threadContextp();
    Verilated::threadContextp(vctx_.get());
    chip_ = new Model("rtl");
    Verilated::threadContextp(prev);

    chip_->i_clk(clk);
    chip_->i_rst(rst_);
    chip_->i_mesh_x(mesh_x_);
    chip_->i_mesh_y(mesh_y_);
    chip_->i_b(b_);
    chip_->i_host_valid(host_valid_);
    chip_->i_host_cell(host_cell_);
    chip_->i_host_data(host_data_);
    chip_->o_host_ready(host_ready_);
    chip_->i_prog_cell(prog_cell_);
    chip_->i_prog_we(prog_we_);
    chip_->i_prog_re(prog_re_);
    chip_->i_prog_addr(prog_addr_);
    chip_->i_prog_wdata(prog_wdata_);
    chip_->o_prog_ready(prog_ready_);
    chip_->o_prog_rdata(prog_rdata_);
    chip_->o_hout_valid(hout_valid_);
    chip_->o_hout_data(hout_data_);
    chip_->i_hout_ready(hout_ready_);
    chip_->i_link_stall(link_stall_);
    chip_->i_rm_en(rm_en_);
    chip_->i_rm_cell(rm_cell_);
    chip_->i_rm_region(rm_region_);
    chip_->i_rm_file(rm_file_);
    chip_->i_cnt_clr(cnt_clr_);
    chip_->o_chip_ticks(chip_ticks_);
    chip_->o_chip_clears(chip_clears_);
    chip_->o_chip_cycles(chip_cycles_);
    chip_->o_barrier_cycles(barrier_cycles_);
    chip_->o_idle(idle_);
    chip_->i_dbg_cell(dbg_cell_);
    chip_->i_dbg_n(dbg_n_);
    chip_->o_dbg_state(dbg_state_);
    chip_->o_counters(counters_);
    chip_->o_link_flits(link_flits_);
    chip_->o_link_stalls(link_stalls_);
    chip_->o_fifo_cnt(fifo_cnt_);
    chip_->o_fifo_head(fifo_head_);
    chip_->o_inj_valid(inj_valid_);
    chip_->o_inj_data(inj_data_);
    chip_->o_busy(busy_);
    chip_->o_noc_busy(noc_busy_);
    chip_->o_noc_move(noc_move_);

    // Pins that never change: the host takes every host-out word (an ideal host, §16.6); the
    // backdoor mux points at no cell (the platform reads public state instead), so its wide
    // outputs stay constant; no $readmemh.
    {
        LSNN_SC_T(i_hout_ready) all{};
        for (int i = 0; i < CELLS; i++)
            set_bit(all, i);
        hout_ready_.write(all);
    }
    dbg_cell_.write(0xFFu);
    rst_.write(true);
    mesh_x_.write(1);
    mesh_y_.write(1);
    b_.write(1);

    socket.register_b_transport(this, &ChipTarget::b_transport);
    socket.register_transport_dbg(this, &ChipTarget::transport_dbg);

    SC_METHOD(monitor);
    sensitive << clk.pos();
    dont_initialize();
    SC_METHOD(draw_stalls);
    sensitive << chip_cycles_ << stall_ev_;
    dont_initialize();

    find_backdoor();
}

ChipTarget::~ChipTarget()
{
    delete chip_;
}

// The public state of every cell (backdoor.vlt marks it): STATE rows, counters, link counters.
void ChipTarget::find_backdoor()
{
    std::string base = std::string(chip_->name()) + ".nc_chip";
    auto find = [&](const std::string &scope, const char *var) -> const VerilatedVar * {
        const VerilatedScope *s = vctx_->scopeFind(scope.c_str());
        const VerilatedVar *v = s ? s->varFind(var) : nullptr;
        if (!v)
            throw std::runtime_error("the verilated chip has no public " + scope + "." + var +
                                     " (hw/systemc/backdoor.vlt and rtl/ disagree)");
        return v;
    };
    for (int y = 0; y < MY; y++)
        for (int x = 0; x < MX; x++) {
            std::string c =
                base + ".gen_y[" + std::to_string(y) + "].gen_x[" + std::to_string(x) + "]";
            Cell &k = cell_[y * MX + x];
            for (int b = 0; b < LSNN_SC_MODEL_NL; b++)
                k.state[b] =
                    find(c + ".u_core.u_neu.gen_lane[" + std::to_string(b) + "].u_state", "mem");
            k.counters = find(c + ".u_core.u_cnt", "c");
            for (int o = 0; o < LSNN_PORTS; o++) {
                std::string g = c + ".u_router.gen_out[" + std::to_string(o) + "]";
                k.flits[o] = find(g, "c_flits");
                k.stalls[o] = find(g, "c_stalls");
            }
            for (int b = 0; b < LSNN_SC_MODEL_NL; b++)
                if (k.state[b]->udims() != 1 ||
                    k.state[b]->elements(1) != LSNN_SC_MODEL_N / LSNN_SC_MODEL_NL)
                    throw std::runtime_error("the verilated chip's STATE banks have an "
                                             "unexpected shape (hw/systemc/backdoor.vlt)");
            if (k.counters->udims() != 1 || k.counters->elements(1) > LSNN_REF_NCOUNTERS ||
                k.counters->vltype() != VLVT_UINT64)
                throw std::runtime_error("the verilated chip's STATE memory or counters have "
                                         "an unexpected shape (hw/systemc/backdoor.vlt)");
        }
}

// ---- processes ------------------------------------------------------------------------------

// Every rising edge, in its delta cycle: the signals still hold what the chip showed before the
// edge, i.e. what transfers at it. Host-out is always ready, so a valid word leaves; a valid
// injection enters its router's L FIFO.
void ChipTarget::monitor()
{
    cycles_++;
    const auto &hv = hout_valid_.read();
    const auto &iv = inj_valid_.read();
    for (int k = 0; 32 * k < CELLS; k++) {
        uint32_t h = word_of(hv, k), n = word_of(iv, k);
        if (!h && !n) continue;
        for (int j = 0; j < 32 && 32 * k + j < CELLS; j++) {
            int i = 32 * k + j;
            if ((h >> j) & 1u) {
                words_[i].push_back(word_of(hout_data_.read(), i));
                ports_[i].push_back(LSNN_REF_PORT_HOST);
            }
            if ((n >> j) & 1u) {
                words_[i].push_back(word_of(inj_data_.read(), i));
                ports_[i].push_back(LSNN_REF_PORT_NOC);
            }
        }
    }
    still_ = noc_busy_.read() && !noc_move_.read() ? still_ + 1 : 0;
    if (dog_ && still_ == dog_) hang_ev_.notify(sc_core::SC_ZERO_TIME);
}

// §16.7: the stall mask of the chip cycle numbered by chip_cycles (the count before it), redrawn
// whenever the count moves (after each edge of a command) and when the pattern changes.
void ChipTarget::draw_stalls()
{
    LSNN_SC_T(i_link_stall) m{};
    if (stall_permille_) {
        uint64_t cyc = chip_cycles_.read();
        for (uint32_t y = 0; y < mesh_y_reg_; y++)
            for (uint32_t x = 0; x < mesh_x_reg_; x++)
                for (int o = 0; o < LSNN_PORTS; o++)
                    if (lsnn_link_stalled(stall_seed_, stall_permille_, cyc,
                                          lsnn_hw_core_id((int)x, (int)y), (unsigned)o))
                        set_bit(m, 5 * ((int)y * MX + (int)x) + o);
    }
    link_stall_.write(m);
}

// ---- the chip's operations ------------------------------------------------------------------

// One word over the host bus to cell: offered from the next cycle on until the chip takes it.
int ChipTarget::host_word(uint32_t cell, uint32_t word, uint64_t limit)
{
    host_cell_.write(cell);
    host_data_.write(word);
    host_valid_.write(true);
    for (uint64_t i = 0; i < limit; i++) {
        edge();
        if (host_ready_.read()) {
            host_valid_.write(false);
            return 0;
        }
    }
    host_valid_.write(false);
    return -1;
}

// One programming-bus access of core PROG_CELL: the strobe until o_prog_ready (3 cycles).
int ChipTarget::prog(bool we, uint32_t addr, uint32_t wdata, uint32_t *rdata, std::string *msg)
{
    uint32_t id = prog_cell_reg_;
    if (!active(id)) {
        *msg = fmt("programming window: core %u %s is not a cell of the active mesh [%u, %u]", id,
                   cell_str(id).c_str(), mesh_x_reg_, mesh_y_reg_);
        return -1;
    }
    prog_cell_.write(id);
    prog_addr_.write(addr);
    prog_wdata_.write(wdata);
    prog_we_.write(we);
    prog_re_.write(!we);
    int rc = -1;
    for (int i = 0; i < 1000 && rc; i++) {
        edge();
        if (prog_ready_.read()) {
            if (rdata) *rdata = prog_rdata_.read();
            rc = 0;
        }
    }
    prog_we_.write(false);
    prog_re_.write(false);
    if (rc)
        *msg = fmt("programming window: core %u %s does not answer the %s of address 0x%08x", id,
                   cell_str(id).c_str(), we ? "write" : "read", addr);
    return rc;
}

// Cycles a command may take (as hw/rtl_chip.cpp): the longest legal core tick, every flit the
// cores can send crossing the mesh, slowed by link stalls.
uint64_t ChipTarget::command_bound() const
{
    const uint64_t N = LSNN_SC_MODEL_N, X = LSNN_SC_MODEL_X, M = LSNN_SC_MODEL_M,
                   D = LSNN_SC_MODEL_D, FI = LSNN_SC_MODEL_FIFO_IN;
    uint64_t core = 1000 + FI + X / 32 + X + X * M + 17 * N + D * N;
    uint64_t cells = (uint64_t)mesh_x_reg_ * mesh_y_reg_;
    uint64_t net = cells * 15 * N * (2ull * (mesh_x_reg_ + mesh_y_reg_) + 4);
    uint64_t slow = 1;
    if (stall_permille_ && stall_permille_ < 1000) slow = 4 * (1000 / (1000 - stall_permille_) + 1);
    return core + 64 + net * slow;
}

// Cycles with flits buffered and none moving that legal operation can produce.
uint64_t ChipTarget::watchdog_bound() const
{
    uint64_t w = 16ull * LSNN_SC_MODEL_N + 4096;
    if (stall_permille_ && stall_permille_ < 1000) w *= 4 * (1000 / (1000 - stall_permille_) + 1);
    return w;
}

// The busy cores of the active mesh and whether flits are buffered (a hang's message).
std::string ChipTarget::stuck() const
{
    std::string s;
    for (uint32_t y = 0; y < mesh_y_reg_; y++)
        for (uint32_t x = 0; x < mesh_x_reg_; x++) {
            int i = (int)(y * MX + x);
            if ((word_of(busy_.read(), i / 32) >> (i % 32)) & 1u)
                s += (s.empty() ? "busy cores " : ", ") + cell_str(lsnn_hw_core_id((int)x, (int)y));
        }
    if (s.empty()) s = "no core busy";
    return s + (noc_busy_.read() ? "; flits are buffered in the routers" : "; no flit buffered");
}

// A TICK or CLEAR: offered until every AER-in FIFO is empty and the chip takes it (T0), then
// run until the controller is idle again (Tq + Lb). C_chip = chip_cycles' increment; the time
// from the start of cycle T0 to the end must be C_chip periods.
int ChipTarget::command(uint32_t word, std::string *msg)
{
    const char *what = word == 0x40000000u ? "TICK" : "CLEAR";
    for (int i = 0; i < CELLS; i++) {
        words_[i].clear();
        ports_[i].clear();
    }
    uint64_t k0 = chip_cycles_.read();
    if (host_word(0, word, (uint64_t)LSNN_SC_MODEL_FIFO_IN + 1000)) {
        *msg = fmt("%s not accepted within %d cycles (an AER-in FIFO does not drain)", what,
                   LSNN_SC_MODEL_FIFO_IN + 1000);
        return -1;
    }
    const sc_core::sc_time t0 = sc_core::sc_time_stamp() - period_; // cycle T0 ended at this edge
    wait(sc_core::SC_ZERO_TIME); // the registered outputs after the edge
    still_ = 0;
    dog_ = watchdog_bound();
    const sc_core::sc_time deadline = sc_core::sc_time_stamp() + period_ * (double)command_bound();
    int rc = 0;
    while (!idle_.read()) {
        sc_core::sc_time now = sc_core::sc_time_stamp();
        if (now >= deadline) {
            *msg = fmt("%s did not finish within %" PRIu64 " cycles (a hang): %s", what,
                       command_bound(), stuck().c_str());
            rc = -1;
            break;
        }
        wait(deadline - now, idle_.posedge_event() | hang_ev_);
        if (!idle_.read() && dog_ && still_ >= dog_) {
            *msg = fmt("%s: no flit moved for %" PRIu64 " cycles while flits are buffered (a "
                       "deadlock, or a flit that cannot leave): %s",
                       what, dog_, stuck().c_str());
            rc = -1;
            break;
        }
    }
    dog_ = 0;
    if (rc) return rc;
    cmd_cycles_ = chip_cycles_.read() - k0;
    const sc_core::sc_time took = sc_core::sc_time_stamp() - t0;
    cmd_time_ += took;
    if (took.value() != period_.value() * cmd_cycles_) {
        *msg = fmt("%s: SystemC time %s from T0 to the end, but C_chip = %" PRIu64 " cycles of %s",
                   what, took.to_string().c_str(), cmd_cycles_, period_.to_string().c_str());
        return -1;
    }
    return 0;
}

// ---- TLM ------------------------------------------------------------------------------------

void ChipTarget::fail(tlm::tlm_generic_payload &t, tlm::tlm_response_status s, std::string msg)
{
    t.set_response_status(s);
    err_ = std::move(msg);
    error_ = true;
}

// Registers as a read sees them (debug: no side effect; PROG_DATA then reads 0).
bool ChipTarget::reg_read(uint32_t addr, uint32_t *v, bool debug)
{
    (void)debug;
    auto lo = [](uint64_t x) { return (uint32_t)x; };
    auto hi = [](uint64_t x) { return (uint32_t)(x >> 32); };
    uint32_t busy = 0;
    for (uint32_t y = 0; y < mesh_y_reg_; y++)
        for (uint32_t x = 0; x < mesh_x_reg_; x++) {
            int i = (int)(y * MX + x);
            busy |= (word_of(busy_.read(), i / 32) >> (i % 32)) & 1u;
        }
    switch (addr) {
    case LSNN_SC_ID:
        *v = LSNN_ID_BASE + LSNN_NEUROCORE;
        break;
    case LSNN_SC_VERSION:
        *v = LSNN_SC_MAP_VERSION;
        break;
    case LSNN_SC_MODEL:
        *v = (uint32_t)MX | (uint32_t)MY << 8 | (uint32_t)LSNN_SC_MODEL_BMAX << 16;
        break;
    case LSNN_SC_CLOCK_PS:
        *v = (uint32_t)period_.value();
        break;
    case LSNN_SC_CTRL:
        *v = ctrl_reset_ ? LSNN_SC_CTRL_RESET : 0;
        break;
    case LSNN_SC_STATUS:
        *v = (idle_.read() && !ctrl_reset_ ? LSNN_SC_STATUS_IDLE : 0) |
             (ctrl_reset_ ? LSNN_SC_STATUS_RESET : 0) |
             (noc_busy_.read() ? LSNN_SC_STATUS_NOC_BUSY : 0) |
             (busy ? LSNN_SC_STATUS_CORES_BUSY : 0) | (error_ ? LSNN_SC_STATUS_ERROR : 0);
        break;
    case LSNN_SC_MESH:
        *v = mesh_x_reg_ | mesh_y_reg_ << 8;
        break;
    case LSNN_SC_NOC_B:
        *v = b_reg_;
        break;
    case LSNN_SC_CMD:
        *v = 0;
        break;
    case LSNN_SC_CMD_CYCLES:
        *v = (uint32_t)cmd_cycles_;
        break;
    case LSNN_SC_EVENT:
        *v = 0;
        break;
    case LSNN_SC_HOST_CELL:
        *v = host_cell_reg_;
        break;
    case LSNN_SC_HOST_WORD:
        *v = 0;
        break;
    case LSNN_SC_PROG_CELL:
        *v = prog_cell_reg_;
        break;
    case LSNN_SC_PROG_ADDR:
        *v = prog_addr_reg_;
        break;
    case LSNN_SC_PROG_DATA:
        *v = 0;
        break;
    case LSNN_SC_STALL_PERMILLE:
        *v = stall_permille_;
        break;
    case LSNN_SC_STALL_SEED_LO:
        *v = lo(stall_seed_);
        break;
    case LSNN_SC_STALL_SEED_HI:
        *v = hi(stall_seed_);
        break;
    case LSNN_SC_CHIP_TICKS:
        *v = lo(chip_ticks_.read());
        break;
    case LSNN_SC_CHIP_TICKS + 4:
        *v = hi(chip_ticks_.read());
        break;
    case LSNN_SC_CHIP_CLEARS:
        *v = lo(chip_clears_.read());
        break;
    case LSNN_SC_CHIP_CLEARS + 4:
        *v = hi(chip_clears_.read());
        break;
    case LSNN_SC_CHIP_CYCLES:
        *v = lo(chip_cycles_.read());
        break;
    case LSNN_SC_CHIP_CYCLES + 4:
        *v = hi(chip_cycles_.read());
        break;
    case LSNN_SC_BARRIER_CYCLES:
        *v = lo(barrier_cycles_.read());
        break;
    case LSNN_SC_BARRIER_CYCLES + 4:
        *v = hi(barrier_cycles_.read());
        break;
    case LSNN_SC_CYCLES:
        *v = lo(cycles_);
        break;
    case LSNN_SC_CYCLES + 4:
        *v = hi(cycles_);
        break;
    default:
        return false;
    }
    return true;
}

void ChipTarget::b_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &delay)
{
    // LT: the initiator's annotation is waited out first, then the access consumes its own
    // cycles here; the annotation goes back as zero.
    if (delay > sc_core::SC_ZERO_TIME) {
        wait(delay);
        delay = sc_core::SC_ZERO_TIME;
    }
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    const uint64_t addr = t.get_address();
    unsigned char *p = t.get_data_ptr();
    t.set_response_status(tlm::TLM_OK_RESPONSE);
    if (t.get_byte_enable_ptr()) {
        fail(t, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE, "byte enables are not supported");
        return;
    }
    if (t.get_data_length() != 4 || t.get_streaming_width() < 4 || (addr & 3u)) {
        fail(t, tlm::TLM_BURST_ERROR_RESPONSE,
             fmt("address 0x%08" PRIx64 ": the bus takes single aligned 4-byte accesses", addr));
        return;
    }
    if (addr >= LSNN_SC_REGS_END) {
        fail(t, tlm::TLM_ADDRESS_ERROR_RESPONSE,
             fmt("address 0x%08" PRIx64 " is not a register (the debug space at 0x%08x is for "
                 "transport_dbg)",
                 addr, LSNN_SC_DBG_BASE));
        return;
    }
    const uint32_t a = (uint32_t)addr;
    std::string msg;
    auto not_in_reset = [&]() {
        if (!ctrl_reset_) return true;
        fail(t, tlm::TLM_COMMAND_ERROR_RESPONSE,
             fmt("register 0x%03x: the chip is held in reset (CTRL.RESET)", a));
        return false;
    };
    if (t.is_read()) {
        uint32_t v = 0;
        if (a == LSNN_SC_PROG_DATA) {
            if (!not_in_reset()) return;
            if (prog(false, prog_addr_reg_, 0, &v, &msg)) {
                fail(t, tlm::TLM_GENERIC_ERROR_RESPONSE, msg);
                return;
            }
        } else {
            if (!reg_read(a, &v, false)) {
                fail(t, tlm::TLM_ADDRESS_ERROR_RESPONSE,
                     fmt("address 0x%03x is not a register", a));
                return;
            }
            edge();
        }
        std::memcpy(p, &v, 4);
    } else if (t.is_write()) {
        uint32_t v;
        std::memcpy(&v, p, 4);
        switch (a) {
        case LSNN_SC_CTRL:
            ctrl_reset_ = v & LSNN_SC_CTRL_RESET;
            rst_.write(ctrl_reset_ != 0);
            if (ctrl_reset_) {
                error_ = false;
                for (int i = 0; i < CELLS; i++) {
                    words_[i].clear();
                    ports_[i].clear();
                }
            }
            if (v & LSNN_SC_CTRL_CNT_CLEAR) // the chip's counters and the record of words
                for (int i = 0; i < CELLS; i++) {
                    words_[i].clear();
                    ports_[i].clear();
                }
            cnt_clr_.write((v & LSNN_SC_CTRL_CNT_CLEAR) != 0);
            edge();
            cnt_clr_.write(false);
            break;
        case LSNN_SC_MESH: {
            uint32_t x = v & 31u, y = (v >> 8) & 31u;
            if (!ctrl_reset_ || x < 1 || x > (uint32_t)MX || y < 1 || y > (uint32_t)MY) {
                fail(t, tlm::TLM_COMMAND_ERROR_RESPONSE,
                     fmt("MESH [%u, %u]: writable only in reset, sides 1..%d x 1..%d", x, y, MX,
                         MY));
                return;
            }
            mesh_x_reg_ = x, mesh_y_reg_ = y;
            mesh_x_.write(x);
            mesh_y_.write(y);
            edge();
            break;
        }
        case LSNN_SC_NOC_B:
            if (!ctrl_reset_ || v < 1 || v > (uint32_t)LSNN_SC_MODEL_BMAX) {
                fail(t, tlm::TLM_COMMAND_ERROR_RESPONSE,
                     fmt("NOC_B %u: writable only in reset, 1..%d", v, LSNN_SC_MODEL_BMAX));
                return;
            }
            b_reg_ = v;
            b_.write(v);
            edge();
            break;
        case LSNN_SC_CMD:
            if (!not_in_reset()) return;
            if (v != LSNN_SC_CMD_TICK && v != LSNN_SC_CMD_CLEAR) {
                fail(t, tlm::TLM_COMMAND_ERROR_RESPONSE, fmt("CMD %u: 1 TICK or 2 CLEAR", v));
                return;
            }
            if (command(v == LSNN_SC_CMD_TICK ? 0x40000000u : 0x80000000u, &msg)) {
                fail(t, tlm::TLM_GENERIC_ERROR_RESPONSE, msg);
                return;
            }
            break;
        case LSNN_SC_EVENT:
        case LSNN_SC_HOST_WORD: {
            if (!not_in_reset()) return;
            uint32_t id = a == LSNN_SC_EVENT ? (v >> 16) & 0xFFu : host_cell_reg_;
            uint32_t w = a == LSNN_SC_EVENT ? v & 0xFFFFu : v;
            if (!active(id)) {
                fail(t, tlm::TLM_COMMAND_ERROR_RESPONSE,
                     fmt("EVENT for core %u %s, not a cell of the active mesh [%u, %u]", id,
                         cell_str(id).c_str(), mesh_x_reg_, mesh_y_reg_));
                return;
            }
            if ((w >> 30) == 1u || (w >> 30) == 2u) {
                fail(t, tlm::TLM_COMMAND_ERROR_RESPONSE,
                     fmt("HOST_WORD 0x%08x is a command; write CMD", w));
                return;
            }
            if (host_word(id, w, (uint64_t)LSNN_SC_MODEL_FIFO_IN + 100000)) {
                fail(t, tlm::TLM_GENERIC_ERROR_RESPONSE,
                     fmt("the host bus never accepted word 0x%08x for core %u", w, id));
                return;
            }
            break;
        }
        case LSNN_SC_HOST_CELL:
            host_cell_reg_ = v & 0xFFu;
            edge();
            break;
        case LSNN_SC_PROG_CELL:
            prog_cell_reg_ = v & 0xFFu;
            edge();
            break;
        case LSNN_SC_PROG_ADDR:
            prog_addr_reg_ = v;
            edge();
            break;
        case LSNN_SC_PROG_DATA:
            if (!not_in_reset()) return;
            if (prog(true, prog_addr_reg_, v, nullptr, &msg)) {
                fail(t, tlm::TLM_GENERIC_ERROR_RESPONSE, msg);
                return;
            }
            break;
        case LSNN_SC_STALL_PERMILLE:
        case LSNN_SC_STALL_SEED_LO:
        case LSNN_SC_STALL_SEED_HI:
            if (a == LSNN_SC_STALL_PERMILLE) {
                if (v > 1000) {
                    fail(t, tlm::TLM_COMMAND_ERROR_RESPONSE, fmt("STALL_PERMILLE %u: 0..1000", v));
                    return;
                }
                stall_permille_ = v;
            } else if (a == LSNN_SC_STALL_SEED_LO)
                stall_seed_ = (stall_seed_ & ~0xFFFFFFFFull) | v;
            else
                stall_seed_ = (stall_seed_ & 0xFFFFFFFFull) | (uint64_t)v << 32;
            stall_ev_.notify(sc_core::SC_ZERO_TIME); // redrawn before the next edge
            edge();
            break;
        default:
            fail(t, tlm::TLM_COMMAND_ERROR_RESPONSE,
                 fmt("register 0x%03x is read-only or not a register", a));
            return;
        }
    }
    bus_time_ += sc_core::sc_time_stamp() - start;
}

// Debug transport: reads only, zero time, no counter, no pin touched.
unsigned ChipTarget::transport_dbg(tlm::tlm_generic_payload &t)
{
    if (!t.is_read()) return 0;
    const uint64_t addr = t.get_address();
    unsigned len = t.get_data_length() & ~3u;
    unsigned char *p = t.get_data_ptr();
    if ((addr & 3u) || addr > 0xFFFFFFFFull) return 0;
    if (addr < LSNN_SC_REGS_END) {
        unsigned n = 0;
        for (; n < len; n += 4) {
            uint32_t v;
            if (!reg_read((uint32_t)addr + n, &v, true)) break;
            std::memcpy(p + n, &v, 4);
        }
        return n;
    }
    if (addr >= LSNN_SC_DBG_BASE)
        return dbg_cell((uint32_t)(addr >> 20) & 0xFFu, (uint32_t)addr & 0xFFFFFu, p, len);
    return 0;
}

// The debug block of cell id from offset off (sc_regs.h), word by word, up to len bytes.
unsigned ChipTarget::dbg_cell(uint32_t id, uint32_t off, unsigned char *p, unsigned len)
{
    if (!active(id)) return 0;
    const int ci = (int)(id >> 4) * MX + (int)(id & 15u);
    const Cell &k = cell_[ci];
    unsigned n = 0;
    for (; n < len; n += 4, off += 4) {
        uint32_t v;
        if (off < 0x10000u) { // STATE row (off >> 4), word (off >> 2) & 3
            uint32_t row = off >> 4, w[4];
            if (row >= (uint32_t)LSNN_SC_MODEL_N) break;
            var_words(k.state[row % LSNN_SC_MODEL_NL], (int)(row / LSNN_SC_MODEL_NL), w, 4);
            v = w[(off >> 2) & 3u];
        } else if (off < 0x10000u + 8u * LSNN_REF_NCOUNTERS) {
            int i = (int)((off - 0x10000u) >> 3);
            uint64_t c = i < k.counters->elements(1) ? var_u64(k.counters, i) : 0;
            v = (off >> 2) & 1u ? (uint32_t)(c >> 32) : (uint32_t)c;
        } else if (off >= 0x11000u && off < 0x11000u + 16u * LSNN_PORTS) {
            int o = (int)((off - 0x11000u) >> 4);
            uint64_t c = var_u64((off >> 3) & 1u ? k.stalls[o] : k.flits[o], 0);
            v = (off >> 2) & 1u ? (uint32_t)(c >> 32) : (uint32_t)c;
        } else if (off == 0x12000u) {
            v = (uint32_t)words_[ci].size();
        } else if (off >= 0x20000u) {
            size_t j = (off - 0x20000u) >> 3;
            if (j >= words_[ci].size()) break;
            v = (off >> 2) & 1u ? (uint32_t)ports_[ci][j] : words_[ci][j];
        } else
            break;
        std::memcpy(p + n, &v, 4);
    }
    return n;
}

} // namespace lsnn_sc
