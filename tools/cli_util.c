/* cli_util.c - small helpers every lsnn command may use. */
#include "cli_util.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"

const char *cli_shipped(const char *rel)
{
    static char buf[4][4096];
    static int next;
    if (access(rel, F_OK) == 0) return rel;
    /* the source tree lsnn was built from, then where `cmake --install` put models/ */
    const char *dirs[2] = {LSNN_SHARE_DIR, LSNN_INSTALL_SHARE_DIR};
    for (int i = 0; i < 2; i++) {
        char *b = buf[next++ % 4];
        snprintf(b, sizeof buf[0], "%s/%s", dirs[i], rel);
        if (access(b, F_OK) == 0) return b;
    }
    return rel;
}

void cli_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* A tick number of --vcd-ticks: digits only; "" is absent (-1). -2 if malformed. */
static long tick_number(const char *s, size_t n)
{
    if (!n) return -1;
    long x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || x > 100000000000L) return -2;
        x = 10 * x + (s[i] - '0');
    }
    return x;
}

int cli_tick_range(const char *cmd, const char *s, long *from, long *to)
{
    const char *colon = strchr(s, ':');
    long a = colon ? tick_number(s, (size_t)(colon - s)) : -2;
    long b = colon ? tick_number(colon + 1, strlen(colon + 1)) : -2;
    if (a == -2 || b == -2 || (a < 0 && b < 0) || (b >= 0 && b <= (a < 0 ? 0 : a))) {
        fprintf(stderr,
                "lsnn %s: --vcd-ticks must be A:B with 0 <= A < B (ticks A .. B-1, counting "
                "from 0 over the run; A or B may be left out), got '%s'\n",
                cmd, s);
        return -1;
    }
    *from = a < 0 ? 0 : a;
    *to = b < 0 ? 0 : b;
    return 0;
}

void cli_vcd_limits(char *buf, size_t n, int given, long from, long to, const char *scope)
{
    int k = 0;
    buf[0] = 0;
    if (given && to)
        k = snprintf(buf, n, "ticks %ld..%ld", from, to - 1);
    else if (given)
        k = snprintf(buf, n, "ticks %ld..end", from);
    if (scope && k >= 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, "%sscope %s", k ? ", " : "", scope);
}

void cli_size_of(const char *path, char *buf, size_t n)
{
    struct stat st;
    double x = 0;
    buf[0] = 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return;
    x = (double)st.st_size;
    if (x >= 1e9)
        snprintf(buf, n, "%.1f GB", x / 1e9);
    else if (x >= 1e6)
        snprintf(buf, n, "%.1f MB", x / 1e6);
    else if (x >= 1e3)
        snprintf(buf, n, "%.1f kB", x / 1e3);
    else
        snprintf(buf, n, "%.0f bytes", x);
}

void cli_wrote_add(cli_wrote *w, const char *kind, const char *path, const char *note)
{
    if (!path || w->n >= sizeof w->line) return;
    char size[64];
    cli_size_of(path, size, sizeof size);
    int has_note = note && *note;
    w->n += (size_t)snprintf(w->line + w->n, sizeof w->line - w->n, "%s%s %s%s%s%s%s%s",
                             w->n ? ", " : "", kind, path, size[0] || has_note ? " (" : "", size,
                             size[0] && has_note ? ", " : "", has_note ? note : "",
                             size[0] || has_note ? ")" : "");
}

void cli_wrote_print(const cli_wrote *w, const char *cmd, int mode)
{
    if (w->n) lsnn_progress_note(mode, "lsnn %s: wrote %s", cmd, w->line);
}
