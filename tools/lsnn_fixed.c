/* lsnn_fixed.c - the command line's fixed-point path: compile in memory or open an image, and
 * run sequences through an engine (the reference chip by default). Shared by eval, run,
 * energy, verify and compile's calibration. */
#include "lsnn_fixed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_util.h"
#include "folder.h"
#include "memory.h"
#include "nav_host.h"
#include "progress.h"
#include "spikefile.h"

void cli_fixed_free(cli_fixed *fx)
{
    lsnn_ref_chip_free(fx->chip);
    lsnn_hostmap_free(&fx->hm);
    lsnn_image_free(&fx->img);
    memset(fx, 0, sizeof *fx);
}

int cli_compile(const char *cmd, const lsnn_spec *spec, const lsnn_net *net,
                const lsnn_hw_config *cfg, const lsnn_cc_options *opt, lsnn_compiled *cc,
                cli_fixed *fx)
{
    lsnn_error e;
    lsnn_cc_build_result b;
    memset(fx, 0, sizeof *fx);
    int rc = lsnn_cc_build(net, spec, cfg, opt, 0, &b, &e);
    /* the network, the image and the host map pass to the caller, built or not */
    *cc = b.cc;
    fx->img = b.img;
    fx->hm = b.hm;
    if (rc) return fprintf(stderr, "lsnn %s: %s\n", cmd, e.msg), -1;
    if (!(fx->chip = lsnn_ref_chip_from_image(&fx->img, &e)))
        return fprintf(stderr, "lsnn %s: loading the reference chip: %s\n", cmd, e.msg), -1;
    lsnn_target_ref(fx->chip, 0, &fx->engine);
    return 0;
}

int cli_is_image(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/image.bin", dir);
    return access(path, F_OK) == 0;
}

/* Refuses, before the chip is built, an image whose simulation the machine cannot hold: the
 * reference chip's memories at most full (lsnn_ref_memory_bound) and the image twice. */
static int check_memory(const char *cmd, const char *dir, const lsnn_image *img)
{
    uint64_t per_core = lsnn_ref_memory_bound(&img->cfg);
    uint64_t packed = lsnn_image_file_bytes(&img->cfg, 1) - lsnn_image_file_bytes(&img->cfg, 0);
    uint64_t need = (uint64_t)img->ncores * (per_core + 2 * packed) + (64ull << 20);
    uint64_t have = lsnn_memory_available();
    if (need <= have) return 0;
    char a[32], b[32], c[32];
    fprintf(stderr,
            "lsnn %s: simulating %s needs up to %s (%d core%s of hw config '%s', %s each), "
            "more than the %s this process has available\n",
            cmd, dir, lsnn_memory_format(need, a, sizeof a), img->ncores,
            img->ncores == 1 ? "" : "s", img->cfg.name,
            lsnn_memory_format(per_core + 2 * packed, b, sizeof b),
            lsnn_memory_format(have, c, sizeof c));
    return -1;
}

