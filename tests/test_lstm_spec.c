/* test_lstm_spec.c - the spec's LSTM network (network.kind lstm) and sMNIST's analog input
 * (task.input analog): fields, defaults, positioned errors, the canonical form, the shipped
 * LSTM specs, and that an LSNN spec's canonical form and architecture hash do not change.
 *
 * Malformed specs are one textual edit of a valid base, as in test_spec.c. */
#include <inttypes.h>
#include <stdint.h>

#include "check.h"
#include "spec.h"

#define FILE_NAME "lstm.yaml"

static const char base[] = "version: 1\n"         /*  1 */
                           "name: tiny_lstm\n"    /*  2 */
                           "seed: 3\n"            /*  3 */
                           "network:\n"           /*  4 */
                           "  kind: lstm\n"       /*  5 */
                           "  dt_ms: 1\n"         /*  6 */
                           "  inputs: 1\n"        /*  7 */
                           "  hidden: 32\n"       /*  8 */
                           "  readout:\n"         /*  9 */
                           "    size: 10\n"       /* 10 */
                           "    bias: false\n"    /* 11 */
                           "task:\n"              /* 12 */
                           "  kind: smnist\n"     /* 13 */
                           "  input: analog\n"    /* 14 */
                           "  ext_time: 2\n"      /* 15 */
                           "  readout_steps: 5\n" /* 16 */
                           "training:\n"          /* 17 */
                           "  batch_size: 16\n"   /* 18 */
                           "  iterations: 10\n"   /* 19 */
                           "  optimizer:\n"       /* 20 */
                           "    lr: 0.002\n"      /* 21 */
                           "  lr_schedule:\n"     /* 22 */
                           "    factor: 0.5\n"    /* 23 */
                           "    every: 5\n";      /* 24 */

/* An LSNN sMNIST spec: the LSNN side of the cross-checks. */
static const char lsnn_base[] = "version: 1\n"         /*  1 */
                                "name: l\n"            /*  2 */
                                "network:\n"           /*  3 */
                                "  inputs: 80\n"       /*  4 */
                                "  populations:\n"     /*  5 */
                                "    - name: a\n"      /*  6 */
                                "      kind: lif\n"    /*  7 */
                                "      size: 4\n"      /*  8 */
                                "      tau_m_ms: 20\n" /*  9 */
                                "      b0: 0.01\n"     /* 10 */
                                "  readout:\n"         /* 11 */
                                "    size: 10\n"       /* 12 */
                                "task:\n"              /* 13 */
                                "  kind: smnist\n"     /* 14 */
                                "training:\n"          /* 15 */
                                "  batch_size: 8\n"    /* 16 */
                                "  iterations: 1\n";   /* 17 */

typedef struct {
    const char *base, *from, *to, *where, *expect;
} bad_case;

#define L base
#define N lsnn_base
static const bad_case bad_cases[] = {
    {L, "  kind: lstm\n", "  kind: gru\n", "5:9", "network.kind must be one of lsnn, lstm"},
    {L, "  hidden: 32\n", "  hidden: 0\n", "8:11",
     "network.hidden must be an integer in [1, 4096], got 0"},
    {L, "  hidden: 32\n", "", "5:3", "missing required key 'hidden' in network"},
    {L, "  hidden: 32\n", "  hidden: 32\n  delays: 3\n", "9:3",
     "network.delays is only allowed with network.kind lsnn"},
    {L, "  hidden: 32\n", "  hidden: 32\n  gamma: 0.3\n", "9:3",
     "network.gamma is only allowed with network.kind lsnn"},
    {L, "  hidden: 32\n", "  hidden: 32\n  hiden: 3\n", "9:3",
     "unknown key 'hiden' in network; allowed keys: kind, dt_ms, inputs, hidden, readout"},
    {L, "    bias: false\n", "    bias: false\n    tau_ms: 20\n", "12:5",
     "network.readout.tau_ms is only allowed with network.kind lsnn (the LSTM's readout is "
     "linear)"},
    {L, "  inputs: 1\n", "  inputs: 80\n", "7:11",
     "network.inputs must be 1 for task smnist with input analog"},
    {L, "  input: analog\n", "  input: pixels\n", "14:10",
     "task.input must be one of spikes, analog"},
    {L, "  readout_steps: 5\n", "  readout_steps: 1569\n", "16:18",
     "task.readout_steps must be at most 784 * task.ext_time = 1568 with input analog"},
    {L, "  iterations: 10\n", "  iterations: 10\n  regularization:\n    rate: 0.1\n", "20:3",
     "training.regularization is only allowed with network.kind lsnn"},
    {N, "  inputs: 80\n", "  kind: lsnn\n  inputs: 80\n  hidden: 5\n", "6:3",
     "network.hidden is only allowed with network.kind lstm"},
    {N, "  kind: smnist\n", "  kind: smnist\n  input: analog\n", "15:10",
     "task.input analog needs network.kind lstm"},
    {N, "  kind: smnist\n", "  kind: store_recall\n  input: spikes\n", "15:3",
     "task.input is only allowed with task kind smnist"},
};

