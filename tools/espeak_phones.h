/* espeak_phones.h - espeak-ng's English phoneme mnemonics as TIMIT phones (the table of
 * docs/speech-corpus.md), for tools/speech_synth.c. */
#ifndef LSNN_ESPEAK_PHONES_H
#define LSNN_ESPEAK_PHONES_H

/* What one espeak-ng phoneme becomes. */
typedef struct {
    const char *phone[2]; /* one or two TIMIT phones; phone[0] NULL: no phone of its own */
    double split;         /* with two phones: the first one's share of the duration */
    const char *closure;  /* a stop's or affricate's closure (bcl..kcl), or NULL */
    int pause;            /* 1: a pause (pau inside the utterance, h# at its ends) */
} espeak_phone;

/* Looks up mnemonic (espeakEVENT_PHONEME's id.string) for a rhotic (1) or non-rhotic (0)
 * accent. Returns the entry, or NULL for a mnemonic that the table lacks. */
const espeak_phone *espeak_phone_lookup(const char *mnemonic, int rhotic);

#endif
