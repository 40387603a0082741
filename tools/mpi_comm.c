/* mpi_comm.c - lsnn_comm over MPI_COMM_WORLD (mpi_comm.h). Built in every configuration; the
 * MPI part only with LSNN_HAVE_MPI (CMake option LSNN_MPI). */
#include "mpi_comm.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef LSNN_HAVE_MPI
#include <mpi.h>
#endif

/* The job's size as the launcher announces it to each process (Open MPI, then the PMI of
 * MPICH, Intel MPI and Slurm), 0 when none does: not started by a launcher. */
static int launcher_size(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", NULL};
    for (int k = 0; vars[k]; k++) {
        const char *v = getenv(vars[k]);
        if (v && atoi(v) > 0) return atoi(v);
    }
    return getenv("PMIX_RANK") || getenv("PMI_RANK") ? 1 : 0;
}

#ifdef LSNN_HAVE_MPI

int lsnn_mpi_built(void)
{
    return 1;
}

/* Block r goes from every rank to every rank; a gather over 2 GiB (MPI's int counts) is done
 * as one broadcast per rank, in pieces of 1 GiB. */
static int mpi_allgatherv(const lsnn_comm *c, const void *send, void *recv, const size_t *bytes)
{
    int R = c->size;
    int *cnt = malloc(sizeof(int) * R), *displ = malloc(sizeof(int) * R);
    size_t total = 0;
    for (int r = 0; r < R; r++)
        total += bytes[r];
    int rc = MPI_ERR_OTHER;
    if (cnt && displ && total <= INT_MAX) {
        for (int r = 0, d = 0; r < R; d += (int)bytes[r], r++) {
            cnt[r] = (int)bytes[r];
            displ[r] = d;
        }
        rc = MPI_Allgatherv(send, cnt[c->rank], MPI_BYTE, recv, cnt, displ, MPI_BYTE,
                            MPI_COMM_WORLD);
    } else if (cnt && displ) {
        size_t at = 0;
        rc = MPI_SUCCESS;
        for (int r = 0; r < R && rc == MPI_SUCCESS; at += bytes[r], r++) {
            char *block = (char *)recv + at;
            if (r == c->rank) memmove(block, send, bytes[r]);
            for (size_t off = 0; off < bytes[r] && rc == MPI_SUCCESS; off += 1u << 30) {
                size_t n = bytes[r] - off < (1u << 30) ? bytes[r] - off : (1u << 30);
                rc = MPI_Bcast(block + off, (int)n, MPI_BYTE, r, MPI_COMM_WORLD);
            }
        }
    }
    free(cnt);
    free(displ);
    return rc == MPI_SUCCESS ? 0 : -1;
}

static lsnn_comm world;

int lsnn_mpi_start(const lsnn_comm **comm, int *local_ranks, lsnn_error *e)
{
    *comm = lsnn_comm_single();
    *local_ranks = 1;
    if (!launcher_size()) return 0;
    int provided;
    /* only the main thread calls MPI; the engine's threads compute */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return lsnn_fail(e, "MPI_Init_thread failed");
    MPI_Comm_rank(MPI_COMM_WORLD, &world.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world.size);
    world.allgatherv = mpi_allgatherv;
    MPI_Comm node;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) ==
        MPI_SUCCESS) {
        MPI_Comm_size(node, local_ranks);
        MPI_Comm_free(&node);
    }
    *comm = &world;
    return 0;
}

void lsnn_mpi_finish(const lsnn_comm *comm)
{
    if (comm == &world) MPI_Finalize();
}

void lsnn_mpi_abort(const lsnn_comm *comm, int code)
{
    if (comm == &world) MPI_Abort(MPI_COMM_WORLD, code);
    exit(code);
}

#else /* one process */

int lsnn_mpi_built(void)
{
    return 0;
}

int lsnn_mpi_start(const lsnn_comm **comm, int *local_ranks, lsnn_error *e)
{
    *comm = lsnn_comm_single();
    *local_ranks = 1;
    int n = launcher_size();
    if (n > 1)
        return lsnn_fail(e,
                         "started as one of %d ranks (mpirun), but this lsnn was built without "
                         "MPI, so each rank would train the whole run alone. Install Open MPI "
                         "(apt-get install libopenmpi-dev openmpi-bin) and rebuild (cmake "
                         "-DLSNN_MPI=ON), or run lsnn train without mpirun",
                         n);
    return 0;
}

void lsnn_mpi_finish(const lsnn_comm *comm)
{
    (void)comm;
}

void lsnn_mpi_abort(const lsnn_comm *comm, int code)
{
    (void)comm;
    exit(code);
}

#endif
