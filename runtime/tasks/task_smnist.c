/* task_smnist.c - the sequential MNIST task: IDX data set, shuffled epochs, encoded batches.
 *
 * Training order: the permutation of epoch k is a Fisher-Yates shuffle of 0..N-1 (N = training
 * images after train_limit) drawn from lsnn_rng_derive(seed, LSNN_RNG_SHUFFLE, k): start from
 * the identity, then for i = N-1 down to 1 swap entries i and lsnn_rng_below(i + 1). Epoch
 * permutations are concatenated; iteration i takes positions i*n_seq .. i*n_seq + n_seq - 1,
 * so a batch may straddle two (or, for tiny sets, more) epochs. With task.validation = V the
 * training file's last V images are left out of every epoch and form the validation split,
 * in file order. Test sequences are the test images in file order. Each sequence has one window:
 * its last readout_steps steps, labelled with the digit. With task.input analog a sequence is the
 * 784*ext_time pixel steps of smnist.c's analog encoding (no cue), and the window the last
 * readout_steps of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "smnist.h"
#include "task_internal.h"

#define DEFAULT_MNIST_DIR   "data/mnist"
#define DEFAULT_FASHION_DIR "/usr/share/datasets/fashion-mnist"

static const char *data_dir(const lsnn_smnist_spec *sm)
{
    if (sm->data_dir[0]) return sm->data_dir;
    return sm->dataset == LSNN_DATA_FASHION ? DEFAULT_FASHION_DIR : DEFAULT_MNIST_DIR;
}

static const char *how_to_get(const lsnn_smnist_spec *sm)
{
    return sm->dataset == LSNN_DATA_FASHION
               ? "to install Fashion-MNIST in /usr/share/datasets/fashion-mnist, run apt-get "
                 "install dataset-fashion-mnist"
               : "to download MNIST, run tools/fetch_mnist.sh of the lsnn source tree (it "
                 "fills the tree's data/mnist; tools/fetch_mnist.sh DIR fills DIR)";
}

/* Finds DIR/NAME or DIR/NAME.gz; fails with a message that names the absolute path it tried,
 * says how a relative DIR was resolved and how to get the data. */
static int find_file(const lsnn_smnist_spec *sm, const char *name, char *path, size_t size,
                     lsnn_error *e)
{
    const char *dir = data_dir(sm);
    snprintf(path, size, "%s/%s", dir, name);
    if (lsnn_file_exists(path)) return 0;
    snprintf(path, size, "%s/%s.gz", dir, name);
    if (lsnn_file_exists(path)) return 0;
    char cwd[4096], how[LSNN_PATH_MAX + 4096 + 128] = "";
    if (dir[0] != '/') {
        if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, "(unknown)");
        snprintf(how, sizeof how,
                 " (task.data_dir '%s' is relative: it is resolved against the current "
                 "directory, %s)",
                 dir, cwd);
    }
    return lsnn_fail(e, "smnist: %s%s%s/%s (or .gz) not found%s; %s", dir[0] == '/' ? "" : cwd,
                     dir[0] == '/' ? "" : "/", dir, name, how, how_to_get(sm));
}

/* Loads one split and checks that its images are 28x28. */
static int load_split(const lsnn_smnist_spec *sm, const char *images, const char *labels,
                      lsnn_images *out, lsnn_error *e)
{
    char ipath[LSNN_PATH_MAX + 64], lpath[LSNN_PATH_MAX + 64];
    if (find_file(sm, images, ipath, sizeof ipath, e) != 0 ||
        find_file(sm, labels, lpath, sizeof lpath, e) != 0 || lsnn_idx_load(ipath, lpath, out, e))
        return -1;
    if (out->rows != 28 || out->cols != 28)
        return lsnn_fail(e, "smnist: %s has %dx%d images, the encoding needs 28x28", ipath,
                         out->rows, out->cols);
    return 0;
}

