/* test_speech_task.c - the speech task (task.kind speech) on a tiny TIMIT-layout corpus
 * written here: SPHERE tones, one per phone, with a q segment and a gap in every utterance.
 *
 * Checks batch shapes (the longest utterance's steps), one window per labelled frame and
 * none for q or gaps (against frame centres computed here from the segments), padding that
 * carries no input, held-out validation speakers that never reach a training batch,
 * deterministic batches, the 39-class folding of batch.score_class, a short LSNN training run
 * whose loss falls (the same on 1 and 2 threads), and the spec's errors for bad speech keys. */
#include <stdint.h>
#include <unistd.h>

#include "check.h"
#include "fileio.h"
#include "progress.h"
#include "sphere.h"
#include "spec.h"
#include "task.h"
#include "timit.h"
#include "train.h"

#define N_UTT     12 /* utterances 0..9 train (speakers of 3, 3, 2, 2), 10..11 test */
#define MAX_SEGS  16
#define FRAME_HOP 160

typedef struct {
    long start, end;
    const char *phone;
} seg;

typedef struct {
    const char *rel; /* path stem under the corpus root */
    seg segs[MAX_SEGS];
    int n_segs;
    long n; /* samples */
} utt;

static char root[900];
static utt utts[N_UTT];

static const char *const stems[N_UTT] = {
    "TRAIN/DR1/FBBB0/SX11", "TRAIN/DR1/FBBB0/SX12", "TRAIN/DR1/FBBB0/SX13", "TRAIN/DR1/MAAA0/SX14",
    "TRAIN/DR1/MAAA0/SX15", "TRAIN/DR1/MAAA0/SX16", "TRAIN/DR2/FDDD0/SX17", "TRAIN/DR2/FDDD0/SX18",
    "TRAIN/DR2/MCCC0/SX19", "TRAIN/DR2/MCCC0/SX20", "TEST/DR1/MEEE0/SX21",  "TEST/DR1/MEEE0/SX22"};

/* Utterance i: h# (longer by 10 ms per i, so lengths differ), 3..5 phones with a q after the
 * first, a 50 ms gap, h#. */
static void make_utt(int i, utt *u)
{
    static const char *const phones[] = {"aa", "s", "iy", "sh", "m", "ao"};
    long t = 0;
    u->rel = stems[i];
    u->n_segs = 0;
    u->segs[u->n_segs++] = (seg){t, t + 1600 + 160 * i, "h#"}, t += 1600 + 160 * i;
    for (int k = 0; k < 3 + i % 3; k++) {
        u->segs[u->n_segs++] = (seg){t, t + 1600, phones[(i + k) % 6]}, t += 1600;
        if (k == 0) u->segs[u->n_segs++] = (seg){t, t + 800, "q"}, t += 800;
    }
    t += 800; /* the gap */
    u->segs[u->n_segs++] = (seg){t, t + 1600, "h#"}, t += 1600;
    u->n = t;
}

/* A tone per phone (its index picks the frequency) and a little noise: learnable. */
static void write_utt(const utt *u)
{
    int16_t *x = calloc((size_t)u->n, sizeof *x);
    uint32_t lcg = 12345;
    for (int s = 0; s < u->n_segs; s++) {
        double f = 200 + 90 * lsnn_timit_phone_index(u->segs[s].phone);
        for (long k = u->segs[s].start; k < u->segs[s].end; k++)
            x[k] = (int16_t)(3000 * __builtin_sin(6.283185307179586 * f * (double)k / 16000));
    }
    for (long k = 0; k < u->n; k++) {
        lcg = lcg * 1664525u + 1013904223u;
        x[k] = (int16_t)(x[k] + (int)(lcg >> 25) - 64);
    }
    char path[1400], dir[1400], text[2048];
    lsnn_error e;
    snprintf(dir, sizeof dir, "%s/%s", root, u->rel);
    *strrchr(dir, '/') = '\0';
    CHECK(lsnn_mkdir_p(dir, &e) == 0, "mkdir %s", dir);
    lsnn_sphere snd = {.sample_rate = 16000, .n = u->n, .samples = x};
    snprintf(path, sizeof path, "%s/%s.WAV", root, u->rel);
    CHECK(lsnn_sphere_write(path, &snd, 0, &e) == 0, "sphere %s: %s", path, e.msg);
    size_t len = 0;
    for (int s = 0; s < u->n_segs; s++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%ld %ld %s\n", u->segs[s].start,
                                u->segs[s].end, u->segs[s].phone);
    snprintf(path, sizeof path, "%s/%s.PHN", root, u->rel);
    CHECK(lsnn_write_file_atomic(path, text, len, &e) == 0, "write %s", path);
    free(x);
}

