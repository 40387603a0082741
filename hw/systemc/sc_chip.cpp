// sc_chip.cpp - the C API of the SystemC platform (sc_chip.h) over the modules of sc_platform.h.
//
// SystemC elaborates once per process: the first create builds the one Platform (the verilated
// chip, the clock, the host) and it lives until the process exits; every later create resets it
// through CTRL.RESET with the new mesh. Each timed call posts a job to the host's thread and runs
// sc_start() until the thread pauses the kernel; reads of state go through transport_dbg.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <string>

#include "sc_platform.h"

extern "C" {
#include "sc_chip.h"
#include "sc_regs.h"
}

// libsystemc.so brings a main() that calls sc_main(); lsnn and the tests have their own main,
// so this one only satisfies the library's reference and is never called.
extern "C" int sc_main(int, char **)
{
    return 1;
}

namespace
{

lsnn_sc::Platform *g_platform;
uint64_t g_period_ps;
bool g_open;

const int g_core[LSNN_HW_NPARAMS] = {
    LSNN_SC_MODEL_N, LSNN_SC_MODEL_X,       LSNN_SC_MODEL_M,        LSNN_SC_MODEL_S,
    LSNN_SC_MODEL_D, LSNN_SC_MODEL_P,       LSNN_SC_MODEL_R,        LSNN_SC_MODEL_W,
    LSNN_SC_MODEL_V, LSNN_SC_MODEL_U,       LSNN_SC_MODEL_G,        LSNN_SC_MODEL_Q,
    LSNN_SC_MODEL_K, LSNN_SC_MODEL_FIFO_IN, LSNN_SC_MODEL_FIFO_OUT, LSNN_SC_MODEL_NL};

std::string cell_str(uint32_t id)
{
    return "(" + std::to_string(id & 15u) + ", " + std::to_string(id >> 4) + ")";
}

} // namespace

struct lsnn_sc_chip {
    lsnn_hw_config cfg;
    lsnn_sc::Platform *p;
};

namespace
{

bool active(const lsnn_sc_chip *c, uint32_t id)
{
    return id < 256 && (int)(id & 15u) < c->cfg.mesh_x && (int)(id >> 4) < c->cfg.mesh_y;
}

// Runs job in the host's thread: sc_start() until the thread pauses the kernel.
int run(lsnn_sc_chip *c, const std::function<int(std::string *)> &job, lsnn_error *e)
{
    std::string msg;
    int rc = -1;
    c->p->host.post([&] { rc = job(&msg); });
    try {
        sc_core::sc_start();
    } catch (const std::exception &x) {
        return lsnn_fail(e, "SystemC: %s", x.what());
    }
    if (!c->p->host.done())
        return lsnn_fail(e, "SystemC: the kernel stopped before the host's job was done (at %s)",
                         sc_core::sc_time_stamp().to_string().c_str());
    if (rc) return lsnn_fail(e, "SystemC: %s", msg.c_str());
    return 0;
}

int dbg(lsnn_sc_chip *c, uint32_t addr, void *buf, unsigned len)
{
    return c->p->host.debug_read(addr, buf, len) == len ? 0 : -1;
}

} // namespace

