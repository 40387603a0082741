/* test_engine_comm.c - a batch split over R ranks (comm.h) gives one process's bits.
 *
 * The ranks are threads of this program, joined by an in-process allgatherv (no MPI: the test
 * runs in every build, the sanitizer build included; tests/cli_mpi.sh runs the real thing).
 * Engine: losses, logits, rates and gradients (every entry, and the active-only layout) of
 * 1..5 ranks, with uneven shares and a rank without chunks, against one process. Training:
 * lsnn_train on 2 and 3 ranks writes the bytes of one process, for a dense and a DEEP R model;
 * a run resumed with another number of ranks too; a rank that cannot start stops them all;
 * more ranks than chunks is refused. */
#include <math.h>
#include <pthread.h>

#include "batch.h"
#include "check.h"
#include "comm.h"
#include "engine.h"
#include "progress.h"
#include "rng.h"
#include "spec.h"
#include "train.h"

#define N_IN    30
#define N_REC   40
#define N_OUT   3
#define N_DELAY 5
#define N_STEPS 50
#define MAX_R   8

/* ---- an in-process communicator: R threads, a barrier, shared pointers ---- */

typedef struct {
    int size;
    pthread_barrier_t bar;
    const void *send[MAX_R];
    int calls[MAX_R];
} hub;

typedef struct {
    lsnn_comm c;
    hub *h;
} thread_comm;

static int hub_allgatherv(const lsnn_comm *c, const void *send, void *recv, const size_t *bytes)
{
    hub *h = ((const thread_comm *)c)->h;
    h->send[c->rank] = send;
    h->calls[c->rank]++;
    pthread_barrier_wait(&h->bar);
    size_t at = 0;
    for (int r = 0; r < h->size; r++) {
        if (bytes[r]) memcpy((char *)recv + at, h->send[r], bytes[r]);
        at += bytes[r];
    }
    pthread_barrier_wait(&h->bar); /* nobody frees its block before all have read it */
    return 0;
}

static void hub_init(hub *h, thread_comm *tc, int R)
{
    memset(h, 0, sizeof *h);
    h->size = R;
    pthread_barrier_init(&h->bar, NULL, (unsigned)R);
    for (int r = 0; r < R; r++)
        tc[r] = (thread_comm){{r, R, hub_allgatherv, NULL}, h};
}

/* Runs fn(arg[r]) on R threads (rank 0 on this one) and waits for them. */
static void run_ranks(int R, void *(*fn)(void *), void *args, size_t arg_size)
{
    pthread_t th[MAX_R];
    for (int r = 1; r < R; r++)
        pthread_create(&th[r], NULL, fn, (char *)args + r * arg_size);
    fn(args);
    for (int r = 1; r < R; r++)
        pthread_join(th[r], NULL);
}

/* ---- engine ---- */

static void build_net(lsnn_net *net, int sparse)
{
    lsnn_net_alloc(net, N_IN, N_REC, N_OUT, N_DELAY);
    net->spike_from_prev_v = 1;
    net->gamma = 0.3f;
    net->kappa = (float)exp(-1.0 / 20);
    net->reg_rate = 0.5f;
    net->reg_target = 0.02f;
    net->grad_active_only = sparse;
    lsnn_rng r = lsnn_rng_derive(2024, 7, (uint64_t)sparse);
    for (int i = 0; i < N_REC; i++) {
        net->alpha[i] = (float)exp(-1.0 / (10 + i % 7));
        int alif = i >= N_REC / 2;
        net->rho[i] = alif ? (float)exp(-1.0 / (50 + i)) : 0;
        net->beta[i] = alif ? 1.7f : 0;
        net->b0[i] = 0.03f;
        net->n_ref[i] = 2;
    }
    for (int k = 0; k < N_IN * N_REC; k++) {
        float w = (float)(0.15 + 0.5 * lsnn_rng_normal(&r));
        net->w_in[k] = sparse && lsnn_rng_uniform(&r) < 0.6 ? 0 : w;
        net->d_in[k] = (uint8_t)lsnn_rng_below(&r, N_DELAY);
    }
    for (int i = 0; i < N_REC; i++)
        for (int j = 0; j < N_REC; j++) {
            float w = (float)(0.3 * lsnn_rng_normal(&r));
            net->w_rec[i * N_REC + j] = i == j || (sparse && lsnn_rng_uniform(&r) < 0.6) ? 0 : w;
            net->d_rec[i * N_REC + j] = (uint8_t)lsnn_rng_below(&r, N_DELAY);
        }
    for (int k = 0; k < N_REC * N_OUT; k++)
        net->w_out[k] = (float)lsnn_rng_normal(&r);
    for (int o = 0; o < N_OUT; o++)
        net->b_out[o] = 0.1f * (float)o;
}

