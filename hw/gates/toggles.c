/* toggles.c - toggle counts per net of a gate-level VCD, split by the tick controller's state.
 *
 * usage: toggles VCD SCOPE PHASE_SIGNAL OUT.tsv
 *
 * Reads a Verilator VCD (a file or a FIFO: it is read once, front to back) and counts, for every
 * bit of every signal declared directly in scope SCOPE (the netlist's module: its nets, not the
 * cells' or the memories' insides), how often it changed between 0 and 1. Each change at time t
 * is charged to the value PHASE_SIGNAL (a signal of SCOPE, the controller's state register)
 * held before t: a clock edge's changes belong to the cycle that ended with it. A change to or
 * from x or z is not a toggle. Writes OUT.tsv: a header line `# cycles <posedges> phases <list>`
 * with the rising edges of the first signal named i_clk per phase, then one line per net bit:
 * name, then its toggles in each phase value 0..15. Exits 1 with a message on a malformed VCD.
 * Memory: one byte of value and 16 counters per bit.
 *
 * A FIFO is opened without blocking, so that this reader exists before the writer opens it
 * (Verilator opens its VCD with O_NONBLOCK, which fails on a FIFO without a reader); then the
 * file VCD.ready is created (hw/gates/run.sh starts the simulator after it appears), and the
 * end of the data is the writer's close. OUT.tsv is written as OUT.tsv.tmp and renamed. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NPH 16 /* phase values counted (the controller's state is 4 bits) */

typedef struct {
    char *name;   /* "n123" or "n31819[5]" */
    uint32_t bit; /* first bit's index in bits[] */
    uint32_t width;
} var;

static var *vars;
static size_t nvars, capvars;
static uint8_t *val;           /* per bit: 0, 1, 2 (x/z) */
static uint64_t (*cnt)[NPH];   /* per bit and phase */
static uint32_t nbits;
static int32_t *code_var;      /* VCD code (base 94) -> var index + 1, 0: not counted */
static size_t ncodes;
static long phase_var = -1, clk_var = -1;
static uint64_t cycles[NPH];

static void die(const char *m, const char *a)
{
    fprintf(stderr, "toggles: error: %s%s\n", m, a ? a : "");
    exit(1);
}

static char *copy_str(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    if (!d) die("out of memory", NULL);
    return strcpy(d, s);
}

/* a VCD identifier code ('!'..'~', 1..4 characters) as an index: base 95 with digits 1..94, so
 * that no two codes share one (a code of '!'s is not the empty code) */
static size_t code_index(const char *c)
{
    size_t k = 0, n = strlen(c);
    if (n < 1 || n > 4) die("VCD identifier code of unexpected length: ", c);
    for (size_t i = 0; i < n; i++) {
        if (c[i] < '!' || c[i] > '~') die("bad VCD identifier code: ", c);
        k = k * 95 + (size_t)(c[i] - 32);
    }
    return k;
}

static void add_code(const char *code, size_t v)
{
    size_t k = code_index(code);
    if (k >= ncodes) {
        size_t n = k + 1 > 2 * ncodes ? k + 1 : 2 * ncodes;
        code_var = realloc(code_var, n * sizeof *code_var);
        if (!code_var) die("out of memory", NULL);
        memset(code_var + ncodes, 0, (n - ncodes) * sizeof *code_var);
        ncodes = n;
    }
    code_var[k] = (int32_t)v + 1;
}

static int phase_now(void)
{
    if (phase_var < 0) return 0;
    const var *p = &vars[phase_var];
    int ph = 0;
    for (uint32_t i = 0; i < p->width && i < 4; i++)
        if (val[p->bit + i] == 1) ph |= 1 << i;
    return ph;
}

/* value s (MSB first, as VCD writes it) of var v, charged to phase ph */
static void change(long v, const char *s, int ph)
{
    const var *x = &vars[v];
    size_t n = strlen(s);
    for (uint32_t i = 0; i < x->width; i++) {
        /* a shorter value is extended with 0 (or x/z when its first character is x/z) */
        char c = i < n ? s[n - 1 - i] : (s[0] == 'x' || s[0] == 'z' ? s[0] : '0');
        uint8_t nv = c == '0' ? 0 : c == '1' ? 1 : 2;
        uint8_t *o = &val[x->bit + i];
        if (*o != nv && *o != 2 && nv != 2) cnt[x->bit + i][ph]++;
        if (v == clk_var && *o == 0 && nv == 1) cycles[ph]++;
        *o = nv;
    }
}

/* a line reader over a descriptor that may be a non-blocking FIFO */
static int in_fd;
static char ibuf[1 << 20];
static size_t ipos, ilen;
static int ieof;

static int fill(void)
{
    for (;;) {
        /* a FIFO without a writer reads as EOF: poll first, which waits for a writer's data
         * or its close (a FIFO opened before its writer reports no hangup until then) */
        struct pollfd p = {in_fd, POLLIN, 0};
        if (poll(&p, 1, -1) < 0) {
            if (errno == EINTR) continue;
            die("poll: ", strerror(errno));
        }
        ssize_t n = read(in_fd, ibuf, sizeof ibuf);
        if (n > 0) {
            ipos = 0, ilen = (size_t)n;
            return 1;
        }
        if (n == 0) return 0; /* the writer closed (or a plain file ended) */
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            die("read: ", strerror(errno));
    }
}

