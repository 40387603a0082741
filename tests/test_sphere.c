/* test_sphere.c - NIST SPHERE reader/writer: round trips in both byte orders, and every
 * rejection (truncated, corrupt and oversized headers, compressed codings) by its message. */
#include "check.h"
#include "fileio.h"
#include "sphere.h"

static char dir[900];

static const char *path_of(const char *name)
{
    static char bufs[4][1024];
    static int next;
    char *p = bufs[next++ % 4];
    snprintf(p, 1024, "%s/%s", dir, name);
    return p;
}

static void test_round_trip(void)
{
    int16_t x[5] = {0, 1, -1, 32767, -32768};
    lsnn_sphere s = {.sample_rate = 16000, .n = 5, .samples = x}, got;
    lsnn_error e = {{0}};
    for (int big = 0; big <= 1; big++) {
        const char *p = path_of(big ? "be.wav" : "le.wav");
        CHECK(lsnn_sphere_write(p, &s, big, &e) == 0, "write: %s", e.msg);
        char *raw;
        size_t len;
        CHECK(lsnn_read_file(p, &raw, &len, &e) == 0, "read back");
        CHECK(len == 1024 + 10, "size %zu", len);
        CHECK(memcmp(raw, "NIST_1A\n   1024\n", 16) == 0, "magic and size line");
        CHECK(strstr(raw, big ? "sample_byte_format -s2 10" : "sample_byte_format -s2 01"),
              "byte format field");
        /* 1 is 01 00 little-endian, 00 01 big-endian */
        CHECK((uint8_t)raw[1026] == (big ? 0 : 1) && (uint8_t)raw[1027] == (big ? 1 : 0),
              "sample byte order (big %d)", big);
        free(raw);
        CHECK(lsnn_sphere_load(p, &got, &e) == 0, "load: %s", e.msg);
        CHECK(got.n == 5 && got.sample_rate == 16000 && memcmp(got.samples, x, sizeof x) == 0,
              "round trip (big %d)", big);
        lsnn_sphere_free(&got);
    }
    /* an empty file of samples, and the header size stated as other than 1024 */
    lsnn_sphere empty = {.sample_rate = 8000};
    CHECK(lsnn_sphere_write(path_of("empty.wav"), &empty, 0, &e) == 0, "write empty");
    CHECK(lsnn_sphere_load(path_of("empty.wav"), &got, &e) == 0 && got.n == 0, "empty: %s", e.msg);
    lsnn_sphere_free(&got);
    const char small[] = "NIST_1A\n   64\nsample_count -i 1\nsample_rate -i 16000\n"
                         "sample_n_bytes -i 2\nsample_byte_format -s2 10\nend_head\n";
    char buf[256];
    memset(buf, ' ', sizeof buf);
    /* the text is longer than 64: this checks the header size is honoured as stated */
    CHECK(lsnn_sphere_parse("x", small, sizeof small - 1, &got, &e) == -1 &&
              strstr(e.msg, "no end_head line within its 64 bytes"),
          "header longer than stated: %s", e.msg);
    const char ok[] = "NIST_1A\n    128\nsample_count -i 1\nsample_rate -i 16000\n"
                      "sample_n_bytes -i 2\nsample_byte_format -s2 10\nend_head\n";
    memcpy(buf, ok, sizeof ok - 1);
    buf[128] = 0x12, buf[129] = 0x34;
    CHECK(lsnn_sphere_parse("x", buf, 130, &got, &e) == 0 && got.n == 1 && got.samples[0] == 0x1234,
          "128-byte header, big-endian: %s", e.msg);
    lsnn_sphere_free(&got);
}

/* Parses header text (padded to 1024 with spaces) plus n_data bytes, and expects failure
 * with needle in the message. */
static void expect_fail(const char *text, size_t n_data, const char *needle, const char *what)
{
    static char buf[1024 + 64];
    memset(buf, ' ', sizeof buf);
    memcpy(buf, text, strlen(text));
    lsnn_sphere s;
    lsnn_error e = {{0}};
    size_t len = strlen(text) > 1024 ? strlen(text) : 1024 + n_data;
    int rc = lsnn_sphere_parse("f.wav", buf, len, &s, &e);
    CHECK(rc == -1, "%s: must fail", what);
    CHECK(strstr(e.msg, "f.wav") && strstr(e.msg, needle), "%s: message '%s' lacks '%s'", what,
          e.msg, needle);
    CHECK(s.samples == NULL && s.n == 0, "%s: output empty", what);
}

#define HEAD   "NIST_1A\n   1024\n"
#define FIELDS "sample_rate -i 16000\nsample_n_bytes -i 2\nsample_byte_format -s2 01\n"

