/* spec.c - the model spec: strict YAML parsing into lsnn_spec, with FILE:LINE:COL errors.
 *
 * yamltree.c turns the text into a positioned tree (aliases, tags, non-scalar keys and a
 * second document are refused there). This file checks the tree section by section against
 * the schema of docs/model-spec.md while an lsnn_spec that starts at the defaults is filled
 * in. The first problem found is reported and parsing stops; the caller's struct is only
 * written on success. */
#include "spec.h"

#include "fileio.h"
#include "spec_internal.h"
#include "yamltree.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPEC_EXPECTED "a mapping with keys version, name, network, task and training"

/* ---------------------------------------------------------------- the schema */

static const char *const top_keys[] = {"version", "name",     "seed", "network",
                                       "task",    "training", NULL};
static const char *const network_keys[] = {
    "kind",         "dt_ms",   "spike_from", "inputs",   "populations", "delays",
    "connectivity", "readout", "gamma",      "autapses", NULL};
/* network.kind lstm: the LSTM baseline has sizes and a linear readout, nothing neuronal */
static const char *const lstm_network_keys[] = {"kind",   "dt_ms",   "inputs",
                                                "hidden", "readout", NULL};
static const char *const lsnn_only_network_keys[] = {
    "spike_from", "populations", "delays", "connectivity", "gamma", "autapses", NULL};
static const char *const lstm_only_network_keys[] = {"hidden", NULL};
static const char *const lstm_readout_keys[] = {"size", "bias", NULL};
static const char *const readout_tau_key[] = {"tau_ms", NULL};
static const char *const regularization_key[] = {"regularization", NULL};
static const char *const population_keys[] = {"name",       "kind",     "size", "tau_m_ms",   "b0",
                                              "refractory", "tau_a_ms", "beta", "tau_syn_ms", NULL};
static const char *const adaptation_keys[] = {"tau_a_ms", "beta", NULL};
static const char *const readout_keys[] = {"size", "tau_ms", "bias", NULL};
static const char *const connectivity_keys[] = {
    "mode", "p", "budget", "soft", "l1", "temperature", "dale", "excitatory", "variant", NULL};
static const char *const budget_key[] = {"budget", NULL};
static const char *const excitatory_key[] = {"excitatory", NULL};
static const char *const store_recall_keys[] = {"kind",      "values",    "group_size",
                                                "char_ms",   "n_chars",   "rate_hz",
                                                "seq_delay", "test_size", NULL};
static const char *const smnist_keys[] = {
    "kind",          "dataset",     "data_dir",   "input",      "ext_time",
    "readout_steps", "train_limit", "test_limit", "validation", NULL};
static const char *const speech_keys[] = {"kind",       "data_dir", "input",  "frame_steps",
                                          "thresholds", "thr_lo",   "thr_hi", "validation_speakers",
                                          "max_frames", NULL};
static const char *const l2l_keys[] = {"kind",       "trials",    "trial_ms", "hidden",
                                       "pop_size",   "rate_hz",   "width",    "target_range",
                                       "readout_ms", "test_size", NULL};
static const char *const speech_spike_keys[] = {"thresholds", "thr_lo", "thr_hi", NULL};
static const char *const training_keys[] = {"batch_size",
                                            "iterations",
                                            "optimizer",
                                            "lr_schedule",
                                            "regularization",
                                            "checkpoint_every",
                                            "eval_every",
                                            "eval_batches",
                                            "stop_error",
                                            "qat",
                                            "ppo",
                                            NULL};
static const char *const ppo_key[] = {"ppo", NULL};
static const char *const qat_keys[] = {"weight_bits", "exponents", NULL};
/* training.qat.exponents, stored + 1 (quant.h: LSNN_WEXP_MAX 1, LSNN_WEXP_MSE 2) */
static const char *const qat_rule_names[] = {"max", "mse", NULL};
static const char *const optimizer_keys[] = {"kind", "lr", "beta1", "beta2", "eps", NULL};
static const char *const schedule_keys[] = {"kind", "factor", "every", NULL};
static const char *const regularization_keys[] = {"rate", "target_hz", NULL};

static const char *const neuron_kinds[] = {"lif", "alif", NULL}; /* lsnn_neuron_kind order */
static const char *const spike_from_names[] = {"new_v", "prev_v", NULL};
static const char *const conn_names[] = {"dense", "deep_r", NULL}; /* lsnn_conn_mode order */
static const char *const budget_names[] = {"global", "per_matrix", NULL};
static const char *const variant_names[] = {"official", "fast", NULL}; /* lsnn_deepr_spec.fast */
static const char *const task_kinds[] = {"store_recall", "smnist", "speech",
                                         "navigation",   "l2l",    NULL};
static const char *const network_kinds[] = {"lsnn", "lstm", NULL};   /* lsnn_network_kind order */
static const char *const input_kinds[] = {"spikes", "analog", NULL}; /* lsnn_input_kind order */
/* lsnn_dataset_kind order; "fashion" is also accepted for fashion-mnist (parse_smnist) */
static const char *const dataset_names[] = {"mnist", "fashion-mnist", NULL};
static const char *const optimizer_kinds[] = {"adam", NULL};
static const char *const schedule_kinds[] = {"step", NULL};