/* python_speech_features' frame count, as the task's features. */
static int n_frames(const utt *u)
{
    return u->n <= 400 ? 1 : 1 + (int)((u->n - 400 + FRAME_HOP - 1) / FRAME_HOP);
}

/* The phone index at frame t's centre, -1 for q and gaps: the oracle of the windows. */
static int frame_phone(const utt *u, int t)
{
    long c = (long)t * FRAME_HOP + 200;
    for (int s = 0; s < u->n_segs; s++)
        if (c >= u->segs[s].start && c < u->segs[s].end)
            return strcmp(u->segs[s].phone, "q") ? lsnn_timit_phone_index(u->segs[s].phone) : -1;
    return -1;
}

static const char *spec_text(char *buf, size_t n, const char *net, const char *task_extra)
{
    snprintf(buf, n,
             "version: 1\nname: sp\nseed: 3\nnetwork:\n%s\ntask:\n  kind: speech\n  data_dir: "
             "%s\n%s\n%s\ntraining: {batch_size: 4, iterations: 40, eval_every: 0,"
             " optimizer: {lr: 0.01}}\n",
             net, root, strstr(task_extra, "frame_steps") ? "" : "  frame_steps: 2", task_extra);
    return buf;
}

static const char LSTM_NET[] = "  kind: lstm\n  inputs: 39\n  hidden: 8\n  readout: {size: 61}";
static const char LSNN_NET[] =
    "  inputs: 78\n  populations:\n  - {name: a, kind: lif, size: 12, tau_m_ms: 20, b0: 0.01}\n"
    "  - {name: b, kind: alif, size: 8, tau_m_ms: 20, b0: 0.01, tau_a_ms: 200, beta: 1.8}\n"
    "  readout: {size: 61, tau_ms: 3}";

static lsnn_task *open_task(const char *net, const char *extra)
{
    char text[2048];
    lsnn_spec s;
    lsnn_error e;
    lsnn_task *t = NULL;
    spec_text(text, sizeof text, net, extra);
    if (lsnn_spec_parse("sp.yaml", text, strlen(text), &s, &e)) {
        CHECK(0, "spec: %s", e.msg);
        return NULL;
    }
    if (lsnn_task_open(&s, &t, &e)) CHECK(0, "open: %s", e.msg);
    return t;
}

/* The utterance of sequence q of an analog batch: its length in frames (the last step with an
 * event), which the corpus makes unique. */
static int utt_of(const lsnn_batch *b, int q)
{
    int last = -1;
    for (int t = 0; t < b->n_steps; t++) {
        size_t c = (size_t)q * b->n_steps + t;
        if (b->in_ptr[c + 1] > b->in_ptr[c]) last = t;
    }
    int frames = last / 2 + 1;
    for (int i = 0; i < N_UTT; i++)
        if (n_frames(&utts[i]) == frames) return i;
    return -1;
}

