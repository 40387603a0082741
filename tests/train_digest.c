/* train_digest.c - trains two small store-recall models (dense, and soft DEEP R with its
 * noise) and an LSTM on the same task with the runtime it is linked with, and prints a digest
 * of each result: the
 * trained weights bit for bit and the training curve without its timings. The cross-CPU
 * test (cross_cpu_digest.sh) builds it for two -march targets and compares the digests.
 * usage: train_digest MODELS_DIR TMP_DIR */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "lstm_train.h"
#include "spec.h"
#include "train.h"

/* 64-bit FNV-1a */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (*n == cap) {
            char *b = realloc(buf, cap = cap ? 2 * cap : 1 << 16);
            if (!b) break;
            buf = b;
        }
        size_t got = fread(buf + *n, 1, cap - *n, f);
        if (!got) break;
        *n += got;
    }
    fclose(f);
    return buf;
}

/* The file's bytes; for curve.csv every line without its last two columns (seq/s, time). */
static int digest_file(uint64_t *h, const char *path, int drop_timing)
{
    size_t n;
    char *buf = slurp(path, &n);
    if (!buf) return fprintf(stderr, "%s: cannot read\n", path), -1;
    if (!drop_timing) {
        *h = fnv(*h, buf, n);
        free(buf);
        return 0;
    }
    for (size_t a = 0; a < n;) {
        size_t e = a, cut[2] = {a, a}; /* the last two commas */
        for (; e < n && buf[e] != '\n'; e++)
            if (buf[e] == ',') cut[0] = cut[1], cut[1] = e;
        *h = fnv(*h, buf + a, cut[0] - a);
        *h = fnv(*h, "\n", 1);
        a = e + 1;
    }
    free(buf);
    return 0;
}

/* A short run of the model at models/NAME.yaml, made wider: small batches, an evaluation, a
 * decaying learning rate; deep_r: soft, so that its Gaussian noise is drawn; deep_r < 0: the
 * same task learnt by an LSTM. */
static int run(const char *models, const char *tmp, const char *name, int deep_r)
{
    char path[LSNN_PATH_MAX], dir[LSNN_PATH_MAX];
    lsnn_spec s;
    lsnn_error e;
    snprintf(path, sizeof path, "%s/%s.yaml", models, name);
    if (lsnn_spec_load(path, &s, &e)) return fprintf(stderr, "%s\n", e.msg), -1;
    s.batch_size = 16;
    s.iterations = 12;
    s.eval_every = 6;
    s.eval_batches = 1;
    s.checkpoint_every = 0;
    s.lr_decay_every = 4;
    s.store_recall.test_size = 16;
    /* rows long enough for the engine's 16-lane paths; shorter sequences pay for them */
    s.pops[0].size = s.pops[1].size = 48;
    s.n_delay = 2;
    s.store_recall.char_ms = 40;
    if (deep_r) s.deepr.soft = 1, s.deepr.temperature = 1e-4;
    if (deep_r < 0) { /* the LSTM baseline on the same task: 40 units (padded to 64) */
        memset(s.pops, 0, sizeof s.pops);
        s.n_pops = 0, s.n_delay = 1, s.connectivity = LSNN_CONN_DENSE;
        s.network = LSNN_NET_LSTM, s.hidden = 40, s.reg_rate = 0;
        snprintf(s.name, sizeof s.name, "lstm");
        name = "store_recall_lstm";
    }
    snprintf(dir, sizeof dir, "%s/%s", tmp, name);
    snprintf(path, sizeof path, "%s/%s.yaml", tmp, name);
    if (lsnn_mkdir_p(tmp, &e) || lsnn_spec_save(path, &s, &e))
        return fprintf(stderr, "%s\n", e.msg), -1;
    lsnn_train_opts o = {.spec_path = path, .run_dir = dir, .threads = 2};
    if ((deep_r < 0 ? lsnn_lstm_train(&o, &e) : lsnn_train(&o, &e)))
        return fprintf(stderr, "%s: %s\n", name, e.msg), -1;
    uint64_t h = 0xcbf29ce484222325ULL;
    snprintf(path, sizeof path, "%s/weights.safetensors", dir);
    if (digest_file(&h, path, 0)) return -1;
    snprintf(path, sizeof path, "%s/curve.csv", dir);
    if (digest_file(&h, path, 1)) return -1;
    printf("%s %016llx\n", name, (unsigned long long)h);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) return fprintf(stderr, "usage: train_digest MODELS_DIR TMP_DIR\n"), 2;
    if (run(argv[1], argv[2], "store_recall", 0) ||
        run(argv[1], argv[2], "store_recall_deepr", 1) || run(argv[1], argv[2], "store_recall", -1))
        return 1;
    return 0;
}