static void test_rejections(void)
{
    lsnn_sphere s;
    lsnn_error e = {{0}};
    CHECK(lsnn_sphere_parse("f.wav", "NIST_1A\n", 8, &s, &e) == -1 &&
              strstr(e.msg, "truncated SPHERE header: 8 bytes, at least 16"),
          "8 bytes: %s", e.msg);
    CHECK(lsnn_sphere_parse("f.wav", "RIFF....WAVEfmt ", 16, &s, &e) == -1 &&
              strstr(e.msg, "not a NIST SPHERE file"),
          "RIFF: %s", e.msg);
    CHECK(lsnn_sphere_parse("f.wav", "NIST_1A\n   1024\nsample", 22, &s, &e) == -1 &&
              strstr(e.msg, "it states 1024 bytes, the file has 22"),
          "cut header: %s", e.msg);
    CHECK(lsnn_sphere_parse("f.wav", "NIST_1A\n 9999999\n", 17, &s, &e) == -1 &&
              strstr(e.msg, "header size 9999999 out of range 17..1048576"),
          "oversized header: %s", e.msg);
    CHECK(lsnn_sphere_parse("f.wav", "NIST_1A\n   x024\n", 16, &s, &e) == -1 &&
              strstr(e.msg, "line 2: expected the header size"),
          "bad size line: %s", e.msg);
    expect_fail(HEAD FIELDS "sample_count -i 4\n", 8, "no end_head line within its 1024", "no end");
    expect_fail(HEAD FIELDS "sample_count -i 4\nend_head\n", 6,
                "truncated: sample_count 4 needs 8 data bytes after the 1024-byte header, the file "
                "has 6",
                "short data");
    expect_fail(HEAD FIELDS "sample_count -i 4\nend_head\n", 10, "over-long: sample_count 4",
                "long data");
    expect_fail(HEAD FIELDS "sample_count -i 99999999999\nend_head\n", 0,
                "sample_count 99999999999 out of range 0..1000000000", "huge count");
    expect_fail(HEAD FIELDS "sample_count -i 4\nsample_coding -s26 pcm,embedded-shorten-v2.00\n"
                            "end_head\n",
                8,
                "sample_coding 'pcm,embedded-shorten-v2.00' is compressed; decompress the "
                "corpus first with sph2pipe",
                "shorten");
    expect_fail(HEAD FIELDS "sample_count -i 4\nsample_coding -s4 ulaw\nend_head\n", 8,
                "sample_coding 'ulaw' not supported", "ulaw");
    expect_fail(HEAD "sample_rate -i 16000\nsample_n_bytes -i 2\nsample_count -i 4\n"
                     "sample_byte_format -s2 11\nend_head\n",
                8, "sample_byte_format '11' not supported (01 or 10)", "byte format");
    expect_fail(HEAD "sample_rate -i 16000\nsample_n_bytes -i 1\nsample_count -i 4\n"
                     "sample_byte_format -s1 1\nend_head\n",
                4, "sample_n_bytes 1 not supported (only 2", "8-bit");
    expect_fail(HEAD FIELDS "sample_count -i 4\nchannel_count -i 2\nend_head\n", 8,
                "channel_count 2 not supported (only 1", "stereo");
    expect_fail(HEAD "sample_n_bytes -i 2\nsample_byte_format -s2 01\nsample_count -i 4\n"
                     "end_head\n",
                8, "lacks sample_rate", "no rate");
    expect_fail(HEAD FIELDS "sample_count -i 4x\nend_head\n", 8,
                "line 6: field sample_count: '4x' is not an integer", "bad int");
    expect_fail(HEAD FIELDS "sample_count -x 4\nend_head\n", 8,
                "line 6: field sample_count has type '-x'", "bad type");
    expect_fail(HEAD FIELDS "sample_count -i 4\ndatabase_id -s99 TIMIT\nend_head\n", 8,
                "line 7: field database_id: bad string length '-s99'", "string past line");
    expect_fail(HEAD FIELDS "sample_count\nend_head\n", 8, "line 6: expected 'NAME -TYPE VALUE'",
                "no type");
    expect_fail(HEAD FIELDS "sample_rate -i 0\nsample_count -i 4\nend_head\n", 8,
                "sample_rate 0 out of range 1..1000000", "zero rate");
    CHECK(lsnn_sphere_load(path_of("missing.wav"), &s, &e) == -1 &&
              strstr(e.msg, "missing.wav: cannot open"),
          "missing file: %s", e.msg);
    int16_t one = 1;
    lsnn_sphere bad = {.sample_rate = 0, .n = 1, .samples = &one};
    CHECK(lsnn_sphere_write(path_of("bad.wav"), &bad, 0, &e) == -1 &&
              strstr(e.msg, "sample_rate 0 out of range") && !lsnn_file_exists(path_of("bad.wav")),
          "write refuses rate 0: %s", e.msg);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s", check_tmpdir("test_sphere"));
    test_round_trip();
    test_rejections();
    return check_report();
}