static char *edited(const char *b, const char *from, const char *to)
{
    const char *at = strstr(b, from);
    if (!at || strstr(at + 1, from)) return NULL;
    size_t head = (size_t)(at - b), n = strlen(b) - strlen(from) + strlen(to);
    char *text = malloc(n + 1);
    memcpy(text, b, head);
    strcpy(text + head, to);
    strcat(text, at + strlen(from));
    return text;
}

static int parse(const char *text, lsnn_spec *s, lsnn_error *e)
{
    return lsnn_spec_parse(FILE_NAME, text, strlen(text), s, e);
}

static void test_bad_cases(void)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char *text = edited(c->base, c->from, c->to);
        CHECK(text != NULL, "case %zu: '%s' is not in the base exactly once", i, c->from);
        if (!text) continue;
        lsnn_spec s;
        lsnn_error e = {{0}};
        char prefix[64];
        snprintf(prefix, sizeof prefix, FILE_NAME ":%s: error: ", c->where);
        CHECK(parse(text, &s, &e) == -1, "case %zu: parsed, expected '%s'", i, c->expect);
        CHECK(strncmp(e.msg, prefix, strlen(prefix)) == 0, "case %zu: '%s' lacks '%s'", i, e.msg,
              prefix);
        CHECK(strstr(e.msg, c->expect) != NULL, "case %zu: '%s' lacks '%s'", i, e.msg, c->expect);
        free(text);
    }
}

static void test_fields(void)
{
    lsnn_spec s;
    lsnn_error e = {{0}};
    CHECK(parse(base, &s, &e) == 0, "%s", e.msg);
    CHECK(s.network == LSNN_NET_LSTM && s.hidden == 32 && s.n_in == 1 && s.n_out == 10 &&
              s.readout_bias == 0 && s.n_pops == 0,
          "network");
    CHECK(s.smnist.input == LSNN_INPUT_ANALOG && s.smnist.ext_time == 2 &&
              s.smnist.readout_steps == 5,
          "task");
    /* analog input reads the last step by default; spikes the last 28 cue steps */
    char *t = edited(base, "  readout_steps: 5\n", "");
    CHECK(parse(t, &s, &e) == 0 && s.smnist.readout_steps == 1, "analog default window %d",
          s.smnist.readout_steps);
    free(t);
    t = edited(base, "  input: analog\n", "");
    char *t2 = edited(t, "  inputs: 1\n", "  inputs: 80\n");
    char *t3 = edited(t2, "  readout_steps: 5\n", "");
    CHECK(parse(t3, &s, &e) == 0 && s.smnist.input == LSNN_INPUT_SPIKES &&
              s.smnist.readout_steps == 28,
          "spikes: %s", e.msg);
    free(t), free(t2), free(t3);
    /* the canonical form reads back to the same spec and text */
    CHECK(parse(base, &s, &e) == 0, "%s", e.msg);
    char *y = lsnn_spec_to_yaml(&s);
    lsnn_spec s2;
    CHECK(y && parse(y, &s2, &e) == 0, "canonical form: %s", e.msg);
    char *y2 = lsnn_spec_to_yaml(&s2);
    CHECK(y && y2 && !strcmp(y, y2), "canonical form is a fixed point");
    CHECK(y && strstr(y, "  kind: lstm\n  dt_ms: 1\n  inputs: 1\n  hidden: 32\n") &&
              strstr(y, "  input: analog\n") && !strstr(y, "regularization"),
          "canonical LSTM text:\n%s", y);
    free(y), free(y2);
    /* the architecture hash covers the network kind and size, not the task */
    uint64_t h = lsnn_spec_arch_hash(&s);
    s2 = s;
    s2.hidden = 33;
    CHECK(lsnn_spec_arch_hash(&s2) != h, "hidden changes the architecture");
    s2 = s;
    s2.smnist.readout_steps = 3;
    CHECK(lsnn_spec_arch_hash(&s2) == h, "the task does not");
}

