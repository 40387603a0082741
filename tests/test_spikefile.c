/* test_spikefile.c - the lsnn-spikes reader (runtime/formats/spikefile.c, docs/trace-format.md §3).
 *
 * Valid files (comments, blank lines, tabs, CRLF line ends, no final newline, long comments,
 * with and without windows) give exactly the expected CSR batch and windows; malformed files
 * give exactly "FILE:LINE: error: MESSAGE" naming the limit broken, and nothing is silently
 * truncated or skipped (over-long lines, NUL bytes, trailing tokens, glued keywords). */
#include <stdint.h>

#include "batch.h"
#include "check.h"
#include "fileio.h"
#include "spikefile.h"

static int parse(const char *text, size_t len, int n_out, lsnn_batch *b, int *labelled,
                 lsnn_error *e)
{
    return lsnn_spikefile_parse("in.spk", text, len, n_out, b, labelled, e);
}

/* The batch's CSR as "cell:ch,ch;" for every non-empty cell. */
static void csr_text(const lsnn_batch *b, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t c = 0; c < (size_t)b->n_seq * b->n_steps; c++) {
        if (b->in_ptr[c + 1] == b->in_ptr[c]) continue;
        n += (size_t)snprintf(out + n, cap - n, "%zu:", c);
        for (uint32_t k = b->in_ptr[c]; k < b->in_ptr[c + 1]; k++)
            n += (size_t)snprintf(out + n, cap - n, "%s%u", k > b->in_ptr[c] ? "," : "",
                                  (unsigned)b->in_idx[k]);
        n += (size_t)snprintf(out + n, cap - n, ";");
    }
}

static void win_text(const lsnn_batch *b, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < b->n_win; i++)
        n += (size_t)snprintf(out + n, cap - n, "%d[%d,%d)%d;", b->win[i].seq, b->win[i].start,
                              b->win[i].end, b->win[i].label);
}

static void expect_ok(const char *what, const char *text, size_t len, int n_out, int seq, int steps,
                      int channels, const char *csr, const char *wins, int labelled)
{
    lsnn_batch b = {0};
    lsnn_error e = {{0}};
    int lab = -1;
    char got_csr[4096], got_win[1024];
    int rc = parse(text, len, n_out, &b, &lab, &e);
    CHECK(rc == 0, "%s: %s", what, e.msg);
    if (rc == 0) {
        CHECK(b.n_seq == seq && b.n_steps == steps && b.n_in == channels, "%s: sizes %d x %d x %d",
              what, b.n_seq, b.n_steps, b.n_in);
        CHECK(lsnn_batch_check(&b, n_out > 0 ? n_out : 1) == 0, "%s: batch check", what);
        csr_text(&b, got_csr, sizeof got_csr);
        win_text(&b, got_win, sizeof got_win);
        CHECK(!strcmp(got_csr, csr), "%s: spikes '%s', want '%s'", what, got_csr, csr);
        CHECK(!strcmp(got_win, wins), "%s: windows '%s', want '%s'", what, got_win, wins);
        CHECK(lab == labelled, "%s: labelled %d, want %d", what, lab, labelled);
    }
    lsnn_batch_free(&b);
}

static void expect_bad_n(const char *text, size_t len, int n_out, const char *want)
{
    lsnn_batch b = {0};
    lsnn_error e = {{0}};
    int lab = -1;
    int rc = parse(text, len, n_out, &b, &lab, &e);
    CHECK(rc == -1 && !strcmp(e.msg, want), "want '%s', got rc %d '%s'", want, rc, e.msg);
    lsnn_batch_free(&b);
}

static void expect_bad(const char *text, const char *want)
{
    expect_bad_n(text, strlen(text), 3, want);
}

#define HDR "lsnn-spikes 1\nchannels 20 steps 10 sequences 2\n"

