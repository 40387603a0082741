/* fuzz_spec.c - libFuzzer target for the model spec reader (lsnn_spec_parse,
 * runtime/config/spec.c over runtime/base/yamltree.c).
 *
 * Every input is parsed as a whole model.yaml. A spec that is accepted must hold every value in
 * the range docs/model-spec.md gives (the ones spec.h lists), and its canonical form
 * (lsnn_spec_to_yaml) must parse again into a spec with the same canonical form. A refused one
 * must report "fuzz:LINE:COL: error: ...". Seeds: tests/fuzz_corpus/spec (the models/ YAML files);
 * docs/fuzzing.md has the commands. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_spec: %s: %s\n", what, msg);
    abort();
}

static int in(double x, double lo, double hi)
{
    return isfinite(x) && x >= lo && x <= hi;
}

static int is_name(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n == 0 || n == cap) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

/* network.kind lstm: sizes and the readout only */
static void check_lstm(const lsnn_spec *s)
{
    if (s->n_pops != 0 || s->hidden < 1 || s->hidden > LSNN_MAX_NEURONS || s->n_in < 1 ||
        s->n_in > LSNN_MAX_INPUTS || s->n_out < 1 || s->n_out > LSNN_MAX_OUTPUTS ||
        !in(s->dt_ms, 1e-300, 10) || (s->readout_bias != 0 && s->readout_bias != 1))
        die("an LSTM value out of range", "");
}

static void check_lsnn(const lsnn_spec *s)
{
    if (s->hidden != 0) die("hidden in an LSNN", "");
    if (s->n_pops < 1 || s->n_pops > LSNN_MAX_POPS) die("population count", "");
    int total = 0;
    for (int p = 0; p < s->n_pops; p++) {
        const lsnn_pop_spec *q = &s->pops[p];
        if (!is_name(q->name, sizeof q->name)) die("population name", q->name);
        for (int r = 0; r < p; r++)
            if (!strcmp(s->pops[r].name, q->name)) die("a population name twice", q->name);
        if (q->size < 1 || q->size > LSNN_MAX_NEURONS || q->refractory < 0 ||
            q->refractory > 1000 || !in(q->tau_m_ms, 1e-300, 1e6) || !in(q->b0, 1e-300, 1e3) ||
            !in(q->tau_syn_ms, 0, 1e6))
            die("a population value out of range", q->name);
        if (q->kind == LSNN_NEURON_ALIF
                ? !in(q->tau_a_ms, 1e-300, 1e7) || !in(q->beta, 0, 1e3)
                : q->kind != LSNN_NEURON_LIF || q->tau_a_ms != 0 || q->beta != 0)
            die("adaptation", q->name);
        total += q->size;
    }
    if (total != lsnn_spec_n_rec(s) || total > LSNN_MAX_NEURONS) die("neurons in all", "");
    if (s->n_in < 1 || s->n_in > LSNN_MAX_INPUTS || s->n_out < 1 || s->n_out > LSNN_MAX_OUTPUTS ||
        s->n_delay < 1 || s->n_delay > LSNN_MAX_DELAY || !in(s->dt_ms, 1e-300, 10) ||
        !in(s->tau_out_ms, 1e-300, 1e6) || !in(s->gamma, 1e-300, 10) ||
        (s->readout_bias != 0 && s->readout_bias != 1))
        die("a network value out of range", "");
    if (s->connectivity == LSNN_CONN_DEEP_R) {
        const lsnn_deepr_spec *d = &s->deepr;
        if (!in(d->p, 1e-300, 1) || !in(d->l1, 0, 1e3) || !in(d->temperature, 0, 1e3) ||
            (d->soft && (d->l1 <= 0 || d->temperature <= 0)) ||
            (d->dale && !(d->excitatory > 0 && d->excitatory < 1)))
            die("a DEEP R value out of range", "");
    } else if (s->connectivity != LSNN_CONN_DENSE) {
        die("connectivity", "");
    }
}

