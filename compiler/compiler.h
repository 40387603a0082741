/* compiler.h - lowers a trained float LSNN onto neurocores (docs/neurocore.md §4, §6, §7, §13).
 *
 * The pipeline (driver.c, lsnn_cc_build): quantise -> place -> lower -> host map -> calibrate,
 * then emit (lsnn_cc_emit). Each pass is one file and usable on its own:
 *   lsnn_cc_quantise (quantise.c): the integer parameters of §4 (scales, profiles, folded
 *                     weights with a per-axon exponent, delays) and a report of everything
 *                     clipped or dropped;
 *   lsnn_cc_place (place.c): partitions the neurons over the mesh's cores (one core when it
 *                     fits, else the recurrent neurons split evenly over r cores and the
 *                     readouts on the next one, for the smallest r that fits), lays out axons,
 *                     synapse segments packed by bank (§7 SYN) and routing tables; design-rule
 *                     checks of §13 and a utilisation summary per core;
 *   lsnn_cc_lower (lower.c): the placed network as an lsnn_image, row by row;
 *   lsnn_cc_hostmap (host.c): the host's side (hostmap.h);
 *   lsnn_cc_calibrate (calibrate.c): the image on the reference chip beside the float network.
 * lsnn_cc_program / lsnn_cc_make_cores give reference cores of the image for tests and
 * benchmarks; lsnn_cc_run_sequence is the host of §6 for a one-core placement, with per-step
 * recording for tests.
 *
 * Global neuron slots: recurrent neurons 0..n_rec-1 (net order), then readouts
 * n_rec..n_rec+n_out-1. Global axons (quantisation): input channel i -> i; recurrent source i
 * -> n_in + i (its recurrent synapses); readout source i -> n_in + n_rec + i (its readout
 * synapses, §4.4's default). Per core, each group present becomes a block (lsnn_cc_core), and
 * the weight exponent of a global axon is shared by all its blocks, so a multi-core placement
 * computes exactly what a one-core placement of the same network computes.
 * Routing: recurrent neuron n -> every core with a recurrent block (axon rec_base + n) and
 * every core with a readout block (ro_base + n). By default these are relative entries
 * (§7 RTE rel), one per destination block, shared by all neurons of the source core;
 * route_rel = 0 writes one entry per neuron and destination holding synapses of it.
 * Readouts have no routes: the host reads their v field (§6). */
#ifndef LSNN_COMPILER_H
#define LSNN_COMPILER_H

#include <stdint.h>
#include <stdio.h>

#include "batch.h"
#include "engine.h"
#include "error.h"
#include "hostmap.h"
#include "hwconfig.h"
#include "image.h"
#include "quant.h"
#include "ref_core.h"
#include "spec.h"

#define LSNN_CC_HEADROOM    9  /* H of §4.2: b0 * 2^e < 2^(V-1-H) (= LSNN_QUANT_HEADROOM) */
#define LSNN_CC_MAX_PROF    64 /* P is at most 64 (§2) */
#define LSNN_CC_MAX_DEST    15 /* §13 rule 6 */
#define LSNN_CC_LOG_LEN     4096
#define LSNN_CC_POP_READOUT (LSNN_MAX_POPS) /* index of the readout population in pops[] */

typedef struct {
    int route_rel; /* 1 (default): relative routing entries, 2 in all; 0: 2 per neuron */
    int cores;     /* 0 (default): the fewest cores that hold the network; N >= 1: exactly N
                      (N > 1: the recurrent neurons over N - 1 cores, the readouts on the last) */
    int progress;  /* the calibration's progress on stderr: an LSNN_PROGRESS_* mode
                      (progress.h); 0 (default): none */
    int wexp_rule; /* the axons' weight-exponent rule (quant.h): LSNN_WEXP_MAX, LSNN_WEXP_MSE;
                      0 (LSNN_WEXP_DEFAULT): the default for the weight width */
} lsnn_cc_options;

void lsnn_cc_default_options(lsnn_cc_options *o);

/* A population on the core: its slots and its power-of-two scale (v_int = v * 2^e). */
typedef struct {
    char name[LSNN_NAME_MAX];
    int first, size; /* neuron slots first .. first+size-1 */
    int e;           /* e_p (spiking) or e_r (readout) */
} lsnn_cc_pop;

