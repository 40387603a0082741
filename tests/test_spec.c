/* test_spec.c - the model spec parser: every field, the defaults, positioned errors, the models.
 *
 * Malformed specs are made by one textual edit of a valid base spec, so each case is one
 * table row; the expected FILE:LINE:COL is given in lines of the edited text. */
#include <stdint.h>

#include "check.h"
#include "model.h"
#include "pmath.h"
#include "spec.h"

#define FILE_NAME "spec.yaml"

/* A valid store-recall spec with every key set to a value other than its default.
 * The numbers on the right are line numbers, for reading the positions below. */
static const char base_store_recall[] = "version: 1\n"             /*  1 */
                                        "name: test_model\n"       /*  2 */
                                        "seed: 7\n"                /*  3 */
                                        "network:\n"               /*  4 */
                                        "  dt_ms: 0.5\n"           /*  5 */
                                        "  spike_from: prev_v\n"   /*  6 */
                                        "  inputs: 100\n"          /*  7 */
                                        "  populations:\n"         /*  8 */
                                        "    - name: reg\n"        /*  9 */
                                        "      kind: lif\n"        /* 10 */
                                        "      size: 10\n"         /* 11 */
                                        "      tau_m_ms: 20\n"     /* 12 */
                                        "      b0: 0.01\n"         /* 13 */
                                        "      refractory: 3\n"    /* 14 */
                                        "    - name: ada\n"        /* 15 */
                                        "      kind: alif\n"       /* 16 */
                                        "      size: 12\n"         /* 17 */
                                        "      tau_m_ms: 25\n"     /* 18 */
                                        "      b0: 0.02\n"         /* 19 */
                                        "      refractory: 2\n"    /* 20 */
                                        "      tau_a_ms: 1200\n"   /* 21 */
                                        "      beta: 1.7\n"        /* 22 */
                                        "  delays: 10\n"           /* 23 */
                                        "  connectivity: dense\n"  /* 24 */
                                        "  readout:\n"             /* 25 */
                                        "    size: 2\n"            /* 26 */
                                        "    tau_ms: 15\n"         /* 27 */
                                        "    bias: false\n"        /* 28 */
                                        "  gamma: 0.25\n"          /* 29 */
                                        "task:\n"                  /* 30 */
                                        "  kind: store_recall\n"   /* 31 */
                                        "  values: 2\n"            /* 32 */
                                        "  group_size: 25\n"       /* 33 */
                                        "  char_ms: 150\n"         /* 34 */
                                        "  n_chars: 10\n"          /* 35 */
                                        "  rate_hz: 40\n"          /* 36 */
                                        "  seq_delay: 5\n"         /* 37 */
                                        "  test_size: 512\n"       /* 38 */
                                        "training:\n"              /* 39 */
                                        "  batch_size: 64\n"       /* 40 */
                                        "  iterations: 300\n"      /* 41 */
                                        "  optimizer:\n"           /* 42 */
                                        "    kind: adam\n"         /* 43 */
                                        "    lr: 0.005\n"          /* 44 */
                                        "    beta1: 0.85\n"        /* 45 */
                                        "    beta2: 0.995\n"       /* 46 */
                                        "    eps: 1e-7\n"          /* 47 */
                                        "  lr_schedule:\n"         /* 48 */
                                        "    kind: step\n"         /* 49 */
                                        "    factor: 0.5\n"        /* 50 */
                                        "    every: 50\n"          /* 51 */
                                        "  regularization:\n"      /* 52 */
                                        "    rate: 0.02\n"         /* 53 */
                                        "    target_hz: 12\n"      /* 54 */
                                        "  checkpoint_every: 25\n" /* 55 */
                                        "  eval_every: 10\n"       /* 56 */
                                        "  eval_batches: 3\n"      /* 57 */
                                        "  stop_error: 0.04\n";    /* 58 */

/* A valid sMNIST spec, mostly defaults. */
static const char base_smnist[] = "version: 1\n"           /*  1 */
                                  "name: mn\n"             /*  2 */
                                  "network:\n"             /*  3 */
                                  "  inputs: 80\n"         /*  4 */
                                  "  populations:\n"       /*  5 */
                                  "    - name: a\n"        /*  6 */
                                  "      kind: alif\n"     /*  7 */
                                  "      size: 20\n"       /*  8 */
                                  "      tau_m_ms: 20\n"   /*  9 */
                                  "      b0: 0.01\n"       /* 10 */
                                  "      tau_a_ms: 700\n"  /* 11 */
                                  "      beta: 1.8\n"      /* 12 */
                                  "  readout:\n"           /* 13 */
                                  "    size: 10\n"         /* 14 */
                                  "task:\n"                /* 15 */
                                  "  kind: smnist\n"       /* 16 */
                                  "  dataset: fashion\n"   /* 17 */
                                  "  ext_time: 2\n"        /* 18 */
                                  "  readout_steps: 100\n" /* 19 */
                                  "  train_limit: 1000\n"  /* 20 */
                                  "  test_limit: 500\n"    /* 21 */
                                  "training:\n"            /* 22 */
                                  "  batch_size: 256\n"    /* 23 */
                                  "  iterations: 36000\n"; /* 24 */

/* Seven more one-neuron populations, for "too many populations" (the 9th is on line 29). */
static const char seven_more_pops[] =
    "    - {name: p2, kind: lif, size: 1, tau_m_ms: 20, b0: 0.01}\n"
    "    - {name: p3, kind: lif, size: 1, tau_m_ms: 20, b0: 0.01}\n"
    "    - {name: p4, kind: lif, size: 1, tau_m_ms: 20, b0: 0.01}\n"
    "    - {name: p5, kind: lif, size: 1, tau_m_ms: 20, b0: 0.01}\n"
    "    - {name: p6, kind: lif, size: 1, tau_m_ms: 20, b0: 0.01}\n"
    "    - {name: p7, kind: lif, size: 1, tau_m_ms: 20, b0: 0.01}\n"
    "    - {name: p8, kind: lif, size: 1, tau_m_ms: 20, b0: 0.01}\n"
    "  delays: 10\n";

