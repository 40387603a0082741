/* fuzz_image_load.c - libFuzzer target for the image.bin loader (runtime/chip/image.c).
 *
 * CMake builds it (ctest replays its corpus with tests/fuzz_replay.c, plus 300
 * seeded mutations of every file); for real fuzzing build it with libFuzzer (docs/image-format.md
 * §7):
 *
 *   CC=clang cmake -S . -B build-fuzz -G Ninja -DLSNN_LIBFUZZER=ON -DLSNN_SANITIZE=ON
 *   cmake --build build-fuzz --target fuzz_image_load
 *   cp -r tests/fuzz_corpus/image corpus && build-fuzz/tests/fuzz_image_load -max_total_time=60
 * corpus
 *
 * Each input is parsed twice: as given (the CRCs reject almost every mutation), and with its
 * memory and file CRCs recomputed (image_fixup.h), so that mutations reach the header, size and
 * field checks behind the CRCs. An image that loads is then run for two ticks on every core:
 * whatever the loader accepts, the reference must process without undefined behaviour. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "image_fixup.h"

static void run_image(const lsnn_image *img)
{
    for (int i = 0; i < img->ncores; i++) {
        lsnn_error e;
        lsnn_ref_core *c = lsnn_image_to_core(img, i, &e);
        if (!c) abort(); /* the loader accepted it, so programming it must succeed */
        for (int t = 0; t < 2; t++) {
            for (uint32_t x = 0; x < c->xu; x += 2)
                lsnn_ref_event(c, x);
            lsnn_ref_tick(c, NULL, NULL);
        }
        lsnn_ref_free(c);
    }
}

static void parse_one(const uint8_t *b, size_t n)
{
    lsnn_image img;
    lsnn_error e;
    if (lsnn_image_parse("fuzz", b, n, &img, &e) == 0) {
        run_image(&img);
        lsnn_image_free(&img);
    } else if (strncmp(e.msg, "fuzz: ", 6) != 0) {
        abort(); /* every message names the file */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse_one(data, size);
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    fx_fix_crcs(copy, size);
    parse_one(copy, size);
    free(copy);
    return 0;
}