#define SMNIST_CLASSES 10
#define SMNIST_CUE     56 /* cue (readout) steps per ext_time */
#define SMNIST_PIXELS  784
#define MNIST_DIR      "data/mnist"
#define FASHION_DIR    "/usr/share/datasets/fashion-mnist"
#define SPEECH_DIR     "data/speech"

/* Every field at its documented default (the required ones at zero). */
static void set_defaults(lsnn_spec *s)
{
    memset(s, 0, sizeof *s);
    s->version = LSNN_SPEC_VERSION;
    s->seed = 1;
    s->dt_ms = 1;
    s->spike_from = LSNN_SPIKE_FROM_NEW_V;
    s->n_delay = 1;
    s->connectivity = LSNN_CONN_DENSE;
    s->deepr = (lsnn_deepr_spec){.budget = LSNN_BUDGET_GLOBAL,
                                 .l1 = 0.01,
                                 .temperature = 0,
                                 .dale = 1,
                                 .excitatory = 0.75}; /* LSNN-official sMNIST tutorial */
    s->tau_out_ms = 20;
    s->readout_bias = 1;
    s->gamma = 0.3;
    s->task = LSNN_TASK_STORE_RECALL;
    s->store_recall = (lsnn_store_recall_spec){.values = 2,
                                               .group_size = 25,
                                               .char_ms = 200,
                                               .n_chars = 12,
                                               .rate_hz = 50,
                                               .seq_delay = 6,
                                               .test_size = 1024};
    s->smnist.dataset = LSNN_DATA_MNIST;
    strcpy(s->smnist.data_dir, MNIST_DIR);
    s->smnist.ext_time = 1;
    s->smnist.readout_steps = 28;
    strcpy(s->speech.data_dir, SPEECH_DIR);
    s->speech.frame_steps = 5; /* e-prop's n_repeat */
    s->speech.thresholds = 1;
    s->speech.thr_lo = 0;
    s->speech.thr_hi = 0;
    /* docs/l2l.md: 50 trials of 20 ms, the paper's 20 ms trials and 300 inputs */
    s->l2l = (lsnn_l2l_spec){.trials = 50,
                             .trial_ms = 20,
                             .hidden = 10,
                             .pop_size = 100,
                             .rate_hz = 100,
                             .width = 0.05,
                             .target_range = 2.5,
                             .readout_ms = 10,
                             .test_size = 64};
    s->lr = 0.01;
    s->adam_beta1 = 0.9;
    s->adam_beta2 = 0.999;
    s->adam_eps = 1e-8;
    s->lr_decay = 1;
    s->lr_decay_every = 0;
    s->reg_rate = 0;
    s->reg_target_hz = 10;
    s->eval_batches = 1;
    lsnn_nav_spec_defaults(s);
}

/* One population; kind decides whether tau_a_ms and beta are required or refused. */
static int parse_population(const yt_section *s, lsnn_pop_spec *p)
{
    int kind = 0;
    if (yt_check_keys(s, population_keys)) return -1;
    if (yt_get_name(s, "name", p->name, LSNN_NAME_MAX)) return -1;
    if (yt_get_enum(s, "kind", YT_REQUIRED, neuron_kinds, &kind)) return -1;
    p->kind = (lsnn_neuron_kind)kind;
    if (yt_get_int(s, "size", YT_REQUIRED, 1, LSNN_MAX_NEURONS, &p->size)) return -1;
    if (yt_get_real(s, "tau_m_ms", YT_REQUIRED, YT_OPEN_CLOSED(0, 1e6), &p->tau_m_ms)) return -1;
    if (yt_get_real(s, "b0", YT_REQUIRED, YT_OPEN_CLOSED(0, 1e3), &p->b0)) return -1;
    if (yt_get_int(s, "refractory", YT_OPTIONAL, 0, 1000, &p->refractory)) return -1;
    /* CUBA (neurocore.md §17): absent leaves 0, i.e. off */
    if (yt_get_real(s, "tau_syn_ms", YT_OPTIONAL, YT_OPEN_CLOSED(0, 1e6), &p->tau_syn_ms))
        return -1;
    if (p->kind == LSNN_NEURON_LIF)
        return yt_refuse_keys(s, adaptation_keys,
                              "only allowed for kind alif (LIF neurons have no adaptation)");
    for (const char *const *k = adaptation_keys; *k; k++)
        if (!yt_lookup(s->map, *k))
            return yt_fail_node(
                s->r, s->map, "missing required key '%s' in %s (kind alif needs tau_a_ms and beta)",
                *k, s->path);
    if (yt_get_real(s, "tau_a_ms", YT_REQUIRED, YT_OPEN_CLOSED(0, 1e7), &p->tau_a_ms)) return -1;
    return yt_get_real(s, "beta", YT_REQUIRED, YT_CLOSED(0, 1e3), &p->beta);
}

