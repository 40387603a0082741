/* timit.c - the TIMIT tree walker and the .PHN reader.
 *
 * Distributions differ in the case of names (TRAIN/DR1/MDAB0/SA1.WAV on the LDC discs,
 * train/dr1/mdab0/sa1.wav on others), so every name is matched without regard to case and
 * reported in upper case; the paths are kept as found. Listing reads no audio: a full TIMIT
 * tree (6300 utterances) is listed in milliseconds. */
#include "timit.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fileio.h"

#define PHN_MAX_LINE 256

/* ---- .PHN ---- */

void lsnn_timit_phn_free(lsnn_timit_phn *p)
{
    if (!p) return;
    free(p->segs);
    memset(p, 0, sizeof *p);
}

/* Parses one non-blank line "START END PHONE" into s. */
static int parse_line(const char *name, int lineno, const char *line, lsnn_timit_seg *s,
                      lsnn_error *e)
{
    char phone[16], extra[2];
    long long a, b;
    int got = sscanf(line, "%lld %lld %15s %1s", &a, &b, phone, extra);
    if (got != 3)
        return lsnn_fail(e, "%s:%d: expected 'START END PHONE' (two sample numbers and a phone)",
                         name, lineno);
    if (a < 0 || b < 0 || a > LONG_MAX || b > LONG_MAX)
        return lsnn_fail(e, "%s:%d: sample numbers must be 0..%ld", name, lineno, LONG_MAX);
    if (a >= b)
        return lsnn_fail(e, "%s:%d: segment %lld..%lld is empty or reversed (start < end needed)",
                         name, lineno, a, b);
    s->phone = lsnn_timit_phone_index(phone);
    if (s->phone < 0)
        return lsnn_fail(e, "%s:%d: unknown phone '%s' (not one of TIMIT's 61)", name, lineno,
                         phone);
    s->start = (long)a;
    s->end = (long)b;
    return 0;
}

int lsnn_timit_parse_phn(const char *name, const char *text, size_t len, long n_samples,
                         lsnn_timit_phn *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    int cap = 0, lineno = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        const char *start = text + pos;
        pos += n + 1;
        lineno++;
        if (n >= PHN_MAX_LINE) {
            lsnn_fail(e, "%s:%d: line longer than %d bytes", name, lineno, PHN_MAX_LINE - 1);
            goto fail;
        }
        char line[PHN_MAX_LINE];
        memcpy(line, start, n);
        line[n] = '\0';
        if (memchr(start, '\0', n)) {
            lsnn_fail(e, "%s:%d: NUL byte in a text file", name, lineno);
            goto fail;
        }
        size_t k = 0;
        while (line[k] && isspace((unsigned char)line[k]))
            k++;
        if (!line[k]) continue; /* blank lines, and the \r of CRLF files */
        if (out->n == LSNN_TIMIT_MAX_SEGS) {
            lsnn_fail(e, "%s:%d: more than %d segments", name, lineno, LSNN_TIMIT_MAX_SEGS);
            goto fail;
        }
        if (out->n == cap) {
            cap = cap ? 2 * cap : 64;
            lsnn_timit_seg *ns = realloc(out->segs, (size_t)cap * sizeof *ns);
            if (!ns) {
                lsnn_fail(e, "%s: out of memory", name);
                goto fail;
            }
            out->segs = ns;
        }
        lsnn_timit_seg *s = &out->segs[out->n];
        if (parse_line(name, lineno, line, s, e)) goto fail;
        if (out->n > 0 && s->start < out->segs[out->n - 1].end) {
            lsnn_fail(e,
                      "%s:%d: segment starts at %ld, before the previous one ends (%ld): "
                      "segments must be in time order without overlap",
                      name, lineno, s->start, out->segs[out->n - 1].end);
            goto fail;
        }
        if (n_samples >= 0 && s->end > n_samples) {
            lsnn_fail(e, "%s:%d: segment ends at sample %ld, past the audio's %ld samples", name,
                      lineno, s->end, n_samples);
            goto fail;
        }
        out->n++;
    }
    if (out->n == 0) {
        lsnn_fail(e, "%s: no segments", name);
        goto fail;
    }
    return 0;
fail:
    lsnn_timit_phn_free(out);
    return -1;
}

int lsnn_timit_read_phn(const char *path, long n_samples, lsnn_timit_phn *out, lsnn_error *e)
{
    char *text;
    size_t len;
    memset(out, 0, sizeof *out);
    if (lsnn_read_file(path, &text, &len, e)) return -1;
    int rc = lsnn_timit_parse_phn(path, text, len, n_samples, out, e);
    free(text);
    return rc;
}

