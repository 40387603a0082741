/* fuzz_spikefile.c - libFuzzer target for the lsnn-spikes reader (runtime/formats/spikefile.c).
 *
 * LSNN_SPIKEFILE_MAX_CELLS lowers the sequences x steps limit from 1e8 to 1e6 (CMake sets it for
 * this target) so that a 40-byte header cannot ask for 400 MB and a 1e8-step loop. CMake builds it
 * (ctest replays its corpus with tests/fuzz_replay.c, plus 300 seeded mutations of every file); for
 * real fuzzing build it with libFuzzer (docs/image-format.md §7):
 *
 *   CC=clang cmake -S . -B build-fuzz -G Ninja -DLSNN_LIBFUZZER=ON -DLSNN_SANITIZE=ON
 *   cmake --build build-fuzz --target fuzz_spikefile
 *   cp -r tests/fuzz_corpus/spikefile corpus_spk
 *   build-fuzz/tests/fuzz_spikefile -max_total_time=120 corpus_spk
 *
 * The first input byte is the network's readout count n_out (0..255); the rest is the file.
 * An accepted file must give a batch that passes lsnn_batch_check, has the header's sizes,
 * exactly one unlabelled window per sequence when it has no window lines, and labels below
 * n_out otherwise. Every error must be "fuzz:LINE: error: ..." (or name the file). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spikefile.h"

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_spikefile: %s: %s\n", what, msg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int n_out = data[0];
    lsnn_batch b = {0};
    lsnn_error e;
    int labelled = -1;
    if (lsnn_spikefile_parse("fuzz", (const char *)data + 1, size - 1, n_out, &b, &labelled, &e) ==
        0) {
        if (lsnn_batch_check(&b, n_out > 0 ? n_out : 1)) die("an inconsistent batch", "");
        if (b.n_seq < 1 || b.n_steps < 1 || b.n_in < 1 || b.cell != (size_t)b.n_seq * b.n_steps)
            die("bad sizes", "");
        if (labelled != (b.n_win > 0 && labelled)) die("labelled", "");
        if (!labelled && b.n_win != b.n_seq) die("one unlabelled window per sequence", "");
        for (int i = 0; i < b.n_win; i++)
            if (labelled && b.win[i].label >= n_out) die("a label out of range", "");
        uint64_t sum = 0;
        for (size_t c = 0; c < b.cell; c++)
            for (uint32_t k = b.in_ptr[c]; k < b.in_ptr[c + 1]; k++)
                sum += b.in_idx[k];
        (void)sum;
    } else {
        if (strncmp(e.msg, "fuzz:", 5) != 0) die("a message without FILE:LINE", e.msg);
        if (!strstr(e.msg, "out of memory") && !strstr(e.msg, ": error: "))
            die("a message without 'error:'", e.msg);
    }
    lsnn_batch_free(&b);
    return 0;
}