/* network.populations: 1..LSNN_MAX_POPS uniquely named populations, LSNN_MAX_NEURONS in all. */
static int parse_populations(const yt_section *net, lsnn_spec *spec)
{
    char path[YT_PATH_LEN], what[YT_WHAT_LEN];
    const yt_node *seq;
    int total = 0;
    if (yt_field(net, "populations", YT_REQUIRED, &seq)) return -1;
    yt_key_path(net, "populations", path, sizeof path);
    if (seq->kind != YT_SEQUENCE)
        return yt_fail_node(net->r, seq, "%s must be a sequence of populations, got %s", path,
                            yt_describe(seq, what, sizeof what));
    if (seq->n_items == 0)
        return yt_fail_node(net->r, seq, "%s must have 1 to %d populations, got none", path,
                            LSNN_MAX_POPS);
    for (size_t i = 0; i < seq->n_items; i++) {
        char pop_path[YT_PATH_LEN];
        const yt_node *item = seq->items[i];
        snprintf(pop_path, sizeof pop_path, "%s[%zu]", path, i);
        if (i == LSNN_MAX_POPS)
            return yt_fail_node(net->r, item,
                                "%s: at most %d populations are allowed (LSNN_MAX_POPS)", pop_path,
                                LSNN_MAX_POPS);
        if (item->kind != YT_MAPPING)
            return yt_fail_node(net->r, item, "%s must be a mapping of keys, got %s", pop_path,
                                yt_describe(item, what, sizeof what));
        yt_section pop = {net->r, item, pop_path};
        lsnn_pop_spec *p = &spec->pops[i];
        if (parse_population(&pop, p)) return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(spec->pops[j].name, p->name) == 0)
                return yt_fail_node(net->r, yt_lookup(item, "name"),
                                    "%s.name '%s' is already used by %s[%zu]", pop_path, p->name,
                                    path, j);
        total += p->size;
        if (total > LSNN_MAX_NEURONS)
            return yt_fail_node(net->r, yt_lookup(item, "size"),
                                "%s.size: the populations hold %d recurrent neurons in all, more "
                                "than the maximum %d (LSNN_MAX_NEURONS)",
                                pop_path, total, LSNN_MAX_NEURONS);
        spec->n_pops = (int)i + 1;
    }
    return 0;
}

static int parse_readout(const yt_section *s, lsnn_spec *spec)
{
    if (yt_check_keys(s, readout_keys)) return -1;
    if (yt_get_int(s, "size", YT_REQUIRED, 1, LSNN_MAX_OUTPUTS, &spec->n_out)) return -1;
    if (yt_get_real(s, "tau_ms", YT_OPTIONAL, YT_OPEN_CLOSED(0, 1e6), &spec->tau_out_ms)) return -1;
    return yt_get_bool(s, "bias", YT_OPTIONAL, &spec->readout_bias);
}

/* soft-DEEP R clips theta at -(1-p) T / (p l1): both must be positive. Fails at the key, or
 * at `soft` when the key is absent (its default is then the offending value). */
static int check_soft_positive(const yt_section *s, const char *key, double value)
{
    char path[YT_PATH_LEN];
    if (value > 0) return 0;
    const yt_node *at = yt_lookup(s->map, key);
    yt_key_path(s, key, path, sizeof path);
    return yt_fail_node(s->r, at ? at : yt_lookup(s->map, "soft"),
                        "%s must be > 0 with soft: true (soft-DEEP R clips theta at "
                        "-(1-p) T / (p l1)), got %g",
                        path, value);
}

/* The DEEP R parameters of a network.connectivity mapping with mode deep_r. */
static int parse_deepr(const yt_section *s, lsnn_deepr_spec *d)
{
    int budget = (int)d->budget;
    if (yt_get_real(s, "p", YT_REQUIRED, YT_OPEN_CLOSED(0, 1), &d->p)) return -1;
    if (yt_get_bool(s, "soft", YT_OPTIONAL, &d->soft)) return -1;
    if (d->soft &&
        yt_refuse_keys(s, budget_key, "only allowed with soft: false (soft-DEEP R has no budget)"))
        return -1;
    if (yt_get_enum(s, "budget", YT_OPTIONAL, budget_names, &budget)) return -1;
    d->budget = (lsnn_budget_kind)budget;
    if (yt_get_real(s, "l1", YT_OPTIONAL, YT_CLOSED(0, 1e3), &d->l1)) return -1;
    if (yt_get_real(s, "temperature", YT_OPTIONAL, YT_CLOSED(0, 1e3), &d->temperature)) return -1;
    if (d->soft && (check_soft_positive(s, "l1", d->l1) ||
                    check_soft_positive(s, "temperature", d->temperature)))
        return -1;
    if (yt_get_enum(s, "variant", YT_OPTIONAL, variant_names, &d->fast)) return -1;
    if (yt_get_bool(s, "dale", YT_OPTIONAL, &d->dale)) return -1;
    if (!d->dale) return yt_refuse_keys(s, excitatory_key, "only allowed with dale: true");
    return yt_get_real(s, "excitatory", YT_OPTIONAL, YT_OPEN(0, 1), &d->excitatory);
}

/* network.connectivity: the word dense, or a mapping {mode: dense | deep_r, ...}. */
static int parse_connectivity(const yt_section *net, lsnn_spec *spec)
{
    char path[YT_PATH_LEN], what[YT_WHAT_LEN];
    const yt_node *v;
    int mode = 0;
    if (yt_field(net, "connectivity", YT_OPTIONAL, &v)) return -1;
    if (!v) return 0;
    yt_key_path(net, "connectivity", path, sizeof path);
    if (v->kind == YT_SCALAR && yt_text_is(v, "dense")) {
        spec->connectivity = LSNN_CONN_DENSE;
        return 0;
    }
    if (v->kind == YT_SCALAR && yt_text_is(v, "deep_r"))
        return yt_fail_node(net->r, v,
                            "%s: deep_r needs its parameters; write a mapping such as "
                            "{mode: deep_r, p: 0.12}",
                            path);
    if (v->kind != YT_MAPPING)
        return yt_fail_node(net->r, v,
                            "%s must be dense or a mapping with keys mode (dense, deep_r), p, "
                            "budget, soft, l1, temperature, dale, excitatory, variant; got %s",
                            path, yt_describe(v, what, sizeof what));
    yt_section c = {net->r, v, path};
    if (yt_get_enum(&c, "mode", YT_REQUIRED, conn_names, &mode)) return -1;
    spec->connectivity = (lsnn_conn_mode)mode;
    if (spec->connectivity == LSNN_CONN_DENSE &&
        yt_refuse_keys(&c, connectivity_keys + 1, "only allowed with mode deep_r"))
        return -1;
    if (yt_check_keys(&c, connectivity_keys)) return -1;
    return spec->connectivity == LSNN_CONN_DEEP_R ? parse_deepr(&c, &spec->deepr) : 0;
}

