/* fuzz_image_load.c - libFuzzer target for the image.bin loader (runtime/image.c).
 *
 * Not built by CMake (tests/CMakeLists.txt builds only test_*.c; gcc has no libFuzzer). Build
 * and run by hand from the repository root with clang:
 *
 *   clang -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g -fsanitize=fuzzer,address,undefined \
 *     -fno-sanitize-recover=all \
 *     -Iruntime -Itests runtime/image.c runtime/ref_core.c runtime/hwconfig.c \
 *     runtime/yamltree.c runtime/fileio.c runtime/error.c tests/fuzz_image_load.c \
 *     -lyaml -lz -lm -o fuzz_image_load
 *   mkdir -p corpus && cp build/tests/tmp/test_image/img/image.bin corpus/  # from test_image
 *   ./fuzz_image_load -max_total_time=60 corpus
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