static void check(const lsnn_spec *s)
{
    if (s->version != LSNN_SPEC_VERSION || !is_name(s->name, sizeof s->name))
        die("version or name", s->name);
    if (s->network == LSNN_NET_LSTM)
        check_lstm(s);
    else if (s->network == LSNN_NET_LSNN)
        check_lsnn(s);
    else
        die("network kind", "");
    if (s->task == LSNN_TASK_STORE_RECALL) {
        const lsnn_store_recall_spec *t = &s->store_recall;
        if (t->values < 2 || t->values > 16 || t->group_size < 1 || t->group_size > 1000 ||
            t->char_ms < 1 || t->char_ms > 10000 || t->n_chars < 2 || t->n_chars > 1000 ||
            !in(t->rate_hz, 1e-300, 1000) || t->seq_delay < 0 || t->seq_delay > 1000 ||
            t->test_size < 1 || t->test_size > 1000000)
            die("a store_recall value out of range", "");
        if (s->n_in != (t->values + 2) * t->group_size || s->n_out != t->values)
            die("store_recall sizes", "");
    } else if (s->task == LSNN_TASK_SMNIST) {
        const lsnn_smnist_spec *t = &s->smnist;
        size_t n = strnlen(t->data_dir, sizeof t->data_dir);
        int analog = t->input == LSNN_INPUT_ANALOG;
        if (n == 0 || n == sizeof t->data_dir || t->ext_time < 1 || t->ext_time > 4 ||
            t->readout_steps < 1 || t->readout_steps > (analog ? 784 : 56) * t->ext_time ||
            t->train_limit < 0 || t->test_limit < 0 || s->n_out != 10 ||
            s->n_in != (analog ? LSNN_SMNIST_ANALOG_INPUTS : LSNN_SMNIST_INPUTS) ||
            (analog && s->network != LSNN_NET_LSTM) || (!analog && t->input != LSNN_INPUT_SPIKES))
            die("an smnist value out of range", t->data_dir);
    } else if (s->task == LSNN_TASK_SPEECH) {
        const lsnn_speech_spec *t = &s->speech;
        size_t n = strnlen(t->data_dir, sizeof t->data_dir);
        int analog = t->input == LSNN_INPUT_ANALOG;
        if (n == 0 || n == sizeof t->data_dir || t->frame_steps < 1 || t->frame_steps > 100 ||
            t->thresholds < 1 || t->thresholds > 64 || !in(t->thr_lo, -10, 10) ||
            !in(t->thr_hi, t->thr_lo, 10) || (t->thresholds == 1 && t->thr_hi != t->thr_lo) ||
            t->validation_speakers < 0 || t->validation_speakers > 1000 || t->max_frames < 0 ||
            t->max_frames > 100000 || s->n_out != LSNN_SPEECH_PHONES ||
            s->n_in != (analog ? LSNN_SPEECH_FEATURES : 2 * LSNN_SPEECH_FEATURES * t->thresholds) ||
            (analog && s->network != LSNN_NET_LSTM) || (!analog && t->input != LSNN_INPUT_SPIKES))
            die("a speech value out of range", t->data_dir);
    } else if (s->task == LSNN_TASK_NAVIGATION) {
        const lsnn_nav_spec *t = &s->nav;
        if (t->action_steps < 2 || t->episode_steps % t->action_steps || t->pos_neurons < 2 ||
            t->reward_neurons < 1 || !in(t->goal_radius, 1e-300, 0.5) ||
            !in(t->step_size, 1e-300, 1) || s->n_out != LSNN_NAV_OUTPUTS ||
            s->n_in != 2 * t->pos_neurons + t->reward_neurons || s->ppo.epochs < 1)
            die("a navigation value out of range", "");
    } else if (s->task == LSNN_TASK_L2L) {
        const lsnn_l2l_spec *t = &s->l2l;
        if (t->trials < 2 || t->trials > 1000 || t->trial_ms < 1 || t->trial_ms > 1000 ||
            t->hidden < 1 || t->hidden > 100 || t->pop_size < 1 || t->pop_size > 1000 ||
            !in(t->rate_hz, 1e-300, 1000) || !in(t->width, 1e-300, 1) ||
            !in(t->target_range, 1e-300, 100) || t->readout_ms < 1 || t->readout_ms > t->trial_ms ||
            t->test_size < 1 || t->test_size > 1000000 || s->n_in != 3 * t->pop_size ||
            s->n_out != 1 || s->network != LSNN_NET_LSNN)
            die("an l2l value out of range", "");
    } else {
        die("task", "");
    }
    if (s->batch_size < 1 || s->batch_size > 65536 || s->iterations < 1 ||
        s->iterations > 1000000000 || !in(s->lr, 1e-300, 10) || !in(s->adam_beta1, 0, 1) ||
        s->adam_beta1 == 1 || !in(s->adam_beta2, 0, 1) || s->adam_beta2 == 1 ||
        !in(s->adam_eps, 1e-300, 1) || !in(s->lr_decay, 1e-300, 1) || s->lr_decay_every < 0 ||
        !in(s->reg_rate, 0, 1e6) || !in(s->reg_target_hz, 0, 1000) ||
        (s->network == LSNN_NET_LSTM && s->reg_rate != 0) || s->checkpoint_every < 0 ||
        s->eval_every < 0 || s->eval_batches < 1 || s->eval_batches > 1000 ||
        !in(s->stop_error, 0, 1))
        die("a training value out of range", "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lsnn_spec s;
    lsnn_error e;
    if (lsnn_spec_parse("fuzz", (const char *)data, size, &s, &e)) {
        if (strncmp(e.msg, "fuzz:", 5) != 0) die("a message without FILE:LINE", e.msg);
        if (!strstr(e.msg, ": error: ")) die("a message without 'error:'", e.msg);
        return 0;
    }
    check(&s);
    /* the canonical form reads back, and writes the same text again */
    char *text = lsnn_spec_to_yaml(&s);
    if (!text) die("lsnn_spec_to_yaml", "out of memory");
    lsnn_spec s2;
    if (lsnn_spec_parse("canonical", text, strlen(text), &s2, &e)) {
        fprintf(stderr, "%s", text);
        die("the canonical form does not read back", e.msg);
    }
    check(&s2);
    char *text2 = lsnn_spec_to_yaml(&s2);
    if (!text2) die("lsnn_spec_to_yaml", "out of memory");
    if (strcmp(text, text2)) {
        fprintf(stderr, "%s\n---\n%s", text, text2);
        die("the canonical form reads back as another spec", "");
    }
    free(text);
    free(text2);
    return 0;
}