/* network with kind lstm: sizes and a linear readout (its keys are checked by the caller). */
static int parse_lstm_network(const yt_section *s, lsnn_spec *spec)
{
    char readout_path[YT_PATH_LEN];
    yt_section readout;
    if (yt_get_real(s, "dt_ms", YT_OPTIONAL, YT_OPEN_CLOSED(0, 10), &spec->dt_ms)) return -1;
    if (yt_get_int(s, "inputs", YT_REQUIRED, 1, LSNN_MAX_INPUTS, &spec->n_in)) return -1;
    if (yt_get_int(s, "hidden", YT_REQUIRED, 1, LSNN_MAX_NEURONS, &spec->hidden)) return -1;
    if (yt_get_section(s, "readout", YT_REQUIRED, &readout, readout_path)) return -1;
    if (yt_refuse_keys(&readout, readout_tau_key,
                       "only allowed with network.kind lsnn (the LSTM's readout is linear)") ||
        yt_check_keys(&readout, lstm_readout_keys))
        return -1;
    if (yt_get_int(&readout, "size", YT_REQUIRED, 1, LSNN_MAX_OUTPUTS, &spec->n_out)) return -1;
    return yt_get_bool(&readout, "bias", YT_OPTIONAL, &spec->readout_bias);
}

static int parse_network(const yt_section *s, lsnn_spec *spec)
{
    char readout_path[YT_PATH_LEN];
    yt_section readout;
    int spike_from = 0, kind = 0;
    if (yt_get_enum(s, "kind", YT_OPTIONAL, network_kinds, &kind)) return -1;
    spec->network = (lsnn_network_kind)kind;
    if (spec->network == LSNN_NET_LSTM) {
        if (yt_refuse_keys(s, lsnn_only_network_keys, "only allowed with network.kind lsnn") ||
            yt_check_keys(s, lstm_network_keys))
            return -1;
        return parse_lstm_network(s, spec);
    }
    if (yt_refuse_keys(s, lstm_only_network_keys, "only allowed with network.kind lstm")) return -1;
    if (yt_check_keys(s, network_keys)) return -1;
    if (yt_get_real(s, "dt_ms", YT_OPTIONAL, YT_OPEN_CLOSED(0, 10), &spec->dt_ms)) return -1;
    if (yt_get_enum(s, "spike_from", YT_OPTIONAL, spike_from_names, &spike_from)) return -1;
    spec->spike_from = (lsnn_spike_from)spike_from;
    if (yt_get_int(s, "inputs", YT_REQUIRED, 1, LSNN_MAX_INPUTS, &spec->n_in)) return -1;
    if (parse_populations(s, spec)) return -1;
    if (yt_get_int(s, "delays", YT_OPTIONAL, 1, LSNN_MAX_DELAY, &spec->n_delay)) return -1;
    if (parse_connectivity(s, spec)) return -1;
    if (yt_get_section(s, "readout", YT_REQUIRED, &readout, readout_path)) return -1;
    if (parse_readout(&readout, spec)) return -1;
    if (yt_get_bool(s, "autapses", YT_OPTIONAL, &spec->autapses)) return -1;
    /* DEEP R's rewiring keeps w_rec's diagonal empty (its autapse mask) */
    if (spec->autapses && spec->connectivity == LSNN_CONN_DEEP_R)
        return yt_fail_node(s->r, yt_lookup(s->map, "autapses"),
                            "network.autapses: true needs connectivity dense (DEEP R keeps "
                            "the diagonal of w_rec empty)");
    return yt_get_real(s, "gamma", YT_OPTIONAL, YT_OPEN_CLOSED(0, 10), &spec->gamma);
}

static int parse_store_recall(const yt_section *s, lsnn_store_recall_spec *t)
{
    if (yt_get_int(s, "values", YT_OPTIONAL, 2, 16, &t->values)) return -1;
    if (yt_get_int(s, "group_size", YT_OPTIONAL, 1, 1000, &t->group_size)) return -1;
    if (yt_get_int(s, "char_ms", YT_OPTIONAL, 1, 10000, &t->char_ms)) return -1;
    if (yt_get_int(s, "n_chars", YT_OPTIONAL, 2, 1000, &t->n_chars)) return -1;
    if (yt_get_real(s, "rate_hz", YT_OPTIONAL, YT_OPEN_CLOSED(0, 1000), &t->rate_hz)) return -1;
    if (yt_get_int(s, "seq_delay", YT_OPTIONAL, 0, 1000, &t->seq_delay)) return -1;
    return yt_get_int(s, "test_size", YT_OPTIONAL, 1, 1000000, &t->test_size);
}

