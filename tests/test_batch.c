/* test_batch.c - the CSR batch builder: layout, growth, reuse, misuse and lsnn_batch_check. */
#include "batch.h"
#include "check.h"

/* Builds 2 sequences x 3 steps over 5 channels with a known pattern. */
static void build_small(lsnn_batch *b)
{
    CHECK(lsnn_batch_reset(b, 2, 3, 5) == 0, "reset");
    /* seq 0: t0 {0, 4}, t1 {}, t2 {2};  seq 1: t0 {}, t1 {1, 2, 3}, t2 {} */
    CHECK(lsnn_batch_push(b, 0) == 0 && lsnn_batch_push(b, 4) == 0, "push");
    lsnn_batch_end_cell(b);
    lsnn_batch_end_cell(b);
    CHECK(lsnn_batch_push(b, 2) == 0, "push");
    lsnn_batch_end_cell(b);
    lsnn_batch_end_cell(b);
    for (int ch = 1; ch <= 3; ch++)
        CHECK(lsnn_batch_push(b, ch) == 0, "push %d", ch);
    lsnn_batch_end_cell(b);
    lsnn_batch_end_cell(b);
}

static void test_layout(void)
{
    lsnn_batch b = {0};
    build_small(&b);
    static const uint32_t ptr[7] = {0, 2, 2, 3, 3, 6, 6};
    static const uint16_t idx[6] = {0, 4, 2, 1, 2, 3};
    CHECK(b.n_spikes == 6, "n_spikes %zu", b.n_spikes);
    for (int i = 0; i < 7; i++)
        CHECK(b.in_ptr[i] == ptr[i], "in_ptr[%d] = %u", i, b.in_ptr[i]);
    for (int i = 0; i < 6; i++)
        CHECK(b.in_idx[i] == idx[i], "in_idx[%d] = %u", i, b.in_idx[i]);
    CHECK(lsnn_batch_check(&b, 2) == 0, "complete batch passes");
    CHECK(lsnn_batch_add_window(&b, 1, 0, 3, 1) == 0, "window");
    CHECK(lsnn_batch_add_window(&b, 0, 2, 3, 0) == 0, "window");
    CHECK(b.n_win == 2 && b.win[0].seq == 1 && b.win[0].end == 3 && b.win[1].start == 2,
          "windows stored");
    CHECK(lsnn_batch_check(&b, 2) == 0, "labels < n_out");
    CHECK(lsnn_batch_check(&b, 1) != 0, "label 1 with n_out 1 rejected");
    lsnn_batch_free(&b);
    CHECK(b.in_ptr == NULL && b.in_idx == NULL && b.win == NULL && b.n_spikes == 0, "freed");
}

static void test_misuse(void)
{
    lsnn_batch b = {0};
    CHECK(lsnn_batch_reset(&b, 1, 2, 4) == 0, "reset");
    CHECK(lsnn_batch_push(&b, 4) != 0, "channel n_in rejected");
    CHECK(lsnn_batch_push(&b, -1) != 0, "negative channel rejected");
    CHECK(lsnn_batch_push(&b, 2) == 0, "push 2");
    CHECK(lsnn_batch_push(&b, 2) != 0, "duplicate rejected");
    CHECK(lsnn_batch_push(&b, 1) != 0, "descending rejected");
    lsnn_batch_end_cell(&b);
    CHECK(lsnn_batch_push(&b, 0) == 0, "a new cell starts a new order");
    CHECK(lsnn_batch_check(&b, 1) != 0, "open cell fails the check");
    lsnn_batch_end_cell(&b);
    CHECK(lsnn_batch_check(&b, 1) == 0, "all cells closed");
    CHECK(lsnn_batch_push(&b, 3) != 0, "push past the last cell rejected");
    CHECK(lsnn_batch_add_window(&b, 1, 0, 1, 0) != 0, "window seq out of range");
    CHECK(lsnn_batch_add_window(&b, 0, 1, 1, 0) != 0, "empty window");
    CHECK(lsnn_batch_add_window(&b, 0, 0, 3, 0) != 0, "window past the end");
    CHECK(lsnn_batch_add_window(&b, 0, -1, 1, 0) != 0, "negative start");
    CHECK(lsnn_batch_add_window(&b, 0, 0, 2, -1) != 0, "negative label");
    lsnn_batch_end_cell(&b);
    CHECK(lsnn_batch_check(&b, 1) != 0, "an extra closed cell fails the check");

    CHECK(lsnn_batch_reset(&b, 1, 1, 4) == 0, "reset");
    lsnn_batch_end_cell(&b);
    CHECK(lsnn_batch_add_window(&b, 0, 0, 1, 0) == 0, "window");
    b.win[0].end = 2; /* a window edited out of range behind the builder's back */
    CHECK(lsnn_batch_check(&b, 1) != 0, "window out of range fails the check");
    b.win[0].end = 1;
    CHECK(lsnn_batch_check(&b, 1) == 0, "restored");
    CHECK(lsnn_batch_reset(&b, 1, 0, 4) != 0 && lsnn_batch_reset(&b, 1, 1, 0) != 0 &&
              lsnn_batch_reset(&b, 1, 1, 65537) != 0,
          "bad sizes rejected");
    lsnn_batch_free(&b);
}

/* Many spikes and windows (growth past the initial capacities), then a reuse with the
 * same allocation. */
static void test_growth_and_reuse(void)
{
    lsnn_batch b = {0};
    const int n_seq = 7, n_steps = 301, n_in = 700;
    for (int round = 0; round < 2; round++) {
        CHECK(lsnn_batch_reset(&b, n_seq, n_steps, n_in) == 0, "reset");
        CHECK(b.n_spikes == 0 && b.n_win == 0 && b.cell == 0, "reset clears");
        size_t expect = 0;
        int ok = 1;
        for (int s = 0; s < n_seq; s++)
            for (int t = 0; t < n_steps; t++) {
                for (int ch = (s + t) % 5; ch < n_in; ch += 3 + round) {
                    ok &= lsnn_batch_push(&b, ch) == 0;
                    expect++;
                }
                lsnn_batch_end_cell(&b);
                if (t % 10 == 0) ok &= lsnn_batch_add_window(&b, s, t, t + 1, t % 3) == 0;
            }
        CHECK(ok, "all pushes and windows accepted");
        CHECK(b.n_spikes == expect, "spike count %zu vs %zu", b.n_spikes, expect);
        CHECK(b.n_win == n_seq * 31, "windows %d", b.n_win);
        CHECK(lsnn_batch_check(&b, 3) == 0, "check");
        /* spot check one cell: seq 3, step 100 */
        size_t c = 3 * (size_t)n_steps + 100;
        int first = (3 + 100) % 5;
        CHECK(b.in_idx[b.in_ptr[c]] == first, "first channel of cell");
        CHECK(b.in_ptr[c + 1] - b.in_ptr[c] == (uint32_t)((n_in - first + 2 + round) / (3 + round)),
              "cell size");
    }
    lsnn_batch_free(&b);
}

static void test_empty_batch(void)
{
    lsnn_batch b = {0};
    CHECK(lsnn_batch_reset(&b, 0, 5, 3) == 0, "zero sequences allowed");
    CHECK(lsnn_batch_check(&b, 1) == 0, "empty batch is complete");
    lsnn_batch_free(&b);
}

int main(void)
{
    test_layout();
    test_misuse();
    test_growth_and_reuse();
    test_empty_batch();
    return check_report();
}