static int check_spec(const lsnn_smnist_spec *sm, lsnn_error *e)
{
    if (sm->ext_time < 1 || sm->ext_time > 4)
        return lsnn_fail(e, "smnist.ext_time = %d out of range 1..4", sm->ext_time);
    int cue = lsnn_smnist_steps(sm->ext_time) - LSNN_SMNIST_PIXELS * sm->ext_time;
    if (sm->input == LSNN_INPUT_ANALOG) /* no cue: the window ends at the last pixel step */
        cue = lsnn_smnist_analog_steps(sm->ext_time);
    if (sm->readout_steps < 1 || sm->readout_steps > cue)
        return lsnn_fail(e, "smnist.readout_steps = %d out of range 1..%d (the %s steps)",
                         sm->readout_steps, cue, sm->input == LSNN_INPUT_ANALOG ? "pixel" : "cue");
    if (sm->train_limit < 0 || sm->test_limit < 0)
        return lsnn_fail(e, "smnist.train_limit / test_limit must be >= 0 (0 = all)");
    return 0;
}

static int cut(int n, int limit)
{
    return limit > 0 && limit < n ? limit : n;
}

int lsnn_smnist_open(lsnn_task *t, const lsnn_spec *spec, lsnn_error *e)
{
    const lsnn_smnist_spec *sm = &spec->smnist;
    if (check_spec(sm, e) != 0) return -1;
    t->sm = *sm;
    if (load_split(sm, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", &t->train, e) != 0 ||
        load_split(sm, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", &t->test, e) != 0)
        return -1;
    if (sm->validation >= t->train.n)
        return lsnn_fail(e,
                         "smnist: task.validation = %d must be less than the %d images of the "
                         "training file in %s",
                         sm->validation, t->train.n, data_dir(sm));
    t->n_val = sm->validation;
    t->n_train = cut(t->train.n - t->n_val, sm->train_limit);
    t->n_test = cut(t->test.n, sm->test_limit);
    int analog = sm->input == LSNN_INPUT_ANALOG;
    t->n_steps = analog ? lsnn_smnist_analog_steps(sm->ext_time) : lsnn_smnist_steps(sm->ext_time);
    t->n_in = analog ? LSNN_SMNIST_ANALOG_INPUTS : LSNN_SMNIST_INPUTS;
    t->n_out = 10;
    t->perm = malloc((size_t)t->n_train * sizeof *t->perm);
    if (!t->perm) return lsnn_fail(e, "out of memory opening smnist");
    return 0;
}

/* Encodes image idx of split im as sequence s, with its readout window. */
static int append_image(lsnn_task *t, const lsnn_images *im, int idx, int s, lsnn_batch *out,
                        lsnn_error *e)
{
    const uint8_t *px = im->pixels + (size_t)idx * LSNN_SMNIST_PIXELS;
    int rc = t->sm.input == LSNN_INPUT_ANALOG ? lsnn_smnist_encode_analog(out, px, t->sm.ext_time)
                                              : lsnn_smnist_encode(out, px, t->sm.ext_time);
    if (rc != 0 || lsnn_batch_add_window(out, s, t->n_steps - t->sm.readout_steps, t->n_steps,
                                         im->labels[idx]) != 0)
        return lsnn_fail(e, "out of memory building an smnist batch");
    return 0;
}

int lsnn_smnist_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    if (lsnn_batch_reset(out, n_seq, t->n_steps, t->n_in) != 0)
        return lsnn_fail(e, "out of memory for a batch of %d sequences", n_seq);
    long long pos = (long long)iteration * n_seq;
    for (int s = 0; s < n_seq; s++, pos++) {
        lsnn_task_epoch_permutation(t, pos / t->n_train, t->n_train);
        int idx = (int)t->perm[pos % t->n_train];
        if (append_image(t, &t->train, idx, s, out, e) != 0) return -1;
    }
    return 0;
}

int lsnn_smnist_val_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    if (lsnn_batch_reset(out, n_seq, t->n_steps, t->n_in) != 0)
        return lsnn_fail(e, "out of memory for a batch of %d sequences", n_seq);
    int base = t->train.n - t->n_val;
    for (int s = 0; s < n_seq; s++)
        if (append_image(t, &t->train, base + first + s, s, out, e) != 0) return -1;
    return 0;
}

int lsnn_smnist_test_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    if (lsnn_batch_reset(out, n_seq, t->n_steps, t->n_in) != 0)
        return lsnn_fail(e, "out of memory for a batch of %d sequences", n_seq);
    for (int s = 0; s < n_seq; s++)
        if (append_image(t, &t->test, first + s, s, out, e) != 0) return -1;
    return 0;
}
