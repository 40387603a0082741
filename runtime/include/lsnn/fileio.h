/* fileio.h - whole-file reads and atomic writes.
 *
 * Writes of results and checkpoints are atomic: data goes to "PATH.tmp.PID", is fsync'ed,
 * renamed over PATH, and the directory is fsync'ed. A run killed at any moment leaves
 * either the old file or the new one, never a torn one. */
#ifndef LSNN_FILEIO_H
#define LSNN_FILEIO_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* Reads a whole file into a malloc'ed buffer (NUL-terminated, *len excludes the NUL). */
int lsnn_read_file(const char *path, char **data, size_t *len, lsnn_error *e);

/* Atomically replaces PATH with the n bytes at data. */
int lsnn_write_file_atomic(const char *path, const void *data, size_t n, lsnn_error *e);

/* A file written as a stream and published atomically: FILE writes go to "PATH.tmp.PID";
 * lsnn_atomic_commit flushes, fsyncs and renames it over PATH; lsnn_atomic_abort removes it.
 * For outputs too large to build in memory (traces, VCD). */
typedef struct {
    FILE *f;
    char *path, *tmp;
} lsnn_atomic_file;

int lsnn_atomic_open(lsnn_atomic_file *a, const char *path, lsnn_error *e);
/* Returns 0, or -1 with the message (a write error seen by the stream included); either way
 * the stream is closed and the temp file gone or renamed. */
int lsnn_atomic_commit(lsnn_atomic_file *a, lsnn_error *e);
void lsnn_atomic_abort(lsnn_atomic_file *a);

/* mkdir -p; succeeds if the directory exists. */
int lsnn_mkdir_p(const char *path, lsnn_error *e);

/* 1 if a regular file exists at path, else 0. */
int lsnn_file_exists(const char *path);

#endif