/* n_seq Poisson sequences with 0..3 windows each (some sequences are not scored at all). */
static void build_batch(lsnn_batch *b, int n_seq)
{
    lsnn_rng r = lsnn_rng_derive(99, 3, (uint64_t)n_seq);
    lsnn_batch_reset(b, n_seq, N_STEPS, N_IN);
    for (int s = 0; s < n_seq; s++)
        for (int t = 0; t < N_STEPS; t++) {
            for (int ch = 0; ch < N_IN; ch++)
                if (lsnn_rng_uniform(&r) < 0.04 + 0.002 * (s % 10)) lsnn_batch_push(b, ch);
            lsnn_batch_end_cell(b);
        }
    for (int s = 0; s < n_seq; s++) {
        int n = (int)lsnn_rng_below(&r, 4);
        for (int w = 0; w < n; w++) {
            int start = 15 * w + (int)lsnn_rng_below(&r, 5);
            int len = 1 + (int)lsnn_rng_below(&r, 10);
            lsnn_batch_add_window(b, s, start, start + len, (int)lsnn_rng_below(&r, N_OUT));
        }
    }
}

typedef struct {
    lsnn_result res;
    lsnn_grads g;
    float *logits;
    double *rates;
    int rc;
} outcome;

static void outcome_init(outcome *o, const lsnn_net *net, const lsnn_batch *b)
{
    memset(o, 0, sizeof *o);
    o->logits = calloc((size_t)b->n_win * N_OUT + 1, sizeof(float));
    o->rates = calloc(N_REC, sizeof(double));
    lsnn_grads_alloc(&o->g, net);
    for (int k = 0; k < N_IN * N_REC; k++)
        o->g.w_in[k] = NAN; /* every entry must be written */
    for (int k = 0; k < N_REC * N_REC; k++)
        o->g.w_rec[k] = NAN;
}

static void outcome_free(outcome *o)
{
    free(o->logits);
    free(o->rates);
    lsnn_grads_free(&o->g);
}

static int same(const outcome *a, const outcome *b, int n_win, int grads)
{
    int ok = !memcmp(&a->res, &b->res, sizeof a->res) &&
             !memcmp(a->logits, b->logits, sizeof(float) * n_win * N_OUT) &&
             !memcmp(a->rates, b->rates, sizeof(double) * N_REC);
    if (grads)
        ok = ok && !memcmp(a->g.w_in, b->g.w_in, sizeof(float) * N_IN * N_REC) &&
             !memcmp(a->g.w_rec, b->g.w_rec, sizeof(float) * N_REC * N_REC) &&
             !memcmp(a->g.w_out, b->g.w_out, sizeof(float) * N_REC * N_OUT) &&
             !memcmp(a->g.b_out, b->g.b_out, sizeof(float) * N_OUT);
    return ok;
}

typedef struct {
    thread_comm *tc;
    const lsnn_net *net;
    const lsnn_batch *b;
    int threads, grads;
    outcome out;
} engine_job;

