/* fileio.c - whole-file reads, atomic (temp + fsync + rename + dir fsync) writes, mkdir -p. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Grows *buf to hold at least need bytes. Returns 0, or -1 (buffer unchanged) when out of
 * memory. */
static int grow_buffer(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 4096;
    while (ncap < need) {
        if (ncap > ((size_t)-1) / 2) {
            ncap = need;
            break;
        }
        ncap *= 2;
    }
    char *nbuf = realloc(*buf, ncap);
    if (!nbuf) return -1;
    *buf = nbuf;
    *cap = ncap;
    return 0;
}

/* Reads fd to EOF into a malloc'ed, NUL-terminated buffer. Returns 0, or -1 with errno set
 * (and nothing allocated). size_hint is the expected size (0 if unknown). */
static int read_all(int fd, size_t size_hint, char **data, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (grow_buffer(&buf, &cap, size_hint + 1) != 0) {
        errno = ENOMEM;
        return -1;
    }
    for (;;) {
        if (n + 1 >= cap && grow_buffer(&buf, &cap, cap + 1) != 0) {
            free(buf);
            errno = ENOMEM;
            return -1;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            int saved = errno;
            free(buf);
            errno = saved;
            return -1;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

/* Returns 0, or -1 with *data NULL, *len 0 and "PATH: cannot open|stat|read: strerror". */
int lsnn_read_file(const char *path, char **data, size_t *len, lsnn_error *e)
{
    *data = NULL;
    *len = 0;
    int fd;
    do {
        fd = open(path, O_RDONLY);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return lsnn_fail(e, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        return lsnn_fail(e, "%s: cannot stat: %s", path, strerror(saved));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return lsnn_fail(e, "%s: cannot read: %s", path, strerror(EISDIR));
    }
    size_t hint = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 0;
    if (read_all(fd, hint, data, len) != 0) {
        int saved = errno;
        close(fd);
        return lsnn_fail(e, "%s: cannot read: %s", path, strerror(saved));
    }
    close(fd);
    return 0;
}

/* Writes all n bytes to fd. Returns 0, or -1 with errno set. */
static int write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The directory holding path ("." for a bare name), malloc'ed; NULL when out of memory. */
static char *parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        char *dot = malloc(2);
        if (dot) strcpy(dot, ".");
        return dot;
    }
    while (slash > path && slash[-1] == '/')
        slash--;
    size_t n = slash == path ? 1 : (size_t)(slash - path); /* "/name" -> "/" */
    char *dir = malloc(n + 1);
    if (!dir) return NULL;
    memcpy(dir, path, n);
    dir[n] = '\0';
    return dir;
}

/* fsyncs the directory holding path, so a rename in it is durable. Returns 0, or -1 with
 * the message in e. File systems that cannot fsync a directory (EINVAL) are accepted. */
static int sync_parent_dir(const char *path, lsnn_error *e)
{
    char *dir = parent_dir(path);
    if (!dir) return lsnn_fail(e, "%s: cannot sync directory: %s", path, strerror(ENOMEM));
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        int saved = errno;
        lsnn_fail(e, "%s: cannot open directory '%s' to sync: %s", path, dir, strerror(saved));
        free(dir);
        return -1;
    }
    int rc = 0;
    if (fsync(fd) != 0 && errno != EINVAL) {
        int saved = errno;
        rc = lsnn_fail(e, "%s: cannot sync directory '%s': %s", path, dir, strerror(saved));
    }
    close(fd);
    free(dir);
    return rc;
}

/* Writes, fsyncs and closes the temp file. Returns 0, or -1 with the message in e (the fd is
 * closed either way; the temp file is left for the caller to remove). */
static int fill_temp_file(const char *path, int fd, const void *data, size_t n, lsnn_error *e)
{
    if (write_all(fd, data, n) != 0) {
        int saved = errno;
        close(fd);
        return lsnn_fail(e, "%s: cannot write: %s", path, strerror(saved));
    }
    if (fsync(fd) != 0) {
        int saved = errno;
        close(fd);
        return lsnn_fail(e, "%s: cannot sync: %s", path, strerror(saved));
    }
    if (close(fd) != 0) return lsnn_fail(e, "%s: cannot close: %s", path, strerror(errno));
    return 0;
}

/* Returns 0, or -1 with "PATH: cannot <step>: strerror". On failure before the rename PATH
 * is untouched and the temp file removed; if only the final directory fsync fails, PATH
 * already holds the new content. */
int lsnn_write_file_atomic(const char *path, const void *data, size_t n, lsnn_error *e)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 32);
    if (!tmp) return lsnn_fail(e, "%s: cannot write: %s", path, strerror(ENOMEM));
    snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());

    int fd;
    do {
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        int saved = errno;
        lsnn_fail(e, "%s: cannot create temporary file '%s': %s", path, tmp, strerror(saved));
        free(tmp);
        return -1;
    }
    if (fill_temp_file(path, fd, data, n, e) != 0) {
        unlink(tmp);
        free(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        int saved = errno;
        unlink(tmp);
        free(tmp);
        return lsnn_fail(e, "%s: cannot rename temporary file into place: %s", path,
                         strerror(saved));
    }
    free(tmp);
    return sync_parent_dir(path, e);
}