/* An LSNN spec's canonical text has no network.kind, and its hash is what it was before
 * network.kind existed (recorded from the build before issue 14's LSTM). */
static void test_lsnn_unchanged(void)
{
    lsnn_spec s;
    lsnn_error e = {{0}};
    CHECK(parse(lsnn_base, &s, &e) == 0, "%s", e.msg);
    char *y = lsnn_spec_to_yaml(&s);
    CHECK(y && !strstr(y, "kind: lsnn") && !strstr(y, "input:"), "LSNN text:\n%s", y);
    free(y);
    char *t = edited(lsnn_base, "  inputs: 80\n", "  kind: lsnn\n  inputs: 80\n");
    lsnn_spec s2;
    CHECK(parse(t, &s2, &e) == 0 && !memcmp(&s, &s2, sizeof s), "kind: lsnn is the default");
    free(t);
    const char *src = getenv("LSNN_SOURCE_DIR");
    char path[1200];
    static const struct {
        const char *model;
        uint64_t hash;
    } known[] = {{"smnist", 0x105b02cee42c7d3cull}, {"store_recall", 0x959c949ac080cb37ull}};
    for (size_t i = 0; src && i < sizeof known / sizeof known[0]; i++) {
        snprintf(path, sizeof path, "%s/models/%s.yaml", src, known[i].model);
        CHECK(lsnn_spec_load(path, &s, &e) == 0, "%s", e.msg);
        CHECK(lsnn_spec_arch_hash(&s) == known[i].hash, "%s: arch hash %016" PRIx64, path,
              lsnn_spec_arch_hash(&s));
    }
}

/* The shipped LSTM specs. */
static void test_models(void)
{
    const char *src = getenv("LSNN_SOURCE_DIR");
    if (!src) return;
    char path[1200];
    lsnn_spec s, a;
    lsnn_error e = {{0}};
    snprintf(path, sizeof path, "%s/models/smnist_lstm.yaml", src);
    CHECK(lsnn_spec_load(path, &s, &e) == 0, "%s", e.msg);
    snprintf(path, sizeof path, "%s/models/smnist_lstm_analog.yaml", src);
    CHECK(lsnn_spec_load(path, &a, &e) == 0, "%s", e.msg);
    CHECK(s.network == LSNN_NET_LSTM && s.hidden == 128 && s.n_in == 80 &&
              s.smnist.input == LSNN_INPUT_SPIKES && s.smnist.readout_steps == 28 &&
              s.smnist.validation == 5000 && s.smnist.ext_time == 1,
          "smnist_lstm: the LSNN's task");
    CHECK(a.network == LSNN_NET_LSTM && a.hidden == 128 && a.n_in == 1 &&
              a.smnist.input == LSNN_INPUT_ANALOG && a.smnist.readout_steps == 1,
          "smnist_lstm_analog: one input, the last step");
    CHECK(s.lr == 0.001 && s.lr_decay == 0.95 && s.lr_decay_every == 3000 && s.batch_size == 256 &&
              s.iterations == 36000,
          "the paper's LSTM training");
}

int main(void)
{
    test_bad_cases();
    test_fields();
    test_lsnn_unchanged();
    test_models();
    return check_report();
}