/* ---- the tree ---- */

typedef struct {
    lsnn_timit_corpus *c;
    int cap;
    const lsnn_timit_opts *o;
} walker;

static char *join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *p = malloc(na + nb + 2);
    if (!p) return NULL;
    memcpy(p, a, na);
    p[na] = '/';
    memcpy(p + na + 1, b, nb + 1);
    return p;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void upcase(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)toupper((unsigned char)src[i]);
    dst[i] = '\0';
}

/* The sorted entry names of a directory (hidden ones left out). */
static int list_dir(const char *path, char ***names, int *n, lsnn_error *e)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(path);
    if (!d) return lsnn_fail(e, "%s: cannot open folder: %s", path, strerror(errno));
    int cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 32;
            char **nn = realloc(*names, (size_t)cap * sizeof *nn);
            if (!nn) goto oom;
            *names = nn;
        }
        size_t len = strlen(de->d_name);
        (*names)[*n] = malloc(len + 1);
        if (!(*names)[*n]) goto oom;
        memcpy((*names)[(*n)++], de->d_name, len + 1);
    }
    closedir(d);
    /* insertion sort (folders hold tens of entries), without regard to case, so that upper
     * and lower case trees list in one order */
    for (int i = 1; i < *n; i++)
        for (int j = i; j > 0 && strcasecmp((*names)[j - 1], (*names)[j]) > 0; j--) {
            char *t = (*names)[j];
            (*names)[j] = (*names)[j - 1];
            (*names)[j - 1] = t;
        }
    return 0;
oom:
    closedir(d);
    for (int i = 0; i < *n; i++)
        free((*names)[i]);
    free(*names);
    *names = NULL;
    *n = 0;
    return lsnn_fail(e, "%s: out of memory listing the folder", path);
}

static void free_names(char **names, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Finds the entry of names (case-insensitive) equal to stem + ext; -1 if none. */
static int find_file(char **names, int n, const char *stem, size_t stem_len, const char *ext)
{
    for (int i = 0; i < n; i++)
        if (strncasecmp(names[i], stem, stem_len) == 0 && strcasecmp(names[i] + stem_len, ext) == 0)
            return i;
    return -1;
}

/* Adds the utterances of one speaker folder. */
static int walk_speaker(walker *w, const char *dir, const char *speaker, int dialect, int in_test,
                        lsnn_error *e)
{
    char **names;
    int n;
    if (list_dir(dir, &names, &n, e)) return -1;
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        const char *dot = strchr(names[i], '.');
        if (!dot || strchr(dot + 1, '.')) continue; /* no extension, or two (SA1.WAV.wav) */
        int is_wav = strcasecmp(dot, ".wav") == 0, is_phn = strcasecmp(dot, ".phn") == 0;
        if (!is_wav && !is_phn) continue;
        size_t stem = (size_t)(dot - names[i]);
        int other = find_file(names, n, names[i], stem, is_wav ? ".phn" : ".wav");
        if (other < 0) {
            rc = lsnn_fail(e, "%s/%s has no %s beside it", dir, names[i],
                           is_wav ? "UTT.PHN alignment" : "UTT.WAV audio");
            break;
        }
        if (is_phn) continue; /* the pair is added once, from its .WAV */
        if (stem == 0 || stem >= 16) {
            rc = lsnn_fail(e, "%s/%s: utterance name must be 1..15 characters", dir, names[i]);
            break;
        }
        char up[16];
        upcase(up, names[i], stem + 1);
        if (!w->o->keep_sa && strncmp(up, "SA", 2) == 0) continue;
        if (w->c->n == w->cap) {
            int ncap = w->cap ? 2 * w->cap : 256;
            lsnn_timit_utt *nu = realloc(w->c->utts, (size_t)ncap * sizeof *nu);
            if (!nu) {
                rc = lsnn_fail(e, "%s: out of memory", dir);
                break;
            }
            w->c->utts = nu;
            w->cap = ncap;
        }
        lsnn_timit_utt *u = &w->c->utts[w->c->n];
        memset(u, 0, sizeof *u);
        u->wav = join(dir, names[i]);
        u->phn = join(dir, names[other]);
        if (!u->wav || !u->phn) {
            free(u->wav);
            free(u->phn);
            rc = lsnn_fail(e, "%s: out of memory", dir);
            break;
        }
        memcpy(u->name, up, sizeof up);
        upcase(u->speaker, speaker, sizeof u->speaker);
        u->sex = u->speaker[0];
        u->dialect = dialect;
        u->split = !in_test                              ? LSNN_TIMIT_TRAIN
                   : lsnn_timit_is_core_test(u->speaker) ? LSNN_TIMIT_TEST
                                                         : LSNN_TIMIT_VALID;
        w->c->n++;
    }
    free_names(names, n);
    return rc;
}

