/* target_systemc.h - the SystemC virtual platform (sc_chip.h) as a target (target.h): the engine
 * `systemc` of lsnn run and lsnn verify (tools/targets.c). */
#ifndef LSNN_TARGET_SYSTEMC_H
#define LSNN_TARGET_SYSTEMC_H

#include "error.h"
#include "image.h"
#include "target.h"

/* The platform loaded with img through its programming window, as a target that holds the
 * platform until lsnn_target_close (one at a time per process). It records its output words;
 * sim_cycles counts the clock cycles since the platform started, sim_time the SystemC time
 * since the load. Returns 0, or -1 with the reason (a config the platform's chip does not run,
 * a failed load, the platform already open). */
int lsnn_target_systemc_open(const lsnn_image *img, lsnn_target *out, lsnn_error *e);

#endif