/* One quantised synapse of an axon. */
typedef struct {
    uint32_t tgt; /* target neuron slot */
    uint32_t d;   /* delay slot */
    int32_t m;    /* mantissa, |m| <= 2^(W-1)-1, never 0 */
} lsnn_cc_syn;

enum { LSNN_CC_SRC_INPUT, LSNN_CC_SRC_REC, LSNN_CC_SRC_READOUT };

/* One axon = one source's synapses of one weight group (§4.4). */
typedef struct {
    int kind;      /* LSNN_CC_SRC_* */
    int src;       /* input channel or recurrent neuron */
    uint32_t wexp; /* 0..15 */
    size_t first;  /* its synapses: syn[first .. first+nsyn), ascending tgt */
    int nsyn;
    int max_d; /* largest delay among its synapses (-1: none) */
} lsnn_cc_axon;

/* What quantisation changed (§4.4, §13 rules 11, 12, 15). Every count is also a log line. */
typedef struct {
    long n_weights;            /* nonzero float weights quantised */
    long n_clipped;            /* |w~| > (2^(W-1)-1) * 2^15: mantissa clipped */
    long n_dropped;            /* rounded to m = 0 and dropped */
    double max_err_lsb;        /* max |m - w~/2^wexp| over unclipped weights (<= 0.5) */
    double max_err_v;          /* max |m*2^wexp - w~| in target v-LSB, clipped ones included */
    int n_leak_warn;           /* rule 12: decays with k < 2^(K-1) (or k = 0) */
    int acc_never_sat;         /* §12: every neuron's sum of |m*2^wexp| < 2^(U-1) */
    int silence_checked;       /* lsnn_cc_check_silence ran */
    int silent;                /* it found the quantised net silent where the float one spikes */
    char log[LSNN_CC_LOG_LEN]; /* one line per warning, clip or saturation */
} lsnn_cc_report;

/* Used / available per resource of §13 (one core). */
typedef struct {
    uint32_t neurons, neurons_max;
    uint32_t axons, axons_max;
    uint32_t words, words_max;
    uint32_t routes, routes_max;
    uint32_t profiles, profiles_max;
    long synapses; /* valid lanes */
} lsnn_cc_usage;

#define LSNN_CC_NO_BLOCK UINT32_MAX

/* One placed core. It holds the global neuron slots first..first+size-1 at local neurons
 * 0..size-1, and up to three axon blocks, in this order (so every neuron receives its events
 * in the same order as on one core, §5.1): input channel i at in_base + i, recurrent source n
 * at rec_base + n (its recurrent synapses onto this core), recurrent source n at ro_base + n
 * (its readout synapses onto this core). A block is present only if some synapse of its
 * group targets the core. */
typedef struct {
    uint32_t id;                         /* core id = mesh cell */
    uint32_t first, size;                /* global neuron slots */
    uint32_t in_base, rec_base, ro_base; /* LSNN_CC_NO_BLOCK when absent */
    uint32_t nu, xu;
    lsnn_ref_axt *axt;    /* [xu] */
    lsnn_ref_lane *lanes; /* [n_words * S] */
    uint32_t n_words;
    lsnn_ref_rix *rix; /* [nu] */
    lsnn_ref_rte *rte; /* [n_rte] */
    uint32_t n_rte;
    lsnn_cc_usage usage;
} lsnn_cc_core;

typedef struct {
    lsnn_hw_config cfg;
    lsnn_cc_options opt;
    int n_in, n_rec, n_out;
    int spike_from_prev;
    /* quantisation (§4) */
    int n_pops;                          /* spiking populations */
    lsnn_cc_pop pops[LSNN_MAX_POPS + 1]; /* [LSNN_CC_POP_READOUT] is the readout */
    int e_r;
    int64_t *bias;  /* [n_out] host bias_c = round(b_out * 2^e_r) (§4.5) */
    int *slot_e;    /* [n_rec + n_out] scale of each neuron slot */
    int n_profiles; /* distinct profiles (every core holds the whole table) */
    lsnn_ref_profile profile[LSNN_CC_MAX_PROF];
    uint32_t *ncfg; /* [n_rec + n_out] profile of each slot */
    int n_axons;
    lsnn_cc_axon *axon; /* [n_axons]: inputs, recurrent sources, readout sources (layout above) */
    lsnn_cc_syn *syn;   /* all axons' synapses; tgt is the global slot */
    size_t n_syn;
    int max_delay; /* over all placed synapses */
    lsnn_cc_report report;
    /* placement (§7), valid after lsnn_cc_place */
    int n_cores;
    lsnn_cc_core *core;   /* [n_cores], core i has id i */
    long routes_explicit; /* routing entries one per (neuron, destination core) would need */
} lsnn_compiled;