extern "C" {

void lsnn_sc_chip_model(char *buf, size_t n)
{
    if (n)
        snprintf(buf, n, "%s (%s core, %dx%d, noc_buffer <= %d)", LSNN_SC_MODEL_NAME,
                 LSNN_SC_MODEL_CORE_NAME, LSNN_SC_MODEL_MX, LSNN_SC_MODEL_MY, LSNN_SC_MODEL_BMAX);
}

int lsnn_sc_chip_supported(const lsnn_hw_config *c)
{
    int k[LSNN_HW_NPARAMS];
    for (int i = 0; i < LSNN_HW_NPARAMS; i++)
        k[i] = lsnn_hw_param_value(c, i);
    return !std::memcmp(k, g_core, sizeof k) && c->mesh_x >= 1 && c->mesh_x <= LSNN_SC_MODEL_MX &&
           c->mesh_y >= 1 && c->mesh_y <= LSNN_SC_MODEL_MY && c->noc_buffer >= 1 &&
           c->noc_buffer <= LSNN_SC_MODEL_BMAX;
}

lsnn_sc_chip *lsnn_sc_chip_create(const lsnn_hw_config *cfg, lsnn_error *e)
{
    if (!lsnn_sc_chip_supported(cfg)) {
        char model[256];
        lsnn_sc_chip_model(model, sizeof model);
        lsnn_fail(e,
                  "SystemC: the platform's chip does not run hardware config '%s' (mesh [%d, %d], "
                  "noc_buffer %d; it needs the same core keys neurons..neuron_lanes, a mesh within "
                  "its largest and noc_buffer up to its BMAX: %s)",
                  cfg->name, cfg->mesh_x, cfg->mesh_y, cfg->noc_buffer, model);
        return nullptr;
    }
    if (g_open) {
        lsnn_fail(e, "SystemC: the platform is already open in this process (SystemC elaborates "
                     "once per process: one handle at a time)");
        return nullptr;
    }
    const uint64_t period = (uint64_t)std::llround(1e6 / cfg->clock_mhz);
    if (!period) {
        lsnn_fail(e, "SystemC: clock_mhz %g gives a period below 1 ps", cfg->clock_mhz);
        return nullptr;
    }
    if (!g_platform) {
        setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
        if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_PS)) {
            lsnn_fail(e, "SystemC: the kernel's time resolution is %s, not 1 ps",
                      sc_core::sc_get_time_resolution().to_string().c_str());
            return nullptr;
        }
        try {
            g_platform = new lsnn_sc::Platform("lsnn_platform",
                                               sc_core::sc_time((double)period, sc_core::SC_PS));
        } catch (const std::exception &x) {
            lsnn_fail(e, "SystemC: elaboration failed: %s", x.what());
            return nullptr;
        }
        g_period_ps = period;
    } else if (period != g_period_ps) {
        lsnn_fail(e,
                  "SystemC: the platform was elaborated with a %" PRIu64 " ps clock; "
                  "clock_mhz %g asks for %" PRIu64 " ps (SystemC elaborates once per process)",
                  g_period_ps, cfg->clock_mhz, period);
        return nullptr;
    }
    lsnn_sc_chip *c = new (std::nothrow) lsnn_sc_chip();
    if (!c) {
        lsnn_fail(e, "SystemC: out of memory");
        return nullptr;
    }
    c->cfg = *cfg;
    c->p = g_platform;
    g_open = true;
    const int mx = cfg->mesh_x, my = cfg->mesh_y, b = cfg->noc_buffer;
    if (run(
            c, [&](std::string *m) { return c->p->host.reset(mx, my, b, m); }, e)) {
        lsnn_sc_chip_free(c);
        return nullptr;
    }
    return c;
}

void lsnn_sc_chip_free(lsnn_sc_chip *c)
{
    if (!c) return;
    g_open = false;
    delete c;
}

int lsnn_sc_chip_load(lsnn_sc_chip *c, const lsnn_image *img, lsnn_error *e)
{
    if (!lsnn_hw_same_core(&img->cfg, &c->cfg))
        return lsnn_fail(e, "SystemC: the image's core ('%s') differs from the platform's ('%s')",
                         img->cfg.name, c->cfg.name);
    for (int i = 0; i < img->ncores; i++)
        if (!active(c, img->cores[i].core_id))
            return lsnn_fail(e,
                             "SystemC: image core %d has core id %u %s, not a cell of the "
                             "active mesh [%d, %d]",
                             i, img->cores[i].core_id, cell_str(img->cores[i].core_id).c_str(),
                             c->cfg.mesh_x, c->cfg.mesh_y);
    if (run(
            c, [&](std::string *m) { return c->p->host.load(img, m); }, e))
        return -1;
    c->p->chip.reset_times();
    return 0;
}

int lsnn_sc_chip_word(lsnn_sc_chip *c, uint32_t core_id, uint32_t word, lsnn_error *e)
{
    return run(
        c,
        [&](std::string *m) {
            return c->p->host.write(LSNN_SC_HOST_CELL, core_id, m) ||
                           c->p->host.write(LSNN_SC_HOST_WORD, word, m)
                       ? -1
                       : 0;
        },
        e);
}

