/* test_timit.c - the TIMIT walker on a tree written here (mixed case names, SA sentences,
 * core test speakers, every rejection), the .PHN reader, the 39-class folding, frame labels
 * and the scorer on hand-computed examples.
 *
 * With --corpus DIR it checks a generated corpus instead (tests/speech_corpus.sh, the
 * espeak-ng stand-in): readable by the walker, train and test voices disjoint, every .PHN
 * covering its audio from the first sample to the last without gap or overlap. */
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fileio.h"
#include "sphere.h"
#include "timit.h"

static char root[900];

static const char *path_of(const char *rel)
{
    static char bufs[4][1400];
    static int next;
    char *p = bufs[next++ % 4];
    snprintf(p, 1400, "%s/%s", root, rel);
    return p;
}

static void put(const char *rel, const char *text)
{
    char dir[1400];
    snprintf(dir, sizeof dir, "%s", path_of(rel));
    *strrchr(dir, '/') = '\0';
    lsnn_error e;
    CHECK(lsnn_mkdir_p(dir, &e) == 0, "mkdir %s: %s", dir, e.msg);
    CHECK(lsnn_write_file_atomic(path_of(rel), text, strlen(text), &e) == 0, "write %s", rel);
}

static const char PHN_OK[] = "0 1000 h#\n1000 1500 ah\n1700 3000 s\n";

/* An utterance: 3200 samples of SPHERE audio and PHN_OK. */
static void put_utt(const char *rel_stem, const char *wav_ext, const char *phn_ext)
{
    static int16_t x[3200];
    lsnn_sphere s = {.sample_rate = 16000, .n = 3200, .samples = x};
    char rel[300];
    lsnn_error e;
    snprintf(rel, sizeof rel, "%s%s", rel_stem, wav_ext);
    put(rel, ""); /* makes the folder */
    CHECK(lsnn_sphere_write(path_of(rel), &s, 0, &e) == 0, "sphere %s", rel);
    snprintf(rel, sizeof rel, "%s%s", rel_stem, phn_ext);
    put(rel, PHN_OK);
}

static void test_phones(void)
{
    CHECK(lsnn_timit_phone_index("iy") == 0 && lsnn_timit_phone_index("h#") == 60 &&
              lsnn_timit_phone_index("ax-h") == 19 && lsnn_timit_phone_index("sil") == -1,
          "phone indices");
    CHECK(strcmp(lsnn_timit_phone_name(57), "q") == 0 &&
              strcmp(lsnn_timit_phone_name(61), "?") == 0,
          "phone names");
    struct {
        const char *phone, *cls;
    } folds[] = {{"ao", "aa"},   {"ax", "ah"},   {"ax-h", "ah"}, {"axr", "er"},  {"hv", "hh"},
                 {"ix", "ih"},   {"el", "l"},    {"em", "m"},    {"en", "n"},    {"nx", "n"},
                 {"eng", "ng"},  {"zh", "sh"},   {"ux", "uw"},   {"pcl", "sil"}, {"tcl", "sil"},
                 {"kcl", "sil"}, {"bcl", "sil"}, {"dcl", "sil"}, {"gcl", "sil"}, {"h#", "sil"},
                 {"pau", "sil"}, {"epi", "sil"}, {"dx", "dx"},   {"iy", "iy"}};
    for (size_t i = 0; i < sizeof folds / sizeof folds[0]; i++) {
        int c = lsnn_timit_fold(lsnn_timit_phone_index(folds[i].phone));
        CHECK(strcmp(lsnn_timit_class_name(c), folds[i].cls) == 0, "%s folds to %s, not %s",
              folds[i].phone, lsnn_timit_class_name(c), folds[i].cls);
    }
    CHECK(lsnn_timit_fold(lsnn_timit_phone_index("q")) == LSNN_TIMIT_NONE, "q folds to nothing");
    CHECK(lsnn_timit_fold(-1) == LSNN_TIMIT_NONE && lsnn_timit_fold(61) == LSNN_TIMIT_NONE,
          "out of range");
    /* every class is reached; 13 phones merge into another phone's class and 9 into the new
     * class sil, q goes: 61 - 13 - 9 + 1 - 1 = 39 */
    int seen[LSNN_TIMIT_CLASSES] = {0}, merged = 0;
    for (int i = 0; i < LSNN_TIMIT_PHONES; i++) {
        int c = lsnn_timit_fold(i);
        if (c >= 0) merged += seen[c]++ > 0 || strcmp(lsnn_timit_class_name(c), "sil") == 0;
    }
    for (int c = 0; c < LSNN_TIMIT_CLASSES; c++)
        CHECK(seen[c] > 0, "class %s reached", lsnn_timit_class_name(c));
    CHECK(merged == 22, "13 + 9 phones merged: %d", merged);
    CHECK(lsnn_timit_is_core_test("MDAB0") && lsnn_timit_is_core_test("fmld0") &&
              !lsnn_timit_is_core_test("FCJF0") && !lsnn_timit_is_core_test("MDAB"),
          "core test speakers");
}