int cli_open_image(const char *cmd, const char *dir, cli_fixed *fx, lsnn_spec *spec)
{
    lsnn_error e;
    char path[4096];
    memset(fx, 0, sizeof *fx);
    if (lsnn_folder_expect(dir, LSNN_FOLDER_IMAGE, &e) || lsnn_image_load(dir, &fx->img, &e) ||
        lsnn_hostmap_load(dir, &fx->img, &fx->hm, &e)) {
        fprintf(stderr, "lsnn %s: %s\n", cmd, e.msg);
        cli_fixed_free(fx);
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s", dir, fx->hm.model);
    if (lsnn_spec_load(path, spec, &e) || lsnn_hostmap_check_model(&fx->hm, spec, path, &e)) {
        fprintf(stderr, "lsnn %s: the image's model spec: %s\n", cmd, e.msg);
        cli_fixed_free(fx);
        return -1;
    }
    cli_find_data(spec);
    if (spec->n_in != fx->hm.n_in || lsnn_spec_n_rec(spec) != fx->hm.n_rec ||
        spec->n_out != fx->hm.n_out) {
        fprintf(stderr,
                "lsnn %s: %s describes %d inputs, %d recurrent neurons and %d readouts; the "
                "image holds %d, %d and %d\n",
                cmd, path, spec->n_in, lsnn_spec_n_rec(spec), spec->n_out, fx->hm.n_in,
                fx->hm.n_rec, fx->hm.n_out);
        cli_fixed_free(fx);
        return -1;
    }
    if (check_memory(cmd, dir, &fx->img)) {
        cli_fixed_free(fx);
        return -1;
    }
    if (!(fx->chip = lsnn_ref_chip_from_image(&fx->img, &e))) {
        fprintf(stderr, "lsnn %s: %s\n", cmd, e.msg);
        cli_fixed_free(fx);
        return -1;
    }
    lsnn_target_ref(fx->chip, 0, &fx->engine);
    return 0;
}

/* The host's hooks for the command line's: its own, then the progress (progress.h) in
 * sequences, stepped every 64 ticks within a sequence too (an RTL sequence may take minutes). */
typedef struct {
    const cli_run_hooks *h;
    int total, steps; /* sequences, steps per sequence */
    int done;         /* sequences finished */
    lsnn_progress p;
} run_ctx;

static void seq_done(void *ctx, int seq, const lsnn_batch *b, int q, const lsnn_host_result *r)
{
    run_ctx *x = ctx;
    if (x->h && x->h->seq_done) x->h->seq_done(x->h->seq_ctx, seq, b, q, r);
    x->done = seq + 1;
    lsnn_progress_step(&x->p, x->done, NULL);
}

static void tick(void *ctx, int q, int t, const lsnn_target *en)
{
    run_ctx *x = ctx; /* q is the index in the batch; the run's sequence is x->done */
    (void)q;
    if (x->h && x->h->tick) x->h->tick(x->h->tick_ctx, x->done, t, en);
    if (t % 64 == 63)
        lsnn_progress_step(&x->p, x->done + (t + 1.0) / (x->steps + 2), "tick %d/%d", t + 1,
                           x->steps + 1);
}

static lsnn_host_hooks host_hooks(run_ctx *x, const char *unit)
{
    int mode = x->h && x->h->progress ? x->h->progress_mode : LSNN_PROGRESS_QUIET;
    char what[96];
    snprintf(what, sizeof what, "%s: %s", x->h && x->h->progress ? x->h->progress : "", unit);
    lsnn_progress_begin(&x->p, what, x->total, mode);
    /* the caller's tick hook through tick(), which numbers sequences over the run */
    int ticks = mode != LSNN_PROGRESS_QUIET || (x->h && x->h->tick);
    return (lsnn_host_hooks){ticks ? tick : NULL, x, seq_done, x};
}

int cli_run_task(cli_fixed *fx, lsnn_task *task, int max_seq, int batch, const cli_run_hooks *h,
                 cli_fixed_result *r, lsnn_error *e)
{
    run_ctx x = {.h = h, .total = lsnn_task_test_count(task), .steps = lsnn_task_n_steps(task)};
    if (max_seq > 0 && max_seq < x.total) x.total = max_seq;
    lsnn_host_hooks hh = host_hooks(&x, "test sequence");
    int rc = lsnn_host_run_task(&fx->engine, &fx->hm, task, max_seq, batch, &hh, r, e);
    lsnn_progress_end(&x.p);
    return rc;
}

int cli_nav_run(cli_fixed *fx, const lsnn_spec *spec, int max_ep, const cli_run_hooks *h,
                cli_fixed_result *r, lsnn_nav_totals *nav, lsnn_error *e)
{
    int n = max_ep > 0 && max_ep < spec->nav.test_size ? max_ep : spec->nav.test_size;
    int mode = h && h->progress ? h->progress_mode : LSNN_PROGRESS_QUIET;
    char what[96];
    snprintf(what, sizeof what, "%s: episode", h && h->progress ? h->progress : "");
    lsnn_progress p;
    lsnn_progress_begin(&p, what, n, mode);
    int rc = 0;
    for (int j = 0; j < n && rc == 0; j++) {
        lsnn_nav_env env;
        long spikes = 0, ticks = 0;
        rc = lsnn_nav_host_episode(&fx->engine, &fx->hm, spec, (uint64_t)j, &env, &spikes, &ticks,
                                   e);
        if (rc) break;
        lsnn_nav_totals_add(nav, &env);
        r->n_seq++;
        r->spikes += spikes;
        r->steps += spec->nav.episode_steps;
        lsnn_progress_step(&p, j + 1, NULL);
    }
    lsnn_progress_end(&p);
    return rc;
}

int cli_input_open(const char *cmd, const char *file, const lsnn_spec *spec, int n_out,
                   cli_input *in)
{
    lsnn_error e;
    memset(in, 0, sizeof *in);
    in->labelled = 1;
    int rc = file ? lsnn_spikefile_load(file, n_out, &in->batch, &in->labelled, &e)
                  : lsnn_task_open(spec, &in->task, &e);
    if (rc) return fprintf(stderr, "lsnn %s: %s\n", cmd, e.msg), -1;
    in->steps = file ? in->batch.n_steps : lsnn_task_n_steps(in->task);
    if (!file && spec->task == LSNN_TASK_NAVIGATION) {
        in->nav = 1;
        in->labelled = 0;
        in->spec = *spec;
    }
    return 0;
}

int cli_input_run(cli_fixed *fx, cli_input *in, int max_seq, int batch, const cli_run_hooks *h,
                  cli_fixed_result *r, lsnn_error *e)
{
    if (in->nav) return cli_nav_run(fx, &in->spec, max_seq, h, r, &in->nav_tot, e);
    if (in->task) return cli_run_task(fx, in->task, max_seq, batch, h, r, e);
    run_ctx x = {.h = h, .total = in->batch.n_seq, .steps = in->batch.n_steps};
    lsnn_host_hooks hh = host_hooks(&x, "input sequence");
    int rc = lsnn_host_run_batch(&fx->engine, &fx->hm, &in->batch, 0, &hh, r, e);
    lsnn_progress_end(&x.p);
    return rc;
}

void cli_input_close(cli_input *in)
{
    lsnn_task_close(in->task);
    lsnn_batch_free(&in->batch);
    memset(in, 0, sizeof *in);
}

void cli_find_data(lsnn_spec *spec)
{
    if (spec->task == LSNN_TASK_SPEECH) { /* the corpus, as MNIST: here, else the tree's */
        lsnn_speech_spec *sp = &spec->speech;
        char rel[sizeof sp->data_dir];
        snprintf(rel, sizeof rel, "%s", sp->data_dir[0] ? sp->data_dir : "data/speech");
        if (rel[0] != '/') snprintf(sp->data_dir, sizeof sp->data_dir, "%s", cli_shipped(rel));
        return;
    }
    if (spec->task != LSNN_TASK_SMNIST || spec->smnist.dataset != LSNN_DATA_MNIST) return;
    char rel[sizeof spec->smnist.data_dir];
    snprintf(rel, sizeof rel, "%s",
             spec->smnist.data_dir[0] ? spec->smnist.data_dir : "data/mnist");
    if (rel[0] != '/')
        snprintf(spec->smnist.data_dir, sizeof spec->smnist.data_dir, "%s", cli_shipped(rel));
}

int cli_pick_dataset(const char *cmd, lsnn_spec *spec, const char *name, const char *dir)
{
    if (dir && spec->task == LSNN_TASK_SPEECH && !name) {
        snprintf(spec->speech.data_dir, sizeof spec->speech.data_dir, "%s", dir);
        return 0;
    }
    if ((name || dir) && spec->task != LSNN_TASK_SMNIST) {
        fprintf(stderr,
                "lsnn %s: --dataset applies to sMNIST models only, --data-dir to sMNIST and "
                "speech models\n",
                cmd);
        return -1;
    }
    if (name) {
        if (!strcmp(name, "mnist"))
            spec->smnist.dataset = LSNN_DATA_MNIST;
        else if (!strcmp(name, "fashion-mnist") || !strcmp(name, "fashion"))
            spec->smnist.dataset = LSNN_DATA_FASHION;
        else {
            fprintf(stderr,
                    "lsnn %s: --dataset must be mnist or fashion-mnist (also called fashion), "
                    "got '%s'\n",
                    cmd, name);
            return -1;
        }
        spec->smnist.data_dir[0] = 0;
    }
    if (dir)
        snprintf(spec->smnist.data_dir, sizeof spec->smnist.data_dir, "%s", dir);
    else
        cli_find_data(spec);
    return 0;
}

double cli_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
