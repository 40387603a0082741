/* spec.h - the model spec (DESIGN.md contract 1): network, task and training, from YAML.
 *
 * The format is documented, key by key with ranges and defaults, in docs/model-spec.md.
 * Parsing is strict: an unknown key, a wrong type, a missing required key, a duplicate
 * key or an out-of-range value is an error "FILE:LINE:COL: error: ..." (1-based) that
 * names the key and the allowed range. */
#ifndef LSNN_SPEC_H
#define LSNN_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define LSNN_SPEC_VERSION 1
#define LSNN_MAX_POPS     8
#define LSNN_NAME_MAX     64
#define LSNN_PATH_MAX     512
#define LSNN_MAX_NEURONS  4096 /* recurrent neurons in one model */
#define LSNN_MAX_INPUTS   4096
#define LSNN_MAX_OUTPUTS  1024
#define LSNN_MAX_DELAY    64 /* delay slots */

/* sMNIST's input channels (the task encodes them, tasks/smnist.c; the spec checks n_in). */
#define LSNN_SMNIST_INPUTS 80
/* sMNIST with task.input analog: one channel, the grey value of the pixel of the step. */
#define LSNN_SMNIST_ANALOG_INPUTS 1
/* The speech task: 39 features per frame (MFCC 13 + deltas + delta-deltas) and 61 phones. */
#define LSNN_SPEECH_FEATURES 39
#define LSNN_SPEECH_PHONES   61

typedef enum { LSNN_NEURON_LIF, LSNN_NEURON_ALIF } lsnn_neuron_kind;
typedef enum { LSNN_SPIKE_FROM_NEW_V, LSNN_SPIKE_FROM_PREV_V } lsnn_spike_from;
typedef enum { LSNN_CONN_DENSE, LSNN_CONN_DEEP_R } lsnn_conn_mode;
typedef enum { LSNN_BUDGET_GLOBAL, LSNN_BUDGET_PER_MATRIX } lsnn_budget_kind;
typedef enum {
    LSNN_TASK_STORE_RECALL,
    LSNN_TASK_SMNIST,
    LSNN_TASK_SPEECH,
    LSNN_TASK_NAVIGATION,
    LSNN_TASK_L2L
} lsnn_task_kind;
typedef enum { LSNN_DATA_MNIST, LSNN_DATA_FASHION } lsnn_dataset_kind;
/* network.kind: the LSNN (populations of LIF/ALIF neurons), or an LSTM baseline (float only) */
typedef enum { LSNN_NET_LSNN, LSNN_NET_LSTM } lsnn_network_kind;
/* task.input of sMNIST: the 80 spike channels, or one analog value (the grey level) per step */
typedef enum { LSNN_INPUT_SPIKES, LSNN_INPUT_ANALOG } lsnn_input_kind;

typedef struct {
    char name[LSNN_NAME_MAX]; /* unique among populations */
    lsnn_neuron_kind kind;
    int size;          /* 1..LSNN_MAX_NEURONS; the sum over populations too */
    double tau_m_ms;   /* membrane time constant, (0, 1e6] */
    double b0;         /* baseline threshold, (0, 1e3] */
    int refractory;    /* steps after a spike in which the neuron cannot spike, 0..1000 */
    double tau_a_ms;   /* ALIF only: adaptation time constant, (0, 1e7]; 0 for LIF */
    double beta;       /* ALIF only: adaptation strength, [0, 1e3]; 0 for LIF */
    double tau_syn_ms; /* synaptic current time constant (CUBA, neurocore.md §17), (0, 1e6];
                          0 = absent: no current, v integrates the input */
} lsnn_pop_spec;

typedef struct {
    int values;     /* number of distinct stored values (2 in the tutorial), 2..16 */
    int group_size; /* input neurons per group, 1..1000; inputs = (values + 2) * group_size */
    int char_ms;    /* duration of one character, 1..10000 */
    int n_chars;    /* characters per sequence, 2..1000 */
    double rate_hz; /* firing rate of the active group, (0, 1000] */
    int seq_delay;  /* store/recall appear with probability 1/(1 + seq_delay), 0..1000 */
    int test_size;  /* sequences in the fixed test set, 1..1e6 */
} lsnn_store_recall_spec;

/* DEEP R (lsnn-model.md §4): W_in, W_rec and W_out are rewired; b_out is plain Adam. */
typedef struct {
    double p;                /* connection probability / budget fraction, (0, 1] */
    lsnn_budget_kind budget; /* hard DEEP R: K = int(sum size*p) over all three matrices
                                (global) or int(size*p) per matrix (per_matrix) */
    int soft;                /* 1: soft-DEEP R (§4.1): no hard budget, noise on every theta,
                                theta clipped below at -(1-p) T / (p l1) */
    double l1;               /* L1 shrinkage on active theta, [0, 1e3]; > 0 when soft */
    double temperature;      /* T, [0, 1e3]: noise sqrt(2 lr T) N(0,1); > 0 when soft */
    int dale;                /* 1: fixed signs per presynaptic neuron (Dale's law) */
    double excitatory;       /* with dale: fraction of excitatory neurons, (0, 1) */
    int fast;                /* 1: variant fast: gradients of active connections only, the Adam
                                moments of a dormant one untouched and reset to 0 when it is
                                activated (the DEEP R paper's Algorithm 1); 0: variant official,
                                LSNN-official's dense "virtual" gradient at dormant entries */
} lsnn_deepr_spec;