static int idx(const char *p)
{
    return lsnn_timit_phone_index(p);
}

static void test_score(void)
{
    const char *ref[] = {"h#", "pcl", "ao", "aa", "q", "ix", "zh", "k"};
    const char *pred[] = {"q", "dcl", "ao", "ah", "h#", "ix", "s", NULL};
    int r[8], p[8];
    for (int i = 0; i < 8; i++) {
        r[i] = idx(ref[i]);
        p[i] = pred[i] ? idx(pred[i]) : 99; /* out of range: an error, not a crash */
    }
    /* scored: all but the q frame (7); wrong: q for sil, ah for aa, s for sh, 99 for k */
    lsnn_timit_score s = {0};
    lsnn_timit_score_add(&s, p, r, 8);
    CHECK(s.frames == 7 && s.errors == 4, "frames %ld errors %ld", s.frames, s.errors);
    int sil = lsnn_timit_fold(idx("h#")), aa = lsnn_timit_fold(idx("aa"));
    int ih = lsnn_timit_fold(idx("ih")), sh = lsnn_timit_fold(idx("sh"));
    CHECK(s.class_frames[sil] == 2 && s.class_errors[sil] == 1, "sil 1/2");
    CHECK(s.class_frames[aa] == 2 && s.class_errors[aa] == 1, "aa 1/2");
    CHECK(s.class_frames[ih] == 1 && s.class_errors[ih] == 0, "ih 0/1");
    CHECK(s.class_frames[sh] == 1 && s.class_errors[sh] == 1, "sh 1/1");
    CHECK(s.errors * 7 == 4 * s.frames && lsnn_timit_score_rate(&s) > 0.571 &&
              lsnn_timit_score_rate(&s) < 0.572,
          "rate 4/7");
    lsnn_timit_score_add(&s, r, r, 8); /* the reference itself: 7 more right */
    CHECK(s.frames == 14 && s.errors == 4, "self-score adds no error");
    lsnn_timit_score z = {0};
    CHECK(lsnn_timit_score_rate(&z) == 0.0, "empty score");
}

static void test_frames(void)
{
    lsnn_timit_phn p;
    lsnn_error e = {{0}};
    CHECK(lsnn_timit_parse_phn("x.phn", PHN_OK, strlen(PHN_OK), 3200, &p, &e) == 0, "%s", e.msg);
    CHECK(lsnn_timit_n_frames(3200, 400, 160) == 18 && lsnn_timit_n_frames(400, 400, 160) == 1 &&
              lsnn_timit_n_frames(399, 400, 160) == 0,
          "frame counts");
    int lab[18];
    lsnn_timit_frame_labels(&p, 400, 160, lab, 18);
    /* centre of frame t: 160 t + 200; the gap 1500..1700 holds frame 9's centre 1640 */
    CHECK(lab[0] == idx("h#") && lab[4] == idx("h#") && lab[5] == idx("ah"), "frames 0, 4, 5");
    CHECK(lab[8] == idx("ah") && lab[9] == LSNN_TIMIT_NONE && lab[10] == idx("s") &&
              lab[17] == idx("s"),
          "frames 8, 9 (gap), 10, 17");
    lsnn_timit_phn_free(&p);
}

