/* test_fileio.c - whole-file reads, atomic replacement without leftovers, mkdir -p. */
#include <dirent.h>
#include <unistd.h>

#include "check.h"
#include "fileio.h"

/* Number of entries in dir whose name contains ".tmp." (leftover temp files). */
static int count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL)
        if (strstr(ent->d_name, ".tmp.")) n++;
    closedir(d);
    return n;
}

/* 1 if path holds exactly the string want. */
static int file_equals(const char *path, const char *want)
{
    char *data;
    size_t len;
    lsnn_error e;
    if (lsnn_read_file(path, &data, &len, &e) != 0) return 0;
    int same = len == strlen(want) && memcmp(data, want, len) == 0 && data[len] == '\0';
    free(data);
    return same;
}

static void test_atomic_replace(const char *dir)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/replace.txt", dir);
    unlink(path);
    lsnn_error e = {{0}};
    CHECK(lsnn_file_exists(path) == 0, "%s should not exist yet", path);
    CHECK(lsnn_write_file_atomic(path, "first version\n", 14, &e) == 0, "%s", e.msg);
    CHECK(file_equals(path, "first version\n"), "first content");
    CHECK(lsnn_write_file_atomic(path, "second", 6, &e) == 0, "%s", e.msg);
    CHECK(file_equals(path, "second"), "content replaced");
    CHECK(lsnn_write_file_atomic(path, "", 0, &e) == 0, "%s", e.msg);
    CHECK(file_equals(path, ""), "empty file");
    CHECK(lsnn_file_exists(path) == 1, "exists after write");
    CHECK(count_temp_files(dir) == 0, "no temp files left in %s", dir);

    /* Binary content with NUL bytes, larger than any single buffer. */
    size_t n = 1 << 20;
    unsigned char *big = malloc(n);
    for (size_t i = 0; i < n; i++)
        big[i] = (unsigned char)(i * 7);
    CHECK(lsnn_write_file_atomic(path, big, n, &e) == 0, "%s", e.msg);
    char *back;
    size_t len;
    CHECK(lsnn_read_file(path, &back, &len, &e) == 0, "%s", e.msg);
    CHECK(len == n && memcmp(back, big, n) == 0, "binary round trip (%zu bytes)", len);
    free(back);
    free(big);
}

static void test_write_failures(const char *dir)
{
    lsnn_error e = {{0}};
    char path[1200];
    /* Missing directory: the temp file cannot be created. */
    snprintf(path, sizeof path, "%s/no/such/dir/file.txt", dir);
    CHECK(lsnn_write_file_atomic(path, "x", 1, &e) != 0, "write into a missing directory");
    CHECK(strstr(e.msg, path) != NULL, "message names the path: %s", e.msg);

    /* A non-empty directory in the way: the rename fails and the temp file is removed. */
    char sub[1200], inner[1300];
    snprintf(sub, sizeof sub, "%s/blocker", dir);
    snprintf(inner, sizeof inner, "%s/inside.txt", sub);
    CHECK(lsnn_mkdir_p(sub, &e) == 0, "%s", e.msg);
    CHECK(lsnn_write_file_atomic(inner, "y", 1, &e) == 0, "%s", e.msg);
    e.msg[0] = '\0';
    CHECK(lsnn_write_file_atomic(sub, "z", 1, &e) != 0, "rename over a directory must fail");
    CHECK(strncmp(e.msg, sub, strlen(sub)) == 0 && strstr(e.msg, "rename"),
          "message starts with the path and says what failed: %s", e.msg);
    CHECK(count_temp_files(dir) == 0, "temp file removed after a failed rename");
    CHECK(lsnn_file_exists(sub) == 0, "a directory is not a regular file");
}

static void test_read_errors(const char *dir)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/missing-file.bin", dir);
    lsnn_error e = {{0}};
    char *data = (char *)1;
    size_t len = 99;
    CHECK(lsnn_read_file(path, &data, &len, &e) != 0, "missing file");
    CHECK(strstr(e.msg, path) != NULL, "message names the path: %s", e.msg);
    CHECK(strstr(e.msg, "No such file") != NULL, "message has strerror: %s", e.msg);
    CHECK(data == NULL && len == 0, "outputs cleared on failure");
    CHECK(lsnn_read_file(dir, &data, &len, &e) != 0, "reading a directory fails");
    CHECK(strstr(e.msg, dir) != NULL, "message names the directory: %s", e.msg);
    CHECK(lsnn_read_file(path, &data, &len, NULL) != 0, "a NULL error is allowed");
}

static void test_mkdir_p(const char *dir)
{
    char path[1200], file[1300];
    lsnn_error e = {{0}};
    snprintf(path, sizeof path, "%s/mk/a/b//c/", dir);
    CHECK(lsnn_mkdir_p(path, &e) == 0, "%s", e.msg);
    struct stat st;
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode), "%s is a directory", path);
    CHECK(lsnn_mkdir_p(path, &e) == 0, "existing directory is fine: %s", e.msg);
    snprintf(path, sizeof path, "%s/mk/a/b/c/d", dir);
    CHECK(lsnn_mkdir_p(path, &e) == 0, "%s", e.msg);
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode), "%s is a directory", path);

    snprintf(file, sizeof file, "%s/mk/plain", dir);
    CHECK(lsnn_write_file_atomic(file, "f", 1, &e) == 0, "%s", e.msg);
    snprintf(path, sizeof path, "%s/mk/plain/sub", dir);
    CHECK(lsnn_mkdir_p(path, &e) != 0, "a file in the way must fail");
    CHECK(strstr(e.msg, path) && strstr(e.msg, "Not a directory"), "message: %s", e.msg);
    CHECK(lsnn_mkdir_p("", &e) != 0, "empty path rejected");
}

int main(void)
{
    const char *dir = check_tmpdir("test_fileio");
    test_atomic_replace(dir);
    test_write_failures(dir);
    test_read_errors(dir);
    test_mkdir_p(dir);
    return check_report();
}