/* One malformed spec: base with the single occurrence of `from` replaced by `to` (base
 * NULL: `to` is the whole text), the error position "LINE:COL" and a message excerpt. */
typedef struct {
    const char *base;
    const char *from, *to;
    const char *where;
    const char *expect;
} bad_case;

/* Pieces of a network.connectivity mapping for the store-recall base (line 24 onwards). */
#define CONN_DENSE "  connectivity: dense\n"
#define C_HEAD     "  connectivity:\n"
#define C_MODE     "    mode: deep_r\n"
#define C_P        "    p: 0.12\n"
#define C_BUDGET   "    budget: global\n"
#define C_SOFT     "    soft: false\n"
#define C_L1       "    l1: 0.01\n"
#define C_T        "    temperature: 0\n"
#define C_DALE     "    dale: true\n"
#define C_EXC      "    excitatory: 0.75\n"

#define SR base_store_recall
#define MN base_smnist
#define MN_POPULATIONS                                                                             \
    "  populations:\n    - name: a\n      kind: alif\n      size: 20\n      tau_m_ms: 20\n"        \
    "      b0: 0.01\n      tau_a_ms: 700\n      beta: 1.8\n"

static const bad_case bad_cases[] = {
    /* YAML itself */
    {NULL, NULL, "", "1:1", "the spec is empty"},
    {NULL, NULL, "# only a comment\n", "1:1", "the spec is empty"},
    {NULL, NULL, "- version: 1\n- name: x\n", "1:1", "the top level must be a mapping"},
    {NULL, NULL, "just words\n", "1:1", "the top level must be a mapping"},
    {SR, "  dt_ms: 0.5\n", "\tdt_ms: 0.5\n", "5:1", "found character that cannot start any token"},
    {SR, "  inputs: 100\n", "  inputs: 100: 3\n", "7:14", "mapping values are not allowed"},
    {SR, "  gamma: 0.25\n", "  gamma: [0.25\n", "30:5", "invalid YAML"},
    {SR, "  stop_error: 0.04\n", "  stop_error: 0.04\n---\nversion: 1\n", "59:1",
     "one YAML document"},
    {SR, "  gamma: 0.25\n", "  gamma: *g\n", "29:10", "aliases"},
    {SR, "  gamma: 0.25\n", "  gamma: !!float 0.25\n", "29:10", "tags"},
    {SR, "seed: 7\n", "[seed]: 7\n", "3:1", "mapping keys must be plain words"},
    /* version */
    {SR, "version: 1\n", "version: 2\n", "1:10", "version must be 1"},
    {SR, "version: 1\n", "version: one\n", "1:10", "version must be an integer, got 'one'"},
    {SR, "version: 1\n", "", "1:1", "missing required key 'version' at the top level"},
    /* unknown keys, at each level */
    {SR, "seed: 7\n", "sed: 7\n", "3:1",
     "unknown key 'sed' at the top level; allowed keys: version, name, seed, network"},
    {SR, "  delays: 10\n", "  delay: 10\n", "23:3", "unknown key 'delay' in network; allowed"},
    {SR, "      tau_m_ms: 20\n", "      tau_mm: 20\n", "12:7",
     "unknown key 'tau_mm' in network.populations[0]; allowed keys: name, kind, size, tau_m_ms"},
    {SR, "    bias: false\n", "    biased: false\n", "28:5",
     "unknown key 'biased' in network.readout"},
    {SR, "  seq_delay: 5\n", "  seq_dly: 5\n", "37:3", "unknown key 'seq_dly' in task"},
    {SR, "  eval_batches: 3\n", "  eval_batch: 3\n", "57:3",
     "unknown key 'eval_batch' in training"},
    {SR, "    eps: 1e-7\n", "    epsilon: 1e-7\n", "47:5",
     "unknown key 'epsilon' in training.optimizer; allowed keys: kind, lr, beta1, beta2, eps"},
    {SR, "    every: 50\n", "    each: 50\n", "51:5", "unknown key 'each' in training.lr_schedule"},
    {SR, "    rate: 0.02\n", "    rat: 0.02\n", "53:5",
     "unknown key 'rat' in training.regularization"},
    /* wrong types */
    {SR, "      tau_m_ms: 25\n", "      tau_m_ms: abc\n", "18:17",
     "network.populations[1].tau_m_ms must be a number, got 'abc'"},
    {SR, "  gamma: 0.25\n", "  gamma:\n    x: 1\n", "30:5",
     "network.gamma must be a number, got a mapping"},
    {SR, "  gamma: 0.25\n", "  gamma: [1, 2]\n", "29:10",
     "network.gamma must be a number, got a sequence"},
    {SR, "      size: 10\n", "      size: 10.5\n", "11:13",
     "network.populations[0].size must be an integer, got '10.5'"},
    {SR, "      size: 10\n", "      size: 1e1\n", "11:13", "must be an integer, got '1e1'"},
    {SR, "  batch_size: 64\n", "  batch_size: \"64\"\n", "40:15",
     "training.batch_size must be an integer, got '64'"},
    {SR, "  stop_error: 0.04\n", "  stop_error: true\n", "58:15",
     "training.stop_error must be a number, got 'true'"},
    {SR, "    lr: 0.005\n", "    lr: .inf\n", "44:9",
     "training.optimizer.lr must be a number, got '.inf'"},
    {SR, "    lr: 0.005\n", "    lr: .nan\n", "44:9", "must be a number, got '.nan'"},
    {SR, "    lr: 0.005\n", "    lr: 1e999\n", "44:9", "must be a finite number in (0, 10]"},
    {SR, "  delays: 10\n", "  delays: 010\n", "23:11",
     "network.delays must be an integer, got '010'"},
    {SR, "    bias: false\n", "    bias: yes\n", "28:11",
     "network.readout.bias must be true or false, got 'yes'"},
    {SR, "    bias: false\n", "    bias: 0\n", "28:11", "must be true or false, got '0'"},
    {SR, "    tau_ms: 15\n    bias: false\n", "    tau_ms: 15\n    bias: false\n  foo: 1\n", "29:3",
     "unknown key 'foo' in network"},
    {SR, "  readout:\n    size: 2\n    tau_ms: 15\n    bias: false\n", "  readout: 2\n", "25:12",
     "network.readout must be a mapping of keys, got '2'"},
    {SR, "name: test_model\n", "name: [a]\n", "2:7", "name must be a string, got a sequence"},
    /* missing required keys: the position is that of the mapping */
    {SR, "name: test_model\n", "", "1:1", "missing required key 'name' at the top level"},
    {SR, "  inputs: 100\n", "", "5:3", "missing required key 'inputs' in network"},
    {SR, "      b0: 0.01\n", "", "9:7", "missing required key 'b0' in network.populations[0]"},
    {SR, "    every: 50\n", "", "49:5", "missing required key 'every' in training.lr_schedule"},
    {SR, "    size: 2\n", "", "26:5", "missing required key 'size' in network.readout"},
    {MN, "  kind: smnist\n", "", "16:3", "missing required key 'kind' in task"},
    {MN, "  iterations: 36000\n", "", "23:3", "missing required key 'iterations' in training"},
    /* duplicate keys */
    {SR, "      size: 12\n", "      size: 12\n      size: 13\n", "18:7",
     "duplicate key 'size' in network.populations[1] (first given at 17:7)"},
    {SR, "seed: 7\n", "seed: 7\nseed: 8\n", "4:1", "duplicate key 'seed' at the top level"},
    /* ranges: each kind of interval */
    {SR, "      tau_m_ms: 20\n", "      tau_m_ms: -3\n", "12:17",
     "network.populations[0].tau_m_ms must be in (0, 1e6], got -3"},
    {SR, "  dt_ms: 0.5\n", "  dt_ms: 0\n", "5:10", "network.dt_ms must be in (0, 10], got 0"},
    {SR, "  gamma: 0.25\n", "  gamma: 10.5\n", "29:10",
     "network.gamma must be in (0, 10], got 10.5"},
    {SR, "    beta1: 0.85\n", "    beta1: 1\n", "45:12",
     "training.optimizer.beta1 must be in [0, 1), got 1"},
    {SR, "      beta: 1.7\n", "      beta: -0.1\n", "22:13", "beta must be in [0, 1e3], got -0.1"},
    {SR, "    factor: 0.5\n", "    factor: 0\n", "50:13",
     "training.lr_schedule.factor must be in (0, 1], got 0"},
    {SR, "    rate: 0.02\n", "    rate: -1\n", "53:11",
     "training.regularization.rate must be in [0, 1e6]"},
    {SR, "  stop_error: 0.04\n", "  stop_error: 1.5\n", "58:15", "must be in [0, 1], got 1.5"},
    {SR, "  delays: 10\n", "  delays: 65\n", "23:11",
     "network.delays must be an integer in [1, 64], got 65"},
    {SR, "      refractory: 3\n", "      refractory: -1\n", "14:19",
     "must be an integer in [0, 1000], got -1"},
    {SR, "  iterations: 300\n", "  iterations: 0\n", "41:15",
     "training.iterations must be an integer in [1, 1000000000], got 0"},
    {SR, "  inputs: 100\n", "  inputs: 4097\n", "7:11",
     "network.inputs must be an integer in [1, 4096]"},
    {SR, "seed: 7\n", "seed: 99999999999999999999\n", "3:7",
     "seed must be an integer in [0, 9223372036854775807]"},
    {SR, "seed: 7\n", "seed: -1\n", "3:7",
     "seed must be an integer in [0, 9223372036854775807], got -1"},
    {SR, "  values: 2\n", "  values: 17\n", "32:11",
     "task.values must be an integer in [2, 16], got 17"},
    {SR, "  rate_hz: 40\n", "  rate_hz: 1001\n", "36:12",
     "task.rate_hz must be in (0, 1000], got 1001"},
    {MN, "  readout_steps: 100\n", "  readout_steps: 225\n", "19:18",
     "task.readout_steps must be an integer in [1, 224], got 225"},
    {MN, "  ext_time: 2\n", "  ext_time: 5\n", "18:13",
     "task.ext_time must be an integer in [1, 4], got 5"},
    {MN, "  readout_steps: 100\n", "  readout_steps: 113\n", "19:18",
     "task.readout_steps must be at most 56 * task.ext_time = 112 (the cue steps), got 113"},
    /* names */
    {SR, "name: test_model\n", "name: my model\n", "2:7", "name must be 1 to 63 characters"},
    {SR, "name: test_model\n",
     "name: a234567890123456789012345678901234567890123456789012345678901234\n", "2:7",
     "name must be 1 to 63 characters"},
    {SR, "    - name: ada\n", "    - name: reg\n", "15:13",
     "network.populations[1].name 'reg' is already used by network.populations[0]"},
    /* enums */
    {SR, "      kind: alif\n", "      kind: adaptive\n", "16:13",
     "network.populations[1].kind must be one of lif, alif, got 'adaptive'"},
    {SR, "  spike_from: prev_v\n", "  spike_from: old_v\n", "6:15",
     "network.spike_from must be one of new_v, prev_v, got 'old_v'"},
    {SR, "  kind: store_recall\n", "  kind: timit\n", "31:9",
     "task.kind must be one of store_recall, smnist, speech, navigation, l2l, got 'timit'"},
    {SR, "    kind: adam\n", "    kind: sgd\n", "43:11",
     "training.optimizer.kind must be one of adam"},
    {SR, "    kind: step\n", "    kind: cosine\n", "49:11",
     "training.lr_schedule.kind must be one of step"},
    {SR, "  connectivity: dense\n", "  connectivity: sparse\n", "24:17",
     "network.connectivity must be dense or a mapping with keys mode (dense, deep_r), p"},
    {MN, "  dataset: fashion\n", "  dataset: cifar\n", "17:12",
     "task.dataset must be one of mnist, fashion-mnist"},
    /* neuron kinds */
    {SR, "      refractory: 3\n", "      refractory: 3\n      beta: 1\n", "15:7",
     "network.populations[0].beta is only allowed for kind alif"},
    {SR, "      refractory: 3\n", "      refractory: 3\n      tau_a_ms: 100\n", "15:7",
     "network.populations[0].tau_a_ms is only allowed for kind alif"},
    {SR, "      tau_a_ms: 1200\n", "", "15:7",
     "missing required key 'tau_a_ms' in network.populations[1] (kind alif needs tau_a_ms and "
     "beta)"},
    {SR, "      beta: 1.7\n", "", "15:7", "missing required key 'beta' in network.populations[1]"},
    /* CUBA: tau_syn_ms (neurocore.md §17), on lif and alif, never on the readout */
    {SR, "      refractory: 3\n", "      refractory: 3\n      tau_syn_ms: 0\n", "15:19",
     "network.populations[0].tau_syn_ms must be in (0, 1e6], got 0"},
    {SR, "      beta: 1.7\n", "      beta: 1.7\n      tau_syn_ms: 2e6\n", "23:19",
     "network.populations[1].tau_syn_ms must be in (0, 1e6], got 2e6"},
    {SR, "      refractory: 3\n", "      refractory: 3\n      tau_syn_ms: fast\n", "15:19",
     "network.populations[0].tau_syn_ms must be a number"},
    {SR, "    tau_ms: 15\n", "    tau_ms: 15\n    tau_syn_ms: 5\n", "28:5",
     "unknown key 'tau_syn_ms' in network.readout"},
    /* populations */
    {SR, "  delays: 10\n", seven_more_pops, "29:7",
     "network.populations[8]: at most 8 populations are allowed"},
    {SR, "      size: 12\n", "      size: 4090\n", "17:13",
     "network.populations[1].size: the populations hold 4100 recurrent neurons in all, more than "
     "the maximum 4096"},
    {MN, MN_POPULATIONS, "  populations: []\n", "5:16",
     "network.populations must have 1 to 8 populations, got none"},
    {MN, MN_POPULATIONS, "  populations: {a: 1}\n", "5:16",
     "network.populations must be a sequence of populations, got a mapping"},
    {SR, "    - name: reg\n", "    - 7\n    - name: reg\n", "9:7",
     "network.populations[0] must be a mapping of keys, got '7'"},
    /* task keys and sizes */
    {SR, "  test_size: 512\n", "  ext_time: 2\n", "38:3",
     "task.ext_time is only allowed with task kind smnist"},
    {MN, "  test_limit: 500\n", "  values: 2\n", "21:3",
     "task.values is only allowed with task kind store_recall"},
    {SR, "  inputs: 100\n", "  inputs: 80\n", "7:11",
     "network.inputs must be (task.values + 2) * task.group_size = 100 for task store_recall, got "
     "80"},
    {SR, "  values: 2\n", "  values: 3\n", "7:11",
     "network.inputs must be (task.values + 2) * task.group_size = 125"},
    {SR, "    size: 2\n", "    size: 3\n", "26:11",
     "network.readout.size must be task.values = 2 for task store_recall, got 3"},
    {MN, "  inputs: 80\n", "  inputs: 100\n", "4:11", "network.inputs must be 80 for task smnist"},
    {MN, "    size: 10\n", "    size: 2\n", "14:11",
     "network.readout.size must be 10 for task smnist"},
    {MN, "  test_limit: 500\n", "  data_dir: ''\n", "21:13",
     "task.data_dir must be a path of 1 to 511"},
    /* network.connectivity: the word dense or a mapping (lines 24-32 of the DEEP R mapping) */
    {SR, CONN_DENSE, "  connectivity: deep_r\n", "24:17",
     "network.connectivity: deep_r needs its parameters; write a mapping"},
    {SR, CONN_DENSE, "  connectivity: [dense]\n", "24:17",
     "network.connectivity must be dense or a mapping with keys mode (dense, deep_r), p, budget, "
     "soft, l1, temperature, dale, excitatory, variant; got a sequence"},
    {SR, CONN_DENSE, C_HEAD C_P, "25:5", "missing required key 'mode' in network.connectivity"},
    {SR, CONN_DENSE, C_HEAD "    mode: sparse\n" C_P, "25:11",
     "network.connectivity.mode must be one of dense, deep_r, got 'sparse'"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_SOFT, "25:5",
     "missing required key 'p' in network.connectivity"},
    {SR, CONN_DENSE, C_HEAD C_MODE "    p: 0\n", "26:8",
     "network.connectivity.p must be in (0, 1], got 0"},
    {SR, CONN_DENSE, C_HEAD C_MODE "    p: 1.5\n", "26:8",
     "network.connectivity.p must be in (0, 1], got 1.5"},
    {SR, CONN_DENSE, C_HEAD C_MODE "    p: \"0.1\"\n", "26:8",
     "network.connectivity.p must be a number, got '0.1'"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P "    budget: local\n", "27:13",
     "network.connectivity.budget must be one of global, per_matrix, got 'local'"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P C_BUDGET "    soft: yes\n", "28:11",
     "network.connectivity.soft must be true or false, got 'yes'"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P C_BUDGET C_SOFT "    l1: -1\n", "29:9",
     "network.connectivity.l1 must be in [0, 1e3], got -1"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P C_BUDGET C_SOFT C_L1 "    temperature: -0.5\n", "30:18",
     "network.connectivity.temperature must be in [0, 1e3], got -0.5"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P C_BUDGET C_SOFT C_L1 C_T "    dale: 1\n", "31:11",
     "network.connectivity.dale must be true or false, got '1'"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P C_BUDGET C_SOFT C_L1 C_T C_DALE "    excitatory: 1\n",
     "32:17", "network.connectivity.excitatory must be in (0, 1), got 1"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P C_BUDGET C_SOFT C_L1 C_T C_DALE "    excitatory: 0\n",
     "32:17", "network.connectivity.excitatory must be in (0, 1), got 0"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P "    sparsity: 0.1\n", "27:5",
     "unknown key 'sparsity' in network.connectivity; allowed keys: mode, p, budget, soft, l1, "
     "temperature, dale, excitatory"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P "    p: 0.2\n", "27:5",
     "duplicate key 'p' in network.connectivity (first given at 26:5)"},
    {SR, CONN_DENSE, C_HEAD "    mode: dense\n" C_P, "26:5",
     "network.connectivity.p is only allowed with mode deep_r"},
    {SR, CONN_DENSE, C_HEAD "    mode: dense\n    foo: 1\n", "26:5",
     "unknown key 'foo' in network.connectivity"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P C_BUDGET "    soft: true\n" C_L1 "    temperature: 0.1\n",
     "27:5",
     "network.connectivity.budget is only allowed with soft: false (soft-DEEP R has no budget)"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P "    soft: true\n" C_L1 C_T, "29:18",
     "network.connectivity.temperature must be > 0 with soft: true (soft-DEEP R clips theta at "
     "-(1-p) T / (p l1)), got 0"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P "    soft: true\n" C_L1, "27:11",
     "network.connectivity.temperature must be > 0 with soft: true"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P "    soft: true\n    l1: 0\n    temperature: 1\n", "28:9",
     "network.connectivity.l1 must be > 0 with soft: true"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P "    dale: false\n" C_EXC, "28:5",
     "network.connectivity.excitatory is only allowed with dale: true"},
    {SR, CONN_DENSE, C_HEAD C_MODE C_P "    variant: quick\n", "27:14",
     "network.connectivity.variant must be one of official, fast"},
};