int lsnn_sc_chip_event(lsnn_sc_chip *c, uint32_t core_id, uint32_t axon, lsnn_error *e)
{
    if (axon > 0xFFFFu || core_id > 0xFFu)
        return lsnn_sc_chip_word(c, core_id, axon & 0x3FFFFFFFu, e);
    return run(
        c, [&](std::string *m) { return c->p->host.write(LSNN_SC_EVENT, core_id << 16 | axon, m); },
        e);
}

static int command(lsnn_sc_chip *c, uint32_t cmd, uint64_t *cycles, lsnn_error *e)
{
    if (run(
            c, [&](std::string *m) { return c->p->host.write(LSNN_SC_CMD, cmd, m); }, e))
        return -1;
    uint32_t k = 0;
    if (cycles) *cycles = dbg(c, LSNN_SC_CMD_CYCLES, &k, 4) ? 0 : k;
    return 0;
}

int lsnn_sc_chip_tick(lsnn_sc_chip *c, uint64_t *cycles, lsnn_error *e)
{
    return command(c, LSNN_SC_CMD_TICK, cycles, e);
}

int lsnn_sc_chip_clear(lsnn_sc_chip *c, uint64_t *cycles, lsnn_error *e)
{
    return command(c, LSNN_SC_CMD_CLEAR, cycles, e);
}

int lsnn_sc_chip_port_write(lsnn_sc_chip *c, uint32_t core_id, uint32_t addr, uint32_t data,
                            lsnn_error *e)
{
    return run(
        c, [&](std::string *m) { return c->p->host.port(core_id, true, addr, data, nullptr, m); },
        e);
}

int lsnn_sc_chip_port_read(lsnn_sc_chip *c, uint32_t core_id, uint32_t addr, uint32_t *data,
                           lsnn_error *e)
{
    return run(
        c, [&](std::string *m) { return c->p->host.port(core_id, false, addr, 0, data, m); }, e);
}

int lsnn_sc_chip_bus_write(lsnn_sc_chip *c, uint32_t addr, uint32_t value, lsnn_error *e)
{
    return run(
        c, [&](std::string *m) { return c->p->host.write(addr, value, m); }, e);
}

int lsnn_sc_chip_bus_read(lsnn_sc_chip *c, uint32_t addr, uint32_t *value, lsnn_error *e)
{
    return run(
        c, [&](std::string *m) { return c->p->host.read(addr, value, m); }, e);
}

int lsnn_sc_chip_debug_read(lsnn_sc_chip *c, uint32_t addr, void *buf, uint32_t len, lsnn_error *e)
{
    unsigned got = c->p->host.debug_read(addr, buf, len);
    if (got != len)
        return lsnn_fail(e, "SystemC: debug read of %u bytes at 0x%08x returned %u", len, addr,
                         got);
    return 0;
}

int lsnn_sc_chip_state(lsnn_sc_chip *c, uint32_t core_id, uint32_t n, lsnn_ref_state *out)
{
    uint32_t w[4];
    if (!active(c, core_id) || n >= (uint32_t)c->cfg.neurons ||
        dbg(c, LSNN_SC_DBG_STATE(core_id, n), w, sizeof w))
        return -1;
    const int V = c->cfg.v_bits, G = c->cfg.a_frac_bits, Q = c->cfg.ref_bits, U = c->cfg.acc_bits;
    (void)V, (void)G, (void)Q, (void)U;
    int lsb = 0; // the STATE row of §7, fields from bit 0 up (neurocore.def)
    auto bits = [&](int width) {
        uint64_t x = 0;
        for (int i = 0; i < width; i++)
            x |= (uint64_t)((w[(lsb + i) / 32] >> ((lsb + i) % 32)) & 1u) << i;
        return x;
    };
    enum { UNSIGNED, SIGNED };
#define LSNN_SC_FIELD(field, width, sign)                                                          \
    {                                                                                              \
        int wd = (width);                                                                          \
        uint64_t x = bits(wd);                                                                     \
        if ((sign) && wd < 64 && (x >> (wd - 1)) & 1) x |= ~0ull << wd;                            \
        out->field = (decltype(out->field))x;                                                      \
        lsb += wd;                                                                                 \
    }
    LSNN_ROW_STATE(LSNN_SC_FIELD)
#undef LSNN_SC_FIELD
    return 0;
}

