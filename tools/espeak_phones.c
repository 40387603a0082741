/* espeak_phones.c - the one table of espeak-ng (1.51) English mnemonics to TIMIT's 61 phones.
 *
 * Collected from espeak-ng's phoneme events for models/speech/sentences.txt in every voice of
 * tools/make_speech.sh, with the IPA of each mnemonic from espeak-ng's IPA mode. Vowels that
 * TIMIT writes as a vowel and r (the r-coloured "ɑːɹ", "ɛɹ") become two phones in rhotic
 * accents and a plain vowel (or vowel + schwa) in the others, so that a label says what the
 * voice says. Stops and affricates carry their closure, which tools/speech_synth.c finds in
 * the audio. docs/speech-corpus.md prints this table. */
#include "espeak_phones.h"

#include <string.h>

#define V1(p)                                                                                      \
    {                                                                                              \
        {p, NULL}, 1.0, NULL, 0                                                                    \
    }
#define V2(p, q, s)                                                                                \
    {                                                                                              \
        {p, q}, s, NULL, 0                                                                         \
    }
#define STOP(p, cl)                                                                                \
    {                                                                                              \
        {p, NULL}, 1.0, cl, 0                                                                      \
    }
#define PAUSE                                                                                      \
    {                                                                                              \
        {"pau", NULL}, 1.0, NULL, 1                                                                \
    }
#define NONE                                                                                       \
    {                                                                                              \
        {NULL, NULL}, 1.0, NULL, 0                                                                 \
    }

static const struct {
    const char *mnemonic;
    espeak_phone rhotic, plain; /* rhotic accents; the others */
} TABLE[] = {
    /* vowels */
    {"i:", V1("iy"), V1("iy")},
    {"i", V1("iy"), V1("iy")}, /* happY */
    {"I", V1("ih"), V1("ih")},
    {"I2", V1("ix"), V1("ix")}, /* unstressed */
    {"I#", V1("ix"), V1("ix")},
    {"E", V1("eh"), V1("eh")},
    {"a", V1("ae"), V1("ae")},
    {"aa", V1("ae"), V1("aa")}, /* BATH: ae in American, aa in British voices */
    {"A:", V1("aa"), V1("aa")},
    {"0", V1("aa"), V1("aa")}, /* LOT */
    {"V", V1("ah"), V1("ah")},
    {"O:", V1("ao"), V1("ao")},
    {"O2", V1("ao"), V1("ao")},
    {"U", V1("uh"), V1("uh")},
    {"u:", V1("uw"), V1("uw")},
    {"3:", V1("er"), V1("er")},
    {"IR", V1("er"), V1("er")}, /* Scottish "first" */
    {"VR", V1("er"), V1("er")}, /* Scottish "word" */
    {"3", V1("axr"), V1("ax")}, /* lettER: ɚ or ə */
    {"@", V1("ax"), V1("ax")},
    {"@2", V1("ax"), V1("ax")},
    {"@5", V1("ax"), V1("ax")},
    {"a#", V1("ax"), V1("ax")}, /* ɐ: "a", "about" */
    {"eI", V1("ey"), V1("ey")},
    {"aI", V1("ay"), V1("ay")},
    {"aI2", V1("ay"), V1("ay")},
    {"oU", V1("ow"), V1("ow")},
    {"aU", V1("aw"), V1("aw")},
    {"OI", V1("oy"), V1("oy")},
    {"aI@", V2("ay", "axr", 0.6), V2("ay", "ax", 0.6)}, /* fire */
    {"aI3", V2("ay", "axr", 0.6), V2("ay", "ax", 0.6)},
    {"aU@", V2("aw", "axr", 0.6), V2("aw", "ax", 0.6)}, /* hour */
    {"A@", V2("aa", "r", 0.6), V1("aa")},               /* start */
    {"O@", V2("ao", "r", 0.6), V1("ao")},               /* north */
    {"o@", V2("ao", "r", 0.6), V1("ao")},
    {"e@", V2("eh", "r", 0.6), V2("eh", "ax", 0.6)}, /* square */
    {"i@", V2("ih", "r", 0.6), V2("ih", "ax", 0.6)}, /* near */
    {"i@3", V2("ih", "r", 0.6), V2("ih", "ax", 0.6)},
    {"U@", V2("uh", "r", 0.6), V2("uh", "ax", 0.6)}, /* cure */
    /* stops and affricates, with their closures */
    {"b", STOP("b", "bcl"), STOP("b", "bcl")},
    {"d", STOP("d", "dcl"), STOP("d", "dcl")},
    {"g", STOP("g", "gcl"), STOP("g", "gcl")},
    {"p", STOP("p", "pcl"), STOP("p", "pcl")},
    {"t", STOP("t", "tcl"), STOP("t", "tcl")},
    {"t[", STOP("t", "tcl"), STOP("t", "tcl")}, /* dental, before th */
    {"t2", STOP("t", "tcl"), STOP("t", "tcl")},
    {"k", STOP("k", "kcl"), STOP("k", "kcl")},
    {"tS", STOP("ch", "tcl"), STOP("ch", "tcl")},
    {"dZ", STOP("jh", "dcl"), STOP("jh", "dcl")},
    {"t#", V1("dx"), V1("dx")}, /* the flap of American "better" */
    {"?", V1("q"), V1("q")},    /* glottal stop */
    /* fricatives */
    {"s", V1("s"), V1("s")},
    {"z", V1("z"), V1("z")},
    {"S", V1("sh"), V1("sh")},
    {"Z", V1("zh"), V1("zh")},
    {"f", V1("f"), V1("f")},
    {"v", V1("v"), V1("v")},
    {"T", V1("th"), V1("th")},
    {"D", V1("dh"), V1("dh")},
    {"h", V1("hh"), V1("hh")},
    /* nasals, semivowels */
    {"m", V1("m"), V1("m")},
    {"n", V1("n"), V1("n")},
    {"N", V1("ng"), V1("ng")},
    {"n-", V1("en"), V1("en")}, /* syllabic: button */
    {"l", V1("l"), V1("l")},
    {"@L", V1("el"), V1("el")}, /* syllabic: little */
    {"r", V1("r"), V1("r")},
    {"r-", V1("r"), V1("r")},
    {"w", V1("w"), V1("w")},
    {"w#", V1("w"), V1("w")}, /* "which" */
    {"j", V1("y"), V1("y")},
    /* pauses; ";" marks the palatal colouring of the phoneme before it, no phone of its own */
    {"_", PAUSE, PAUSE},
    {"_:", PAUSE, PAUSE},
    {"_!", PAUSE, PAUSE},
    {";", NONE, NONE},
};

const espeak_phone *espeak_phone_lookup(const char *mnemonic, int rhotic)
{
    for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++)
        if (strcmp(TABLE[i].mnemonic, mnemonic) == 0)
            return rhotic ? &TABLE[i].rhotic : &TABLE[i].plain;
    return NULL;
}
