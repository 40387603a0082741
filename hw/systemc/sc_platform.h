// sc_platform.h - the modules of the SystemC virtual platform (docs/systemc.md).
//
//   Platform ─┬─ sc_clock clk          period = 1 / clock_mhz, first rising edge at one period
//             ├─ Host (initiator)      tlm_utils::simple_initiator_socket, one SC_THREAD
//             │      │ b_transport / transport_dbg over the register map of sc_regs.h
//             └─ ChipTarget (target)   tlm_utils::simple_target_socket; decodes the map, drives
//                    │                  the chip's pins and waits for the clock edges
//                    └─ Vnc_sc_chip_small   the verilated rtl/nc_chip.v (`verilator --sc`)
//
// Timing (loosely timed, consumed in the target): an access's cycles are consumed by wait() on
// the clock inside b_transport, because the RTL advances only with the clock. The target first
// waits out any delay annotated by the initiator and returns with the delay set to zero, so
// after every b_transport sc_time_stamp() is the true time of the chip. Every access begins
// just after a rising edge and ends on one, so the time is always a whole number of periods:
// time = cycles x period, at every point the host sees.
//
// Sampling (the "opposite edge" rule of shared/toolchain.md, with TLM's deferred signal
// writes): the target drives the chip's inputs just after a rising edge and reads what the
// chip sampled at the next rising edge in the delta cycle of that edge, when the signals still
// hold their values from before the edge (a valid/ready handshake: transferred iff ready was
// high before the edge). Registered outputs are read after the edge (one delta later, or on
// their value-change event: the command waits on o_idle's rising edge).
#ifndef LSNN_SC_PLATFORM_H
#define LSNN_SC_PLATFORM_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

extern "C" {
#include "hwconfig.h"
#include "image.h"
#include "ref_core.h"
}
#include "sc_model.h" // LSNN_SC_MODEL_*: the verilated chip (hw/systemc/CMakeLists.txt)
#include LSNN_SC_MODEL_HEADER

class VerilatedContext;
class VerilatedVar;

namespace lsnn_sc
{

using Model = LSNN_SC_MODEL_CLASS;

// The signal that fits a port of the verilated model (bool, uint32_t, uint64_t or sc_bv<N>).
template <class Port> using data_of = typename std::remove_reference_t<Port>::data_type;
#define LSNN_SC_T(port)   data_of<decltype(std::declval<Model &>().port)>
#define LSNN_SC_SIG(port) sc_core::sc_signal<LSNN_SC_T(port)>

enum { MX = LSNN_SC_MODEL_MX, MY = LSNN_SC_MODEL_MY, CELLS = MX * MY };

// The TLM target: the register map of sc_regs.h in front of the verilated chip.
struct ChipTarget : sc_core::sc_module {
    SC_HAS_PROCESS(ChipTarget);
    tlm_utils::simple_target_socket<ChipTarget> socket;
    sc_core::sc_in<bool> clk;

    ChipTarget(sc_core::sc_module_name name, const sc_core::sc_time &period);
    ~ChipTarget() override;

    // What the C API needs beyond the bus: the last failure's message, the time split.
    const std::string &error() const { return err_; }
    sc_core::sc_time cmd_time() const { return cmd_time_; }
    sc_core::sc_time bus_time() const { return bus_time_; }
    void reset_times()
    {
        cmd_time_ = sc_core::SC_ZERO_TIME;
        bus_time_ = sc_core::SC_ZERO_TIME;
    }
    uint64_t cycles() const { return cycles_; }
    const sc_core::sc_time &period() const { return period_; }

  private:
    // ---- the verilated chip and its pins ----
    std::unique_ptr<VerilatedContext> vctx_;
    Model *chip_;
    LSNN_SC_SIG(i_rst) rst_;
    LSNN_SC_SIG(i_mesh_x) mesh_x_;
    LSNN_SC_SIG(i_mesh_y) mesh_y_;
    LSNN_SC_SIG(i_b) b_;
    LSNN_SC_SIG(i_host_valid) host_valid_;
    LSNN_SC_SIG(i_host_cell) host_cell_;
    LSNN_SC_SIG(i_host_data) host_data_;
    LSNN_SC_SIG(o_host_ready) host_ready_;
    LSNN_SC_SIG(i_prog_cell) prog_cell_;
    LSNN_SC_SIG(i_prog_we) prog_we_;
    LSNN_SC_SIG(i_prog_re) prog_re_;
    LSNN_SC_SIG(i_prog_addr) prog_addr_;
    LSNN_SC_SIG(i_prog_wdata) prog_wdata_;
    LSNN_SC_SIG(o_prog_ready) prog_ready_;
    LSNN_SC_SIG(o_prog_rdata) prog_rdata_;
    LSNN_SC_SIG(o_hout_valid) hout_valid_;
    LSNN_SC_SIG(o_hout_data) hout_data_;
    LSNN_SC_SIG(i_hout_ready) hout_ready_;
    LSNN_SC_SIG(i_link_stall) link_stall_;
    LSNN_SC_SIG(i_rm_en) rm_en_;
    LSNN_SC_SIG(i_rm_cell) rm_cell_;
    LSNN_SC_SIG(i_rm_region) rm_region_;
    LSNN_SC_SIG(i_rm_file) rm_file_;
    LSNN_SC_SIG(i_cnt_clr) cnt_clr_;
    LSNN_SC_SIG(o_chip_ticks) chip_ticks_;
    LSNN_SC_SIG(o_chip_clears) chip_clears_;
    LSNN_SC_SIG(o_chip_cycles) chip_cycles_;
    LSNN_SC_SIG(o_barrier_cycles) barrier_cycles_;
    LSNN_SC_SIG(o_idle) idle_;
    LSNN_SC_SIG(i_dbg_cell) dbg_cell_;
    LSNN_SC_SIG(i_dbg_n) dbg_n_;
    LSNN_SC_SIG(o_dbg_state) dbg_state_;
    LSNN_SC_SIG(o_counters) counters_;
    LSNN_SC_SIG(o_link_flits) link_flits_;
    LSNN_SC_SIG(o_link_stalls) link_stalls_;
    LSNN_SC_SIG(o_fifo_cnt) fifo_cnt_;
    LSNN_SC_SIG(o_fifo_head) fifo_head_;
    LSNN_SC_SIG(o_inj_valid) inj_valid_;
    LSNN_SC_SIG(o_inj_data) inj_data_;
    LSNN_SC_SIG(o_busy) busy_;
    LSNN_SC_SIG(o_noc_busy) noc_busy_;
    LSNN_SC_SIG(o_noc_move) noc_move_;

