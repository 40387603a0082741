/* parallel.c - one phase of work over n threads (parallel.h). */
#include "parallel.h"

#include <pthread.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#define MAX_THREADS 64

void lsnn_flush_denormals(void)
{
#if defined(__SSE__)
    _mm_setcsr(_mm_getcsr() | 0x8040);
#endif
}

typedef struct {
    void (*fn)(void *ctx, int tid);
    void *ctx;
    int tid;
} task;

static void *run(void *arg)
{
    task *t = arg;
    lsnn_flush_denormals();
    t->fn(t->ctx, t->tid);
    return NULL;
}

void lsnn_parallel(int n, void (*fn)(void *ctx, int tid), void *ctx)
{
    task tasks[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    if (n > MAX_THREADS) n = MAX_THREADS;
    for (int t = 0; t < n; t++)
        tasks[t] = (task){fn, ctx, t};
    int started = 1;
    for (int t = 1; t < n; t++, started++)
        if (pthread_create(&th[t], NULL, run, &tasks[t])) break;
    for (int t = started; t < n; t++) /* the shares of threads that could not start */
        run(&tasks[t]);
    if (n > 0) run(&tasks[0]);
    for (int t = 1; t < started; t++)
        pthread_join(th[t], NULL);
}