static void *engine_rank(void *arg)
{
    engine_job *j = arg;
    lsnn_engine *en = lsnn_engine_new(j->threads);
    lsnn_engine_set_comm(en, &j->tc->c);
    /* twice on one engine: a second run must not see the first one's state */
    for (int k = 0; k < 2 && !j->out.rc; k++)
        j->out.rc = lsnn_engine_run(en, j->net, j->b, j->grads ? &j->out.g : NULL, &j->out.res,
                                    j->out.logits, j->out.rates);
    lsnn_engine_free(en);
    return NULL;
}

static void test_engine(int sparse, int n_seq)
{
    lsnn_net net;
    build_net(&net, sparse);
    lsnn_batch b = {0};
    build_batch(&b, n_seq);
    CHECK(lsnn_batch_check(&b, N_OUT) == 0, "batch is consistent");
    int n_chunks = (n_seq + LSNN_CHUNK - 1) / LSNN_CHUNK;
    outcome ref;
    outcome_init(&ref, &net, &b);
    lsnn_engine *en = lsnn_engine_new(1);
    CHECK(lsnn_engine_run(en, &net, &b, &ref.g, &ref.res, ref.logits, ref.rates) == 0,
          "one process");
    lsnn_engine_free(en);
    CHECK(ref.res.mean_rate > 0.005 && ref.res.mean_rate < 0.5 && ref.res.n_win > 0,
          "the net spikes (%.4f per step) and windows are scored", ref.res.mean_rate);
    for (int R = 2; R <= 5; R++)
        for (int grads = 0; grads < 2; grads++) {
            hub h;
            thread_comm tc[MAX_R];
            engine_job jobs[MAX_R];
            hub_init(&h, tc, R);
            for (int r = 0; r < R; r++) {
                jobs[r] = (engine_job){
                    .tc = &tc[r], .net = &net, .b = &b, .threads = 1 + r % 2, .grads = grads};
                outcome_init(&jobs[r].out, &net, &b);
            }
            run_ranks(R, engine_rank, jobs, sizeof jobs[0]);
            int bad = 0, calls = 1;
            for (int r = 0; r < R; r++) {
                bad += jobs[r].out.rc != 0 || !same(&ref, &jobs[r].out, b.n_win, grads);
                calls &= h.calls[r] == h.calls[0];
            }
            CHECK(bad == 0 && calls,
                  "%s net, %d sequences (%d chunks), %d ranks%s: %d ranks differ from one "
                  "process",
                  sparse ? "sparse (active-only gradients)" : "dense", n_seq, n_chunks, R,
                  grads ? ", forward and backward" : ", forward only", bad);
            for (int r = 0; r < R; r++)
                outcome_free(&jobs[r].out);
            pthread_barrier_destroy(&h.bar);
        }
    outcome_free(&ref);
    lsnn_batch_free(&b);
    lsnn_net_free(&net);
}

/* ---- training ---- */

static void write_spec(const char *path, const char *connectivity, int batch)
{
    FILE *f = fopen(path, "w");
    if (!f) return;
    fprintf(f,
            "version: 1\nname: comm\nseed: 5\nnetwork:\n  inputs: 20\n  populations:\n"
            "    - {name: lif, kind: lif, size: 6, tau_m_ms: 20, b0: 0.01, refractory: 2}\n"
            "    - {name: alif, kind: alif, size: 6, tau_m_ms: 20, b0: 0.01, refractory: 2, "
            "tau_a_ms: 200, beta: 1.7}\n  delays: 4\n  readout: {size: 2, tau_ms: 20, bias: "
            "true}\n%s"
            "task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, "
            "rate_hz: 50, seq_delay: 1, test_size: 40}\ntraining:\n  batch_size: %d\n"
            "  iterations: 6\n  optimizer: {lr: 0.01}\n  regularization: {rate: 0.01, "
            "target_hz: 10}\n  checkpoint_every: 2\n  eval_every: 3\n  eval_batches: 1\n",
            connectivity, batch);
    fclose(f);
}

