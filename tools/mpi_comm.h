/* mpi_comm.h - the ranks of `mpirun -n R lsnn train`: MPI behind the runtime's lsnn_comm
 * (comm.h) when lsnn is built with it (LSNN_MPI), one process otherwise. */
#ifndef LSNN_MPI_COMM_H
#define LSNN_MPI_COMM_H

#include "comm.h"
#include "error.h"

/* 1 if this lsnn has MPI. */
int lsnn_mpi_built(void);

/* Joins the job's ranks when a launcher (mpirun, mpiexec, srun) started this process, and
 * lsnn has MPI: *comm is then MPI_COMM_WORLD's communicator and *local_ranks the number of
 * ranks on this machine. Without a launcher: the one-rank communicator (lsnn_comm_single),
 * *local_ranks = 1, and MPI is not started. Returns 0, or -1 with a message: a launcher
 * started several ranks but lsnn has no MPI (each would train alone), or MPI failed to
 * start. */
int lsnn_mpi_start(const lsnn_comm **comm, int *local_ranks, lsnn_error *e);

/* Leaves MPI (every rank, at the end of a run that ended on all ranks). No-op without it. */
void lsnn_mpi_finish(const lsnn_comm *comm);

/* Ends every rank of the job now (a failure on this rank the others cannot know of). */
void lsnn_mpi_abort(const lsnn_comm *comm, int code);

#endif