int lsnn_sc_chip_core_counters(lsnn_sc_chip *c, uint32_t core_id, uint64_t out[LSNN_REF_NCOUNTERS])
{
    if (!active(c, core_id)) return -1;
    return dbg(c, LSNN_SC_DBG_COUNTERS(core_id), out, 8 * LSNN_REF_NCOUNTERS);
}

int lsnn_sc_chip_links(lsnn_sc_chip *c, uint32_t core_id, uint64_t flits[LSNN_PORTS],
                       uint64_t stalls[LSNN_PORTS])
{
    uint64_t k[2 * LSNN_PORTS];
    if (!active(c, core_id) || dbg(c, LSNN_SC_DBG_LINKS(core_id), k, sizeof k)) return -1;
    for (int o = 0; o < LSNN_PORTS; o++) {
        if (flits) flits[o] = k[2 * o];
        if (stalls) stalls[o] = k[2 * o + 1];
    }
    return 0;
}

void lsnn_sc_chip_counters(lsnn_sc_chip *c, uint64_t out[LSNN_CHIP_NCOUNTERS])
{
    static_assert(LSNN_CHIP_TICKS == 0 && LSNN_CHIP_CLEARS == 1 && LSNN_CHIP_CYCLES == 2 &&
                      LSNN_CHIP_BARRIER_CYCLES == 3 && LSNN_CHIP_NCOUNTERS == 4,
                  "the chip counter registers are in LSNN_CHIP_COUNTERS order");
    if (dbg(c, LSNN_SC_CHIP_TICKS, out, 8 * LSNN_CHIP_NCOUNTERS))
        std::memset(out, 0, 8 * LSNN_CHIP_NCOUNTERS);
}

size_t lsnn_sc_chip_outputs(lsnn_sc_chip *c, uint32_t core_id, uint32_t *out, int *ports,
                            size_t cap)
{
    uint32_t n = 0;
    if (!active(c, core_id) || dbg(c, LSNN_SC_DBG_NOUT(core_id), &n, 4)) return 0;
    size_t k = n < cap ? n : cap;
    if (!k) return n;
    std::vector<uint32_t> buf(2 * k);
    if (dbg(c, LSNN_SC_DBG_OUT(core_id, 0), buf.data(), (unsigned)(8 * k))) return 0;
    for (size_t i = 0; i < k; i++) {
        if (out) out[i] = buf[2 * i];
        if (ports) ports[i] = (int)buf[2 * i + 1];
    }
    return n;
}

int lsnn_sc_chip_set_link_stalls(lsnn_sc_chip *c, uint64_t seed, unsigned permille, lsnn_error *e)
{
    if (permille > 1000)
        return lsnn_fail(e, "SystemC: link stalls: %u per mille, at most 1000", permille);
    return run(
        c,
        [&](std::string *m) {
            return c->p->host.write(LSNN_SC_STALL_SEED_LO, (uint32_t)seed, m) ||
                           c->p->host.write(LSNN_SC_STALL_SEED_HI, (uint32_t)(seed >> 32), m) ||
                           c->p->host.write(LSNN_SC_STALL_PERMILLE, permille, m)
                       ? -1
                       : 0;
        },
        e);
}

void lsnn_sc_chip_times(lsnn_sc_chip *c, lsnn_sc_chip_time *out)
{
    const lsnn_sc::ChipTarget &t = c->p->chip;
    out->period_ps = t.period().value();
    out->now_ps = sc_core::sc_time_stamp().value();
    out->cycles = t.cycles();
    out->cmd_ps = t.cmd_time().value();
    out->bus_ps = t.bus_time().value();
}

} // extern "C"
