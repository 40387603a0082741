/* timit_phones.c - TIMIT's 61 phones, their 39-class folding (Lee & Hon 1989), the core test
 * speakers, frame labels and the frame error score.
 *
 * The tables are written once, in the order of the TIMIT documentation (vowels, stops,
 * affricates, fricatives, nasals, semivowels, closures and silences); the counts are pinned
 * with static_assert so that a phone added or lost fails the build. */
#include "timit.h"

#include <assert.h>
#include <ctype.h>
#include <string.h>

/* Each phone and the phone whose class it folds into ("" for q, which folds to nothing). */
static const struct {
    const char *name, *fold;
} PHONES[] = {
    {"iy", "iy"},   {"ih", "ih"},   {"eh", "eh"},   {"ey", "ey"},   {"ae", "ae"},   {"aa", "aa"},
    {"aw", "aw"},   {"ay", "ay"},   {"ah", "ah"},   {"ao", "aa"},   {"oy", "oy"},   {"ow", "ow"},
    {"uh", "uh"},   {"uw", "uw"},   {"ux", "uw"},   {"er", "er"},   {"ax", "ah"},   {"ix", "ih"},
    {"axr", "er"},  {"ax-h", "ah"}, {"jh", "jh"},   {"ch", "ch"},   {"b", "b"},     {"d", "d"},
    {"g", "g"},     {"p", "p"},     {"t", "t"},     {"k", "k"},     {"dx", "dx"},   {"s", "s"},
    {"sh", "sh"},   {"z", "z"},     {"zh", "sh"},   {"f", "f"},     {"th", "th"},   {"v", "v"},
    {"dh", "dh"},   {"m", "m"},     {"n", "n"},     {"ng", "ng"},   {"em", "m"},    {"nx", "n"},
    {"en", "n"},    {"eng", "ng"},  {"l", "l"},     {"r", "r"},     {"w", "w"},     {"y", "y"},
    {"hh", "hh"},   {"hv", "hh"},   {"el", "l"},    {"bcl", "sil"}, {"dcl", "sil"}, {"gcl", "sil"},
    {"pcl", "sil"}, {"tcl", "sil"}, {"kcl", "sil"}, {"q", ""},      {"pau", "sil"}, {"epi", "sil"},
    {"h#", "sil"},
};
static_assert(sizeof PHONES / sizeof PHONES[0] == LSNN_TIMIT_PHONES, "61 TIMIT phones");

/* The 39 classes, in the order in which the table above first names them. */
static const char *const CLASSES[] = {
    "iy", "ih", "eh", "ey", "ae", "aa", "aw", "ay", "ah", "oy", "ow", "uh", "uw",
    "er", "jh", "ch", "b",  "d",  "g",  "p",  "t",  "k",  "dx", "s",  "sh", "z",
    "f",  "th", "v",  "dh", "m",  "n",  "ng", "l",  "r",  "w",  "y",  "hh", "sil",
};
static_assert(sizeof CLASSES / sizeof CLASSES[0] == LSNN_TIMIT_CLASSES, "39 folded classes");

/* Halberstadt (1998), table 4.1: two men and one woman from each dialect region. */
static const char *const CORE_TEST[24] = {
    "MDAB0", "MWBT0", "FELC0", "MTAS1", "MWEW0", "FPAS0", "MJMP0", "MLNT0",
    "FPKT0", "MLLL0", "MTLS0", "FJLM0", "MBPM0", "MKLT0", "FNLP0", "MCMJ0",
    "MJDH0", "FMGD0", "MGRT0", "MNJM0", "FDHC0", "MJLN0", "MPAM0", "FMLD0",
};

int lsnn_timit_phone_index(const char *name)
{
    for (int i = 0; i < LSNN_TIMIT_PHONES; i++)
        if (strcmp(PHONES[i].name, name) == 0) return i;
    return -1;
}

const char *lsnn_timit_phone_name(int i)
{
    return i >= 0 && i < LSNN_TIMIT_PHONES ? PHONES[i].name : "?";
}

const char *lsnn_timit_class_name(int c)
{
    return c >= 0 && c < LSNN_TIMIT_CLASSES ? CLASSES[c] : "?";
}

int lsnn_timit_fold(int i)
{
    if (i < 0 || i >= LSNN_TIMIT_PHONES) return LSNN_TIMIT_NONE;
    for (int c = 0; c < LSNN_TIMIT_CLASSES; c++)
        if (strcmp(CLASSES[c], PHONES[i].fold) == 0) return c;
    return LSNN_TIMIT_NONE; /* q */
}

int lsnn_timit_is_core_test(const char *speaker)
{
    char up[8];
    size_t n = strlen(speaker);
    if (n != 5) return 0;
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)toupper((unsigned char)speaker[i]);
    for (int i = 0; i < 24; i++)
        if (strcmp(CORE_TEST[i], up) == 0) return 1;
    return 0;
}

long lsnn_timit_n_frames(long n_samples, int window, int hop)
{
    if (window < 1 || hop < 1 || n_samples < window) return 0;
    return 1 + (n_samples - window) / hop;
}

void lsnn_timit_frame_labels(const lsnn_timit_phn *p, int window, int hop, int *labels,
                             long n_frames)
{
    int k = 0; /* segments and frame centres both ascend: one pass */
    for (long t = 0; t < n_frames; t++) {
        long centre = t * hop + window / 2;
        while (k < p->n && p->segs[k].end <= centre)
            k++;
        labels[t] = k < p->n && p->segs[k].start <= centre ? p->segs[k].phone : LSNN_TIMIT_NONE;
    }
}

void lsnn_timit_score_add(lsnn_timit_score *s, const int *pred, const int *ref, long n)
{
    for (long t = 0; t < n; t++) {
        int r = lsnn_timit_fold(ref[t]);
        if (r == LSNN_TIMIT_NONE) continue;
        int wrong = lsnn_timit_fold(pred[t]) != r;
        s->frames++;
        s->errors += wrong;
        s->class_frames[r]++;
        s->class_errors[r] += wrong;
    }
}

double lsnn_timit_score_rate(const lsnn_timit_score *s)
{
    return s->frames ? (double)s->errors / (double)s->frames : 0.0;
}