/* Shapes, windows, padding, splits and determinism on the analog encoding. */
static void test_batches(void)
{
    lsnn_task *t = open_task(LSTM_NET, "  input: analog\n  validation_speakers: 1");
    if (!t) return;
    CHECK(lsnn_task_n_in(t) == 39 && lsnn_task_n_out(t) == 61, "39 in, 61 out");
    CHECK(lsnn_task_split_count(t, LSNN_SPLIT_TEST) == 2, "2 test utterances");
    CHECK(lsnn_task_split_count(t, LSNN_SPLIT_VALIDATION) == 2, "MCCC0's 2 utterances validate");
    CHECK(!strcmp(lsnn_task_metric(t), "frame error (39 classes)"), "%s", lsnn_task_metric(t));
    int longest = 0;
    for (int i = 0; i < N_UTT; i++)
        longest = n_frames(&utts[i]) > longest ? n_frames(&utts[i]) : longest;
    CHECK(lsnn_task_n_steps(t) == 2 * longest, "n_steps %d = 2 * %d", lsnn_task_n_steps(t),
          longest);
    lsnn_batch b = {0}, b2 = {0};
    lsnn_error e;
    int seen[N_UTT] = {0};
    for (long it = 0; it < 8; it++) { /* 8 batches of 4: 4 epochs of the 8 training ones */
        if (lsnn_task_train_batch(t, it, 4, &b, &e)) {
            CHECK(0, "batch %ld: %s", it, e.msg);
            break;
        }
        int most = 0, n_win = 0;
        for (int q = 0; q < 4; q++) {
            int i = utt_of(&b, q);
            CHECK(i >= 0 && i < 8, "iteration %ld seq %d: training utterance, got %d", it, q, i);
            if (i < 0) continue;
            seen[i]++;
            most = n_frames(&utts[i]) > most ? n_frames(&utts[i]) : most;
            int want = 0, got = 0, ok = 1;
            for (int f = 0; f < n_frames(&utts[i]); f++)
                want += frame_phone(&utts[i], f) >= 0;
            for (int w = 0; w < b.n_win; w++) {
                const lsnn_window *win = &b.win[w];
                if (win->seq != q) continue;
                got++;
                int f = win->start / 2;
                ok &= win->end - win->start == 2 && win->start % 2 == 0 &&
                      win->label == frame_phone(&utts[i], f);
            }
            CHECK(got == want && ok, "utt %d: %d windows, %d labelled frames, aligned %d", i, got,
                  want, ok);
            n_win += got;
            /* padding: no input after the utterance's frames */
            size_t end = (size_t)q * b.n_steps + b.n_steps,
                   pad = end - (size_t)(b.n_steps - 2 * n_frames(&utts[i]));
            CHECK(b.in_ptr[end] == b.in_ptr[pad], "utt %d: padding carries no input", i);
        }
        CHECK(b.n_steps == 2 * most, "batch %ld: %d steps, its longest utterance %d frames", it,
              b.n_steps, most);
        CHECK(b.n_win == n_win, "no window outside the sequences' labelled frames");
        CHECK(b.score_class != NULL, "windows scored folded");
    }
    for (int i = 0; i < 8; i++)
        CHECK(seen[i] == 4, "training utterance %d seen 4 times in 4 epochs, got %d", i, seen[i]);
    /* determinism: a second task gives the same batch, bit for bit */
    lsnn_task *t2 = open_task(LSTM_NET, "  input: analog\n  validation_speakers: 1");
    if (t2 && !lsnn_task_train_batch(t, 5, 3, &b, &e) &&
        !lsnn_task_train_batch(t2, 5, 3, &b2, &e)) {
        int same = b.n_steps == b2.n_steps && b.n_spikes == b2.n_spikes && b.n_win == b2.n_win &&
                   !memcmp(b.in_ptr, b2.in_ptr, ((size_t)b.n_seq * b.n_steps + 1) * 4) &&
                   !memcmp(b.in_idx, b2.in_idx, b.n_spikes * 2) &&
                   !memcmp(b.in_val, b2.in_val, b.n_spikes * 4) &&
                   !memcmp(b.win, b2.win, (size_t)b.n_win * sizeof *b.win);
        CHECK(same, "iteration 5 is the same batch in two opens");
    }
    /* validation and test splits: their own utterances, in corpus order */
    if (!lsnn_task_split_batch(t, LSNN_SPLIT_VALIDATION, 0, 8, &b, &e))
        CHECK(b.n_seq == 2 && utt_of(&b, 0) == 8 && utt_of(&b, 1) == 9, "validation = MCCC0");
    if (!lsnn_task_split_batch(t, LSNN_SPLIT_TEST, 1, 1, &b, &e))
        CHECK(b.n_seq == 1 && utt_of(&b, 0) == 11, "test sequence 1 = SX22");
    lsnn_batch_free(&b);
    lsnn_batch_free(&b2);
    lsnn_task_close(t);
    lsnn_task_close(t2);
}

/* The spike encoding: channels and the same windows. */
static void test_spikes(void)
{
    lsnn_task *t = open_task(LSNN_NET, "");
    if (!t) return;
    CHECK(lsnn_task_n_in(t) == 78, "2 * 39 channels with one threshold");
    CHECK(lsnn_task_split_count(t, LSNN_SPLIT_VALIDATION) == 2, "no held-out speakers: test");
    lsnn_batch b = {0};
    lsnn_error e;
    if (!lsnn_task_train_batch(t, 0, 10, &b, &e)) {
        CHECK(b.in_val == NULL && b.n_spikes > 0, "spikes");
        CHECK(lsnn_batch_check(&b, 61) == 0, "consistent");
    } else {
        CHECK(0, "%s", e.msg);
    }
    lsnn_batch_free(&b);
    lsnn_task_close(t);
}

