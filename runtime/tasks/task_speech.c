/* task_speech.c - the speech task's corpus: frame-wise phone recognition on a TIMIT-layout
 * tree (issue 15; docs/speech.md). Opening lists the corpus (timit.h), reads every
 * utterance's audio and alignment, computes MFCC + delta + delta-delta frames (mfcc.h, the
 * python_speech_features defaults of the e-prop TIMIT code), labels each frame with the phone
 * at its centre, and z-scores every frame with the statistics of the training utterances
 * (featnorm.h). Everything stays in memory (about 160 bytes per 10 ms frame: 1,840 stand-in
 * utterances take some 80 MB) and is computed in a few seconds, so nothing is cached on disk.
 *
 * Splits: TRAIN/ trains. The validation split is the corpus's VALID split (real TIMIT), or,
 * with task.validation_speakers = N, the utterances of the last N training speakers in corpus
 * order (dialect region, then speaker name), which then never train; without either the
 * validation split is the test split. TEST/ (the core test set on real TIMIT) tests. The
 * batches are built in task_speech_batch.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "featnorm.h"
#include "mfcc.h"
#include "speech_spikes.h"
#include "sphere.h"
#include "task_internal.h"
#include "timit.h"

static int check_spec(const lsnn_speech_spec *sp, lsnn_error *e)
{
    if (sp->frame_steps < 1 || sp->frame_steps > 100)
        return lsnn_fail(e, "speech: task.frame_steps = %d out of range 1..100", sp->frame_steps);
    if (sp->input == LSNN_INPUT_SPIKES &&
        (sp->thresholds < 1 || sp->thresholds > LSNN_SPEECH_MAX_THR || sp->thr_lo > sp->thr_hi))
        return lsnn_fail(e,
                         "speech: task.thresholds = %d must be in 1..%d and thr_lo (%g) at most "
                         "thr_hi (%g)",
                         sp->thresholds, LSNN_SPEECH_MAX_THR, sp->thr_lo, sp->thr_hi);
    if (sp->validation_speakers < 0 || sp->validation_speakers > 1000)
        return lsnn_fail(e, "speech: task.validation_speakers = %d out of range 0..1000",
                         sp->validation_speakers);
    if (sp->max_frames < 0 || sp->max_frames > 100000)
        return lsnn_fail(e, "speech: task.max_frames = %d out of range 0..100000 (0 = no cap)",
                         sp->max_frames);
    return 0;
}

static const char *corpus_dir(const lsnn_speech_spec *sp)
{
    return sp->data_dir[0] ? sp->data_dir : "data/speech";
}

/* A missing corpus: the message names the absolute path, how a relative one was resolved and
 * how to make the stand-in. */
static int check_dir(const char *dir, lsnn_error *e)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    char cwd[4096] = "";
    if (dir[0] != '/' && !getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, "(unknown)");
    return lsnn_fail(e,
                     "speech: corpus directory %s%s%s not found%s; tools/make_speech.sh of the "
                     "lsnn source tree generates the espeak-ng stand-in corpus into data/speech "
                     "(docs/speech-corpus.md), or point task.data_dir at a TIMIT tree",
                     cwd, cwd[0] ? "/" : "", dir,
                     dir[0] == '/' ? ""
                                   : " (task.data_dir is relative: resolved against the "
                                     "current directory)");
}

