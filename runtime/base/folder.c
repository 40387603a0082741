/* folder.c - folder kinds (the lsnn-folder.yaml marker) and the one-writer lock. */
#define _DEFAULT_SOURCE
#include "folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

#define LOCK_NAME ".lock"

static void join(char *buf, size_t n, const char *dir, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

int lsnn_folder_parse_marker(const char *path, const char *text, size_t len,
                             char kind[LSNN_FOLDER_KIND_LEN], lsnn_error *e)
{
    int line = 0, format = 0;
    kind[0] = 0;
    if (memchr(text, 0, len)) return lsnn_fail(e, "%s: error: the marker holds a NUL byte", path);
    for (const char *p = text, *stop = text + len; p < stop;) {
        const char *end = memchr(p, '\n', (size_t)(stop - p));
        size_t n = end ? (size_t)(end - p) : (size_t)(stop - p);
        char buf[128];
        line++;
        if (n >= sizeof buf) return lsnn_fail(e, "%s:%d: error: line too long", path, line);
        memcpy(buf, p, n);
        buf[n] = 0;
        p += n + (end != NULL);
        char word[LSNN_FOLDER_KIND_LEN + 1];
        int ver, at = 0;
        if (buf[0] == '#' || buf[strspn(buf, " \t\r")] == 0) continue;
            /* what follows the value may only be blanks or a comment */
#define REST_OK(k)                                                                                 \
    (buf[k + strspn(buf + k, " \t\r")] == 0 || buf[k + strspn(buf + k, " \t\r")] == '#')
        if (sscanf(buf, "kind: %16s%n", word, &at) == 1 && strlen(word) < LSNN_FOLDER_KIND_LEN &&
            REST_OK(at)) {
            if (strcmp(word, LSNN_FOLDER_RUN) && strcmp(word, LSNN_FOLDER_IMAGE))
                return lsnn_fail(e, "%s:%d: error: kind must be run or image, got '%s'", path, line,
                                 word);
            strcpy(kind, word);
        } else if (sscanf(buf, "format: %d%n", &ver, &at) == 1 && REST_OK(at)) {
            if (ver != LSNN_FOLDER_FORMAT)
                return lsnn_fail(e, "%s:%d: error: folder format %d; this lsnn reads format %d",
                                 path, line, ver, LSNN_FOLDER_FORMAT);
            format = ver;
        } else {
            return lsnn_fail(e, "%s:%d: error: expected 'kind: ...' or 'format: ...', got '%s'",
                             path, line, buf);
        }
    }
#undef REST_OK
    if (!kind[0] || !format)
        return lsnn_fail(e, "%s: error: the marker needs both 'kind:' and 'format:'", path);
    return 0;
}

int lsnn_folder_kind(const char *dir, char kind[LSNN_FOLDER_KIND_LEN], lsnn_error *e)
{
    char path[1200];
    kind[0] = 0;
    join(path, sizeof path, dir, LSNN_FOLDER_MARKER);
    if (lsnn_file_exists(path)) {
        char *text = NULL;
        size_t len = 0;
        if (lsnn_read_file(path, &text, &len, e)) return -1;
        int rc = lsnn_folder_parse_marker(path, text, len, kind, e);
        free(text);
        return rc;
    }
    /* folders written before markers existed: what their files say */
    join(path, sizeof path, dir, "image.bin");
    if (lsnn_file_exists(path)) return strcpy(kind, LSNN_FOLDER_IMAGE), 0;
    join(path, sizeof path, dir, "weights.safetensors");
    int run = lsnn_file_exists(path);
    join(path, sizeof path, dir, "checkpoint.safetensors");
    if (run || lsnn_file_exists(path)) strcpy(kind, LSNN_FOLDER_RUN);
    return 0;
}

static const char *writer_of(const char *kind)
{
    return !strcmp(kind, LSNN_FOLDER_RUN) ? "lsnn train" : "lsnn compile";
}

static int wrong_kind(const char *dir, const char *have, const char *want, lsnn_error *e)
{
    if (!have[0])
        return lsnn_fail(e,
                         "%s is not %s %s folder (no %s, and none of the files %s writes); "
                         "%s writes one",
                         dir, want[0] == 'i' ? "an" : "a", want, LSNN_FOLDER_MARKER,
                         writer_of(want), writer_of(want));
    int compile_it = !strcmp(have, LSNN_FOLDER_RUN);
    return lsnn_fail(e, "%s is %s %s folder (written by %s), not %s %s folder%s%s%s", dir,
                     have[0] == 'i' ? "an" : "a", have, writer_of(have),
                     want[0] == 'i' ? "an" : "a", want,
                     compile_it ? "; make an image of it with: lsnn compile " : "",
                     compile_it ? dir : "", compile_it ? " -o IMAGE_DIR" : "");
}

int lsnn_folder_expect(const char *dir, const char *want, lsnn_error *e)
{
    char have[LSNN_FOLDER_KIND_LEN];
    struct stat st;
    if (stat(dir, &st) != 0) return lsnn_fail(e, "%s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode)) return lsnn_fail(e, "%s: not a folder", dir);
    if (lsnn_folder_kind(dir, have, e)) return -1;
    return strcmp(have, want) ? wrong_kind(dir, have, want, e) : 0;
}

/* 1 if dir holds nothing but the names in keep[] (NULL-terminated). */
static int holds_only(const char *dir, const char *const *keep)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int only = 1;
    for (struct dirent *de; only && (de = readdir(d));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        int kept = 0;
        for (int k = 0; keep[k]; k++)
            kept |= !strcmp(de->d_name, keep[k]);
        only = kept;
    }
    closedir(d);
    return only;
}

int lsnn_folder_write_marker(const char *dir, const char *kind, lsnn_error *e)
{
    char path[1200], text[256];
    join(path, sizeof path, dir, LSNN_FOLDER_MARKER);
    int n = snprintf(text, sizeof text,
                     "# An lsnn %s folder, written by %s (docs/folders.md).\n"
                     "kind: %s\nformat: %d\n",
                     kind, writer_of(kind), kind, LSNN_FOLDER_FORMAT);
    return lsnn_write_file_atomic(path, text, (size_t)n, e);
}

/* Takes the lock on dir/.lock or names its holder. */
static int take_lock(lsnn_folder_lock *l, const char *who, lsnn_error *e)
{
    char path[1200];
    join(path, sizeof path, l->dir, LOCK_NAME);
    l->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (l->fd < 0) return lsnn_fail(e, "%s: cannot open the lock file: %s", path, strerror(errno));
    if (flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        char holder[160] = "";
        ssize_t n = pread(l->fd, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = 0;
        holder[strcspn(holder, "\n")] = 0;
        close(l->fd);
        l->fd = -1;
        if (err != EWOULDBLOCK) return lsnn_fail(e, "%s: cannot lock: %s", path, strerror(err));
        return lsnn_fail(e,
                         "%s is being written by another process (%s); wait for it to finish "
                         "or stop it",
                         l->dir, holder[0] ? holder : "pid unknown");
    }
    char line[200];
    int n = snprintf(line, sizeof line, "pid %ld, %s\n", (long)getpid(), who);
    if (ftruncate(l->fd, 0) != 0 || pwrite(l->fd, line, (size_t)n, 0) != n)
        return lsnn_fail(e, "%s: cannot write the lock file: %s", path, strerror(errno));
    return 0;
}

/* Temp files "NAME.tmp.PID" (fileio.h) of a writer that was killed: with the lock held, no
 * writer is alive to finish them. */
static void remove_dead_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *de; (de = readdir(d));) {
        const char *t = strstr(de->d_name, ".tmp.");
        if (!t || t == de->d_name || !t[5] || strspn(t + 5, "0123456789") != strlen(t + 5))
            continue;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        unlink(path);
    }
    closedir(d);
}