static void expect_phn(const char *text, long n, const char *needle, const char *what)
{
    lsnn_timit_phn p;
    lsnn_error e = {{0}};
    CHECK(lsnn_timit_parse_phn("u.phn", text, strlen(text), n, &p, &e) == -1, "%s fails", what);
    CHECK(strstr(e.msg, needle) != NULL, "%s: '%s' lacks '%s'", what, e.msg, needle);
    CHECK(p.segs == NULL && p.n == 0, "%s: empty", what);
}

static void test_phn_errors(void)
{
    expect_phn("0 10 h#\n10 20 xx\n", -1, "u.phn:2: unknown phone 'xx' (not one of TIMIT's 61)",
               "unknown phone");
    expect_phn("0 10 h#\n10 5 ah\n", -1, "u.phn:2: segment 10..5 is empty or reversed", "reversed");
    expect_phn("0 10 h#\n8 20 ah\n", -1,
               "u.phn:2: segment starts at 8, before the previous one "
               "ends (10)",
               "overlap");
    expect_phn("0 10 h#\n10 20 ah\n", 15, "u.phn:2: segment ends at sample 20, past the audio's 15",
               "past the end");
    expect_phn("0 10 h#\n\n10 x ah\n", -1, "u.phn:3: expected 'START END PHONE'", "bad number");
    expect_phn("0 10 h# extra\n", -1, "u.phn:1: expected 'START END PHONE'", "extra field");
    expect_phn("-5 10 h#\n", -1, "u.phn:1: sample numbers must be 0..", "negative");
    expect_phn("\n \n", -1, "u.phn: no segments", "empty");
    char long_line[400];
    memset(long_line, '1', sizeof long_line - 1);
    long_line[399] = '\0';
    expect_phn(long_line, -1, "u.phn:1: line longer than 255 bytes", "long line");
    lsnn_timit_phn p;
    lsnn_error e;
    const char *crlf = "0 10 h#\r\n10 20 ah\r\n";
    CHECK(lsnn_timit_parse_phn("c.phn", crlf, strlen(crlf), 20, &p, &e) == 0 && p.n == 2 &&
              p.segs[1].phone == idx("ah"),
          "CRLF lines");
    lsnn_timit_phn_free(&p);
}