/* batch.score_class: 61 phones scored as Lee & Hon's 39 classes. */
static void test_folding(void)
{
    int fold[61];
    for (int i = 0; i < 61; i++)
        fold[i] = lsnn_timit_fold(i);
    lsnn_batch b = {0};
    int aa = lsnn_timit_phone_index("aa"), ao = lsnn_timit_phone_index("ao");
    int pau = lsnn_timit_phone_index("pau"), hh = lsnn_timit_phone_index("h#");
    int q = lsnn_timit_phone_index("q"), iy = lsnn_timit_phone_index("iy");
    CHECK(lsnn_batch_reset(&b, 1, 4, 2) == 0, "reset");
    for (int c = 0; c < 4; c++)
        lsnn_batch_end_cell(&b);
    CHECK(lsnn_batch_add_window(&b, 0, 0, 2, aa) == 0, "window");
    CHECK(!lsnn_batch_correct(&b, ao, aa) && lsnn_batch_correct(&b, aa, aa), "identity by default");
    b.score_class = fold;
    CHECK(lsnn_batch_correct(&b, ao, aa) && lsnn_batch_correct(&b, pau, hh), "ao = aa, pau = h#");
    CHECK(!lsnn_batch_correct(&b, iy, aa) && !lsnn_batch_correct(&b, q, aa), "iy, q wrong");
    CHECK(lsnn_batch_check(&b, 61) == 0, "aa is scored");
    CHECK(lsnn_batch_add_window(&b, 0, 2, 4, q) == 0 && lsnn_batch_check(&b, 61) != 0,
          "a window labelled q (no class) is refused with a folding");
    CHECK(lsnn_batch_reset(&b, 1, 4, 2) == 0 && b.score_class == NULL, "reset clears it");
    lsnn_batch_free(&b);
}

/* The curve's columns iteration .. lr of every row (seq_per_s and elapsed_s are timing). */
static char *curve_values(const char *run)
{
    char path[1300], *csv = NULL;
    size_t len = 0;
    lsnn_error e;
    snprintf(path, sizeof path, "%s/curve.csv", run);
    if (lsnn_read_file(path, &csv, &len, &e)) return NULL;
    char *out = csv;
    for (char *p = csv; *p;) { /* copy each line up to its 8th comma */
        int commas = 0;
        while (*p && *p != '\n' && !(*p == ',' && ++commas == 8))
            *out++ = *p++;
        while (*p && *p != '\n')
            p++;
        if (*p) *out++ = *p++;
    }
    *out = 0;
    return csv;
}

/* A short LSNN run on the corpus: the cross-entropy must fall, and 1 or 2 threads train the
 * same network. */
static void test_training(const char *tmp)
{
    char text[2048], spec_path[1200], run[2][1200];
    spec_text(text, sizeof text, LSNN_NET, "  validation_speakers: 1");
    snprintf(spec_path, sizeof spec_path, "%s/sp.yaml", tmp);
    lsnn_error e;
    CHECK(lsnn_write_file_atomic(spec_path, text, strlen(text), &e) == 0, "spec");
    char *values[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        snprintf(run[k], sizeof run[k], "%s/run%d", tmp, k + 1);
        lsnn_train_opts o = {.spec_path = spec_path,
                             .run_dir = run[k],
                             .threads = k + 1,
                             .force = 1,
                             .progress = LSNN_PROGRESS_QUIET};
        int rc = lsnn_train(&o, &e);
        CHECK(rc == 0, "train on %d threads: %s", k + 1, rc ? e.msg : "");
        if (rc) return;
        values[k] = curve_values(run[k]);
    }
    CHECK(values[0] && values[1] && !strcmp(values[0], values[1]),
          "1 and 2 threads: the same curve, bit for bit");
    double first = 0, last = 0;
    int row = 0;
    for (char *line = values[1] ? strchr(values[1], '\n') : NULL; line && line[1];
         line = strchr(line + 1, '\n')) {
        double ce = 0;
        if (sscanf(line + 1, "%*d,%*f,%lf", &ce) != 1) continue;
        if (row < 5) first += ce / 5;
        if (row >= 35) last += ce / 5;
        row++;
    }
    CHECK(row == 40, "40 iterations in curve.csv, got %d", row);
    CHECK(last < first - 0.5, "cross-entropy falls: first 5 %.3f, last 5 %.3f", first, last);
    printf("  speech, 40 iterations: cross-entropy %.3f -> %.3f\n", first, last);
    free(values[0]);
    free(values[1]);
}

