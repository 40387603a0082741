/* folder.h - run folders and image folders: what kind a folder is, and one writer at a time
 * (docs/folders.md).
 *
 * `lsnn train` writes run folders, `lsnn compile` image folders. Each carries a marker file,
 * lsnn-folder.yaml ("kind: run" or "kind: image", and a format version), so that a command
 * given the wrong kind refuses it by name instead of reading or overwriting it. A writer holds
 * an exclusive lock (flock on FOLDER/.lock, which holds the writer's pid and command) for as
 * long as it writes: a second writer fails at once, naming the first. The kernel drops the
 * lock when the process dies, however it dies. */
#ifndef LSNN_FOLDER_H
#define LSNN_FOLDER_H

#include <stddef.h>

#include "error.h"

#define LSNN_FOLDER_MARKER   "lsnn-folder.yaml"
#define LSNN_FOLDER_FORMAT   1
#define LSNN_FOLDER_RUN      "run"
#define LSNN_FOLDER_IMAGE    "image"
#define LSNN_FOLDER_KIND_LEN 16

/* What a folder is: its marker's kind, or, for a folder written before markers existed, what
 * its files say (image.bin: "image"; weights or checkpoint: "run"). *kind is "" for a folder
 * that does not exist or holds neither. Returns 0, or -1 for a malformed marker (FILE:LINE). */
int lsnn_folder_kind(const char *dir, char kind[LSNN_FOLDER_KIND_LEN], lsnn_error *e);

/* Parses a marker's text (len bytes; comment lines, "kind: run|image", "format: 1", nothing
 * else) into kind. Returns 0, or -1 with "NAME:LINE: error: ...". */
int lsnn_folder_parse_marker(const char *name, const char *text, size_t len,
                             char kind[LSNN_FOLDER_KIND_LEN], lsnn_error *e);

/* Refuses (-1, with a message saying what the folder is and which command writes the wanted
 * kind) unless dir is of kind `want`. A folder without marker or files is refused too:
 * "is not a run folder (no lsnn-folder.yaml, no weights.safetensors)". */
int lsnn_folder_expect(const char *dir, const char *want, lsnn_error *e);

/* Writes dir's marker (kind "run" or "image") atomically; for a writer that holds the lock
 * of the folder dir is in (lsnn train's RUN/best/). Returns 0, or -1 with e. */
int lsnn_folder_write_marker(const char *dir, const char *kind, lsnn_error *e);

/* A writer's hold on a folder. */
typedef struct {
    int fd;      /* the locked .lock file, or -1 */
    int created; /* 1: this writer created the folder (removed again by a failed start) */
    char dir[1024];
} lsnn_folder_lock;

/* Creates dir if needed, refuses a folder of another kind (or an unmarked non-empty folder
 * that holds files of another kind), takes the lock (failing at once, with the holder's pid
 * and command, if another process holds it), removes the temp files of killed writers
 * ("NAME.tmp.PID") and writes the marker. `who` is the command
 * ("lsnn train"), recorded in the lock file. */
int lsnn_folder_lock_for(const char *dir, const char *kind, const char *who, lsnn_folder_lock *l,
                         lsnn_error *e);

/* Releases the lock. failed_start = 1 after a start that wrote nothing of value: a folder
 * that this writer created is removed again (with its marker and lock) if nothing else is
 * in it, so a failed start leaves no empty folder behind. */
void lsnn_folder_unlock(lsnn_folder_lock *l, int failed_start);

#endif