/* Computes the features and frame labels of one utterance into u (cut to max_frames). */
static int load_utt(lsnn_mfcc *m, const lsnn_timit_utt *src, int max_frames, struct speech_utt *u,
                    lsnn_error *e)
{
    lsnn_sphere snd = {0};
    lsnn_timit_phn phn = {0};
    float *feat = NULL;
    int rc = -1;
    if (lsnn_sphere_load(src->wav, &snd, e)) goto done;
    if (snd.sample_rate != LSNN_TIMIT_RATE || snd.n < 1) {
        lsnn_fail(e, "speech: %s has %ld samples at %d Hz; the task needs audio at %d Hz", src->wav,
                  snd.n, snd.sample_rate, LSNN_TIMIT_RATE);
        goto done;
    }
    if (lsnn_timit_read_phn(src->phn, snd.n, &phn, e)) goto done;
    long n = lsnn_mfcc_frames(lsnn_mfcc_get_config(m), (size_t)snd.n);
    feat = n > 0 ? malloc((size_t)n * LSNN_SPEECH_FEATURES * sizeof *feat) : NULL;
    u->label = n > 0 ? malloc((size_t)n * sizeof *u->label) : NULL;
    if (!feat || !u->label) {
        lsnn_fail(e, "speech: out of memory for the %ld frames of %s", n, src->wav);
        goto done;
    }
    if (lsnn_mfcc_compute(m, snd.samples, (size_t)snd.n, snd.sample_rate, feat, e)) goto done;
    lsnn_timit_frame_labels(&phn, LSNN_TIMIT_WINDOW, LSNN_TIMIT_HOP, u->label, n);
    u->n_frames = max_frames > 0 && n > max_frames ? max_frames : (int)n;
    u->z = feat;
    feat = NULL;
    rc = 0;
done:
    free(feat);
    lsnn_sphere_free(&snd);
    lsnn_timit_phn_free(&phn);
    return rc;
}

/* Orders the corpus's utterances into t->utt's order (training, validation, test) in order:
 * order[i] is the corpus index of task utterance i. Sets n_train, n_val, n_test. */
static int split_corpus(lsnn_task *t, const lsnn_timit_corpus *c, const char *dir, int *order,
                        lsnn_error *e)
{
    int held = t->sp.validation_speakers, n_speakers = 0, first_held = c->n;
    if (held > 0 && c->n_split[LSNN_TIMIT_VALID] > 0)
        return lsnn_fail(e,
                         "speech: task.validation_speakers = %d, but the corpus at %s has its own "
                         "validation split (%d utterances); set it to 0",
                         held, dir, c->n_split[LSNN_TIMIT_VALID]);
    /* training utterances are listed by dialect and speaker: count speakers from the end;
     * first_held is the first utterance of the held-out ones */
    for (int i = c->n - 1; i >= 0; i--) {
        if (c->utts[i].split != LSNN_TIMIT_TRAIN) continue;
        if (i == 0 || c->utts[i - 1].split != LSNN_TIMIT_TRAIN ||
            strcmp(c->utts[i].speaker, c->utts[i - 1].speaker) != 0) { /* a speaker's first */
            n_speakers++;
            if (n_speakers <= held) first_held = i;
        }
    }
    if (c->n_split[LSNN_TIMIT_TRAIN] == 0 || c->n_split[LSNN_TIMIT_TEST] == 0)
        return lsnn_fail(e,
                         "speech: the corpus at %s has %d training and %d test utterances; "
                         "it needs both (TRAIN/ and TEST/)",
                         dir, c->n_split[LSNN_TIMIT_TRAIN], c->n_split[LSNN_TIMIT_TEST]);
    if (held >= n_speakers)
        return lsnn_fail(e,
                         "speech: task.validation_speakers = %d must be less than the %d training "
                         "speakers of the corpus at %s",
                         held, n_speakers, dir);
    int k = 0, count[3] = {0, 0, 0};
    for (int pass = 0; pass < 3; pass++) /* 0 training, 1 validation, 2 test */
        for (int i = 0; i < c->n; i++) {
            int s = c->utts[i].split;
            int which = s == LSNN_TIMIT_TEST                                     ? 2
                        : s == LSNN_TIMIT_VALID || (held > 0 && i >= first_held) ? 1
                                                                                 : 0;
            if (which != pass) continue;
            order[k++] = i;
            count[which]++;
        }
    t->n_train = count[0], t->n_val = count[1], t->n_test = count[2];
    return 0;
}

