/* sram.c - the SRAM model: energy per access, area and leakage of a memory split into banks.
 *
 * One 64-bit read from an array of s KiB costs E64(s): the table's anchor energies at their
 * sizes (Horowitz ISSCC 2014: 8 KB, 32 KB, 1 MB), a power law between neighbouring anchors
 * (log-log interpolation, so the anchors are met exactly) and E ~ s^x beyond them (x the
 * table's size_exponent: CACTI-style sqrt(size) growth of bit- and word-line length). A
 * w-bit access costs w/64 of it (linear in width [U]); a write write_per_read times a read.
 * A memory of B bits is split into ceil(B / bank_max) equal banks; an access touches one bank,
 * so its energy is that of a bank's size. docs/energy.md, "The SRAM model". */
#include "energy.h"

#include <string.h>

#include "pmath.h" /* the runtime calls no libm (tests/cross_cpu_digest.sh) */

/* x^y for x > 0, as exp(y log x) with the project's portable functions. */
static double pow_pos(double x, double y)
{
    return lsnn_exp(y * lsnn_log(x));
}

/* E64 at `kib`: interpolated between anchors, extrapolated with the size exponent. */
static double read64_pj(const lsnn_tech_sram *m, double kib)
{
    int n = m->n_anchors;
    const double *a = m->anchor_kib;
    double x = m->size_exponent.value;
    if (kib <= a[0]) return m->read64[0].value * pow_pos(kib / a[0], x);
    if (kib >= a[n - 1]) return m->read64[n - 1].value * pow_pos(kib / a[n - 1], x);
    int i = 0;
    while (kib > a[i + 1])
        i++;
    double e0 = m->read64[i].value, e1 = m->read64[i + 1].value;
    if (e0 <= 0) return e1 * (kib - a[i]) / (a[i + 1] - a[i]); /* no log of 0: linear */
    double p = lsnn_log(e1 / e0) / lsnn_log(a[i + 1] / a[i]);
    return e0 * pow_pos(kib / a[i], p);
}

int lsnn_sram_price(const lsnn_tech_sram *m, const char *name, uint64_t rows, int width,
                    int instances, lsnn_sram_mem *out, lsnn_error *e)
{
    if (!m || m->n_anchors < 1 || m->n_anchors > LSNN_SRAM_MAX_ANCHORS)
        return lsnn_fail(e, "sram: memory %s: no SRAM model (a table's sram section)",
                         name ? name : "?");
    if (rows < 1 || rows > (1ull << 40) || width < 1 || width > 4096 || instances < 1 ||
        instances > 4096)
        return lsnn_fail(e,
                         "sram: memory %s: rows must be in 1..2^40, width in 1..4096 bits and "
                         "instances in 1..4096; got %llu rows x %d bits x %d",
                         name ? name : "?", (unsigned long long)rows, width, instances);
    double bank_max_bits = m->bank_max.value * 8192.0;
    if (!(bank_max_bits >= width))
        return lsnn_fail(e, "sram: memory %s: a %d-bit row does not fit a bank of bank_max %g KiB",
                         name ? name : "?", width, m->bank_max.value);
    static const lsnn_sram_mem zero;
    lsnn_sram_mem r = zero;
    snprintf(r.name, sizeof r.name, "%s", name ? name : "");
    r.rows = rows;
    r.width = width;
    r.instances = instances;
    double banks = ceil((double)rows * width / bank_max_bits);
    if (banks > 1e6)
        return lsnn_fail(e, "sram: memory %s needs %.0f banks of %g KiB, more than 10^6",
                         name ? name : "?", banks, m->bank_max.value);
    /* equal banks of whole rows, none above bank_max */
    for (r.banks = (int)banks;; r.banks++) {
        r.bank_rows = (rows + (uint64_t)r.banks - 1) / (uint64_t)r.banks;
        if ((double)r.bank_rows * width <= bank_max_bits) break;
    }
    r.bank_bits = (double)r.bank_rows * width;
    r.bits = (double)instances * r.banks * r.bank_bits;
    r.read_pj = read64_pj(m, r.bank_bits / 8192.0) * width / 64.0;
    r.write_pj = r.read_pj * m->write_per_read.value;
    r.area_um2 = r.bits * m->bit_area.value;
    r.bank_leak_w = r.bank_bits * m->bit_leakage.value * 1e-12;
    r.leak_w = r.bits * m->bit_leakage.value * 1e-12;
    *out = r;
    return 0;
}
