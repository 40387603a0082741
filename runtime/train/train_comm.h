/* train_comm.h - what the training loop needs of several ranks (comm.h): the check that every
 * rank gets a share of the batch, and agreement on a flag. */
#ifndef LSNN_TRAIN_COMM_H
#define LSNN_TRAIN_COMM_H

#include "comm.h"
#include "error.h"
#include "spec.h"

/* 0 if every rank of c holds at least one chunk of a batch of s->batch_size sequences; else -1
 * with a message that says how many ranks the batch allows. */
int lsnn_train_check_ranks(const lsnn_spec *s, const lsnn_comm *c, lsnn_error *e);

/* The sequences of the largest rank's share of a batch of s->batch_size (the memory a rank
 * needs for its BPTT histories); s->batch_size with one rank. */
int lsnn_train_rank_batch(const lsnn_spec *s, const lsnn_comm *c);

/* *any = the bitwise OR of every rank's flags (every rank must call it), so one gather
 * answers several yes/no questions. Returns 0, or -1 with a message. */
int lsnn_comm_any(const lsnn_comm *c, int flag, int *any, lsnn_error *e);

#endif