static int parse_l2l(const yt_section *s, lsnn_l2l_spec *t)
{
    if (yt_get_int(s, "trials", YT_OPTIONAL, 2, 1000, &t->trials)) return -1;
    if (yt_get_int(s, "trial_ms", YT_OPTIONAL, 1, 1000, &t->trial_ms)) return -1;
    if (yt_get_int(s, "hidden", YT_OPTIONAL, 1, 100, &t->hidden)) return -1;
    if (yt_get_int(s, "pop_size", YT_OPTIONAL, 1, 1000, &t->pop_size)) return -1;
    if (yt_get_real(s, "rate_hz", YT_OPTIONAL, YT_OPEN_CLOSED(0, 1000), &t->rate_hz)) return -1;
    if (yt_get_real(s, "width", YT_OPTIONAL, YT_OPEN_CLOSED(0, 1), &t->width)) return -1;
    if (yt_get_real(s, "target_range", YT_OPTIONAL, YT_OPEN_CLOSED(0, 100), &t->target_range))
        return -1;
    t->readout_ms = t->trial_ms < t->readout_ms ? t->trial_ms : t->readout_ms; /* the default */
    if (yt_get_int(s, "readout_ms", YT_OPTIONAL, 1, 1000, &t->readout_ms)) return -1;
    if (t->readout_ms > t->trial_ms)
        return yt_fail_node(s->r, yt_lookup(s->map, "readout_ms"),
                            "task.readout_ms must be at most task.trial_ms = %d (the window is "
                            "the end of a trial), got %d",
                            t->trial_ms, t->readout_ms);
    return yt_get_int(s, "test_size", YT_OPTIONAL, 1, 1000000, &t->test_size);
}

/* task.data_dir: a non-empty path shorter than LSNN_PATH_MAX, kept as written; absent, the
 * task's default dir. */
static int parse_data_dir(const yt_section *s, const char *dir, char data_dir[LSNN_PATH_MAX])
{
    char path[YT_PATH_LEN], what[YT_WHAT_LEN];
    const yt_node *v;
    if (yt_get_scalar(s, "data_dir", YT_OPTIONAL, &v)) return -1;
    if (!v) {
        strcpy(data_dir, dir);
        return 0;
    }
    yt_key_path(s, "data_dir", path, sizeof path);
    if (v->len == 0 || v->len >= LSNN_PATH_MAX || strlen(v->text) != v->len)
        return yt_fail_node(s->r, v, "%s must be a path of 1 to %d characters, got %s", path,
                            LSNN_PATH_MAX - 1, yt_describe(v, what, sizeof what));
    memcpy(data_dir, v->text, v->len + 1);
    return 0;
}

static int parse_smnist(const yt_section *s, lsnn_smnist_spec *t)
{
    int dataset = 0;
    const yt_node *d = yt_lookup(s->map, "dataset");
    if (d && d->kind == YT_SCALAR && yt_text_is(d, "fashion")) /* the name before issue 13 */
        dataset = LSNN_DATA_FASHION;
    else if (yt_get_enum(s, "dataset", YT_OPTIONAL, dataset_names, &dataset))
        return -1;
    t->dataset = (lsnn_dataset_kind)dataset;
    if (parse_data_dir(s, t->dataset == LSNN_DATA_FASHION ? FASHION_DIR : MNIST_DIR, t->data_dir))
        return -1;
    int input = 0;
    if (yt_get_enum(s, "input", YT_OPTIONAL, input_kinds, &input)) return -1;
    t->input = (lsnn_input_kind)input;
    if (yt_get_int(s, "ext_time", YT_OPTIONAL, 1, 4, &t->ext_time)) return -1;
    if (t->input == LSNN_INPUT_ANALOG) {
        /* no cue: the window counts back from the last pixel step; by default that step
         * alone, as in the classic sequential MNIST */
        t->readout_steps = 1;
        if (yt_get_int(s, "readout_steps", YT_OPTIONAL, 1, SMNIST_PIXELS * 4, &t->readout_steps))
            return -1;
        if (t->readout_steps > SMNIST_PIXELS * t->ext_time)
            return yt_fail_node(s->r, yt_lookup(s->map, "readout_steps"),
                                "task.readout_steps must be at most 784 * task.ext_time = %d "
                                "with input analog (the pixel steps), got %d",
                                SMNIST_PIXELS * t->ext_time, t->readout_steps);
    } else if (yt_get_int(s, "readout_steps", YT_OPTIONAL, 1, SMNIST_CUE * 4, &t->readout_steps))
        return -1;
    if (t->input == LSNN_INPUT_SPIKES && t->readout_steps > SMNIST_CUE * t->ext_time)
        return yt_fail_node(s->r, yt_lookup(s->map, "readout_steps"),
                            "task.readout_steps must be at most 56 * task.ext_time = %d (the cue "
                            "steps), got %d",
                            SMNIST_CUE * t->ext_time, t->readout_steps);
    if (yt_get_int(s, "train_limit", YT_OPTIONAL, 0, 10000000, &t->train_limit)) return -1;
    if (yt_get_int(s, "test_limit", YT_OPTIONAL, 0, 10000000, &t->test_limit)) return -1;
    return yt_get_int(s, "validation", YT_OPTIONAL, 0, 10000000, &t->validation);
}