/* (k, f) = leakcode(q) of §4.3 for decay bits K. Returns 1 when rule 12 warns (k = 0, or
 * k < 2^(K-1)), else 0. q must lie in [0, 1]. (lsnn_quant_leakcode of quant.h.) */
int lsnn_cc_leakcode(double q, int K, uint32_t *k, uint32_t *f);

/* §4 on net (+ spec for population names, scales and dt; NULL: one population "rec", dt 1 ms)
 * for cfg. cc is zeroed and filled (free with lsnn_cc_free, also after a failure). Returns 0,
 * or -1 with every violated per-parameter rule (§13 rules 8-11) in e, one "; " apart. */
int lsnn_cc_quantise(const lsnn_net *net, const lsnn_spec *spec, const lsnn_hw_config *cfg,
                     const lsnn_cc_options *opt, lsnn_compiled *cc, lsnn_error *e);

/* Places a quantised network on the mesh's cores (see above). Checks §13 rules 1-7, 13 and 14
 * against cfg; each message names the core, the resource, the need, the limit and its config
 * key, and by how much it is exceeded. Returns 0 with the placement and usage filled, or -1
 * with all violations of the last layout tried (the most cores) in e. */
int lsnn_cc_place(lsnn_compiled *cc, lsnn_error *e);

/* lsnn_cc_quantise + lsnn_cc_place. */
int lsnn_cc_compile(const lsnn_net *net, const lsnn_spec *spec, const lsnn_hw_config *cfg,
                    const lsnn_cc_options *opt, lsnn_compiled *cc, lsnn_error *e);

void lsnn_cc_free(lsnn_compiled *cc);

/* The utilisation summary (§13) per core with the routing-table sizes, and the quantisation
 * report, human-readable. */
void lsnn_cc_print_usage(FILE *f, const lsnn_compiled *cc);
void lsnn_cc_print_report(FILE *f, const lsnn_compiled *cc);

/* Programs a fresh core (whose config must equal cc->cfg's core keys) with a one-core
 * placement, lowered to an image and loaded as the loader does (lsnn_image_program): CORE_ID,
 * NU, XU, PROFILE, NCFG, AXT, SYN, RIX, RTE; STATE zero. Returns 0, or -1 (also when the
 * placement has more cores). */
int lsnn_cc_program(lsnn_ref_core *core, const lsnn_compiled *cc, lsnn_error *e);

/* Fresh reference cores for every placed core, programmed: *cores[n_cores] (free each with
 * lsnn_ref_free and the array with free). Returns 0 or -1. */
int lsnn_cc_make_cores(const lsnn_compiled *cc, lsnn_ref_core ***cores, lsnn_error *e);

/* The host's side of the placement (hostmap.h): populations, placement, input axons, readout
 * scale and bias; `model` is the spec's file name in the image directory. The derived arrays
 * are left for lsnn_hostmap_check. Returns 0 or -1 (out of memory). */
int lsnn_cc_hostmap(const lsnn_compiled *cc, const char *model, lsnn_hostmap *m, lsnn_error *e);

/* What the host records of one sequence of T steps. */
typedef struct {
    int T, n_rec, n_out, n_win;
    uint8_t *z; /* [T][n_rec]: spikes of step t (after tick t) */
    int64_t *v; /* [T][n_rec]: v after tick t (v-LSB of the neuron's population) */
    int64_t *a; /* [T][n_rec]: a after tick t (2^-G v-LSB) */
    int64_t *r; /* [T][n_out]: r_t = the readout's v after tick t+1 (§5.4), 2^-e_r units */
    /* the batch's windows of this sequence, in batch order (§6) */
    int64_t *sum;   /* [n_win][n_out] */
    int64_t *score; /* [n_win][n_out] sum + L * bias */
    double *logit;  /* [n_win][n_out] score / (L * 2^e_r) */
    int *pred;      /* [n_win] argmax, ties to the lowest class */
    long spikes;    /* recurrent spikes over the sequence */
} lsnn_cc_trace;

