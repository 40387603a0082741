/* nir.h - NIR (Neuromorphic Intermediate Representation, file format 1.0) import and export of
 * this project's networks (docs/nir.md).
 *
 * A NIR graph is continuous-time; a network here is a discrete-time LSNN (model.yaml +
 * weights.safetensors). Import chooses a discretisation and maps the graph's nodes onto one
 * recurrent layer of LIF/ALIF (optionally CUBA) populations and a leaky readout (a chain of
 * spiking layers becomes blocks of that layer, each a step behind the one before); what the
 * neurons cannot express is refused with a message naming the node, the parameter and the
 * limit. Export writes the network as NIR 1.0 nodes, with the documented extension node types
 * lsnn.ALIF / lsnn.CubaALIF for adaptation and refractory periods (or plain LIF nodes and a
 * warning, with drop_adaptation). */
#ifndef LSNN_NIR_H
#define LSNN_NIR_H

#include "engine.h"
#include "error.h"
#include "spec.h"

/* The NIR file-format version written, and the major version read. */
#define LSNN_NIR_VERSION "1.0"

/* How continuous-time dynamics become one step of dt (docs/nir.md, "Discretisation"). */
typedef enum {
    LSNN_NIR_DISC_AUTO = -1, /* import: the graph's metadata "discretisation", else zoh */
    LSNN_NIR_ZOH = 0,        /* exact exponential, input held over the step: decay exp(-dt/tau) */
    LSNN_NIR_EULER           /* forward Euler: decay 1 - dt/tau (snnTorch's export convention) */
} lsnn_nir_discretisation;

/* How a graph's reset to v_reset is taken in discrete time. */
typedef enum {
    LSNN_NIR_RESET_AUTO = 0, /* the graph's metadata "reset" if present, else subtract */
    LSNN_NIR_RESET_SUBTRACT, /* subtract (v_threshold - v_reset) at the step after a spike */
    LSNN_NIR_RESET_ZERO      /* set v to v_reset at the step after a spike: refused (docs/nir.md) */
} lsnn_nir_reset;

/* Warnings go to warn(ctx, message) (one line, no newline); warn NULL drops them. */
typedef void (*lsnn_nir_warn_fn)(void *ctx, const char *msg);

typedef struct {
    double dt_ms;        /* the step; 0: the graph's metadata dt_ms if present, else 1 */
    double time_unit_ms; /* ms per time unit of the graph's time constants (1: ms, 1000: s) */
    lsnn_nir_discretisation disc;
    lsnn_nir_reset reset;
    const char *task_from; /* a model spec whose name, seed, task and training are kept */
    const char *name;      /* the model's name; NULL: from the graph's metadata or file name */
    int n_inputs;          /* input channels; 0: the graph's; more: the extra ones have no
                              synapses (to fit a task of that many inputs) */
    lsnn_nir_warn_fn warn;
    void *warn_ctx;
} lsnn_nir_import_options;

void lsnn_nir_import_defaults(lsnn_nir_import_options *o);

/* Reads the NIR file at path and lowers it onto spec and net (net allocated here; free with
 * lsnn_net_free). Returns 0, or -1 with "PATH: node 'NAME': ..." in e (net left freed). */
int lsnn_nir_import(const char *path, const lsnn_nir_import_options *o, lsnn_spec *spec,
                    lsnn_net *net, lsnn_error *e);

typedef struct {
    lsnn_nir_discretisation disc; /* how time constants are written (the inverse of import's) */
    int drop_adaptation;          /* 1: plain NIR LIF/CubaLIF nodes: adaptation and refractory
                                     periods are dropped, each with a warning */
    lsnn_nir_warn_fn warn;
    void *warn_ctx;
} lsnn_nir_export_options;

void lsnn_nir_export_defaults(lsnn_nir_export_options *o);

/* Writes spec + net as a NIR graph to path, atomically. Refuses (-1, e) what NIR 1.0 plus the
 * extension cannot express (spike_from prev_v, an LSTM). */
int lsnn_nir_export(const char *path, const lsnn_spec *spec, const lsnn_net *net,
                    const lsnn_nir_export_options *o, lsnn_error *e);

#endif