/* Reads every utterance, then z-scores all of them with the training utterances' statistics. */
static int load_all(lsnn_task *t, const lsnn_timit_corpus *c, const int *order, lsnn_error *e)
{
    lsnn_mfcc_config cfg;
    lsnn_mfcc_defaults(&cfg, LSNN_TIMIT_RATE);
    lsnn_mfcc *m = lsnn_mfcc_new(&cfg, e);
    if (!m) return -1;
    lsnn_featnorm *fn = malloc(sizeof *fn);
    int rc = -1;
    if (!fn || lsnn_featnorm_init(fn, LSNN_SPEECH_FEATURES, e)) goto done;
    for (int i = 0; i < t->n_utt; i++) {
        struct speech_utt *u = &t->utt[i];
        if (load_utt(m, &c->utts[order[i]], t->sp.max_frames, u, e)) goto done;
        if (i < t->n_train && lsnn_featnorm_add(fn, u->z, u->n_frames, e)) goto done;
    }
    if (lsnn_featnorm_finish(fn, e)) goto done;
    for (int i = 0; i < t->n_utt; i++)
        lsnn_featnorm_apply(fn, t->utt[i].z, t->utt[i].n_frames);
    rc = 0;
done:
    if (!fn && rc) lsnn_fail(e, "speech: out of memory");
    free(fn);
    lsnn_mfcc_free(m);
    return rc;
}

/* Opens the speech task: checks the spec's task section, lists the corpus at task.data_dir,
 * splits it and computes every utterance's z-scored features and frame labels. Fails with a
 * message naming the file or key on a missing or malformed corpus or bad settings. */
int lsnn_speech_open(lsnn_task *t, const lsnn_spec *spec, lsnn_error *e)
{
    const lsnn_speech_spec *sp = &spec->speech;
    if (check_spec(sp, e)) return -1;
    t->sp = *sp;
    const char *dir = corpus_dir(sp);
    if (check_dir(dir, e)) return -1;
    lsnn_timit_corpus c = {0};
    if (lsnn_timit_list(dir, NULL, &c, e)) return -1;
    int *order = malloc((size_t)(c.n ? c.n : 1) * sizeof *order);
    int rc = -1;
    if (!order) {
        lsnn_fail(e, "speech: out of memory listing %s", dir);
        goto done;
    }
    if (split_corpus(t, &c, dir, order, e)) goto done;
    t->n_utt = c.n;
    t->utt = calloc((size_t)c.n, sizeof *t->utt);
    t->perm = malloc((size_t)t->n_train * sizeof *t->perm);
    if (!t->utt || !t->perm) {
        lsnn_fail(e, "speech: out of memory for %d utterances", c.n);
        goto done;
    }
    if (load_all(t, &c, order, e)) goto done;
    int longest = 1;
    for (int i = 0; i < t->n_utt; i++)
        if (t->utt[i].n_frames > longest) longest = t->utt[i].n_frames;
    t->n_steps = longest * sp->frame_steps; /* the longest batch: the memory estimate's */
    t->n_in = sp->input == LSNN_INPUT_ANALOG ? LSNN_SPEECH_FEATURES
                                             : 2 * LSNN_SPEECH_FEATURES * sp->thresholds;
    t->n_out = LSNN_SPEECH_PHONES;
    for (int i = 0; i < LSNN_SPEECH_PHONES; i++)
        t->score_class[i] = lsnn_timit_fold(i);
    rc = 0;
done:
    free(order);
    lsnn_timit_corpus_free(&c);
    return rc;
}

void lsnn_speech_free(lsnn_task *t)
{
    for (int i = 0; i < t->n_utt && t->utt; i++) {
        free(t->utt[i].z);
        free(t->utt[i].label);
    }
    free(t->utt);
    t->utt = NULL;
    t->n_utt = 0;
}