/* base with its single `from` replaced by `to`; malloc'ed, or NULL if from is not there once. */
static char *edited(const char *base, const char *from, const char *to)
{
    if (!base) return strdup(to);
    const char *at = strstr(base, from);
    if (!at || strstr(at + 1, from)) return NULL;
    size_t head = (size_t)(at - base), n = strlen(base) - strlen(from) + strlen(to);
    char *text = malloc(n + 1);
    memcpy(text, base, head);
    strcpy(text + head, to);
    strcat(text, at + strlen(from));
    return text;
}

static int parse_text(const char *text, lsnn_spec *s, lsnn_error *e)
{
    return lsnn_spec_parse(FILE_NAME, text, strlen(text), s, e);
}

static void test_bad_cases(void)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char *text = edited(c->base, c->from, c->to);
        CHECK(text != NULL, "case %zu: '%s' is not in the base spec exactly once", i, c->from);
        if (!text) continue;
        lsnn_spec s;
        lsnn_error e = {{0}};
        char prefix[64];
        snprintf(prefix, sizeof prefix, FILE_NAME ":%s: error: ", c->where);
        int rc = parse_text(text, &s, &e);
        CHECK(rc == -1, "case %zu (%s): parsed, expected '%s'", i, c->where, c->expect);
        CHECK(strncmp(e.msg, prefix, strlen(prefix)) == 0, "case %zu: message '%s' lacks '%s'", i,
              e.msg, prefix);
        CHECK(strstr(e.msg, c->expect) != NULL, "case %zu: message '%s' lacks '%s'", i, e.msg,
              c->expect);
        free(text);
    }
}

