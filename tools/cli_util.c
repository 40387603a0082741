/* cli_util.c - small helpers every lsnn command may use. */
#include "cli_util.h"

#include <unistd.h>

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
