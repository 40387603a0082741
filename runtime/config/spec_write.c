/* spec_write.c - the canonical YAML form of a spec (every key, defaults included). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "spec.h"
#include "spec_internal.h"

typedef struct {
    char *buf;
    size_t n, cap;
    int oom;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->buf ? b->buf + b->n : NULL, b->buf ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = 1;
            return;
        }
        if (b->buf && b->n + (size_t)k < b->cap) {
            b->n += k;
            return;
        }
        size_t cap = (b->cap + k + 1) * 2;
        char *nb = realloc(b->buf, cap);
        if (!nb) {
            b->oom = 1;
            return;
        }
        b->buf = nb;
        b->cap = cap;
    }
}

/* s as a YAML double-quoted scalar that reads back as the same bytes: '"' and '\\' escaped,
 * and every character that libyaml refuses raw or folds as a line break (C0 and C1 controls,
 * DEL, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF) as an escape. Bytes that are not UTF-8 (the
 * parser never gives any) are written as \xXX. */
static void put_quoted(sbuf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    put(b, "\"");
    while (*p) {
        unsigned c = *p, n = c < 0x80                ? 1
                             : c >= 0xc2 && c < 0xe0 ? 2
                             : c >= 0xe0 && c < 0xf0 ? 3
                             : c >= 0xf0 && c < 0xf5 ? 4
                                                     : 0;
        unsigned long cp = n == 1 ? c : c & (0x7f >> n);
        for (unsigned k = 1; k < n; k++) {
            if ((p[k] & 0xc0) != 0x80) n = 0; /* stops at the NUL too */
            if (n) cp = cp << 6 | (p[k] & 0x3f);
        }
        if (n == 0) {
            put(b, "\\x%02X", c);
            p++;
        } else if (c == '"' || c == '\\') {
            put(b, "\\%c", c);
            p++;
        } else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 ||
                   cp == 0xfeff || cp == 0xfffe || cp == 0xffff) {
            put(b, cp < 0x100 ? "\\x%02lX" : "\\u%04lX", cp);
            p += n;
        } else {
            put(b, "%.*s", (int)n, (const char *)p);
            p += n;
        }
    }
    put(b, "\"");
}

/* A name (A-Z a-z 0-9 _ . -) as written: plain, except "-", which YAML reads as a sequence. */
static void put_name(sbuf *b, const char *name)
{
    if (strcmp(name, "-") == 0)
        put_quoted(b, name);
    else
        put(b, "%s", name);
}

/* %.17g round-trips every double; YAML needs a '.' or exponent to read it as a float, but
 * our parser accepts integers for float keys, so plain %.17g is fine. */
#define G "%.17g"

/* The LSNN's network section, as written before network.kind existed: the architecture hash
 * of every LSNN model hashes this text. */
static void put_lsnn_network(sbuf *b, const lsnn_spec *s)
{
    put(b, "network:\n  dt_ms: " G "\n  spike_from: %s\n  inputs: %d\n  populations:\n", s->dt_ms,
        s->spike_from == LSNN_SPIKE_FROM_PREV_V ? "prev_v" : "new_v", s->n_in);
    for (int p = 0; p < s->n_pops; p++) {
        const lsnn_pop_spec *q = &s->pops[p];
        int alif = q->kind == LSNN_NEURON_ALIF;
        put(b, "    - name: ");
        put_name(b, q->name);
        put(b,
            "\n      kind: %s\n      size: %d\n      tau_m_ms: " G "\n      b0: " G
            "\n      refractory: %d\n",
            alif ? "alif" : "lif", q->size, q->tau_m_ms, q->b0, q->refractory);
        if (alif) put(b, "      tau_a_ms: " G "\n      beta: " G "\n", q->tau_a_ms, q->beta);
        if (q->tau_syn_ms > 0) put(b, "      tau_syn_ms: " G "\n", q->tau_syn_ms);
    }
    put(b, "  delays: %d\n", s->n_delay);
    if (s->connectivity == LSNN_CONN_DEEP_R) {
        const lsnn_deepr_spec *d = &s->deepr;
        put(b, "  connectivity:\n    mode: deep_r\n    p: " G "\n", d->p);
        if (!d->soft)
            put(b, "    budget: %s\n",
                d->budget == LSNN_BUDGET_PER_MATRIX ? "per_matrix" : "global");
        put(b, "    soft: %s\n    l1: " G "\n    temperature: " G "\n    dale: %s\n",
            d->soft ? "true" : "false", d->l1, d->temperature, d->dale ? "true" : "false");
        if (d->dale) put(b, "    excitatory: " G "\n", d->excitatory);
        if (d->fast) put(b, "    variant: fast\n"); /* official, the default, is not written */
    } else {
        put(b, "  connectivity: dense\n");
    }
    put(b, "  readout:\n    size: %d\n    tau_ms: " G "\n    bias: %s\n", s->n_out, s->tau_out_ms,
        s->readout_bias ? "true" : "false");
    put(b, "  gamma: " G "\n", s->gamma);
    if (s->autapses) put(b, "  autapses: true\n"); /* false, the default, is not written */
}