/* Creates one directory; an existing directory is fine. Returns 0, or -1 with errno set
 * (ENOTDIR when something other than a directory is in the way). */
static int make_one_dir(const char *dir)
{
    if (mkdir(dir, 0777) == 0) return 0;
    int saved = errno;
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return 0;
        errno = ENOTDIR;
        return -1;
    }
    errno = saved;
    return -1;
}

/* Returns 0, or -1 naming the path and the component that failed; directories created
 * before a failure are left in place. */
int lsnn_mkdir_p(const char *path, lsnn_error *e)
{
    if (!path[0]) return lsnn_fail(e, "mkdir: empty path");
    size_t n = strlen(path);
    char *buf = malloc(n + 1);
    if (!buf) return lsnn_fail(e, "%s: cannot create directory: %s", path, strerror(ENOMEM));
    memcpy(buf, path, n + 1);
    /* Create each prefix ending before a '/', then the whole path. */
    for (size_t i = 1; i <= n; i++) {
        if (i < n && buf[i] != '/') continue;
        if (i < n && buf[i - 1] == '/') continue; /* repeated slashes */
        char saved_ch = buf[i];
        buf[i] = '\0';
        int rc = make_one_dir(buf);
        int saved = errno;
        if (rc != 0) {
            lsnn_fail(e, "%s: cannot create directory '%s': %s", path, buf, strerror(saved));
            free(buf);
            return -1;
        }
        buf[i] = saved_ch;
    }
    free(buf);
    return 0;
}

int lsnn_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int lsnn_atomic_open(lsnn_atomic_file *a, const char *path, lsnn_error *e)
{
    size_t plen = strlen(path);
    memset(a, 0, sizeof *a);
    a->path = malloc(plen + 1);
    a->tmp = malloc(plen + 32);
    if (!a->path || !a->tmp) {
        lsnn_atomic_abort(a);
        return lsnn_fail(e, "%s: cannot write: %s", path, strerror(ENOMEM));
    }
    memcpy(a->path, path, plen + 1);
    snprintf(a->tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
    a->f = fopen(a->tmp, "w");
    if (!a->f) {
        int saved = errno;
        lsnn_fail(e, "%s: cannot create temporary file '%s': %s", path, a->tmp, strerror(saved));
        lsnn_atomic_abort(a);
        return -1;
    }
    return 0;
}

void lsnn_atomic_abort(lsnn_atomic_file *a)
{
    if (a->f) fclose(a->f);
    if (a->tmp && a->f) unlink(a->tmp);
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
}

int lsnn_atomic_commit(lsnn_atomic_file *a, lsnn_error *e)
{
    int rc = 0;
    if (fflush(a->f) != 0 || ferror(a->f))
        rc = lsnn_fail(e, "%s: cannot write: %s", a->path, strerror(errno));
    else if (fsync(fileno(a->f)) != 0)
        rc = lsnn_fail(e, "%s: cannot sync: %s", a->path, strerror(errno));
    if (rc) {
        lsnn_atomic_abort(a);
        return -1;
    }
    fclose(a->f);
    a->f = NULL;
    if (rename(a->tmp, a->path) != 0) {
        rc = lsnn_fail(e, "%s: cannot rename '%s' over it: %s", a->path, a->tmp, strerror(errno));
        unlink(a->tmp);
    } else {
        rc = sync_parent_dir(a->path, e);
    }
    lsnn_atomic_abort(a);
    return rc;
}
