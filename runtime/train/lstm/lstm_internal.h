/* lstm_internal.h - the LSTM engine's padded layout, per-thread workspace and kernels, shared
 * by lstm.c, lstm_gemm.c, lstm_cell.c, lstm_forward.c, lstm_backward.c and lstm_engine.c. */
#ifndef LSNN_LSTM_INTERNAL_H
#define LSNN_LSTM_INTERNAL_H

#include <stdint.h>

#include "lstm.h"

/* Inside the LSTM sources the plain names stand for this build's precision. */
typedef LSNN_REAL real;
#define lsnn_lstm        LSNN_FN(lsnn_lstm)
#define lsnn_lstm_engine LSNN_FN(lsnn_lstm_engine)
#define lstm_padded      LSNN_FN(lstm_padded)
#define lstm_work        LSNN_FN(lstm_work)
#define lstm_chunk       LSNN_FN(lstm_chunk)
#define lstm_kernels     LSNN_FN(lstm_kernels)

#define LC LSNN_LSTM_CHUNK

/* Vector loops run over hidden units and gates. Both are padded to a multiple of LSTM_PAD
 * reals, so that every vector width up to 64 bytes and every GEMM tile divides them; the
 * padded units have zero weights, stay at h = c = 0 and get zero gradients. */
#define LSTM_PAD 32

static inline int lstm_hp(int hidden)
{
    return (hidden + LSTM_PAD - 1) / LSTM_PAD * LSTM_PAD;
}

/* The inner loops (lstm_kernels.c), one set per vector width; every set computes the same
 * numbers. */
typedef struct {
    /* C[m][n] += sum_i A[m*sam + i*sai] * B[i*ldb + n] for m < M, n < N, i < K, each sum in
     * ascending i. M is a multiple of 8, N of LSTM_PAD; C and B rows are 64-byte aligned. */
    void (*gemm)(real *C, int ldc, const real *A, int sam, int sai, const real *B, int ldb, int M,
                 int N, int K);
    /* The cell of one step for lanes 0..LC-1: act holds the pre-activations a_t on entry and
     * the activated gates on return; c_prev in, c, tc = tanh(c), h out. */
    void (*cell_forward)(real *act, const real *c_prev, real *c, real *tc, real *h, int hp, int gp);
    /* One lane's backward step: da and the carried dc from dh and the stored step. */
    void (*cell_backward)(const real *a, const real *tc, const real *c_prev, const real *dh,
                          real *dc, real *da, int hp);
    const char *name; /* "sse2", "avx2", "avx512f" or "generic" (double) */
} lstm_kernels;

/* The widest set this CPU runs (LSNN_LSTM_KERNELS=sse2 or avx2 asks for a narrower one). */
const lstm_kernels *LSNN_FN(lstm_kernels_pick)(void);

/* The net in the engine's layout (rebuilt at every run, O(parameters)): gate g of unit k is
 * column g*hp + k of a row of gp = 4*hp. */
typedef struct {
    int n_in, hidden, hp, gp, n_out;
    real *wx;  /* [n_in][gp] */
    real *wh;  /* [hp][gp], rows >= hidden zero */
    real *whT; /* [gp][hp]: wh transposed, for dL/dh_{t-1} */
    real *b;   /* [gp] */
    const lstm_kernels *k;
} lstm_padded;

/* A chunk's gradient, in the padded layout, and what its windows scored. */
typedef struct {
    real *wx, *wh, *b; /* as lstm_padded */
    real *w_out;       /* [hidden][n_out] */
    real *b_out;       /* [n_out] */
    size_t cap;        /* reals allocated in wx (all five share one block) */
} lstm_chunk;

/* One thread's forward histories and backward scratch, reused from chunk to chunk. Histories
 * are [slot][lane][unit]; without `stored` (no gradient) two slots of c and h make a ring. */
typedef struct {
    int T, stored, hp, gp;                          /* this run's shape */
    int cap_T, cap_hp, cap_gp, cap_win, cap_stored; /* the shape the arrays were made for */
    real *act;     /* [T][LC][gp] activated gates i, f, g, o of step t */
    real *c;       /* [T+1][LC][hp] slot t: c_{t-1} (slot 0: zero) */
    real *tc;      /* [T][LC][hp] tanh(c_t) */
    real *h;       /* [T+1][LC][hp] slot t: h_{t-1} (slot 0: zero) */
    real *dh, *dc; /* [LC][hp] dL/dh_t (from step t+1 and the windows), dL/dc_t */
    real *dpre;    /* [LC][gp] dL/da_t */
    int *win_at;   /* [T][LC] the window covering (t, lane), or -1 */
    real *hsum;    /* [windows of the chunk][hp] sum of h over the window */
    real *gwin;    /* [windows of the chunk][hp] dL/dh_t inside the window */
    int *wins;     /* the batch's windows of this chunk, in batch order */
    int n_wins;
} lstm_work;

/* Sizes w for T steps, hp / gp columns and up to n_win windows; histories of every step when
 * stored (a backward pass follows). Returns 0, or -1 on OOM. */
int LSNN_FN(lstm_work_reserve)(lstm_work *w, int T, int hp, int gp, int n_win, int stored);
void LSNN_FN(lstm_work_release)(lstm_work *w);

/* The chunk of sequences seq0 .. seq0 + lanes - 1 forward: the windows' sums of h into w. */
void LSNN_FN(lstm_forward_chunk)(const lstm_padded *p, const lsnn_batch *b, int seq0, int lanes,
                                 lstm_work *w);

/* Its backward pass; glogit: dL/dlogits of every window of the batch (n_win * n_out). The
 * chunk's gradient goes to g (overwritten). */
void LSNN_FN(lstm_backward_chunk)(const lstm_padded *p, const lsnn_lstm *net, const lsnn_batch *b,
                                  int seq0, int lanes, lstm_work *w, const double *glogit,
                                  lstm_chunk *g);

/* 64-byte aligned, zeroed allocation of n reals (free with free()); NULL on OOM. */
real *LSNN_FN(lstm_zalloc)(size_t n);

#endif