static void test_full_spec(void)
{
    lsnn_spec s;
    lsnn_error e = {{0}};
    CHECK(parse_text(base_store_recall, &s, &e) == 0, "%s", e.msg);
    CHECK(s.version == 1 && strcmp(s.name, "test_model") == 0 && s.seed == 7, "header");
    CHECK(s.dt_ms == 0.5 && s.spike_from == LSNN_SPIKE_FROM_PREV_V && s.n_in == 100, "network");
    CHECK(s.n_pops == 2 && lsnn_spec_n_rec(&s) == 22, "n_pops %d", s.n_pops);
    const lsnn_pop_spec *p = &s.pops[0];
    CHECK(strcmp(p->name, "reg") == 0 && p->kind == LSNN_NEURON_LIF && p->size == 10, "pop 0");
    CHECK(p->tau_m_ms == 20 && p->b0 == 0.01 && p->refractory == 3, "pop 0 params");
    CHECK(p->tau_a_ms == 0 && p->beta == 0, "LIF has no adaptation");
    p = &s.pops[1];
    CHECK(strcmp(p->name, "ada") == 0 && p->kind == LSNN_NEURON_ALIF && p->size == 12, "pop 1");
    CHECK(p->tau_m_ms == 25 && p->b0 == 0.02 && p->refractory == 2, "pop 1 params");
    CHECK(p->tau_a_ms == 1200 && p->beta == 1.7, "pop 1 adaptation");
    CHECK(s.n_delay == 10 && s.connectivity == LSNN_CONN_DENSE, "delays");
    CHECK(s.n_out == 2 && s.tau_out_ms == 15 && s.readout_bias == 0 && s.gamma == 0.25, "readout");
    const lsnn_store_recall_spec *t = &s.store_recall;
    CHECK(s.task == LSNN_TASK_STORE_RECALL && t->values == 2 && t->group_size == 25, "task");
    CHECK(t->char_ms == 150 && t->n_chars == 10 && t->rate_hz == 40, "task timing");
    CHECK(t->seq_delay == 5 && t->test_size == 512, "task sizes");
    CHECK(s.batch_size == 64 && s.iterations == 300, "training");
    CHECK(s.lr == 0.005 && s.adam_beta1 == 0.85 && s.adam_beta2 == 0.995 && s.adam_eps == 1e-7,
          "optimizer");
    CHECK(s.lr_decay == 0.5 && s.lr_decay_every == 50, "schedule");
    CHECK(s.reg_rate == 0.02 && s.reg_target_hz == 12, "regularization");
    CHECK(s.checkpoint_every == 25 && s.eval_every == 10 && s.eval_batches == 3, "cadence");
    CHECK(s.stop_error == 0.04, "stop_error");

    CHECK(parse_text(base_smnist, &s, &e) == 0, "%s", e.msg);
    const lsnn_smnist_spec *m = &s.smnist;
    CHECK(s.task == LSNN_TASK_SMNIST && m->dataset == LSNN_DATA_FASHION, "smnist task");
    CHECK(strcmp(m->data_dir, "/usr/share/datasets/fashion-mnist") == 0, "%s", m->data_dir);
    /* both spellings of Fashion-MNIST (issue 13); a spec is written with fashion-mnist */
    {
        char text[sizeof base_smnist + 16], *at = strstr(base_smnist, "dataset: fashion\n");
        CHECK(at != NULL, "base_smnist names fashion");
        if (at) {
            snprintf(text, sizeof text, "%.*sdataset: fashion-mnist\n%s", (int)(at - base_smnist),
                     base_smnist, at + strlen("dataset: fashion\n"));
            lsnn_spec t;
            CHECK(parse_text(text, &t, &e) == 0, "fashion-mnist: %s", e.msg);
            CHECK(t.smnist.dataset == LSNN_DATA_FASHION, "fashion-mnist is Fashion-MNIST");
            CHECK(memcmp(&t, &s, sizeof t) == 0, "fashion and fashion-mnist: the same spec");
        }
        char *y = lsnn_spec_to_yaml(&s);
        CHECK(y && strstr(y, "  dataset: fashion-mnist\n"), "written as fashion-mnist");
        free(y);
    }
    CHECK(m->ext_time == 2 && m->readout_steps == 100, "smnist timing");
    CHECK(m->train_limit == 1000 && m->test_limit == 500, "smnist limits");
}

