/* fuzz_hwconfig.c - libFuzzer target for the hardware-config reader (lsnn_hw_parse,
 * runtime/config/hwconfig.c over runtime/base/yamltree.c).
 *
 * Every input is parsed as a whole models/hw/NAME.yaml. A config that is accepted must pass
 * lsnn_hw_check (the ranges and relations of docs/neurocore.md §2 that images are checked
 * against), have a valid name and a clock in (0, 10000] MHz, and give widths that fit the
 * fields of §2. A refused one must report "fuzz:LINE:COL: error: ...". Seeds:
 * tests/fuzz_corpus/hwconfig (the models/hw/ files); docs/fuzzing.md has the commands. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hwconfig.h"

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_hwconfig: %s: %s\n", what, msg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lsnn_hw_config c;
    lsnn_error e;
    if (lsnn_hw_parse("fuzz", (const char *)data, size, &c, &e)) {
        if (strncmp(e.msg, "fuzz:", 5) != 0) die("a message without FILE:LINE", e.msg);
        if (!strstr(e.msg, ": error: ")) die("a message without 'error:'", e.msg);
        return 0;
    }
    if (lsnn_hw_check(&c, &e)) die("an accepted config fails lsnn_hw_check", e.msg);
    size_t n = strnlen(c.name, sizeof c.name);
    if (c.version != LSNN_HW_VERSION || n == 0 || n == sizeof c.name) die("version or name", "");
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", c.name[i]))
            die("a name character", c.name);
    if (!isfinite(c.clock_mhz) || !(c.clock_mhz > 0) || c.clock_mhz > 10000)
        die("clock_mhz out of range", "");
    int cores = lsnn_hw_cores(&c);
    if (cores < 1 || cores > LSNN_HW_MAX_CORES) die("cores out of range", "");
    for (int k = 0; k < cores; k++) {
        unsigned id = lsnn_hw_nth_cell(&c, k);
        if (!lsnn_hw_cell_of(&c, id, NULL, NULL)) die("a mesh cell outside the mesh", "");
    }
    lsnn_hw_widths w = lsnn_hw_widths_of(&c);
    if (w.TB < 0 || w.NB > 12 || w.XB > 16 || w.MB > 20 || w.RB > 16 || w.PB < 1 || w.PB > 6 ||
        (1 << w.NB) != c.neurons || (1 << w.SB) != c.synapses_per_word)
        die("derived widths out of range", "");
    if (lsnn_hw_clear_cycles(&c) < 3) die("clear cycles", "");
    return 0;
}