/* network.kind lstm: sizes and the linear readout. */
static void put_lstm_network(sbuf *b, const lsnn_spec *s)
{
    put(b,
        "network:\n  kind: lstm\n  dt_ms: " G "\n  inputs: %d\n  hidden: %d\n  readout:\n"
        "    size: %d\n    bias: %s\n",
        s->dt_ms, s->n_in, s->hidden, s->n_out, s->readout_bias ? "true" : "false");
}

static void put_speech(sbuf *b, const lsnn_speech_spec *t)
{
    put(b, "task:\n  kind: speech\n  data_dir: ");
    put_quoted(b, t->data_dir);
    put(b, "\n  input: %s\n  frame_steps: %d\n",
        t->input == LSNN_INPUT_ANALOG ? "analog" : "spikes", t->frame_steps);
    if (t->input == LSNN_INPUT_SPIKES)
        put(b, "  thresholds: %d\n  thr_lo: " G "\n  thr_hi: " G "\n", t->thresholds, t->thr_lo,
            t->thr_hi);
    put(b, "  validation_speakers: %d\n  max_frames: %d\n", t->validation_speakers, t->max_frames);
}

static void put_task(sbuf *b, const lsnn_spec *s)
{
    if (s->task == LSNN_TASK_STORE_RECALL) {
        const lsnn_store_recall_spec *t = &s->store_recall;
        put(b,
            "task:\n  kind: store_recall\n  values: %d\n  group_size: %d\n  char_ms: %d\n"
            "  n_chars: %d\n  rate_hz: " G "\n  seq_delay: %d\n  test_size: %d\n",
            t->values, t->group_size, t->char_ms, t->n_chars, t->rate_hz, t->seq_delay,
            t->test_size);
        return;
    }
    if (s->task == LSNN_TASK_SPEECH) {
        put_speech(b, &s->speech);
        return;
    }
    if (s->task == LSNN_TASK_NAVIGATION) {
        char *y = lsnn_nav_task_yaml(&s->nav);
        if (!y)
            b->oom = 1;
        else
            put(b, "%s", y);
        free(y);
        return;
    }
    if (s->task == LSNN_TASK_L2L) {
        const lsnn_l2l_spec *t = &s->l2l;
        put(b,
            "task:\n  kind: l2l\n  trials: %d\n  trial_ms: %d\n  hidden: %d\n  pop_size: %d\n"
            "  rate_hz: " G "\n  width: " G "\n  target_range: " G "\n  readout_ms: %d\n"
            "  test_size: %d\n",
            t->trials, t->trial_ms, t->hidden, t->pop_size, t->rate_hz, t->width, t->target_range,
            t->readout_ms, t->test_size);
        return;
    }
    const lsnn_smnist_spec *t = &s->smnist;
    put(b, "task:\n  kind: smnist\n  dataset: %s\n  data_dir: ",
        t->dataset == LSNN_DATA_FASHION ? "fashion-mnist" : "mnist");
    put_quoted(b, t->data_dir);
    if (t->input == LSNN_INPUT_ANALOG) put(b, "\n  input: analog"); /* spikes: as before 14 */
    put(b, "\n  ext_time: %d\n  readout_steps: %d\n  train_limit: %d\n  test_limit: %d\n",
        t->ext_time, t->readout_steps, t->train_limit, t->test_limit);
    if (t->validation) put(b, "  validation: %d\n", t->validation); /* written since 14 */
}