int lsnn_cc_trace_alloc(lsnn_cc_trace *tr, const lsnn_compiled *cc, int T, int n_win);
void lsnn_cc_trace_free(lsnn_cc_trace *tr);

/* The host of §5.4/§6 for sequence seq of batch on a programmed core: CLEAR; for t = 0..T:
 * EVENT for each input spike of step t (t < T), TICK; records z, v, a of step t and the
 * readouts after tick t (= r_{t-1}); then each window [s, e) of seq: sum_c = sum of r_k over
 * k in [s, e), score and logit. tr must be allocated for T = batch->n_steps and at least
 * the number of windows of seq. Returns 0, or -1 on a size mismatch. */
int lsnn_cc_run_sequence(lsnn_ref_core *core, const lsnn_compiled *cc, const lsnn_batch *batch,
                         int seq, lsnn_cc_trace *tr, lsnn_error *e);

/* The silence hook of §13 (calibration): runs every sequence of batch on core and sets
 * cc->report.silence_checked and .silent (no recurrent spike at all while the float network
 * had float_spikes > 0 over the same batch); logs a warning. Returns 0 or -1. */
int lsnn_cc_check_silence(lsnn_ref_core *core, lsnn_compiled *cc, const lsnn_batch *batch,
                          double float_spikes, lsnn_error *e);

/* The silence verdict of §13 for a calibration run elsewhere (several cores, say):
 * float_spikes and fixed_spikes count recurrent spikes over the same n_seq sequences. Sets
 * cc->report.silence_checked and .silent and logs the warning; lsnn_cc_check_silence ends
 * here too. */
void lsnn_cc_note_silence(lsnn_compiled *cc, int n_seq, double float_spikes, long fixed_spikes);

/* ---- the pipeline (driver.c) -------------------------------------------------------------- */

/* compile's calibration (§13): the first n test sequences on the float network and on the
 * image's reference chip; silence, a rate off by 2x or saturations are warnings. */
typedef struct {
    int done, n_seq;
    double float_hz, fixed_hz;
    uint64_t sat[4];            /* acc, v, readout, a */
    char skipped[LSNN_ERR_LEN]; /* why it did not run (no data, ...), or "" */
} lsnn_cc_calibration;

/* Everything lsnn_cc_build makes: the placed network and its report, the image (with the
 * manifest's host section), the host's map and the calibration. */
typedef struct {
    lsnn_compiled cc;
    lsnn_image img;
    lsnn_hostmap hm;
    lsnn_cc_calibration cal;
} lsnn_cc_build_result;

/* quantise -> place -> lower -> host map -> calibrate (the first `calibrate` test sequences;
 * 0 skips it), checking the invariants between the passes. Returns 0, or -1 with "the model
 * does not fit hw config 'NAME': ..." (quantise, place) or "building the image ..." (a
 * compiler error) in e. Free *b with lsnn_cc_build_free, also after a failure. */
int lsnn_cc_build(const lsnn_net *net, const lsnn_spec *spec, const lsnn_hw_config *cfg,
                  const lsnn_cc_options *opt, int calibrate, lsnn_cc_build_result *b,
                  lsnn_error *e);

/* emit: writes the image directory dir: image.bin, the $readmemh files, manifest.yaml with
 * the host map, and the model spec (b->hm.model), each atomically. Returns 0 or -1. */
int lsnn_cc_emit(const lsnn_cc_build_result *b, const lsnn_spec *spec, const char *dir,
                 lsnn_error *e);

void lsnn_cc_build_free(lsnn_cc_build_result *b);

/* The placed network as a hardware image (lower.c). Returns 0, or -1 (img left freed). */
int lsnn_cc_lower(const lsnn_compiled *cc, lsnn_image *img, lsnn_error *e);

/* calibrate.c: fills b->cal (and the report's silence verdict); never fails. progress is an
 * LSNN_PROGRESS_* mode (progress.h). */
void lsnn_cc_calibrate(const lsnn_spec *spec, const lsnn_net *net, lsnn_cc_build_result *b, int n,
                       int progress);

#endif