typedef struct {
    lsnn_dataset_kind dataset;
    char data_dir[LSNN_PATH_MAX]; /* IDX files; default data/mnist or
                                     /usr/share/datasets/fashion-mnist */
    int ext_time;                 /* steps per pixel, 1..4 */
    int readout_steps;            /* logits = mean readout over the last N steps, 1..(cue steps) */
    int train_limit;              /* use only the first N training images (0 = all) */
    int test_limit;               /* use only the first N test images (0 = all) */
    int validation;        /* the last N images of the training file validate during training and
                              are not trained on (0: validation takes the test split's first images) */
    lsnn_input_kind input; /* analog: 784*ext_time steps of one channel valued byte/255, no cue;
                              readout_steps counts back from the last pixel step */
} lsnn_smnist_spec;

/* Frame-wise phone recognition on a TIMIT-layout corpus (docs/model-spec.md, docs/speech.md). */
typedef struct {
    char data_dir[LSNN_PATH_MAX]; /* the corpus root (TRAIN/, TEST/); default data/speech */
    lsnn_input_kind input;        /* spikes: threshold crossings of the z-scores (LSNN);
                                     analog: the 39 z-scores as values (needs the LSTM) */
    int frame_steps;              /* time steps per 10 ms frame (e-prop's n_repeat), 1..100 */
    int thresholds;               /* spikes only: thresholds per feature, 1..64 */
    double thr_lo, thr_hi;        /* spikes only: first and last threshold (z units),
                                     [-10, 10], thr_lo <= thr_hi */
    int validation_speakers;      /* hold out the last N training speakers as validation
                                     (corpora without a VALID split), 0..1000; 0 = none */
    int max_frames;               /* cut utterances to their first N frames, 0 = no cap */
} lsnn_speech_spec;

/* Meta-RL navigation (lsnn-model.md §5.4, docs/navigation.md): an arena, an invisible goal per
 * episode, the agent's position and the reward as spikes; readouts 0, 1 the action mean, 2 the
 * value. Inputs = 2 * pos_neurons + reward_neurons. */
typedef struct {
    int episode_steps;     /* steps per episode, a multiple of action_steps, 2..1e6 */
    int action_steps;      /* steps per action period (one move per period), 2..1000 */
    double goal_radius;    /* (0, 0.5] in arena units (the arena is the unit square) */
    double step_size;      /* largest move per action and axis, (0, 1] */
    int pos_neurons;       /* position neurons per axis (Gaussian tuning), 2..256 */
    double pos_rate_hz;    /* their peak rate, (0, 1000] */
    int reward_neurons;    /* neurons firing in the action period after a goal, 1..256 */
    double reward_rate_hz; /* their rate, (0, 1000] */
    int test_size;         /* episodes of the fixed test set, 1..1e6 */
} lsnn_nav_spec;

/* training.ppo (navigation only): PPO's clipped surrogate, GAE and value loss. */
typedef struct {
    double sigma;      /* the Gaussian policy's fixed standard deviation, (0, 10] */
    double gamma;      /* discount per action, [0, 1] */
    double lambda;     /* GAE's lambda, [0, 1] */
    double clip;       /* the ratio clip epsilon, (0, 1] */
    int epochs;        /* gradient steps on each batch of rollouts, 1..100 */
    double value_coef; /* weight of the value loss, [0, 1e3] */
} lsnn_ppo_spec;

/* The inputs and readouts a navigation task needs. */
#define LSNN_NAV_OUTPUTS 3

/* Learning-to-learn (lsnn-model.md §5.3, docs/l2l.md): each episode is a new target network
 * (2 inputs, `hidden` sigmoid units, 1 output, weights U[-1, 1]) and `trials` trials; trial
 * t shows x_t and the target of trial t-1, population-coded, and scores y_t by MSE. */
typedef struct {
    int trials;          /* trials per episode, 2..1000 */
    int trial_ms;        /* steps (1 ms) per trial, 1..1000 */
    int hidden;          /* target-network hidden units, 1..100 */
    int pop_size;        /* input neurons per coded value, 1..1000; inputs = 3 * pop_size */
    double rate_hz;      /* peak rate of a tuned input neuron, (0, 1000] */
    double width;        /* Gaussian tuning width, a fraction of the coded range, (0, 1] */
    double target_range; /* the target population codes [-R, R] (clipped), (0, 100] */
    int readout_ms;      /* the last N steps of a trial are its window, 1..trial_ms */
    int test_size;       /* episodes in the fixed test set, 1..1e6 */
} lsnn_l2l_spec;