static int parse_speech(const yt_section *s, lsnn_speech_spec *t)
{
    if (parse_data_dir(s, SPEECH_DIR, t->data_dir)) return -1;
    int input = 0;
    if (yt_get_enum(s, "input", YT_OPTIONAL, input_kinds, &input)) return -1;
    t->input = (lsnn_input_kind)input;
    if (t->input == LSNN_INPUT_ANALOG &&
        yt_refuse_keys(s, speech_spike_keys, "only allowed with task.input spikes"))
        return -1;
    if (yt_get_int(s, "frame_steps", YT_OPTIONAL, 1, 100, &t->frame_steps)) return -1;
    if (yt_get_int(s, "thresholds", YT_OPTIONAL, 1, 64, &t->thresholds)) return -1;
    if (yt_get_real(s, "thr_lo", YT_OPTIONAL, YT_CLOSED(-10, 10), &t->thr_lo)) return -1;
    t->thr_hi = t->thr_lo; /* one threshold by default */
    if (yt_get_real(s, "thr_hi", YT_OPTIONAL, YT_CLOSED(-10, 10), &t->thr_hi)) return -1;
    if (t->thr_hi < t->thr_lo)
        return yt_fail_node(s->r, yt_lookup(s->map, "thr_hi"),
                            "task.thr_hi must be at least task.thr_lo = %g, got %g", t->thr_lo,
                            t->thr_hi);
    if (t->thresholds == 1 && t->thr_hi != t->thr_lo)
        return yt_fail_node(s->r, yt_lookup(s->map, "thr_hi"),
                            "task.thr_hi must equal task.thr_lo with task.thresholds 1 (the only "
                            "threshold is thr_lo), got %g and %g",
                            t->thr_lo, t->thr_hi);
    if (yt_get_int(s, "validation_speakers", YT_OPTIONAL, 0, 1000, &t->validation_speakers))
        return -1;
    return yt_get_int(s, "max_frames", YT_OPTIONAL, 0, 100000, &t->max_frames);
}

static int has_key(const char *const *keys, const char *key)
{
    for (keys++; *keys; keys++) /* kind excepted */
        if (!strcmp(*keys, key)) return 1;
    return 0;
}

/* Refuses the keys of the other tasks with a message naming the task kinds that take them
 * ("only allowed with task kind smnist or speech"). */
static int refuse_other_tasks(const yt_section *s, lsnn_task_kind kind)
{
    const char *const *keys[] = {store_recall_keys, smnist_keys, speech_keys, lsnn_nav_task_keys,
                                 l2l_keys};
    enum { N_KINDS = sizeof keys / sizeof keys[0] };
    for (int k = 0; k < N_KINDS; k++)
        for (const char *const *key = keys[k] + 1; *key; key++) {
            if (has_key(keys[kind], *key)) continue;
            const char *one[] = {*key, NULL};
            char why[96] = "only allowed with task kind";
            for (int j = 0, n = 0; j < N_KINDS; j++)
                if (has_key(keys[j], *key))
                    snprintf(why + strlen(why), sizeof why - strlen(why), "%s %s", n++ ? " or" : "",
                             task_kinds[j]);
            if (yt_refuse_keys(s, one, why)) return -1;
        }
    return yt_check_keys(s, keys[kind]);
}

static int parse_task(const yt_section *s, lsnn_spec *spec)
{
    int kind = 0;
    if (yt_get_enum(s, "kind", YT_REQUIRED, task_kinds, &kind)) return -1;
    spec->task = (lsnn_task_kind)kind;
    if (refuse_other_tasks(s, spec->task)) return -1;
    if (spec->task == LSNN_TASK_STORE_RECALL) return parse_store_recall(s, &spec->store_recall);
    if (spec->task == LSNN_TASK_SPEECH) return parse_speech(s, &spec->speech);
    if (spec->task == LSNN_TASK_NAVIGATION) return lsnn_nav_parse_task(s, &spec->nav);
    if (spec->task == LSNN_TASK_L2L) return parse_l2l(s, &spec->l2l);
    return parse_smnist(s, &spec->smnist);
}

static int parse_optimizer(const yt_section *s, lsnn_spec *spec)
{
    int kind = 0;
    if (!s->map) return 0;
    if (yt_check_keys(s, optimizer_keys)) return -1;
    if (yt_get_enum(s, "kind", YT_OPTIONAL, optimizer_kinds, &kind)) return -1;
    if (yt_get_real(s, "lr", YT_OPTIONAL, YT_OPEN_CLOSED(0, 10), &spec->lr)) return -1;
    if (yt_get_real(s, "beta1", YT_OPTIONAL, YT_CLOSED_OPEN(0, 1), &spec->adam_beta1)) return -1;
    if (yt_get_real(s, "beta2", YT_OPTIONAL, YT_CLOSED_OPEN(0, 1), &spec->adam_beta2)) return -1;
    return yt_get_real(s, "eps", YT_OPTIONAL, YT_OPEN_CLOSED(0, 1), &spec->adam_eps);
}

static int parse_lr_schedule(const yt_section *s, lsnn_spec *spec)
{
    int kind = 0;
    if (!s->map) return 0;
    if (yt_check_keys(s, schedule_keys)) return -1;
    if (yt_get_enum(s, "kind", YT_OPTIONAL, schedule_kinds, &kind)) return -1;
    if (yt_get_real(s, "factor", YT_REQUIRED, YT_OPEN_CLOSED(0, 1), &spec->lr_decay)) return -1;
    return yt_get_long(s, "every", YT_REQUIRED, 1, 1000000000, &spec->lr_decay_every);
}