typedef struct {
    thread_comm *tc;
    lsnn_train_opts o;
    lsnn_error e;
    int rc;
} train_job;

static void *train_rank(void *arg)
{
    train_job *j = arg;
    j->o.comm = &j->tc->c;
    j->rc = lsnn_train(&j->o, &j->e);
    return NULL;
}

/* Trains on R ranks (R = 1: one process, no communicator); returns rank 0's status, and the
 * other ranks' in rcs. */
static int train_on(int R, const char *spec, const char *dir, long iters, int resume,
                    const char *bad_spec_of_rank1, int *rcs, char *msg0, size_t msg_size)
{
    hub h;
    thread_comm tc[MAX_R];
    train_job jobs[MAX_R];
    hub_init(&h, tc, R);
    for (int r = 0; r < R; r++) {
        memset(&jobs[r], 0, sizeof jobs[r]);
        jobs[r].tc = &tc[r];
        jobs[r].o =
            (lsnn_train_opts){.spec_path = r == 1 && bad_spec_of_rank1 ? bad_spec_of_rank1 : spec,
                              .run_dir = dir,
                              .iters = iters,
                              .resume = resume,
                              .threads = 1 + r % 2,
                              .force = 1,
                              .progress = LSNN_PROGRESS_QUIET};
    }
    if (R == 1)
        jobs[0].rc = lsnn_train(&jobs[0].o, &jobs[0].e);
    else
        run_ranks(R, train_rank, jobs, sizeof jobs[0]);
    for (int r = 0; r < R; r++)
        if (rcs) rcs[r] = jobs[r].rc;
    if (msg0) snprintf(msg0, msg_size, "%s", jobs[0].rc ? jobs[0].e.msg : "");
    if (rcs && R > 1)
        snprintf(msg0 + strlen(msg0), msg_size - strlen(msg0), " | %s", jobs[1].e.msg);
    pthread_barrier_destroy(&h.bar);
    return jobs[0].rc;
}

static int same_file(const char *dir_a, const char *dir_b, const char *name)
{
    char pa[1400], pb[1400];
    snprintf(pa, sizeof pa, "%s/%s", dir_a, name);
    snprintf(pb, sizeof pb, "%s/%s", dir_b, name);
    FILE *fa = fopen(pa, "rb"), *fb = fopen(pb, "rb");
    int ok = fa && fb;
    while (ok) {
        int ca = fgetc(fa), cb = fgetc(fb);
        ok = ca == cb;
        if (ca == EOF || cb == EOF) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return ok;
}

static void test_training(const char *tmp, const char *kind, const char *connectivity)
{
    char spec[1200], one[1200], two[1200], three[1200], half[1200], msg[2 * LSNN_ERR_LEN + 8];
    snprintf(spec, sizeof spec, "%s/%s.yaml", tmp, kind);
    snprintf(one, sizeof one, "%s/%s_r1", tmp, kind);
    snprintf(two, sizeof two, "%s/%s_r2", tmp, kind);
    snprintf(three, sizeof three, "%s/%s_r3", tmp, kind);
    snprintf(half, sizeof half, "%s/%s_resumed", tmp, kind);
    write_spec(spec, connectivity, 100); /* 4 chunks: 3 ranks hold 1, 1 and 2 */
    int rcs[MAX_R];
    CHECK(train_on(1, spec, one, 6, 0, NULL, NULL, msg, sizeof msg) == 0, "%s: one process: %s",
          kind, msg);
    CHECK(train_on(2, spec, two, 6, 0, NULL, rcs, msg, sizeof msg) == 0 && rcs[1] == 0,
          "%s: 2 ranks: %s", kind, msg);
    CHECK(train_on(3, spec, three, 6, 0, NULL, rcs, msg, sizeof msg) == 0 && rcs[1] == 0 &&
              rcs[2] == 0,
          "%s: 3 ranks: %s", kind, msg);
    CHECK(same_file(one, two, "weights.safetensors") &&
              same_file(one, three, "weights.safetensors"),
          "%s: 2 and 3 ranks write the weights of one process", kind);
    CHECK(same_file(one, two, "model.yaml"), "%s: and its model.yaml", kind);
    /* 3 iterations on 3 ranks, resumed to 6 on 2 ranks, then on one process to 6 (nothing) */
    CHECK(train_on(3, spec, half, 3, 0, NULL, rcs, msg, sizeof msg) == 0, "%s: 3 ranks, 3 its: %s",
          kind, msg);
    CHECK(train_on(2, spec, half, 6, 1, NULL, rcs, msg, sizeof msg) == 0 && rcs[1] == 0,
          "%s: resumed on 2 ranks: %s", kind, msg);
    CHECK(same_file(one, half, "weights.safetensors"),
          "%s: 3 iterations on 3 ranks + 3 resumed on 2 == 6 on one process", kind);
}

/* Removes a run folder of an earlier run of this test. */
static void remove_run(const char *dir)
{
    static const char *const files[] = {
        "model.yaml", "weights.safetensors", "checkpoint.safetensors",
        "curve.csv",  "lsnn-folder.yaml",    ".lock",
        NULL};
    char p[1400];
    for (int k = 0; files[k]; k++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[k]);
        remove(p);
    }
    remove(dir);
}

