/* run_files.h - the files of a training run folder (docs/folders.md) as both trainers keep
 * them: the LSNN's (train.c) and the LSTM's (lstm/lstm_train.c). Paths, the training curve
 * in memory and its curve.csv, and the checks a fresh run makes of what a folder holds. */
#ifndef LSNN_RUN_FILES_H
#define LSNN_RUN_FILES_H

#include "error.h"
#include "fileio.h"
#include "spec.h" /* LSNN_PATH_MAX */
#include "train_opts.h"

enum { LSNN_RUN_SPEC, LSNN_RUN_WEIGHTS, LSNN_RUN_CKPT, LSNN_RUN_CURVE, LSNN_RUN_FILES };

typedef struct {
    char dir[LSNN_PATH_MAX + 1];                   /* the run folder */
    char path[LSNN_RUN_FILES][LSNN_PATH_MAX + 64]; /* model.yaml, weights.safetensors,
                                                      checkpoint.safetensors, curve.csv */
    double *curve;                                 /* rows x LSNN_CURVE_COLS (train.h's columns) */
    int rows, cap;
} lsnn_run_files;

/* Fills the paths under run_dir; the curve starts empty. Cannot fail. */
void lsnn_run_files_init(lsnn_run_files *f, const char *run_dir);
void lsnn_run_files_free(lsnn_run_files *f);

/* Appends one curve row (LSNN_CURVE_COLS values). Returns 0, -1 on OOM. */
int lsnn_run_push_row(lsnn_run_files *f, const double *row);

/* Writes curve.csv atomically (LSNN_CURVE_HEADER, then one line per row). */
int lsnn_run_write_curve(const lsnn_run_files *f, lsnn_error *e);

/* After a checkpoint at `step` was loaded: drops the rows past it (a run killed between its
 * checkpoint and its curve leaves them). */
void lsnn_run_cut_curve(lsnn_run_files *f, long step);

/* The elapsed training time of the last row (curve.csv's elapsed_s), 0 without rows. */
double lsnn_run_elapsed(const lsnn_run_files *f);

/* A fresh run's check: fails, naming the file, if the folder holds a trained model and
 * force is 0. */
int lsnn_run_refuse_trained(const lsnn_run_files *f, const char *run_dir, int force, lsnn_error *e);

/* The end of a training session, as both trainers say it (progress: progress.h's mode):
 * lsnn_run_stopped after a stop request's checkpoint (sets e; the trainer then returns
 * LSNN_TRAIN_STOPPED); lsnn_run_finished after the loop (start: the iteration the session
 * began at). */
void lsnn_run_stopped(int progress, const char *run_dir, const lsnn_run_files *f, long done,
                      long iterations, lsnn_error *e);
void lsnn_run_finished(int progress, const char *run_dir, const lsnn_run_files *f, long start,
                       long iterations);

/* --resume, before the checkpoint is loaded: the checkpoint must exist; loads the run's own
 * model.yaml into *spec; a spec file or seed given beside --resume (o->spec_path, o->seed)
 * must agree with it in everything but training.iterations (the message names the first
 * difference). adjust (may be NULL) applies the trainer's other command-line overrides to
 * what was asked before the comparison. Returns 0, or -1 with e. */
/* The spec a run of options o trains: the run folder's model.yaml with --resume when it has
 * one, else the given spec file. Returns 0, or -1 when it cannot be read (the trainer then
 * reports why). For the trainers that pick themselves by the spec (LSTM, navigation). */
int lsnn_run_spec_of(const lsnn_train_opts *o, lsnn_spec *s);

int lsnn_run_resume_spec(const lsnn_train_opts *o, const lsnn_run_files *f, lsnn_spec *spec,
                         void (*adjust)(const lsnn_train_opts *o, lsnn_spec *asked), lsnn_error *e);

/* --resume, after the checkpoint of iteration `step` was loaded: cuts the curve there, takes
 * --iters (refused below step; model.yaml rewritten with it where write_spec is set: rank 0)
 * and says where the run resumes unless quiet. Returns 0, or -1 with e. */
int lsnn_run_resume_at(const lsnn_train_opts *o, lsnn_run_files *f, lsnn_spec *spec, long step,
                       int write_spec, lsnn_error *e);

/* A fresh run replaces the folder's model.yaml: removes an earlier run's weights,
 * checkpoint, curve and best/ (--keep-best) first. Returns 0, or -1 with e. */
int lsnn_run_remove_earlier(const lsnn_run_files *f, lsnn_error *e);

#endif
