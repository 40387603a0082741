/* fuzz_replay.c - runs a libFuzzer target (tests/fuzz_*.c) without libFuzzer: over the files of
 * its corpus, and over mutations of them drawn from a fixed seed.
 *
 * usage: fuzz_TARGET [--mutations N] FILE_OR_DIR...
 *
 * gcc has no libFuzzer, so CMake links each target with this driver (with clang, the real
 * libFuzzer is linked instead; docs/image-format.md §7). ctest runs every target over its corpus
 * in both builds, so under ASan+UBSan every corpus file and every mutation must be processed
 * without undefined behaviour; a target reports a failed property with abort(). The mutations
 * (bit flips, byte overwrites, truncations, a copied span) are a pure function of the input's
 * index and N, so a failure reproduces with the same command. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target: set-up before the first input (fuzz_hostmap writes its seeds here). */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#define MAX_INPUT (16u << 20)

static uint64_t next_rand(uint64_t *s)
{ /* splitmix64: small, and the same sequence everywhere */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void mutate(uint8_t *b, size_t *n, uint64_t *s)
{
    int edits = 1 + (int)(next_rand(s) % 4);
    for (int k = 0; k<edits && * n> 0; k++) {
        size_t at = (size_t)(next_rand(s) % *n);
        switch (next_rand(s) % 4) {
        case 0:
            b[at] ^= (uint8_t)(1u << (next_rand(s) % 8));
            break;
        case 1:
            b[at] = (uint8_t)next_rand(s);
            break;
        case 2:
            *n = at;
            break; /* truncate */
        default: {
            size_t from = (size_t)(next_rand(s) % *n), len = (size_t)(next_rand(s) % 16);
            if (len > *n - from) len = *n - from;
            if (len > *n - at) len = *n - at;
            memmove(b + at, b + from, len);
        }
        }
    }
}

static long n_inputs;

static int run_file(const char *path, long mutations)
{
    FILE *f = fopen(path, "rb");
    if (!f) return fprintf(stderr, "fuzz_replay: %s: %s\n", path, strerror(errno)), -1;
    uint8_t *buf = malloc(MAX_INPUT), *work = malloc(MAX_INPUT);
    size_t n = buf && work ? fread(buf, 1, MAX_INPUT, f) : 0;
    int err = !buf || !work || ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        free(work);
        return fprintf(stderr, "fuzz_replay: %s: cannot read\n", path), -1;
    }
    LLVMFuzzerTestOneInput(buf, n);
    n_inputs++;
    uint64_t seed = (uint64_t)n_inputs * 0x2545f4914f6cdd1dull;
    for (long m = 0; m < mutations; m++) {
        size_t len = n;
        memcpy(work, buf, n);
        mutate(work, &len, &seed);
        LLVMFuzzerTestOneInput(work, len);
        n_inputs++;
    }
    free(buf);
    free(work);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, long mutations)
{
    struct stat st;
    if (stat(path, &st)) return fprintf(stderr, "fuzz_replay: %s: %s\n", path, strerror(errno)), -1;
    if (!S_ISDIR(st.st_mode)) return run_file(path, mutations);
    DIR *d = opendir(path);
    if (!d) return fprintf(stderr, "fuzz_replay: %s: %s\n", path, strerror(errno)), -1;
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    for (struct dirent *ent; (ent = readdir(d));) {
        if (ent->d_name[0] == '.') continue;
        if (count == cap) {
            cap = cap ? 2 * cap : 64;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown) {
                rc = -1;
                break;
            }
            names = grown;
        }
        size_t len = strlen(path) + strlen(ent->d_name) + 2;
        if (!(names[count] = malloc(len))) {
            rc = -1;
            break;
        }
        snprintf(names[count++], len, "%s/%s", path, ent->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name); /* readdir's order differs between machines */
    for (size_t i = 0; i < count; i++) {
        if (rc == 0) rc = run_file(names[i], mutations);
        free(names[i]);
    }
    free(names);
    if (rc == 0 && count == 0) {
        fprintf(stderr, "fuzz_replay: %s: empty corpus\n", path);
        rc = -1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    long mutations = 0;
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    int paths = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mutations") && i + 1 < argc) {
            mutations = strtol(argv[++i], NULL, 10);
            continue;
        }
        if (run_path(argv[i], mutations)) return 1;
        paths++;
    }
    if (!paths) {
        fprintf(stderr, "usage: %s [--mutations N] FILE_OR_DIR...\n", argv[0]);
        return 2;
    }
    printf("fuzz_replay: %ld inputs (%ld mutations per corpus file) processed\n", n_inputs,
           mutations);
    printf("1 passed, 0 failed\n");
    return 0;
}