static int parse_regularization(const yt_section *s, lsnn_spec *spec)
{
    if (!s->map) return 0;
    if (yt_check_keys(s, regularization_keys)) return -1;
    if (yt_get_real(s, "rate", YT_OPTIONAL, YT_CLOSED(0, 1e6), &spec->reg_rate)) return -1;
    return yt_get_real(s, "target_hz", YT_OPTIONAL, YT_CLOSED(0, 1000), &spec->reg_target_hz);
}

static int parse_qat(const yt_section *s, lsnn_spec *spec)
{
    int rule = -1;
    if (!s->map) return 0;
    if (yt_check_keys(s, qat_keys)) return -1;
    if (yt_get_int(s, "weight_bits", YT_REQUIRED, 2, 16, &spec->qat_bits)) return -1;
    if (yt_get_enum(s, "exponents", YT_OPTIONAL, qat_rule_names, &rule)) return -1;
    spec->qat_rule = rule + 1;
    return 0;
}

static int parse_training(const yt_section *s, lsnn_spec *spec)
{
    char opt_path[YT_PATH_LEN], sched_path[YT_PATH_LEN], reg_path[YT_PATH_LEN],
        qat_path[YT_PATH_LEN], ppo_path[YT_PATH_LEN];
    yt_section opt, sched, reg, qat, ppo;
    if (yt_check_keys(s, training_keys)) return -1;
    if (yt_get_int(s, "batch_size", YT_REQUIRED, 1, 65536, &spec->batch_size)) return -1;
    if (yt_get_long(s, "iterations", YT_REQUIRED, 1, 1000000000, &spec->iterations)) return -1;
    if (yt_get_section(s, "optimizer", YT_OPTIONAL, &opt, opt_path)) return -1;
    if (parse_optimizer(&opt, spec)) return -1;
    if (yt_get_section(s, "lr_schedule", YT_OPTIONAL, &sched, sched_path)) return -1;
    if (parse_lr_schedule(&sched, spec)) return -1;
    if (spec->network == LSNN_NET_LSTM &&
        yt_refuse_keys(s, regularization_key,
                       "only allowed with network.kind lsnn (it regularises firing rates)"))
        return -1;
    if (yt_get_section(s, "regularization", YT_OPTIONAL, &reg, reg_path)) return -1;
    if (parse_regularization(&reg, spec)) return -1;
    if (yt_get_long(s, "checkpoint_every", YT_OPTIONAL, 0, 1000000000, &spec->checkpoint_every))
        return -1;
    if (yt_get_long(s, "eval_every", YT_OPTIONAL, 0, 1000000000, &spec->eval_every)) return -1;
    if (yt_get_int(s, "eval_batches", YT_OPTIONAL, 1, 1000, &spec->eval_batches)) return -1;
    if (yt_get_section(s, "qat", YT_OPTIONAL, &qat, qat_path)) return -1;
    if (parse_qat(&qat, spec)) return -1;
    if (spec->task != LSNN_TASK_NAVIGATION &&
        yt_refuse_keys(s, ppo_key, "only allowed with task kind navigation"))
        return -1;
    if (yt_get_section(s, "ppo", YT_OPTIONAL, &ppo, ppo_path)) return -1;
    if (lsnn_nav_parse_ppo(&ppo, &spec->ppo)) return -1;
    return yt_get_real(s, "stop_error", YT_OPTIONAL, YT_CLOSED(0, 1), &spec->stop_error);
}

/* The network's input and output sizes must be what the task produces and reads. */
static int check_task_sizes(const yt_section *net, const lsnn_spec *spec)
{
    const yt_node *inputs = yt_lookup(net->map, "inputs");
    const yt_node *readout_size = yt_lookup(yt_lookup(net->map, "readout"), "size");
    int n_in = LSNN_SMNIST_INPUTS, n_out = SMNIST_CLASSES;
    const char *in_rule = "80 for task smnist (79 threshold channels + 1 cue)";
    if (spec->task == LSNN_TASK_SMNIST && spec->smnist.input == LSNN_INPUT_ANALOG) {
        n_in = LSNN_SMNIST_ANALOG_INPUTS;
        in_rule = "1 for task smnist with input analog (the grey value of the step's pixel)";
    }
    const char *out_rule = "10 for task smnist (one per class)";
    char in_text[160], out_text[128];
    if (spec->task == LSNN_TASK_SPEECH) {
        const lsnn_speech_spec *t = &spec->speech;
        n_out = LSNN_SPEECH_PHONES;
        out_rule = "61 for task speech (one per TIMIT phone)";
        n_in = LSNN_SPEECH_FEATURES;
        in_rule = "39 for task speech with input analog (the features of the frame)";
        if (t->input == LSNN_INPUT_SPIKES) {
            n_in = 2 * LSNN_SPEECH_FEATURES * t->thresholds;
            snprintf(in_text, sizeof in_text,
                     "2 * 39 * task.thresholds = %d for task speech (an onset and an offset "
                     "channel per feature and threshold)",
                     n_in);
            in_rule = in_text;
        }
    }
    if (spec->task == LSNN_TASK_STORE_RECALL) {
        const lsnn_store_recall_spec *t = &spec->store_recall;
        n_in = (t->values + 2) * t->group_size;
        n_out = t->values;
        snprintf(in_text, sizeof in_text,
                 "(task.values + 2) * task.group_size = %d for task store_recall", n_in);
        snprintf(out_text, sizeof out_text, "task.values = %d for task store_recall", n_out);
        in_rule = in_text;
        out_rule = out_text;
    }
    if (spec->task == LSNN_TASK_NAVIGATION) {
        n_in = lsnn_nav_n_in(&spec->nav);
        n_out = LSNN_NAV_OUTPUTS;
        snprintf(in_text, sizeof in_text,
                 "2 * task.pos_neurons + task.reward_neurons = %d for task navigation", n_in);
        in_rule = in_text;
        out_rule = "3 for task navigation (the action's x and y, the value)";
    }
    if (spec->task == LSNN_TASK_L2L) {
        n_in = 3 * spec->l2l.pop_size;
        n_out = 1;
        snprintf(in_text, sizeof in_text,
                 "3 * task.pop_size = %d for task l2l (x1, x2 and the previous target)", n_in);
        in_rule = in_text;
        out_rule = "1 for task l2l (the prediction)";
    }
    if (spec->n_in != n_in)
        return yt_fail_node(net->r, inputs, "network.inputs must be %s, got %d", in_rule,
                            spec->n_in);
    if (spec->n_out != n_out)
        return yt_fail_node(net->r, readout_size, "network.readout.size must be %s, got %d",
                            out_rule, spec->n_out);
    return 0;
}

