/* check.h - a minimal test harness: CHECK counts, failures print file:line and go on. */
#ifndef LSNN_TEST_CHECK_H
#define LSNN_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                                  \
    do {                                                                                  \
        if (cond) {                                                                       \
            check_passed++;                                                               \
        } else {                                                                          \
            check_failed++;                                                               \
            fprintf(stderr, "%s:%d: FAILED: %s: ", __FILE__, __LINE__, #cond);            \
            fprintf(stderr, __VA_ARGS__);                                                 \
            fputc('\n', stderr);                                                          \
        }                                                                                 \
    } while (0)

/* A scratch directory for this test program (created). */
static inline const char *check_tmpdir(const char *test_name)
{
    static char path[1024];
    const char *base = getenv("LSNN_TEST_TMP");
    if (!base) base = "/tmp/lsnn-tests";
    mkdir(base, 0755);
    snprintf(path, sizeof path, "%s/%s", base, test_name);
    mkdir(path, 0755);
    return path;
}

static inline int check_report(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