static void test_defaults(void)
{
    const char *minimal = "version: 1\n"
                          "name: min\n"
                          "network:\n"
                          "  inputs: 100\n"
                          "  populations:\n"
                          "    - {name: p, kind: lif, size: 5, tau_m_ms: 20, b0: 0.01}\n"
                          "  readout: {size: 2}\n"
                          "task: {kind: store_recall}\n"
                          "training: {batch_size: 8, iterations: 10}\n";
    lsnn_spec s;
    lsnn_error e = {{0}};
    CHECK(parse_text(minimal, &s, &e) == 0, "%s", e.msg);
    CHECK(s.seed == 1 && s.dt_ms == 1 && s.spike_from == LSNN_SPIKE_FROM_NEW_V, "network defaults");
    CHECK(s.pops[0].refractory == 0 && s.n_delay == 1 && s.connectivity == LSNN_CONN_DENSE,
          "population defaults");
    CHECK(s.tau_out_ms == 20 && s.readout_bias == 1 && s.gamma == 0.3, "readout defaults");
    const lsnn_store_recall_spec *t = &s.store_recall;
    CHECK(t->values == 2 && t->group_size == 25 && t->char_ms == 200 && t->n_chars == 12,
          "store-recall defaults");
    CHECK(t->rate_hz == 50 && t->seq_delay == 6 && t->test_size == 1024, "store-recall defaults");
    const lsnn_smnist_spec *m = &s.smnist;
    CHECK(m->dataset == LSNN_DATA_MNIST && strcmp(m->data_dir, "data/mnist") == 0, "smnist dir");
    CHECK(m->ext_time == 1 && m->readout_steps == 28 && m->train_limit == 0 && m->test_limit == 0,
          "smnist defaults");
    CHECK(s.lr == 0.01 && s.adam_beta1 == 0.9 && s.adam_beta2 == 0.999 && s.adam_eps == 1e-8,
          "Adam defaults");
    CHECK(s.lr_decay == 1 && s.lr_decay_every == 0, "constant learning rate");
    CHECK(s.reg_rate == 0 && s.reg_target_hz == 10, "regularization defaults");
    CHECK(s.checkpoint_every == 0 && s.eval_every == 0 && s.eval_batches == 1 && s.stop_error == 0,
          "cadence defaults");

    char *smnist = edited(minimal, "inputs: 100", "inputs: 80");
    char *smnist2 = edited(smnist, "{size: 2}", "{size: 10}");
    char *smnist3 = edited(smnist2, "{kind: store_recall}", "{kind: smnist}");
    CHECK(parse_text(smnist3, &s, &e) == 0, "%s", e.msg);
    CHECK(s.task == LSNN_TASK_SMNIST && strcmp(s.smnist.data_dir, "data/mnist") == 0, "mnist");
    free(smnist);
    free(smnist2);
    free(smnist3);
}

