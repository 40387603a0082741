/* timit.h - the TIMIT corpus for frame-wise phone recognition (issue 15): the utterances of a
 * TIMIT tree, their .PHN alignments, the 61 phones, their folding to 39, frame labels and the
 * frame error score. The espeak-ng stand-in corpus (tools/make_speech.sh, docs/speech-corpus.md)
 * is written in the same layout, so everything here serves both.
 *
 * Layout: ROOT/{TRAIN,TEST}/DR1..DR8/SPEAKER/UTT.{WAV,PHN} (SPHERE audio at 16 kHz; names in
 * upper or lower case, as distributions differ). SPEAKER is the sex (M or F) then the
 * speaker's ID ("MDAB0"); UTT is the sentence type and number (SA1, SI943, SX53).
 *
 * Splits: TRAIN/ is the training set. TEST/ speakers of the 24-speaker core test set
 * (Halberstadt 1998; lsnn_timit_is_core_test) are the test set, the other 144 TEST/ speakers
 * the validation set. A corpus whose TEST/ holds none of the core speakers (the espeak-ng
 * stand-in) tests on all of TEST/ and has no validation split: callers hold out TRAIN
 * speakers. The SA1/SA2 sentences, read by every speaker, are usually left out
 * (lsnn_timit_opts.keep_sa = 0).
 *
 * Folding (Lee & Hon 1989): 61 phones are trained on, predictions and references are folded
 * to 39 classes for scoring. q (glottal stop) has no class: frames whose reference is q are
 * not scored (neither counted nor errors); a prediction of q on a scored frame is an error. */
#ifndef LSNN_TIMIT_H
#define LSNN_TIMIT_H

#include <stddef.h>

#include "error.h"

#define LSNN_TIMIT_PHONES   61     /* the TIMIT phone set, indices 0..60 */
#define LSNN_TIMIT_CLASSES  39     /* the folded set, indices 0..38 */
#define LSNN_TIMIT_NONE     (-1)   /* no phone: q folded, or a frame no segment covers */
#define LSNN_TIMIT_RATE     16000  /* Hz, of TIMIT's audio */
#define LSNN_TIMIT_HOP      160    /* 10 ms frame hop at 16 kHz */
#define LSNN_TIMIT_WINDOW   400    /* 25 ms frame window at 16 kHz */
#define LSNN_TIMIT_MAX_SEGS 100000 /* .PHN lines limit */

/* ---- phones (timit_phones.c) ---- */

/* The index 0..60 of a TIMIT phone ("iy", "h#", "ax-h"), or -1 if name is none of them. */
int lsnn_timit_phone_index(const char *name);

/* The name of phone i (0..60), or "?" for any other i. Can't fail. */
const char *lsnn_timit_phone_name(int i);

/* The folded class 0..38 of phone i (0..60); LSNN_TIMIT_NONE for q and for i out of range. */
int lsnn_timit_fold(int i);

/* The name of folded class c (0..38: the class's own phone, "sil" for the closures and
 * silences), or "?" for any other c. */
const char *lsnn_timit_class_name(int c);

/* 1 if SPEAKER (e.g. "MDAB0", any case) is one of the 24 core test speakers, else 0. */
int lsnn_timit_is_core_test(const char *speaker);

/* ---- alignments (timit.c) ---- */

typedef struct {
    long start, end; /* samples, start < end, [start, end) */
    int phone;       /* 0..60 */
} lsnn_timit_seg;

typedef struct {
    lsnn_timit_seg *segs; /* n, in time order, not overlapping (gaps allowed) */
    int n;
} lsnn_timit_phn;

/* Reads a .PHN file: lines "START END PHONE" (samples, TIMIT's phone names). Checks that
 * start < end, that segments are in time order without overlap, that end <= n_samples
 * (skipped when n_samples < 0) and that each phone is one of the 61. Errors name the file and
 * line ("PATH:LINE: ..."). On error *out is left empty. */
int lsnn_timit_read_phn(const char *path, long n_samples, lsnn_timit_phn *out, lsnn_error *e);

/* The same from text (len bytes); name stands for the path in messages. */
int lsnn_timit_parse_phn(const char *name, const char *text, size_t len, long n_samples,
                         lsnn_timit_phn *out, lsnn_error *e);

void lsnn_timit_phn_free(lsnn_timit_phn *p);

/* ---- the corpus (timit.c) ---- */

enum { LSNN_TIMIT_TRAIN, LSNN_TIMIT_VALID, LSNN_TIMIT_TEST };

typedef struct {
    char *wav, *phn;  /* the files' paths (malloc'ed) */
    char speaker[16]; /* the speaker's folder name in upper case: "MDAB0" */
    char name[16];    /* the utterance in upper case: "SX213" */
    int dialect;      /* 1..8, from DRn */
    char sex;         /* 'M' or 'F' */
    int split;        /* LSNN_TIMIT_TRAIN, _VALID or _TEST (see the top of this file) */
} lsnn_timit_utt;

typedef struct {
    int keep_sa; /* 1: list SA1/SA2 too; 0 (the usual): leave them out */
} lsnn_timit_opts;

typedef struct {
    lsnn_timit_utt *utts; /* n, sorted by folder (TRAIN then TEST), dialect, speaker, name */
    int n;
    int n_split[3]; /* utterances per split */
} lsnn_timit_corpus;

/* Lists the utterances of the tree at root (opts NULL: the defaults). Every UTT.WAV must
 * have its UTT.PHN and vice versa; folders must be DR1..DR8 and speakers start with M or F.
 * Files of other kinds (.TXT, .WRD) and names with two extensions (SA1.WAV.wav, as some
 * converted copies hold) are ignored. Reads no audio. On error *out is left empty and e
 * names the offending path. */
int lsnn_timit_list(const char *root, const lsnn_timit_opts *opts, lsnn_timit_corpus *out,
                    lsnn_error *e);

void lsnn_timit_corpus_free(lsnn_timit_corpus *c);

/* ---- frames and scoring (timit_phones.c) ---- */

/* Frames of n_samples at a window and hop (samples): 1 + (n_samples - window) / hop, 0 if
 * n_samples < window. Frame t spans [t*hop, t*hop + window). */
long lsnn_timit_n_frames(long n_samples, int window, int hop);

/* Fills labels[0..n_frames) with the phone (0..60) of the segment holding frame t's centre
 * sample t*hop + window/2, or LSNN_TIMIT_NONE where no segment does. Can't fail. */
void lsnn_timit_frame_labels(const lsnn_timit_phn *p, int window, int hop, int *labels,
                             long n_frames);

typedef struct {
    long frames;                           /* scored frames */
    long errors;                           /* of those, folded prediction != reference */
    long class_frames[LSNN_TIMIT_CLASSES]; /* scored frames per folded reference class */
    long class_errors[LSNN_TIMIT_CLASSES]; /* errors per folded reference class */
} lsnn_timit_score;

/* Adds n frames to s: ref[t] and pred[t] are 61-phone indices (or LSNN_TIMIT_NONE). Frames
 * whose reference folds to nothing (q, unlabelled) are skipped; a prediction that folds to
 * nothing or is out of range is an error. s starts zeroed. Can't fail. */
void lsnn_timit_score_add(lsnn_timit_score *s, const int *pred, const int *ref, long n);

/* The frame error rate errors / frames (0 when no frame was scored). */
double lsnn_timit_score_rate(const lsnn_timit_score *s);

#endif
