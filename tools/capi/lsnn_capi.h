/* lsnn_capi.h - liblsnn.so: the small, stable C ABI that the Python package (python/lsnn)
 * calls through ctypes. Plain C types only; every function that can fail returns -1 (or NULL)
 * and leaves the reason in lsnn_capi_error(), the same message the lsnn command would print.
 *
 * Not thread-safe: one call at a time per process (the commands write to stdout and stderr,
 * which lsnn_capi_command redirects while it runs). Version: LSNN_CAPI_VERSION; a change that
 * breaks callers raises it. */
#ifndef LSNN_CAPI_H
#define LSNN_CAPI_H

#include <stddef.h>
#include <stdint.h>

#define LSNN_CAPI_VERSION 1
#define LSNN_CAPI         __attribute__((visibility("default")))

/* The ABI version, LSNN_CAPI_VERSION. */
LSNN_CAPI int lsnn_capi_version(void);

/* The message of the last failure ("" when none). Valid until the next call. */
LSNN_CAPI const char *lsnn_capi_error(void);

/* Frees what the functions below return as malloc'ed memory. */
LSNN_CAPI void lsnn_capi_free(void *p);

/* The engines this library can open, ", "-separated ("ref, rtl, systemc, jit"). */
LSNN_CAPI const char *lsnn_capi_engines(void);

/* The name of counter i (0..26) of §11 ("ticks", "cycles", ...), as the trace's k lines
 * order them; NULL outside. */
LSNN_CAPI const char *lsnn_capi_counter_name(int i);

/* Runs `lsnn ARGV[0] ARGV[1..]` (train, compile, energy, plot, ...) in this process: the
 * command's own code, not a subprocess. What it prints on stdout is returned in *out
 * (malloc'ed, NUL-terminated; out may be NULL to drop it); what it prints on stderr becomes
 * lsnn_capi_error() when it fails and is passed on to stderr when it succeeds. Returns the
 * command's exit status (0, 1 failure, 2 usage error). SIGINT and SIGTERM handlers are
 * restored afterwards (lsnn train installs its own while it runs). */
LSNN_CAPI int lsnn_capi_command(int argc, const char *const *argv, char **out);

/* ---- models: a run folder's spec and weights (capi_model.c) --------------------------------- */

typedef struct lsnn_capi_model lsnn_capi_model;

/* Loads RUN_DIR/model.yaml and weights.safetensors (every check of lsnn eval). NULL on
 * failure. */
LSNN_CAPI lsnn_capi_model *lsnn_capi_model_load(const char *run_dir);
LSNN_CAPI void lsnn_capi_model_free(lsnn_capi_model *m);

/* The spec as canonical YAML (malloc'ed). */
LSNN_CAPI char *lsnn_capi_model_spec(const lsnn_capi_model *m);

/* Tensor `name` (w_in, w_rec, w_out, b_out: F32; delay_in, delay_rec: U8): its shape (cols 1
 * for a vector) and element size in bytes (4 or 1). 0, or -1 for an unknown name. */
LSNN_CAPI int lsnn_capi_model_shape(const lsnn_capi_model *m, const char *name, int *rows,
                                    int *cols, int *elem_size);

/* Copies tensor `name` out to dst / in from src (bytes must be rows * cols * elem_size). A set
 * is checked as lsnn_model_load checks a file: finite weights, w_rec's diagonal zero, delays
 * below n_delay. 0 or -1. */
LSNN_CAPI int lsnn_capi_model_get(const lsnn_capi_model *m, const char *name, void *dst,
                                  size_t bytes);
LSNN_CAPI int lsnn_capi_model_set(lsnn_capi_model *m, const char *name, const void *src,
                                  size_t bytes);

/* Writes the model as a run folder (marker, model.yaml, weights.safetensors; atomically, under
 * the folder's lock) that lsnn eval and lsnn compile take. A DEEP R model is saved with its
 * effective weights only. 0 or -1. */
LSNN_CAPI int lsnn_capi_model_save(const lsnn_capi_model *m, const char *run_dir);

/* ---- an image on an engine (capi_chip.c) ----------------------------------------------------- */

typedef struct lsnn_capi_chip lsnn_capi_chip;

/* Opens IMAGE_DIR (every check of lsnn run) on engine `engine` (ref, rtl, systemc, jit), with
 * the inputs of spike file `input` (lsnn-spikes, docs/trace-format.md) or, when input is NULL,
 * the test set of the task of the image's model. NULL on failure. */
LSNN_CAPI lsnn_capi_chip *lsnn_capi_open(const char *image_dir, const char *engine,
                                         const char *input);
LSNN_CAPI void lsnn_capi_close(lsnn_capi_chip *c);

/* Sizes: out[0..5] = inputs, recurrent neurons, readouts, cores, steps per sequence,
 * sequences available (test set or spike file). */
LSNN_CAPI void lsnn_capi_sizes(const lsnn_capi_chip *c, int out[6]);

/* Runs the first n_seq sequences (all if n_seq <= 0), as lsnn run --samples n_seq does
 * (the test set in batches of the spec's batch size), recording after every tick t = 0..T
 * each neuron's state and each core's counter increments. totals[0..4] = sequences, scored
 * windows, correct predictions, recurrent spikes, steps. 0 or -1. */
LSNN_CAPI int lsnn_capi_run(lsnn_capi_chip *c, int n_seq, int64_t totals[5]);

/* The last run's records: state [seq][tick][neuron][4] (v, a, ref, z of every global neuron,
 * recurrent then readouts, as the trace's n lines), counters [seq][tick][core][27] (each
 * core's increments, as the trace's k lines), cycles [seq][tick] (the trace's tick lines) and
 * core_id [core]. dims[0..3] = sequences, ticks per sequence, neurons, cores. Any pointer may
 * be NULL; each must hold the product of its dims. */
LSNN_CAPI void lsnn_capi_dims(const lsnn_capi_chip *c, int dims[4]);
LSNN_CAPI void lsnn_capi_records(const lsnn_capi_chip *c, int64_t *state, uint64_t *counters,
                                 uint64_t *cycles, int32_t *core_id);

#endif