static void test_walker(void)
{
    put_utt("TRAIN/DR1/FCJF0/SA1", ".WAV", ".PHN");
    put_utt("TRAIN/DR1/FCJF0/SI1027", ".WAV", ".PHN");
    put("TRAIN/DR1/FCJF0/SI1027.TXT", "0 3200 Some text.\n");
    put("TRAIN/README", "not a region\n");
    put_utt("train/dr2/mabc0/si5", ".wav", ".phn");
    put_utt("train/dr2/mabc0/sa2", ".wav", ".PHN"); /* mixed within one utterance */
    put("train/dr2/mabc0/si5.wav.wav", "a converted copy, ignored");
    put_utt("TEST/DR1/MDAB0/SX13", ".WAV", ".PHN");
    put_utt("TEST/DR3/mxyz0/sx1", ".wav", ".phn");
    /* both TRAIN and train: one tree may be a merge of two; both are walked */
    lsnn_timit_corpus c;
    lsnn_error e = {{0}};
    CHECK(lsnn_timit_list(root, NULL, &c, &e) == 0, "list: %s", e.msg);
    CHECK(c.n == 4, "4 utterances without SA, got %d", c.n);
    if (c.n == 4) {
        CHECK(strcmp(c.utts[0].speaker, "FCJF0") == 0 && strcmp(c.utts[0].name, "SI1027") == 0 &&
                  c.utts[0].sex == 'F' && c.utts[0].dialect == 1 &&
                  c.utts[0].split == LSNN_TIMIT_TRAIN,
              "FCJF0 SI1027");
        CHECK(strcmp(c.utts[1].speaker, "MABC0") == 0 && strcmp(c.utts[1].name, "SI5") == 0 &&
                  c.utts[1].sex == 'M' && c.utts[1].dialect == 2 &&
                  strstr(c.utts[1].wav, "train/dr2/mabc0/si5.wav") &&
                  strstr(c.utts[1].phn, "si5.phn"),
              "MABC0 si5 (lower case paths kept)");
        CHECK(strcmp(c.utts[2].speaker, "MDAB0") == 0 && c.utts[2].split == LSNN_TIMIT_TEST,
              "core test speaker tests");
        CHECK(strcmp(c.utts[3].speaker, "MXYZ0") == 0 && c.utts[3].split == LSNN_TIMIT_VALID &&
                  c.utts[3].dialect == 3,
              "other TEST speaker validates");
        CHECK(c.n_split[LSNN_TIMIT_TRAIN] == 2 && c.n_split[LSNN_TIMIT_VALID] == 1 &&
                  c.n_split[LSNN_TIMIT_TEST] == 1,
              "split counts");
        lsnn_timit_phn p;
        CHECK(lsnn_timit_read_phn(c.utts[1].phn, 3200, &p, &e) == 0 && p.n == 3, "read: %s", e.msg);
        lsnn_timit_phn_free(&p);
    }
    lsnn_timit_corpus_free(&c);
    lsnn_timit_opts keep = {.keep_sa = 1};
    CHECK(lsnn_timit_list(root, &keep, &c, &e) == 0 && c.n == 6, "6 with SA: %d", c.n);
    if (c.n == 6)
        CHECK(strcmp(c.utts[0].name, "SA1") == 0 && strcmp(c.utts[2].name, "SA2") == 0,
              "SA listed in order");
    lsnn_timit_corpus_free(&c);

    /* the core speaker gone: all of TEST/ tests, nothing validates */
    char from[1400], to[1400];
    snprintf(from, sizeof from, "%s", path_of("TEST/DR1/MDAB0"));
    snprintf(to, sizeof to, "%s", path_of("TEST/DR1/MDAC0"));
    CHECK(rename(from, to) == 0, "rename");
    CHECK(lsnn_timit_list(root, NULL, &c, &e) == 0 && c.n_split[LSNN_TIMIT_TEST] == 2 &&
              c.n_split[LSNN_TIMIT_VALID] == 0,
          "no core speaker: TEST/ tests");
    lsnn_timit_corpus_free(&c);
    CHECK(rename(to, from) == 0, "rename back");

    /* a malformed .PHN line is named by file and line when read */
    put("TEST/DR3/mxyz0/sx1.phn", "0 1000 h#\n1000 1500 ah\n1500 two s\n");
    lsnn_timit_phn p;
    CHECK(lsnn_timit_read_phn(path_of("TEST/DR3/mxyz0/sx1.phn"), 3200, &p, &e) == -1 &&
              strstr(e.msg, "TEST/DR3/mxyz0/sx1.phn:3: expected 'START END PHONE'"),
          "malformed line: %s", e.msg);

    /* rejections of the tree */
    put("TEST/DR3/mxyz0/sx2.wav", "x");
    CHECK(lsnn_timit_list(root, NULL, &c, &e) == -1 &&
              strstr(e.msg, "TEST/DR3/mxyz0/sx2.wav has no UTT.PHN alignment beside it") &&
              c.n == 0 && c.utts == NULL,
          "wav without phn: %s", e.msg);
    remove(path_of("TEST/DR3/mxyz0/sx2.wav"));
    put("TEST/DR3/mxyz0/sx3.PHN", "0 1 h#\n");
    CHECK(lsnn_timit_list(root, NULL, &c, &e) == -1 &&
              strstr(e.msg, "sx3.PHN has no UTT.WAV audio beside it"),
          "phn without wav: %s", e.msg);
    remove(path_of("TEST/DR3/mxyz0/sx3.PHN"));
    put("TEST/DR9/MABC1/x", "");
    CHECK(lsnn_timit_list(root, NULL, &c, &e) == -1 &&
              strstr(e.msg, "TEST/DR9: expected dialect region folders DR1..DR8"),
          "DR9: %s", e.msg);
    remove(path_of("TEST/DR9/MABC1/x"));
    rmdir(path_of("TEST/DR9/MABC1"));
    rmdir(path_of("TEST/DR9"));
    put("TEST/DR4/XABC0/x", "");
    CHECK(lsnn_timit_list(root, NULL, &c, &e) == -1 &&
              strstr(e.msg, "TEST/DR4/XABC0: a speaker folder's name is M or F"),
          "bad speaker: %s", e.msg);
    remove(path_of("TEST/DR4/XABC0/x"));
    rmdir(path_of("TEST/DR4/XABC0"));
    CHECK(lsnn_timit_list(root, NULL, &c, &e) == 0, "clean again: %s", e.msg);
    lsnn_timit_corpus_free(&c);
    CHECK(lsnn_timit_list(path_of("TRAIN/DR1"), NULL, &c, &e) == -1 &&
              strstr(e.msg, "no TRAIN or TEST folder"),
          "not a root: %s", e.msg);
    CHECK(lsnn_timit_list(path_of("nowhere"), NULL, &c, &e) == -1 &&
              strstr(e.msg, "nowhere: cannot open folder"),
          "missing root: %s", e.msg);
}