static int get_line(char *line, size_t cap)
{
    size_t n = 0;
    if (ieof) return 0;
    for (;;) {
        if (ipos == ilen && !fill()) {
            ieof = 1;
            line[n] = 0;
            return n > 0;
        }
        char c = ibuf[ipos++];
        if (c == '\n') break;
        if (n + 1 < cap) line[n++] = c;
    }
    line[n] = 0;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 5) die("usage: toggles VCD SCOPE PHASE_SIGNAL OUT.tsv", NULL);
    in_fd = open(argv[1], O_RDONLY | O_NONBLOCK);
    if (in_fd < 0) die("cannot open ", argv[1]);
    {
        char ready[4096];
        snprintf(ready, sizeof ready, "%s.ready", argv[1]);
        FILE *r = fopen(ready, "w");
        if (!r || fclose(r)) die("cannot create ", ready);
    }
    static char line[1 << 16];
    int depth = 0, in_scope = 0, scope_depth = -1;
    /* header */
    while (get_line(line, sizeof line)) {
        char a[256], b[256], c[256], d[256];
        if (!strncmp(line, "$enddefinitions", 15)) break;
        if (sscanf(line, " $scope %255s %255s", a, b) == 2) {
            depth++;
            if (!strcmp(b, argv[2]) && scope_depth < 0) scope_depth = depth, in_scope = 1;
            continue;
        }
        if (sscanf(line, " $upscope %255s", a) == 1) {
            if (depth == scope_depth) in_scope = 0, scope_depth = -2; /* only the first such scope */
            depth--;
            continue;
        }
        int w;
        /* $var wire 4 # ctrl_state [3:0] $end */
        int k = sscanf(line, " $var %255s %d %255s %255s %255s", a, &w, b, c, d);
        if (k < 4 || !in_scope || depth != scope_depth) continue;
        if (w <= 0) die("bad width in: ", line);
        if (nvars == capvars) {
            capvars = capvars ? 2 * capvars : 4096;
            vars = realloc(vars, capvars * sizeof *vars);
            if (!vars) die("out of memory", NULL);
        }
        var *x = &vars[nvars];
        char name[600];
        if (k == 5 && d[0] == '[' && w > 1) snprintf(name, sizeof name, "%s", c);
        else if (k == 5 && d[0] == '[') snprintf(name, sizeof name, "%s%s", c, d);
        else snprintf(name, sizeof name, "%s", c);
        /* a one-bit var of a bus, declared with its index ("n5 [3]"), keeps it */
        x->name = copy_str(name);
        x->bit = nbits;
        x->width = (uint32_t)w;
        /* base index of a declared range [hi:lo]: kept in the name by the writer below */
        int hi = w - 1, lo = 0;
        if (k == 5 && d[0] == '[' && w > 1 && sscanf(d, "[%d:%d]", &hi, &lo) == 2 && lo != 0) {
            char *nn = malloc(strlen(name) + 24);
            sprintf(nn, "%s@%d", name, lo); /* bit i is name[lo + i] */
            free(x->name);
            x->name = nn;
        }
        nbits += (uint32_t)w;
        if (!strcmp(c, argv[3])) phase_var = (long)nvars;
        if (!strcmp(c, "i_clk")) clk_var = (long)nvars;
        add_code(b, nvars);
        nvars++;
    }
    if (!nvars) die("no signals in scope ", argv[2]);
    if (phase_var < 0) die("no phase signal ", argv[3]);
    if (clk_var < 0) die("no i_clk in scope ", argv[2]);
    val = malloc(nbits);
    cnt = calloc(nbits, sizeof *cnt);
    if (!val || !cnt) die("out of memory", NULL);
    memset(val, 2, nbits);
    /* body */
    int ph = 0;
    while (get_line(line, sizeof line)) {
        char *s = line;
        size_t n = strlen(s);
        while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) s[--n] = 0;
        if (!n) continue;
        if (s[0] == '#') {
            ph = phase_now();
            continue;
        }
        if (s[0] == '$') continue; /* $dumpvars, $end, ... */
        const char *v, *code;
        char one[2] = {0, 0};
        if (s[0] == 'b' || s[0] == 'B') {
            char *sp = strchr(s, ' ');
            if (!sp) die("bad vector change: ", s);
            *sp = 0;
            v = s + 1;
            code = sp + 1;
        } else if (s[0] == 'r' || s[0] == 'R') {
            continue; /* reals: none in a netlist */
        } else {
            one[0] = s[0];
            v = one;
            code = s + 1;
        }
        size_t k = code_index(code);
        if (k < ncodes && code_var[k]) change(code_var[k] - 1, v, ph);
    }
    close(in_fd);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[4]);
    FILE *o = fopen(tmp, "w");
    if (!o) die("cannot write ", tmp);
    fprintf(o, "# cycles");
    for (int p = 0; p < NPH; p++) fprintf(o, " %llu", (unsigned long long)cycles[p]);
    fprintf(o, "\n");
    for (size_t i = 0; i < nvars; i++) {
        const var *x = &vars[i];
        char base[600];
        int lo = 0;
        snprintf(base, sizeof base, "%s", x->name);
        char *at = strchr(base, '@');
        if (at) *at = 0, lo = atoi(at + 1);
        for (uint32_t b = 0; b < x->width; b++) {
            uint64_t tot = 0;
            for (int p = 0; p < NPH; p++) tot += cnt[x->bit + b][p];
            if (x->width > 1) fprintf(o, "%s[%u]", base, (unsigned)(lo + (int)b));
            else fprintf(o, "%s", base);
            (void)tot;
            for (int p = 0; p < NPH; p++) fprintf(o, "\t%llu", (unsigned long long)cnt[x->bit + b][p]);
            fprintf(o, "\n");
        }
    }
    if (fclose(o)) die("cannot write ", tmp);
    if (rename(tmp, argv[4])) die("cannot rename to ", argv[4]);
    return 0;
}