/* Adds the utterances under ROOT/TRAIN or ROOT/TEST (dir). */
static int walk_set(walker *w, const char *dir, int in_test, lsnn_error *e)
{
    char **regions;
    int nr;
    if (list_dir(dir, &regions, &nr, e)) return -1;
    int rc = 0;
    for (int i = 0; i < nr && rc == 0; i++) {
        char *rdir = join(dir, regions[i]);
        if (!rdir) {
            rc = lsnn_fail(e, "%s: out of memory", dir);
            break;
        }
        if (!is_dir(rdir)) { /* README files and the like beside the regions */
            free(rdir);
            continue;
        }
        const char *r = regions[i];
        if (strlen(r) != 3 || strncasecmp(r, "dr", 2) != 0 || r[2] < '1' || r[2] > '8') {
            rc = lsnn_fail(e, "%s: expected dialect region folders DR1..DR8", rdir);
            free(rdir);
            break;
        }
        char **speakers;
        int ns;
        rc = list_dir(rdir, &speakers, &ns, e);
        for (int j = 0; j < ns && rc == 0; j++) {
            char *sdir = join(rdir, speakers[j]);
            if (!sdir) {
                rc = lsnn_fail(e, "%s: out of memory", rdir);
                break;
            }
            const char *s = speakers[j];
            if (!is_dir(sdir)) {
                free(sdir);
                continue;
            }
            char sex = (char)toupper((unsigned char)s[0]);
            if ((sex != 'M' && sex != 'F') || strlen(s) < 2 || strlen(s) > 15)
                rc = lsnn_fail(e,
                               "%s: a speaker folder's name is M or F then the speaker's ID "
                               "(2..15 characters, e.g. MDAB0)",
                               sdir);
            else
                rc = walk_speaker(w, sdir, s, r[2] - '0', in_test, e);
            free(sdir);
        }
        free_names(speakers, ns);
        free(rdir);
    }
    free_names(regions, nr);
    return rc;
}

void lsnn_timit_corpus_free(lsnn_timit_corpus *c)
{
    if (!c) return;
    for (int i = 0; i < c->n; i++) {
        free(c->utts[i].wav);
        free(c->utts[i].phn);
    }
    free(c->utts);
    memset(c, 0, sizeof *c);
}

int lsnn_timit_list(const char *root, const lsnn_timit_opts *opts, lsnn_timit_corpus *out,
                    lsnn_error *e)
{
    static const lsnn_timit_opts defaults = {0};
    walker w = {out, 0, opts ? opts : &defaults};
    memset(out, 0, sizeof *out);
    char **top;
    int nt, found = 0, rc = 0;
    if (list_dir(root, &top, &nt, e)) return -1;
    for (int pass = 0; pass < 2 && rc == 0; pass++) { /* TRAIN first, then TEST */
        for (int i = 0; i < nt && rc == 0; i++) {
            if (strcasecmp(top[i], pass ? "test" : "train") != 0) continue;
            char *dir = join(root, top[i]);
            if (!dir) {
                rc = lsnn_fail(e, "%s: out of memory", root);
                break;
            }
            if (is_dir(dir)) {
                found++;
                rc = walk_set(&w, dir, pass, e);
            }
            free(dir);
        }
    }
    free_names(top, nt);
    if (rc == 0 && !found)
        rc = lsnn_fail(e,
                       "%s: no TRAIN or TEST folder (expected ROOT/TRAIN/DR1/SPEAKER/UTT.WAV, "
                       "names in upper or lower case)",
                       root);
    if (rc == 0 && out->n == 0)
        rc = lsnn_fail(e, "%s: no utterances (UTT.WAV with UTT.PHN) under TRAIN or TEST", root);
    if (rc) {
        lsnn_timit_corpus_free(out);
        return -1;
    }
    /* No core test speaker in TEST/ (the espeak-ng stand-in): all of TEST/ tests. */
    int any_core = 0;
    for (int i = 0; i < out->n; i++)
        any_core |= out->utts[i].split == LSNN_TIMIT_TEST;
    for (int i = 0; i < out->n; i++) {
        if (!any_core && out->utts[i].split == LSNN_TIMIT_VALID)
            out->utts[i].split = LSNN_TIMIT_TEST;
        out->n_split[out->utts[i].split]++;
    }
    return 0;
}
