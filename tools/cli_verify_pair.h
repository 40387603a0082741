/* cli_verify_pair.h - lsnn verify's engine: the reference core and the RTL neurocore in
 * lockstep behind one host-engine interface (runtime/include/lsnn/ref_host.h). The host drives the pair
 * exactly as it drives one engine, and every CLEAR and TICK compares them; a difference stops
 * the run as an error with `diverged` set. Needs the RTL (LSNN_HAVE_RTL). */
#ifndef LSNN_CLI_VERIFY_PAIR_H
#define LSNN_CLI_VERIFY_PAIR_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hostmap.h"
#include "image.h"
#include "lsnn_fixed.h"
#include "ref_core.h"
#include "rtl_core.h"

/* The first difference: where (sequence, tick, local neuron or -1), what, both values. */
typedef struct {
    long seq, tick;
    char what[64];
    long neuron;
    int64_t ref_val, rtl_val;
} cli_divergence;

/* The output words of a tick, in order, with their ports. */
typedef struct {
    uint32_t w[65536];
    int port[65536];
    size_t n;
} cli_words;

typedef struct {
    lsnn_ref_core *ref;
    lsnn_rtl *rtl;
    cli_words out, rtl_out;
    long seq; /* sequences start with a CLEAR: -1 before the first */
    long tick;
    uint64_t ticks;
    int diverged;
    cli_divergence d;
} cli_pair;

/* 0 if the RTL engine can run img: one core, a config with a verilated model. Otherwise -1
 * with the reason in e (dir names the image). */
int cli_pair_fits(const char *dir, const lsnn_image *img, lsnn_error *e);

/* Loads the RTL with fx's single core (through the programming port, or with $readmemh from
 * dir's hex files), records a cycle-level VCD if vcd is non-NULL, and makes fx->engine drive
 * the pair of fx's reference core and the RTL. 0, or -1 with a message in e (cli_pair_free
 * still applies). */
int cli_pair_start(cli_pair *p, cli_fixed *fx, const char *dir, const char *vcd, int readmemh,
                   lsnn_error *e);

void cli_pair_free(cli_pair *p);

/* The global neuron (host-map numbering) of the divergence's local neuron on core index 0, or
 * -1 (no neuron: a cycle count, a counter or an output word, whose index is in d->neuron). */
long cli_divergence_neuron(const lsnn_hostmap *m, const cli_divergence *d);

#endif