static void expect_error(const char *net, const char *extra, const char *needle)
{
    char text[2048];
    lsnn_spec s;
    lsnn_error e = {0};
    spec_text(text, sizeof text, net, extra);
    int rc = lsnn_spec_parse("sp.yaml", text, strlen(text), &s, &e);
    CHECK(rc != 0 && strstr(e.msg, needle), "'%s': want '%s', got '%s'", extra, needle,
          rc ? e.msg : "success");
}

static void test_spec_errors(void)
{
    expect_error(LSNN_NET, "  frame_steps: 0",
                 "task.frame_steps must be an integer in [1, 100], got 0");
    expect_error(LSNN_NET, "  thresholds: 65", "task.thresholds");
    expect_error(LSNN_NET, "  thresholds: 2\n  thr_lo: 1\n  thr_hi: -1",
                 "task.thr_hi must be at least task.thr_lo");
    expect_error(LSNN_NET, "  thr_lo: 11", "task.thr_lo");
    expect_error(LSNN_NET, "  validation_speakers: -1", "task.validation_speakers");
    expect_error(LSNN_NET, "  max_frames: 1.5", "task.max_frames");
    expect_error(LSNN_NET, "  input: analog", "task.input analog needs network.kind lstm");
    expect_error(LSTM_NET, "  input: analog\n  thresholds: 2",
                 "only allowed with task.input spikes");
    expect_error(LSNN_NET, "  ext_time: 1", "task.ext_time is only allowed with task kind smnist");
    expect_error(LSNN_NET, "  dataset: mnist", "only allowed with task kind smnist");
    expect_error(LSNN_NET, "  values: 2", "only allowed with task kind store_recall");
    expect_error(LSTM_NET, "", "network.inputs must be 2 * 39 * task.thresholds = 78");
    expect_error(LSNN_NET, "  thresholds: 2\n  thr_hi: 1", "network.inputs must be 2 * 39");
    char text[2048];
    lsnn_spec s, back;
    lsnn_error e;
    spec_text(text, sizeof text, LSNN_NET,
              "  thresholds: 1\n  thr_lo: 0.5\n  thr_hi: 0.5\n  max_frames: 30");
    char *y = NULL;
    int ok = !lsnn_spec_parse("sp.yaml", text, strlen(text), &s, &e) &&
             (y = lsnn_spec_to_yaml(&s)) && !lsnn_spec_parse("back.yaml", y, strlen(y), &back, &e);
    CHECK(ok && back.speech.max_frames == 30 && back.speech.thr_lo == 0.5 &&
              back.task == LSNN_TASK_SPEECH && !strcmp(back.speech.data_dir, root),
          "canonical form round trip: %s", ok ? "" : e.msg);
    free(y);
    /* a missing corpus names the path and how to make one */
    spec_text(text, sizeof text, LSNN_NET, "");
    if (!lsnn_spec_parse("sp.yaml", text, strlen(text), &s, &e)) {
        lsnn_task *t = NULL;
        strcat(s.speech.data_dir, "/nowhere");
        CHECK(lsnn_task_open(&s, &t, &e) != 0 && strstr(e.msg, "/nowhere not found") &&
                  strstr(e.msg, "tools/make_speech.sh"),
              "missing corpus: %s", e.msg);
        s.speech.data_dir[strlen(s.speech.data_dir) - 8] = 0;
        s.speech.validation_speakers = 4;
        CHECK(lsnn_task_open(&s, &t, &e) != 0 && strstr(e.msg, "less than the 4 training speakers"),
              "all speakers held out: %s", e.msg);
    }
}

int main(void)
{
    const char *tmp = check_tmpdir("test_speech_task");
    snprintf(root, sizeof root, "%s/corpus", tmp);
    for (int i = 0; i < N_UTT; i++) {
        make_utt(i, &utts[i]);
        write_utt(&utts[i]);
    }
    for (int i = 0; i < N_UTT; i++)
        for (int j = 0; j < i; j++)
            CHECK(n_frames(&utts[i]) != n_frames(&utts[j]), "lengths %d, %d differ", i, j);
    test_folding();
    test_batches();
    test_spikes();
    test_spec_errors();
    test_training(tmp);
    return check_report();
}
