// sc_host.cpp - Host (sc_platform.h): the TLM initiator that programs the chip through the
// register map and streams its inputs, one job at a time, in one SC_THREAD.
//
// The C API posts a job (a closure over the host's bus calls) and runs the kernel; the thread
// runs the job, then pauses the kernel (sc_pause), so sc_start returns exactly when the job is
// done and simulated time stands at the end of its last access. Accesses are b_transport calls
// with a zero delay annotation: the target consumes every cycle with wait() and returns a zero
// delay (any delay it returned would be waited out here), so the host never runs ahead of the
// chip and the kernel's time is the chip's.
#include "sc_platform.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "sc_regs.h"

namespace lsnn_sc
{

namespace
{

#define LSNN_SC_REG(row, NAME) REG_##NAME = row,
enum { LSNN_REGISTERS(LSNN_SC_REG) };
#undef LSNN_SC_REG

enum { REGION_ACC = LSNN_REGION_ACC, REGION_LATCH = LSNN_REGION_LATCH }; // neurocore.def

uint32_t addr_of(uint32_t region, uint32_t row, uint32_t chunk)
{
    return LSNN_PORT_ADDR(region, row, chunk);
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

const lsnn_image_core *image_core(const lsnn_image *img, uint32_t id)
{
    for (int i = 0; i < img->ncores; i++)
        if (img->cores[i].core_id == id) return &img->cores[i];
    return nullptr;
}

} // namespace

Host::Host(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("socket")
{
    SC_THREAD(run);
}

void Host::post(std::function<void()> job)
{
    job_ = std::move(job);
    busy_ = true;
    go_.notify(sc_core::SC_ZERO_TIME);
}

void Host::run()
{
    for (;;) {
        if (!busy_) wait(go_); // (the first job is posted before the kernel starts this thread)
        if (job_) job_();
        job_ = nullptr;
        busy_ = false;
        sc_core::sc_pause(); // the kernel stops at the end of this delta cycle
    }
}

int Host::access(tlm::tlm_command cmd, uint32_t addr, uint32_t *v, std::string *msg)
{
    tlm::tlm_generic_payload t;
    unsigned char buf[4];
    std::memcpy(buf, v, 4);
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(buf);
    t.set_data_length(4);
    t.set_streaming_width(4);
    t.set_byte_enable_ptr(nullptr);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(t, delay);
    if (delay > sc_core::SC_ZERO_TIME) wait(delay); // synchronise what the target annotated
    if (t.is_response_error()) {
        *msg =
            fmt("bus %s of 0x%03x: %s: %s", cmd == tlm::TLM_READ_COMMAND ? "read" : "write", addr,
                t.get_response_string().c_str(), target_error ? target_error->c_str() : "");
        return -1;
    }
    if (cmd == tlm::TLM_READ_COMMAND) std::memcpy(v, buf, 4);
    return 0;
}

int Host::write(uint32_t addr, uint32_t v, std::string *msg)
{
    return access(tlm::TLM_WRITE_COMMAND, addr, &v, msg);
}

int Host::read(uint32_t addr, uint32_t *v, std::string *msg)
{
    *v = 0;
    return access(tlm::TLM_READ_COMMAND, addr, v, msg);
}

unsigned Host::debug_read(uint32_t addr, void *buf, unsigned len)
{
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(addr);
    t.set_data_ptr((unsigned char *)buf);
    t.set_data_length(len);
    t.set_streaming_width(len);
    t.set_byte_enable_ptr(nullptr);
    return socket->transport_dbg(t);
}

// The chip held in reset while the active mesh and B are set (the chip's run-time inputs must
// not change out of reset), link stalls off, then released: 5 cycles, 4 of them in reset.
int Host::reset(int mesh_x, int mesh_y, int b, std::string *msg)
{
    return write(LSNN_SC_CTRL, LSNN_SC_CTRL_RESET, msg) ||
                   write(LSNN_SC_MESH, (uint32_t)mesh_x | (uint32_t)mesh_y << 8, msg) ||
                   write(LSNN_SC_NOC_B, (uint32_t)b, msg) ||
                   write(LSNN_SC_STALL_PERMILLE, 0, msg) || write(LSNN_SC_CTRL, 0, msg)
               ? -1
               : 0;
}

// One programming-bus access through the window.
int Host::port(uint32_t cell, bool we, uint32_t addr, uint32_t data, uint32_t *rd, std::string *msg)
{
    if (write(LSNN_SC_PROG_CELL, cell, msg) || write(LSNN_SC_PROG_ADDR, addr, msg)) return -1;
    return we ? write(LSNN_SC_PROG_DATA, data, msg) : read(LSNN_SC_PROG_DATA, rd, msg);
}

// Write and read back one register or row chunk of the window's core (PROG_CELL is set).
int Host::put(uint32_t cell, uint32_t addr, uint32_t v, const char *what, uint32_t row,
              std::string *msg)
{
    uint32_t r;
    if (write(LSNN_SC_PROG_ADDR, addr, msg) || write(LSNN_SC_PROG_DATA, v, msg) ||
        read(LSNN_SC_PROG_DATA, &r, msg))
        return -1;
    if (r != v) {
        *msg = fmt("core %u: %s row %u chunk %u reads back 0x%08x, wrote 0x%08x", cell, what, row,
                   addr & 7u, r, v);
        return -1;
    }
    return 0;
}

// The load of hw/rtl_chip.cpp, through the register map: CLEAR; per cell of the active mesh
// its registers and every row of every image memory (written and read back), ACC and LATCH read
// back as zero, the core's counters and flags cleared; then the chip and link counters.
int Host::load(const lsnn_image *img, std::string *msg)
{
    const lsnn_hw_config *g = &img->cfg;
    uint32_t mesh;
    if (read(LSNN_SC_MESH, &mesh, msg) || write(LSNN_SC_CMD, LSNN_SC_CMD_CLEAR, msg)) return -1;
    const uint32_t ax = mesh & 31u, ay = (mesh >> 8) & 31u;
    for (uint32_t y = 0; y < ay; y++)
        for (uint32_t x = 0; x < ax; x++) {
            const uint32_t id = lsnn_hw_core_id((int)x, (int)y);
            const lsnn_image_core *ic = image_core(img, id);
            if (write(LSNN_SC_PROG_CELL, id, msg)) return -1;
            const uint32_t regs[3][2] = {
                {REG_CORE_ID, id}, {REG_NU, ic ? ic->nu : 0}, {REG_XU, ic ? ic->xu : 0}};
            for (int k = 0; k < 3; k++)
                if (put(id, addr_of(0, regs[k][0], 0), regs[k][1], "register", regs[k][0], msg))
                    return -1;
            for (int m = 0; m < LSNN_IMG_NMEM; m++) {
                const uint32_t region = lsnn_image_mem_id(m), rows = lsnn_image_rows(g, m);
                const uint32_t width = lsnn_image_width(g, m), rb = lsnn_image_row_bytes(g, m);
                for (uint32_t row = 0; row < rows; row++) {
                    uint32_t w[8] = {0};
                    if (ic) {
                        const uint8_t *p = ic->mem[m] + (size_t)row * rb;
                        for (uint32_t b = 0; b < rb; b++)
                            w[b / 4] |= (uint32_t)p[b] << (8 * (b % 4));
                    }
                    for (uint32_t ch = 0; ch < (width + 31) / 32; ch++)
                        if (put(id, addr_of(region, row, ch), w[ch], lsnn_image_mem_name(m), row,
                                msg))
                            return -1;
                }
            }
            const uint32_t zr[2][2] = {{REGION_ACC, (uint32_t)(g->delay_slots * g->neurons)},
                                       {REGION_LATCH, (uint32_t)(g->axons / 32)}};
            for (int k = 0; k < 2; k++)
                for (uint32_t row = 0; row < zr[k][1]; row++) {
                    uint32_t v;
                    if (write(LSNN_SC_PROG_ADDR, addr_of(zr[k][0], row, 0), msg) ||
                        read(LSNN_SC_PROG_DATA, &v, msg))
                        return -1;
                    if (v) {
                        *msg = fmt("core %u: %s row %u reads 0x%08x after CLEAR, not 0", id,
                                   k ? "LATCH" : "ACC", row, v);
                        return -1;
                    }
                }
            if (write(LSNN_SC_PROG_ADDR, addr_of(0, REG_CTRL, 0), msg) ||
                write(LSNN_SC_PROG_DATA, 3, msg))
                return -1;
        }
    return write(LSNN_SC_CTRL, LSNN_SC_CTRL_CNT_CLEAR, msg);
}

// ---- the platform ---------------------------------------------------------------------------

Platform::Platform(sc_core::sc_module_name name, const sc_core::sc_time &period)
    : sc_core::sc_module(name), clk("clk", period, 0.5, period, true), chip("chip", period),
      host("host")
{
    chip.clk(clk);
    host.socket.bind(chip.socket);
    host.target_error = &chip.error();
}

} // namespace lsnn_sc
