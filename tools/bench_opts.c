/* bench_opts.c - the training benchmarks' shared options (bench_opts.h). */
#include "bench_opts.h"

#include <stdlib.h>
#include <string.h>

int bench_shared_opt(int argc, char **argv, int *i, bench_opts *o)
{
    const char *a = argv[*i];
    int has_value = *i + 1 < argc;
    if (!strcmp(a, "--batch") && has_value)
        o->batch = atoi(argv[++*i]);
    else if (!strcmp(a, "--threads") && has_value)
        o->threads = atoi(argv[++*i]);
    else if (!strcmp(a, "--iters") && has_value)
        o->iters = atoi(argv[++*i]);
    else if (a[0] != '-')
        o->model = a;
    else
        return 0;
    return 1;
}
