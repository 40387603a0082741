/* cli_util.c - small helpers every lsnn command may use. */
#include "cli_util.h"

#include <unistd.h>

const char *cli_shipped(const char *rel)
{
    static char buf[4][4096];
    static int next;
    if (access(rel, F_OK) == 0) return rel;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", LSNN_SHARE_DIR, rel);
    return access(b, F_OK) == 0 ? b : rel;
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