int lsnn_folder_lock_for(const char *dir, const char *kind, const char *who, lsnn_folder_lock *l,
                         lsnn_error *e)
{
    struct stat st;
    memset(l, 0, sizeof *l);
    l->fd = -1;
    if (strlen(dir) >= sizeof l->dir) return lsnn_fail(e, "%s: path too long", dir);
    strcpy(l->dir, dir);
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) return lsnn_fail(e, "%s exists and is not a folder", dir);
        char have[LSNN_FOLDER_KIND_LEN];
        if (lsnn_folder_kind(dir, have, e)) return -1;
        if (have[0] && strcmp(have, kind)) return wrong_kind(dir, have, kind, e);
    } else {
        if (lsnn_mkdir_p(dir, e)) return -1;
        l->created = 1;
    }
    if (take_lock(l, who, e)) return -1;
    remove_dead_temps(dir);
    if (lsnn_folder_write_marker(dir, kind, e)) {
        lsnn_folder_unlock(l, 1);
        return -1;
    }
    return 0;
}

void lsnn_folder_unlock(lsnn_folder_lock *l, int failed_start)
{
    static const char *const ours[] = {LSNN_FOLDER_MARKER, LOCK_NAME, NULL};
    if (failed_start && l->created && l->fd >= 0 && holds_only(l->dir, ours)) {
        char path[1200];
        join(path, sizeof path, l->dir, LSNN_FOLDER_MARKER);
        unlink(path);
        join(path, sizeof path, l->dir, LOCK_NAME);
        unlink(path);
        rmdir(l->dir);
    }
    if (l->fd >= 0) close(l->fd);
    l->fd = -1;
}