char *lsnn_spec_to_yaml(const lsnn_spec *s)
{
    sbuf b = {0};
    put(&b,
        "# Effective model spec written by lsnn (canonical form: every key, defaults included).\n");
    put(&b, "version: %d\nname: ", s->version);
    put_name(&b, s->name);
    put(&b, "\nseed: %llu\n", (unsigned long long)s->seed);
    if (s->network == LSNN_NET_LSTM)
        put_lstm_network(&b, s);
    else
        put_lsnn_network(&b, s);
    put_task(&b, s);
    put(&b, "training:\n  batch_size: %d\n  iterations: %ld\n", s->batch_size, s->iterations);
    put(&b,
        "  optimizer:\n    kind: adam\n    lr: " G "\n    beta1: " G "\n    beta2: " G
        "\n    eps: " G "\n",
        s->lr, s->adam_beta1, s->adam_beta2, s->adam_eps);
    if (s->lr_decay_every > 0)
        put(&b, "  lr_schedule:\n    kind: step\n    factor: " G "\n    every: %ld\n", s->lr_decay,
            s->lr_decay_every);
    if (s->network != LSNN_NET_LSTM) /* the LSTM has no firing rate to regularise */
        put(&b, "  regularization:\n    rate: " G "\n    target_hz: " G "\n", s->reg_rate,
            s->reg_target_hz);
    put(&b, "  checkpoint_every: %ld\n  eval_every: %ld\n  eval_batches: %d\n  stop_error: " G "\n",
        s->checkpoint_every, s->eval_every, s->eval_batches, s->stop_error);
    if (s->qat_bits) { /* written only when set (issue 14) */
        put(&b, "  qat:\n    weight_bits: %d\n", s->qat_bits);
        if (s->qat_rule == 1 || s->qat_rule == 2)
            put(&b, "    exponents: %s\n", s->qat_rule == 2 ? "mse" : "max");
    }
    if (s->task == LSNN_TASK_NAVIGATION) {
        char *y = lsnn_nav_ppo_yaml(&s->ppo);
        if (!y)
            b.oom = 1;
        else
            put(&b, "%s", y);
        free(y);
    }
    if (b.oom) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}

int lsnn_spec_save(const char *path, const lsnn_spec *s, lsnn_error *e)
{
    char *y = lsnn_spec_to_yaml(s);
    if (!y) return lsnn_fail(e, "out of memory");
    int rc = lsnn_write_file_atomic(path, y, strlen(y), e);
    free(y);
    return rc;
}

/* The key path of canonical-YAML line `ln` of text (parents by indentation, "network.readout"). */
static void key_path(const char *text, const char *ln, char *out, size_t n)
{
    char keys[8][64];
    int indent[8], depth = 0;
    for (const char *p = text; p <= ln;) {
        const char *end = strchr(p, '\n');
        if (!end) end = p + strlen(p);
        int ind = (int)strspn(p, " -");
        const char *k = p + ind, *colon = memchr(k, ':', (size_t)(end - k));
        while (depth > 0 && indent[depth - 1] >= ind)
            depth--;
        if (colon && p != ln && colon + 1 == end && depth < 8) { /* "key:" opens a section */
            snprintf(keys[depth], sizeof keys[0], "%.*s", (int)(colon - k), k);
            indent[depth++] = ind;
        }
        if (!*end) break;
        p = end + 1;
    }
    out[0] = 0;
    for (int d = 0; d < depth; d++)
        snprintf(out + strlen(out), n - strlen(out), "%s%s", d ? "." : "", keys[d]);
}

int lsnn_spec_diff(const lsnn_spec *a, const lsnn_spec *b, char *out, size_t n)
{
    char *ya = lsnn_spec_to_yaml(a), *yb = lsnn_spec_to_yaml(b);
    int differ = -1;
    if (ya && yb) {
        const char *p = ya, *q = yb;
        differ = 0;
        while (*p || *q) {
            size_t la = strcspn(p, "\n"), lb = strcspn(q, "\n");
            if (la != lb || memcmp(p, q, la)) {
                char path[256];
                key_path(ya, p, path, sizeof path);
                const char *sa = p + strspn(p, " "), *sb = q + strspn(q, " ");
                snprintf(out, n, "%s%s'%.*s' against '%.*s'", path, path[0] ? ": " : "",
                         (int)(p + la - sa), sa, (int)(q + lb - sb), sb);
                differ = 1;
                break;
            }
            p += la + (p[la] == '\n');
            q += lb + (q[lb] == '\n');
        }
    }
    free(ya);
    free(yb);
    return differ;
}

uint64_t lsnn_spec_arch_hash(const lsnn_spec *s)
{
    char *y = lsnn_spec_to_yaml(s);
    if (!y) return 0;
    const char *p = strstr(y, "\nnetwork:\n"), *end = p ? strstr(p, "\ntask:\n") : NULL;
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a 64 */
    for (const char *c = p; c && c < end; c++)
        h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
    free(y);
    return h;
}