    // ---- the backdoor: Verilator public state (hw/systemc/backdoor.vlt) ----
    struct Cell {
        const VerilatedVar *state[LSNN_SC_MODEL_NL] = {}; // STATE banks: neuron n in bank n mod NL, row n / NL
        const VerilatedVar *counters = nullptr; // the live §11 counters
        const VerilatedVar *flits[5] = {}, *stalls[5] = {};
    };
    Cell cell_[CELLS];
    void find_backdoor();

    // ---- registers and platform state ----
    sc_core::sc_time period_;
    uint32_t ctrl_reset_ = 1, mesh_x_reg_ = 1, mesh_y_reg_ = 1, b_reg_ = 1;
    uint32_t host_cell_reg_ = 0, prog_cell_reg_ = 0, prog_addr_reg_ = 0;
    uint32_t stall_permille_ = 0;
    uint64_t stall_seed_ = 0;
    uint64_t cmd_cycles_ = 0;
    bool error_ = false;
    std::string err_;
    uint64_t cycles_ = 0; // rising edges since the start
    sc_core::sc_time cmd_time_, bus_time_;
    std::vector<uint32_t> words_[CELLS]; // the last command's output words
    std::vector<int> ports_[CELLS];
    uint64_t still_ = 0, dog_ = 0; // the watchdog: cycles with flits buffered and none moving
    sc_core::sc_event hang_ev_;
    sc_core::sc_event stall_ev_; // the stall pattern changed: redraw (draw_stalls drives the mask)

    // ---- TLM ----
    void b_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
    unsigned transport_dbg(tlm::tlm_generic_payload &t);
    bool reg_read(uint32_t addr, uint32_t *v, bool debug);
    void fail(tlm::tlm_generic_payload &t, tlm::tlm_response_status s, std::string msg);

    // ---- processes ----
    void monitor();     // every rising edge: output words, the watchdog, the cycle count
    void draw_stalls(); // the §16.7 mask for the next chip cycle

    // ---- the chip's operations (in the initiator's thread, inside b_transport) ----
    void edge() { wait(clk.posedge_event()); }
    int host_word(uint32_t cell, uint32_t word, uint64_t limit);
    int prog(bool we, uint32_t addr, uint32_t wdata, uint32_t *rdata, std::string *msg);
    int command(uint32_t word, std::string *msg);
    bool active(uint32_t id) const
    {
        return id < 256 && (id & 15u) < mesh_x_reg_ && (id >> 4) < mesh_y_reg_;
    }
    uint64_t command_bound() const;
    uint64_t watchdog_bound() const;
    std::string stuck() const;

    // ---- debug space ----
    unsigned dbg_cell(uint32_t id, uint32_t off, unsigned char *p, unsigned len);
};

// The TLM initiator: the host's programming and streaming, one job at a time (docs/systemc.md).
struct Host : sc_core::sc_module {
    SC_HAS_PROCESS(Host);
    tlm_utils::simple_initiator_socket<Host> socket;
    const std::string *target_error = nullptr; // the target's message of a failed access

    explicit Host(sc_core::sc_module_name name);

    // Posts job to the thread; the C API then runs the kernel until done() (sc_pause).
    void post(std::function<void()> job);
    bool done() const { return !busy_; }

    // Bus accesses (inside a job): b_transport with a zero delay annotation; 0, or -1 with the
    // TLM response and the target's message in *msg.
    int write(uint32_t addr, uint32_t v, std::string *msg);
    int read(uint32_t addr, uint32_t *v, std::string *msg);
    // transport_dbg (anywhere): len bytes at addr; returns the bytes read.
    unsigned debug_read(uint32_t addr, void *buf, unsigned len);

    // Jobs (inside the thread): the reset with a mesh, the load of an image (the window, every
    // row written and read back), one programming-bus access. 0, or -1 with *msg.
    int reset(int mesh_x, int mesh_y, int b, std::string *msg);
    int load(const lsnn_image *img, std::string *msg);
    int port(uint32_t cell, bool we, uint32_t addr, uint32_t data, uint32_t *rd, std::string *msg);

  private:
    std::function<void()> job_;
    bool busy_ = false;
    sc_core::sc_event go_;
    void run();
    int access(tlm::tlm_command cmd, uint32_t addr, uint32_t *v, std::string *msg);
    int put(uint32_t cell, uint32_t addr, uint32_t v, const char *what, uint32_t row,
            std::string *msg);
};

// The platform: the clock, the chip and the host, bound.
struct Platform : sc_core::sc_module {
    sc_core::sc_clock clk;
    ChipTarget chip;
    Host host;
    Platform(sc_core::sc_module_name name, const sc_core::sc_time &period);
};

} // namespace lsnn_sc

#endif