/* --corpus DIR: the checks of a generated corpus (see the top of this file). */
static int check_corpus(const char *dir)
{
    lsnn_timit_corpus c;
    lsnn_error e = {{0}};
    lsnn_timit_opts keep = {.keep_sa = 1};
    CHECK(lsnn_timit_list(dir, &keep, &c, &e) == 0, "list %s: %s", dir, e.msg);
    CHECK(c.n_split[LSNN_TIMIT_TRAIN] > 0 && c.n_split[LSNN_TIMIT_TEST] > 0,
          "train and test utterances: %d, %d", c.n_split[0], c.n_split[2]);
    long frames = 0, phones = 0;
    for (int i = 0; i < c.n; i++) {
        const lsnn_timit_utt *u = &c.utts[i];
        for (int j = 0; j < c.n; j++)
            if (c.utts[j].split != u->split)
                CHECK(strcmp(c.utts[j].speaker, u->speaker) != 0, "voice %s in two splits",
                      u->speaker);
        lsnn_sphere s;
        lsnn_timit_phn p;
        if (lsnn_sphere_load(u->wav, &s, &e)) {
            CHECK(0, "%s", e.msg);
            continue;
        }
        CHECK(s.sample_rate == LSNN_TIMIT_RATE, "%s: rate %d", u->wav, s.sample_rate);
        if (lsnn_timit_read_phn(u->phn, s.n, &p, &e) == 0) {
            CHECK(p.segs[0].start == 0 && p.segs[p.n - 1].end == s.n, "%s covers 0..%ld: %ld..%ld",
                  u->phn, s.n, p.segs[0].start, p.segs[p.n - 1].end);
            for (int k = 1; k < p.n; k++)
                CHECK(p.segs[k].start == p.segs[k - 1].end, "%s: gap before segment %d", u->phn,
                      k + 1);
            long nf = lsnn_timit_n_frames(s.n, LSNN_TIMIT_WINDOW, LSNN_TIMIT_HOP);
            int *lab = malloc((size_t)(nf ? nf : 1) * sizeof *lab);
            lsnn_timit_frame_labels(&p, LSNN_TIMIT_WINDOW, LSNN_TIMIT_HOP, lab, nf);
            for (long t = 0; t < nf; t++)
                CHECK(lab[t] >= 0 && lab[t] < LSNN_TIMIT_PHONES, "%s: frame %ld unlabelled", u->phn,
                      t);
            free(lab);
            frames += nf;
            phones += p.n;
        } else {
            CHECK(0, "%s", e.msg);
        }
        lsnn_timit_phn_free(&p);
        lsnn_sphere_free(&s);
    }
    printf("%s: %d utterances (%d train, %d test), %ld phones, %ld frames\n", dir, c.n,
           c.n_split[0], c.n_split[2], phones, frames);
    lsnn_timit_corpus_free(&c);
    return check_report();
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--corpus") == 0) return check_corpus(argv[2]);
    snprintf(root, sizeof root, "%s/tree", check_tmpdir("test_timit"));
    test_phones();
    test_score();
    test_frames();
    test_phn_errors();
    test_walker();
    return check_report();
}