typedef struct {
    int version; /* LSNN_SPEC_VERSION */
    char name[LSNN_NAME_MAX];
    uint64_t seed;

    /* network */
    lsnn_network_kind network; /* LSNN_NET_LSTM: n_in, hidden, n_out and readout_bias only */
    int hidden;                /* LSTM hidden units, 1..LSNN_MAX_NEURONS (0 for the LSNN) */
    double dt_ms;              /* (0, 10] */
    lsnn_spike_from spike_from;
    int n_in; /* 1..LSNN_MAX_INPUTS */
    int n_pops;
    lsnn_pop_spec pops[LSNN_MAX_POPS];
    int n_delay; /* delay slots: each synapse gets a fixed random delay in 0..n_delay-1 */
    lsnn_conn_mode connectivity;
    lsnn_deepr_spec deepr; /* connectivity == LSNN_CONN_DEEP_R only */
    int n_out;             /* readout units, 1..LSNN_MAX_OUTPUTS */
    double tau_out_ms;     /* readout (PSP) time constant, (0, 1e6] */
    int readout_bias;      /* 0/1 */
    double gamma;          /* pseudo-derivative dampening, (0, 10] */
    int autapses;          /* 0/1: w_rec's diagonal may be nonzero (imported networks) */

    /* task */
    lsnn_task_kind task;
    lsnn_store_recall_spec store_recall;
    lsnn_smnist_spec smnist;
    lsnn_speech_spec speech;
    lsnn_nav_spec nav;
    lsnn_l2l_spec l2l;

    /* training */
    int batch_size;      /* 1..65536 */
    long iterations;     /* 1..1e9 */
    double lr;           /* Adam learning rate, (0, 10] */
    double adam_beta1;   /* [0, 1) */
    double adam_beta2;   /* [0, 1) */
    double adam_eps;     /* (0, 1] */
    double lr_decay;     /* step schedule: lr *= lr_decay every lr_decay_every iterations, (0, 1] */
    long lr_decay_every; /* 0 = constant learning rate */
    double reg_rate;     /* firing-rate regularisation coefficient, [0, 1e6] */
    double reg_target_hz;  /* target rate, [0, 1000] */
    long checkpoint_every; /* iterations, 0 = only at the end */
    long eval_every;       /* iterations between validation evaluations, 0 = never */
    int eval_batches;      /* batches per validation evaluation, 1..1000 */
    double stop_error;     /* stop when validation error < stop_error (0 = never) */
    /* quantisation-aware training (training.qat, docs/training.md "QAT"): the forward pass
     * runs the network as the compiler quantises it for qat_bits-bit weights */
    int qat_bits;      /* training.qat.weight_bits: 0 (absent) = float training, else 2..16 */
    int qat_rule;      /* training.qat.exponents: 1 max, 2 mse (quant.h's LSNN_WEXP_*); 0: absent
                          (training writes the rule it uses) */
    lsnn_ppo_spec ppo; /* training.ppo: navigation only */
} lsnn_spec;

/* 1 if a task kind is scored by squared error (regression: l2l), 0 if by classes. */
int lsnn_task_kind_regression(lsnn_task_kind kind);

/* lsnn_task_kind_regression of the spec's task. */
int lsnn_spec_regression(const lsnn_spec *s);

/* Total recurrent neurons (sum of population sizes). */
int lsnn_spec_n_rec(const lsnn_spec *s);

/* Parses a YAML file. Returns 0 on success; on error, -1 with "FILE:LINE:COL: error: ..." in e. */
int lsnn_spec_load(const char *path, lsnn_spec *out, lsnn_error *e);

/* Same from a memory buffer; `name` is used as FILE in messages. */
int lsnn_spec_parse(const char *name, const char *text, unsigned long len, lsnn_spec *out,
                    lsnn_error *e);

/* Writes the spec as canonical YAML (every key, defaults included) atomically to path;
 * lsnn_spec_load of the result gives back the same spec. Implemented in spec_write.c. */
int lsnn_spec_save(const char *path, const lsnn_spec *s, lsnn_error *e);

/* Same into a malloc'ed NUL-terminated string. Returns NULL on OOM. */
char *lsnn_spec_to_yaml(const lsnn_spec *s);

/* Compares two specs by their canonical YAML: 0 if equal; 1 if not, with the first difference
 * in out ("network.populations: 'tau_a_ms: 700' against 'tau_a_ms: 200'", a's line first);
 * -1 on OOM. */
int lsnn_spec_diff(const lsnn_spec *a, const lsnn_spec *b, char *out, size_t n);

/* The model's identity for weight files: a 64-bit hash (FNV-1a) of the canonical YAML of the
 * network section, the architecture. Training settings (iterations, learning rate, seed) and
 * the task are not in it, so fine-tuning and --resume --iters keep the identity. */
uint64_t lsnn_spec_arch_hash(const lsnn_spec *s);

#endif