static void test_failures(const char *tmp)
{
    char spec[1200], dir[1200], missing[1200], msg[2 * LSNN_ERR_LEN + 8];
    int rcs[MAX_R];
    snprintf(spec, sizeof spec, "%s/small.yaml", tmp);
    snprintf(dir, sizeof dir, "%s/fail", tmp);
    snprintf(missing, sizeof missing, "%s/no_such_spec.yaml", tmp);
    write_spec(spec, "", 40); /* 2 chunks */
    remove_run(dir);
    int rc = train_on(3, spec, dir, 2, 0, NULL, rcs, msg, sizeof msg);
    CHECK(rc == LSNN_TRAIN_FAILED_TOGETHER && rcs[1] == rc && rcs[2] == rc &&
              strstr(msg, "at most 2 ranks"),
          "3 ranks for 2 chunks: refused on every rank (%d %d %d): %s", rc, rcs[1], rcs[2], msg);
    struct stat st;
    CHECK(stat(dir, &st) != 0, "and the refused run left no folder");
    rc = train_on(2, spec, dir, 2, 0, missing, rcs, msg, sizeof msg);
    CHECK(rc == LSNN_TRAIN_FAILED_TOGETHER && rcs[1] == rc && strstr(msg, "rank 1 of 2") &&
              strstr(msg, "no_such_spec"),
          "rank 1 cannot start: both ranks stop (%d %d): %s", rc, rcs[1], msg);
    rc = train_on(2, spec, dir, 2, 0, NULL, rcs, msg, sizeof msg);
    CHECK(rc == 0 && rcs[1] == 0, "2 ranks, 2 chunks: %s", msg);
}

int main(void)
{
    test_engine(0, 75); /* 3 chunks, the last one padded: ranks 4 and 5 leave ranks empty */
    test_engine(1, 75);
    test_engine(0, 200); /* 7 chunks: 3 ranks hold 2, 2, 3 */
    test_engine(1, 200);
    const char *tmp = check_tmpdir("test_engine_comm");
    test_training(tmp, "dense", "");
    test_training(tmp, "deepr",
                  "  connectivity: {mode: deep_r, p: 0.3, budget: global, l1: 0.01, "
                  "temperature: 0.0001, dale: true, excitatory: 0.75}\n");
    test_training(tmp, "deepr_fast",
                  "  connectivity: {mode: deep_r, variant: fast, p: 0.3, budget: global, "
                  "l1: 0.01, temperature: 0.0001, dale: true, excitatory: 0.75}\n");
    test_failures(tmp);
    return check_report();
}