/* base with `from` replaced by `to`, parsed; 0 on success (the check is counted). */
static int parse_edited(const char *base, const char *from, const char *to, lsnn_spec *s)
{
    char *text = edited(base, from, to);
    lsnn_error e = {{0}};
    int rc = text ? parse_text(text, s, &e) : -1;
    CHECK(rc == 0, "edited spec (%s) parses: %s", to, e.msg);
    free(text);
    return rc;
}

/* network.connectivity as a DEEP R mapping: every key, the defaults, flow style, mode dense. */
static void test_deepr_fields(void)
{
    lsnn_spec s;
    if (parse_edited(SR, CONN_DENSE,
                     C_HEAD C_MODE "    p: 0.2\n    budget: per_matrix\n" C_SOFT
                                   "    l1: 0.05\n    temperature: 0.001\n" C_DALE
                                   "    excitatory: 0.6\n",
                     &s) == 0) {
        const lsnn_deepr_spec *d = &s.deepr;
        CHECK(s.connectivity == LSNN_CONN_DEEP_R && d->p == 0.2 &&
                  d->budget == LSNN_BUDGET_PER_MATRIX && d->soft == 0,
              "deep_r mode, p, budget, soft");
        CHECK(d->l1 == 0.05 && d->temperature == 0.001 && d->dale == 1 && d->excitatory == 0.6,
              "deep_r l1, temperature, dale, excitatory");
    }
    if (parse_edited(SR, CONN_DENSE, C_HEAD C_MODE C_P, &s) == 0) {
        const lsnn_deepr_spec *d = &s.deepr;
        CHECK(s.connectivity == LSNN_CONN_DEEP_R && d->p == 0.12 && d->budget == LSNN_BUDGET_GLOBAL,
              "deep_r with only p: global budget");
        CHECK(d->soft == 0 && d->l1 == 0.01 && d->temperature == 0 && d->dale == 1 &&
                  d->excitatory == 0.75,
              "deep_r defaults are the LSNN-official sMNIST tutorial's");
    }
    if (parse_edited(SR, CONN_DENSE,
                     C_HEAD C_MODE C_P "    soft: true\n    l1: 1e-5\n    temperature: 1e-6\n"
                                       "    dale: false\n",
                     &s) == 0)
        CHECK(s.deepr.soft == 1 && s.deepr.l1 == 1e-5 && s.deepr.temperature == 1e-6 &&
                  s.deepr.dale == 0,
              "soft-DEEP R without Dale");
    if (parse_edited(SR, CONN_DENSE, "  connectivity: {mode: deep_r, p: 1}\n", &s) == 0)
        CHECK(s.connectivity == LSNN_CONN_DEEP_R && s.deepr.p == 1, "flow mapping, p = 1");
    if (parse_edited(SR, CONN_DENSE, C_HEAD "    mode: dense\n", &s) == 0)
        CHECK(s.connectivity == LSNN_CONN_DENSE, "{mode: dense} is dense");
}

