/* target_rtl.h - the RTL neurocore under Verilator (rtl_core.h) as a target (target.h). */
#ifndef LSNN_TARGET_RTL_H
#define LSNN_TARGET_RTL_H

#include "error.h"
#include "image.h"
#include "rtl_core.h"
#include "target.h"

/* 0 if the RTL target can run img: one core of a config with a verilated core model, or
 * several cores of a config that a verilated chip runs (rtl_chip.h). Otherwise -1 with the
 * reason in e (dir names the image). */
int lsnn_target_rtl_fits(const char *dir, const lsnn_image *img, lsnn_error *e);

/* The RTL neurocore loaded with img's single core through the programming port, or with
 * $readmemh from dir's hex files (readmemh), as a target that owns the simulation (free it
 * with lsnn_target_close); vcd non-NULL (with a path) records a cycle-level VCD, limited as
 * lsnn_rtl_vcd says (rtl_core.h). It records its output words, and sim_cycles counts every
 * simulated clock cycle since the load began. Returns 0,
 * or -1 with the reason (lsnn_target_rtl_fits, a failed load). */
int lsnn_target_rtl_open(const lsnn_image *img, const char *dir, const lsnn_rtl_vcd *vcd,
                         int readmemh, lsnn_target *out, lsnn_error *e);

/* The same for an image of several cores on the verilated chip (target_rtl_chip.c): a mesh of
 * neurocores, routers and the barrier of docs/neurocore.md §16; lsnn_target_rtl_open calls
 * it for images of more than one core. */
int lsnn_target_rtl_chip_open(const lsnn_image *img, const char *dir, const lsnn_rtl_vcd *vcd,
                              int readmemh, lsnn_target *out, lsnn_error *e);

#endif
