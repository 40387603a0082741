/* targets.h - the command line's table of targets (target.h): each engine by name. Adding an
 * engine (SystemC, JIT, MCU) is its target file and one line in targets.c. */
#ifndef LSNN_CLI_TARGETS_H
#define LSNN_CLI_TARGETS_H

#include <stddef.h>

#include "error.h"
#include "image.h"
#include "target.h"

/* How a target is opened on an image. */
typedef struct {
    const char *dir; /* the image directory (hex files for $readmemh, messages) */
    const char *vcd; /* a simulator's cycle-level VCD, or NULL */
    int readmemh;    /* load memories with $readmemh instead of through the port */
    int record;      /* record output words (lockstep comparisons) */
    /* what the VCD holds (--vcd-ticks A:B, --vcd-scope; lsnn_rtl_vcd in hw/rtl_core.h): the
     * cycles of ticks vcd_from .. vcd_to - 1 (vcd_to 0: to the end), the signals under
     * vcd_scope (NULL: all) */
    long vcd_from, vcd_to;
    const char *vcd_scope;
} cli_target_opts;

/* Opens the target called name on img (free with lsnn_target_close). Returns 0, or -1 with
 * the reason: an unknown name (listing the known ones), an engine this build lacks, or the
 * engine's own refusal. */
int cli_target_open(const char *name, const lsnn_image *img, const cli_target_opts *o,
                    lsnn_target *out, lsnn_error *e);

/* 1 if name is in the table (usage errors are caught before anything is opened). */
int cli_target_known(const char *name);

/* The names this build knows, ", "-separated. */
void cli_target_names(char *buf, size_t n);

#endif