/* lsnn_spec_to_yaml gives back the same spec, and is a fixed point. */
static void test_round_trip(void)
{
    static const char *const deepr_maps[] = {
        NULL,
        C_HEAD C_MODE C_P,
        C_HEAD C_MODE "    p: 0.3\n    budget: per_matrix\n    l1: 0\n    temperature: 2.5\n"
                      "    dale: true\n    excitatory: 0.8\n",
        C_HEAD C_MODE "    p: 0.05\n    soft: true\n    l1: 1e-5\n    temperature: 1e-6\n"
                      "    dale: false\n",
    };
    for (int base = 0; base < 2; base++)
        for (size_t i = 0; i < sizeof deepr_maps / sizeof deepr_maps[0]; i++) {
            if (base == 1 && i > 0) break;
            lsnn_spec a, b;
            lsnn_error e = {{0}};
            char *text = base            ? strdup(base_smnist)
                         : deepr_maps[i] ? edited(SR, CONN_DENSE, deepr_maps[i])
                                         : strdup(SR);
            int rc = parse_text(text, &a, &e);
            CHECK(rc == 0, "round trip %d.%zu: the spec parses: %s", base, i, e.msg);
            char *y1 = rc ? NULL : lsnn_spec_to_yaml(&a);
            rc = y1 ? parse_text(y1, &b, &e) : -1;
            CHECK(rc == 0, "round trip %d.%zu: the canonical YAML parses: %s", base, i, e.msg);
            if (rc == 0) {
                CHECK(memcmp(&a, &b, sizeof a) == 0, "round trip %d.%zu: same spec", base, i);
                char *y2 = lsnn_spec_to_yaml(&b);
                CHECK(y2 && strcmp(y1, y2) == 0, "round trip %d.%zu: canonical form is stable",
                      base, i);
                CHECK(strstr(y1, a.connectivity == LSNN_CONN_DEEP_R ? "    mode: deep_r\n"
                                                                    : "  connectivity: dense\n"),
                      "round trip %d.%zu: connectivity written", base, i);
                free(y2);
            }
            free(y1);
            free(text);
        }
}

/* tau_syn_ms: absent is 0 (off); given, it is kept, written back by lsnn_spec_to_yaml, and the
 * model's constants carry it (cuba, alpha_syn = float32 exp(-dt/tau_syn)). */
static void test_cuba(void)
{
    lsnn_spec a, b;
    if (parse_edited(SR, "      beta: 1.7\n", "      beta: 1.7\n      tau_syn_ms: 5\n", &a)) return;
    CHECK(a.pops[0].tau_syn_ms == 0 && a.pops[1].tau_syn_ms == 5, "tau_syn_ms %g %g",
          a.pops[0].tau_syn_ms, a.pops[1].tau_syn_ms);
    char *y = lsnn_spec_to_yaml(&a);
    lsnn_error e = {{0}};
    CHECK(y && strstr(y, "      tau_syn_ms: 5\n") && parse_text(y, &b, &e) == 0 &&
              memcmp(&a, &b, sizeof a) == 0,
          "tau_syn_ms round trip: %s", e.msg);
    free(y);
    lsnn_net net;
    CHECK(lsnn_net_alloc(&net, a.n_in, lsnn_spec_n_rec(&a), a.n_out, a.n_delay) == 0, "alloc");
    lsnn_model_constants(&a, &net);
    int n0 = a.pops[0].size, bad = 0;
    for (int i = 0; i < net.n_rec; i++) {
        int want = i >= n0;
        float as = want ? (float)lsnn_exp(-a.dt_ms / 5.0) : 0;
        bad += net.cuba[i] != want || net.alpha_syn[i] != as;
    }
    CHECK(bad == 0, "cuba and alpha_syn per neuron: %d wrong", bad);
    lsnn_net_free(&net);
}

/* A failed parse leaves the output alone; a NULL error pointer is allowed. */
static void test_failure_contract(void)
{
    lsnn_spec s, before;
    memset(&s, 0xab, sizeof s);
    before = s;
    lsnn_error e = {{0}};
    CHECK(parse_text("version: 1\nname: x\n", &s, &e) == -1, "incomplete spec parsed");
    CHECK(memcmp(&s, &before, sizeof s) == 0, "output changed on failure");
    CHECK(parse_text("version: 3\n", &s, NULL) == -1, "NULL error pointer");
    CHECK(lsnn_spec_load("/nonexistent/spec.yaml", &s, &e) == -1, "missing file loaded");
    CHECK(strstr(e.msg, "/nonexistent/spec.yaml") != NULL, "%s", e.msg);
}

/* Every prefix, and every byte replaced by characters that YAML gives meaning to, must
 * either parse or fail with a positioned message; ASan builds catch leaks and overruns. */