static void test_valid(void)
{
    const char *labelled = "# input spikes\n"
                           "lsnn-spikes 1   # version\n"
                           "\n"
                           "channels 20 steps 10 sequences 2\n"
                           "# seq step channel\n"
                           "0 0 3\n"
                           "0 0 7\n"
                           "  0\t5\t19  \n"
                           "window 0 5 10 1\n"
                           "\n"
                           "1 2 0 # a spike\n"
                           "1 9 15\n"
                           "+1 9 16\n"
                           "window 1 0 10 2\n"
                           "window\t0 0 3 0\n";
    expect_ok("labelled", labelled, strlen(labelled), 3, 2, 10, 20, "0:3,7;5:19;12:0;19:15,16;",
              "0[5,10)1;1[0,10)2;0[0,3)0;", 1);
    /* CRLF line ends, no windows: one unlabelled window per sequence; no final newline */
    const char *crlf = "lsnn-spikes 1\r\nchannels 4 steps 3 sequences 3\r\n\r\n0 0 0\r\n"
                       "0 0 3   # comment\r\n2 2 3";
    expect_ok("CRLF, no windows", crlf, strlen(crlf), 3, 3, 3, 4, "0:0,3;8:3;",
              "0[0,3)0;1[0,3)0;2[0,3)0;", 0);
    /* no spikes at all, no readouts */
    expect_ok("empty trains", HDR, strlen(HDR), 0, 2, 10, 20, "", "0[0,10)0;1[0,10)0;", 0);
    /* a 255-character line and a comment far longer than that are fine */
    char text[2048];
    int n = snprintf(text, sizeof text, HDR "0 5 6 #");
    memset(text + n, 'x', 1000);
    snprintf(text + n + 1000, sizeof text - (size_t)n - 1000, "\n%250s1 2 3", "");
    expect_ok("long comment", text, strlen(text), 3, 2, 10, 20, "5:6;12:3;", "0[0,10)0;1[0,10)0;",
              0);
    /* the largest sizes the header allows */
    const char *big = "lsnn-spikes 1\nchannels 65536 steps 100 sequences 1\n0 99 65535\n";
    expect_ok("largest channel", big, strlen(big), 1, 1, 100, 65536, "99:65535;", "0[0,100)0;", 0);

    /* the same batch reused for a second file; and through a file on disk */
    lsnn_batch b = {0};
    lsnn_error e = {{0}};
    int lab;
    CHECK(parse(labelled, strlen(labelled), 3, &b, &lab, &e) == 0, "%s", e.msg);
    CHECK(parse(crlf, strlen(crlf), 3, &b, &lab, &e) == 0 && b.n_win == 3 && b.n_spikes == 3 &&
              !lab,
          "reused batch: %s", e.msg);
    char path[1200];
    snprintf(path, sizeof path, "%s/bad.spk", check_tmpdir("test_spikefile"));
    const char *bad = HDR "0 1 2\n0 1 20\n";
    CHECK(lsnn_write_file_atomic(path, bad, strlen(bad), &e) == 0, "%s", e.msg);
    char want[1400];
    snprintf(want, sizeof want, "%s:4: error: channel 20 is not in 0..19", path);
    CHECK(lsnn_spikefile_load(path, 3, &b, &lab, &e) == -1 && !strcmp(e.msg, want),
          "load: got '%s', want '%s'", e.msg, want);
    lsnn_batch_free(&b);
}