static int parse_spec(const yt_report *r, const yt_node *root, lsnn_spec *spec)
{
    char what[YT_WHAT_LEN], net_path[YT_PATH_LEN], task_path[YT_PATH_LEN], train_path[YT_PATH_LEN];
    yt_section top = {r, root, ""}, net, task, train;
    long long version = 0, seed = 1;
    if (root->kind != YT_MAPPING)
        return yt_fail_node(
            r, root,
            "the top level must be a mapping with keys version, name, network, task "
            "and training; got %s",
            yt_describe(root, what, sizeof what));
    if (yt_get_integer(&top, "version", YT_REQUIRED, INT64_MIN, INT64_MAX, &version)) return -1;
    if (version != LSNN_SPEC_VERSION)
        return yt_fail_node(r, yt_lookup(root, "version"),
                            "version must be %d (the only spec version this build reads), got %lld",
                            LSNN_SPEC_VERSION, version);
    if (yt_check_keys(&top, top_keys)) return -1;
    if (yt_get_name(&top, "name", spec->name, LSNN_NAME_MAX)) return -1;
    if (yt_get_integer(&top, "seed", YT_OPTIONAL, 0, INT64_MAX, &seed)) return -1;
    spec->seed = (uint64_t)seed;
    if (yt_get_section(&top, "network", YT_REQUIRED, &net, net_path)) return -1;
    if (parse_network(&net, spec)) return -1;
    if (yt_get_section(&top, "task", YT_REQUIRED, &task, task_path)) return -1;
    if (parse_task(&task, spec)) return -1;
    if (yt_get_section(&top, "training", YT_REQUIRED, &train, train_path)) return -1;
    if (parse_training(&train, spec)) return -1;
    int analog = spec->task == LSNN_TASK_SMNIST   ? spec->smnist.input == LSNN_INPUT_ANALOG
                 : spec->task == LSNN_TASK_SPEECH ? spec->speech.input == LSNN_INPUT_ANALOG
                                                  : 0;
    if (spec->task == LSNN_TASK_L2L && spec->network == LSNN_NET_LSTM)
        return yt_fail_node(r, yt_lookup(task.map, "kind"),
                            "task.kind l2l needs network.kind lsnn (the LSTM baseline does not "
                            "report regression errors)");
    if (analog && spec->network != LSNN_NET_LSTM)
        return yt_fail_node(r, yt_lookup(task.map, "input"),
                            "task.input analog needs network.kind lstm (the LSNN's input is "
                            "spikes)");
    return check_task_sizes(&net, spec);
}

/* ---------------------------------------------------------------- entry points */

int lsnn_task_kind_regression(lsnn_task_kind kind)
{
    return kind == LSNN_TASK_L2L;
}

int lsnn_spec_regression(const lsnn_spec *s)
{
    return lsnn_task_kind_regression(s->task);
}

int lsnn_spec_n_rec(const lsnn_spec *s)
{
    int n = 0;
    for (int i = 0; i < s->n_pops; i++)
        n += s->pops[i].size;
    return n;
}

int lsnn_spec_parse(const char *name, const char *text, unsigned long len, lsnn_spec *out,
                    lsnn_error *e)
{
    yt_report r = {name ? name : "<spec>", e};
    yt_node *root;
    lsnn_spec spec;
    if (!text) len = 0;
    if (yt_load(&r, text, len, "spec", SPEC_EXPECTED, &root)) return -1;
    set_defaults(&spec);
    int rc = parse_spec(&r, root, &spec);
    yt_free(root);
    if (rc == 0) *out = spec;
    return rc;
}

int lsnn_spec_load(const char *path, lsnn_spec *out, lsnn_error *e)
{
    char *text = NULL;
    size_t len = 0;
    if (lsnn_read_file(path, &text, &len, e)) return -1;
    int rc = lsnn_spec_parse(path, text, len, out, e);
    free(text);
    return rc;
}