static void test_mutations(void)
{
    static const char replacements[] = {'\t', ':',  '-', '[',  '{',  '"', '*', '&',
                                        '#',  '\0', '9', '\n', '\'', '!', '|', '?'};
    size_t len = strlen(base_store_recall);
    char *text = malloc(len);
    int bad = 0, parsed = 0;
    for (size_t cut = 0; cut <= len; cut++) {
        lsnn_spec s;
        lsnn_error e = {{0}};
        int rc = lsnn_spec_parse(FILE_NAME, base_store_recall, cut, &s, &e);
        parsed += rc == 0;
        bad += rc != 0 && strncmp(e.msg, FILE_NAME ":", strlen(FILE_NAME) + 1) != 0;
    }
    for (size_t i = 0; i < len; i++) {
        for (size_t r = 0; r < sizeof replacements; r++) {
            lsnn_spec s;
            lsnn_error e = {{0}};
            memcpy(text, base_store_recall, len);
            text[i] = replacements[r];
            int rc = lsnn_spec_parse(FILE_NAME, text, len, &s, &e);
            bad += rc != 0 && (strncmp(e.msg, FILE_NAME ":", strlen(FILE_NAME) + 1) != 0 ||
                               !strstr(e.msg, ": error: "));
        }
    }
    CHECK(bad == 0, "%d mutated specs failed without a positioned message", bad);
    CHECK(parsed >= 1, "the whole text should parse");
    free(text);
}

/* The shipped models parse and say what their comments say. */
static void test_models(void)
{
    char dir[1024], path[1200];
    const char *src = getenv("LSNN_SOURCE_DIR");
    if (src) {
        snprintf(dir, sizeof dir, "%s", src);
    } else { /* run by hand: __FILE__ is <source>/tests/test_spec.c */
        snprintf(dir, sizeof dir, "%s", __FILE__);
        char *slash = strstr(dir, "/tests/test_spec.c");
        if (slash) *slash = '\0';
    }
    static const char *const models[] = {"store_recall", "store_recall_lif", "smnist",
                                         "smnist_lif",   "smnist_dense",     "store_recall_deepr"};
    lsnn_spec s[6];
    for (int i = 0; i < 6; i++) {
        lsnn_error e = {{0}};
        snprintf(path, sizeof path, "%s/models/%s.yaml", dir, models[i]);
        CHECK(lsnn_spec_load(path, &s[i], &e) == 0, "%s", e.msg);
        CHECK(strcmp(s[i].name, models[i]) == 0, "%s is named %s", path, s[i].name);
    }
    CHECK(s[0].n_in == 100 && s[0].n_pops == 2 && s[0].pops[1].kind == LSNN_NEURON_ALIF,
          "store_recall network");
    CHECK(s[0].pops[1].tau_a_ms == 1200 && s[0].pops[1].beta == 1.7 && s[0].n_delay == 10,
          "store_recall adaptation");
    CHECK(s[0].n_out == 2 && s[0].readout_bias == 0 && s[0].batch_size == 128 &&
              s[0].iterations == 200,
          "store_recall training");
    CHECK(s[0].lr_decay == 0.3 && s[0].lr_decay_every == 100 && s[0].reg_rate == 0.01,
          "store_recall schedule");
    CHECK(s[0].eval_every == 20 && s[0].eval_batches == 2 && s[0].stop_error == 0, "cadence");
    CHECK(s[1].n_pops == 1 && lsnn_spec_n_rec(&s[1]) == 20 && s[1].pops[0].kind == LSNN_NEURON_LIF,
          "store_recall_lif network");
    CHECK(s[2].n_in == 80 && lsnn_spec_n_rec(&s[2]) == 220 && s[2].pops[1].tau_a_ms == 700 &&
              s[2].pops[1].beta == 1.8 && s[2].pops[0].refractory == 5,
          "smnist network");
    CHECK(s[2].n_out == 10 && s[2].readout_bias == 1 && s[2].batch_size == 256 &&
              s[2].iterations == 36000 && s[2].lr_decay == 0.8 && s[2].lr_decay_every == 2500,
          "smnist training");
    CHECK(s[3].n_pops == 1 && lsnn_spec_n_rec(&s[3]) == 220 && s[3].pops[0].kind == LSNN_NEURON_LIF,
          "smnist_lif network");
    /* smnist is the paper's DEEP R configuration (lsnn-model.md §3.2); smnist_dense the same
     * network fully connected; store_recall_deepr the store-recall model at 12 % */
    const lsnn_deepr_spec *d = &s[2].deepr;
    CHECK(s[2].connectivity == LSNN_CONN_DEEP_R && d->p == 0.12 &&
              d->budget == LSNN_BUDGET_GLOBAL && !d->soft && d->l1 == 0.01 && d->temperature == 0 &&
              d->dale && d->excitatory == 0.75,
          "smnist: DEEP R 12 %%, global budget, l1 0.01, T 0, Dale 0.75");
    lsnn_spec dense = s[4];
    memset(dense.name, 0, sizeof dense.name);
    strcpy(dense.name, "smnist");
    dense.connectivity = LSNN_CONN_DEEP_R;
    dense.deepr = s[2].deepr;
    CHECK(s[4].connectivity == LSNN_CONN_DENSE && memcmp(&dense, &s[2], sizeof dense) == 0,
          "smnist_dense is smnist with dense connectivity");
    lsnn_spec sr = s[5];
    memset(sr.name, 0, sizeof sr.name);
    strcpy(sr.name, "store_recall");
    sr.connectivity = LSNN_CONN_DENSE;
    sr.deepr = s[0].deepr;
    CHECK(s[5].connectivity == LSNN_CONN_DEEP_R && s[5].deepr.p == 0.12 &&
              memcmp(&sr, &s[0], sizeof sr) == 0,
          "store_recall_deepr is store_recall with DEEP R at 12 %%");
}

int main(void)
{
    test_full_spec();
    test_defaults();
    test_bad_cases();
    test_deepr_fields();
    test_round_trip();
    test_cuba();
    test_failure_contract();
    test_mutations();
    test_models();
    return check_report();
}