static void test_malformed(void)
{
    /* version and header */
    expect_bad("lsnn-spikes 2\n", "in.spk:1: error: the first line must be 'lsnn-spikes 1'");
    expect_bad("lsnn-spikes 1.5\n", "in.spk:1: error: the first line must be 'lsnn-spikes 1'");
    expect_bad("lsnn-spikes 1 x\n", "in.spk:1: error: the first line must be 'lsnn-spikes 1'");
    expect_bad("lsnn-spike 1\n", "in.spk:1: error: the first line must be 'lsnn-spikes 1'");
    expect_bad("\n# comment\nwindow 0 0 1 0\n",
               "in.spk:3: error: the first line must be 'lsnn-spikes 1'");
    expect_bad("", "in.spk:1: error: no header: the first line must be 'lsnn-spikes 1'");
    expect_bad("# nothing\n\n",
               "in.spk:2: error: no header: the first line must be 'lsnn-spikes 1'");
    expect_bad("lsnn-spikes 1\n", "in.spk:1: error: expected 'channels C steps T sequences S'");
    expect_bad("lsnn-spikes 1\n0 0 0\n",
               "in.spk:2: error: expected 'channels C steps T sequences S'");
    expect_bad("lsnn-spikes 1\nchannels 20 steps 10\n",
               "in.spk:2: error: expected 'channels C steps T sequences S'");
    expect_bad("lsnn-spikes 1\nchannels 20 steps 10 sequences 2 7\n",
               "in.spk:2: error: expected 'channels C steps T sequences S'");
    expect_bad("lsnn-spikes 1\nchannels 20 steps 10 sequences 2x\n",
               "in.spk:2: error: '2x' is not an integer");
    /* sizes */
    expect_bad("lsnn-spikes 1\nchannels 0 steps 10 sequences 2\n",
               "in.spk:2: error: channels must be in 1..65536, got 0");
    expect_bad("lsnn-spikes 1\nchannels 65537 steps 10 sequences 2\n",
               "in.spk:2: error: channels must be in 1..65536, got 65537");
    expect_bad("lsnn-spikes 1\nchannels 2 steps 10000001 sequences 2\n",
               "in.spk:2: error: steps must be in 1..10000000, got 10000001");
    expect_bad("lsnn-spikes 1\nchannels 2 steps 10 sequences -1\n",
               "in.spk:2: error: sequences must be in 1..1000000, got -1");
    expect_bad("lsnn-spikes 1\nchannels 2 steps 10000000 sequences 11\n",
               "in.spk:2: error: sequences x steps must be at most 100000000, got 11 x 10000000");
    expect_bad("lsnn-spikes 1\nchannels 99999999999999999999 steps 10 sequences 2\n",
               "in.spk:2: error: integer '99999999999999999999' is out of range");
    /* spikes: ranges */
    expect_bad(HDR "0 3 20\n", "in.spk:3: error: channel 20 is not in 0..19");
    expect_bad(HDR "0 3 -1\n", "in.spk:3: error: channel -1 is not in 0..19");
    expect_bad(HDR "2 0 0\n",
               "in.spk:3: error: sequence 2 step 0 is outside the header's sizes (2 x 10)");
    expect_bad(HDR "1 10 0\n",
               "in.spk:3: error: sequence 1 step 10 is outside the header's sizes (2 x 10)");
    expect_bad(HDR "-1 0 0\n",
               "in.spk:3: error: sequence -1 step 0 is outside the header's sizes (2 x 10)");
    /* order and duplicates */
    expect_bad(HDR "0 3 2\n\n0 2 2\n",
               "in.spk:5: error: spikes must be in ascending (sequence, step, channel) order: "
               "0 2 2 follows 0 3 2");
    expect_bad(HDR "1 0 0\n0 9 5\n",
               "in.spk:4: error: spikes must be in ascending (sequence, step, channel) order: "
               "0 9 5 follows 1 0 0");
    expect_bad(HDR "0 3 5\n0 3 4\n",
               "in.spk:4: error: spikes must be in ascending (sequence, step, channel) order: "
               "0 3 4 follows 0 3 5");
    expect_bad(HDR "0 3 5\n0 3 5\n", "in.spk:4: error: spike 0 3 5 is listed twice");
    /* windows */
    expect_bad(HDR "window 0 5 11 0\n",
               "in.spk:3: error: window [5, 11) is not inside the sequence's steps [0, 10)");
    expect_bad(HDR "window 0 5 5 0\n",
               "in.spk:3: error: window [5, 5) is not inside the sequence's steps [0, 10)");
    expect_bad(HDR "window 0 -1 5 0\n",
               "in.spk:3: error: window [-1, 5) is not inside the sequence's steps [0, 10)");
    expect_bad(HDR "window 2 0 5 0\n", "in.spk:3: error: window sequence 2 is not in 0..1");
    expect_bad(HDR "window 0 0 5 3\n",
               "in.spk:3: error: window label 3 is not a class of the network (0..2)");
    expect_bad(HDR "window 0 0 5 -1\n",
               "in.spk:3: error: window label -1 is not a class of the network (0..2)");
    expect_bad_n(HDR "window 0 0 5 0\n", strlen(HDR) + 15, 0,
                 "in.spk:3: error: window label 0: the network has no readout classes");
    expect_bad(HDR "window 0 0 5\n", "in.spk:3: error: expected 'window SEQ START END LABEL'");
    expect_bad(HDR "window 0 0 5 1 1\n", "in.spk:3: error: expected 'window SEQ START END LABEL'");
    expect_bad(HDR "window0 0 5 1\n",
               "in.spk:3: error: expected 'SEQ STEP CHANNEL' or a window line");
    expect_bad(HDR "window 0 0 5 one\n", "in.spk:3: error: 'one' is not an integer");
    /* garbage tokens and overlong numbers */
    expect_bad(HDR "0 1\n", "in.spk:3: error: expected 'SEQ STEP CHANNEL' or a window line");
    expect_bad(HDR "0 1 2 3\n", "in.spk:3: error: expected 'SEQ STEP CHANNEL' or a window line");
    expect_bad(HDR "0 x 2\n", "in.spk:3: error: 'x' is not an integer");
    expect_bad(HDR "0 1 2abc\n", "in.spk:3: error: '2abc' is not an integer");
    expect_bad(HDR "0 0x1 2\n", "in.spk:3: error: '0x1' is not an integer");
    expect_bad(HDR "0 1 2.0\n", "in.spk:3: error: '2.0' is not an integer");
    expect_bad(HDR "0 1 -\n", "in.spk:3: error: '-' is not an integer");
    expect_bad(HDR "0 1 2,\n", "in.spk:3: error: '2,' is not an integer");
    expect_bad(HDR "spike 1 2\n", "in.spk:3: error: 'spike' is not an integer");
    expect_bad(HDR "0 0 99999999999999999999\n",
               "in.spk:3: error: integer '99999999999999999999' is out of range");
    expect_bad(HDR "0 0 9223372036854775807\n",
               "in.spk:3: error: channel 9223372036854775807 is not in 0..19");
    /* nothing silently cut: a line longer than the limit, a NUL byte */
    char text[1024];
    snprintf(text, sizeof text, HDR "0 0 1%300s7\n", "");
    expect_bad(text, "in.spk:3: error: the line is longer than 255 characters (comments aside)");
    snprintf(text, sizeof text, "lsnn-spikes 1\nchannels 20 steps 10 sequences 2%300s\n", "");
    expect_ok("trailing blanks", text, strlen(text), 3, 2, 10, 20, "", "0[0,10)0;1[0,10)0;", 0);
    snprintf(text, sizeof text, "lsnn-spikes 1\nchannels 20 steps 10 sequences 2%300s1\n", "");
    expect_bad(text, "in.spk:2: error: the line is longer than 255 characters (comments aside)");
    static const char nul[] = HDR "0 0 1\0 junk\n";
    expect_bad_n(nul, sizeof nul - 1, 3, "in.spk:3: error: the line holds a NUL byte");
    static const char nul_comment[] = HDR "0 0 1 # \0 in a comment\n";
    expect_ok("NUL in a comment", nul_comment, sizeof nul_comment - 1, 3, 2, 10, 20, "0:1;",
              "0[0,10)0;1[0,10)0;", 0);
}

int main(void)
{
    test_valid();
    test_malformed();
    return check_report();
}
