#!/usr/bin/env bash
# speech_corpus.sh - the espeak-ng stand-in generator end to end on a tiny corpus (2 voices x
# 3 sentences): test_timit --corpus reads it with the TIMIT walker (phones of the 61-set,
# alignments in order and covering the audio, train and test voices apart), and a second run
# writes the same bytes.
#
# usage: bash tests/speech_corpus.sh SPEECH_SYNTH TEST_TIMIT SOURCE_DIR TMP_DIR
set -euo pipefail
SYNTH="$1" CHECKER="$2" SRC="$3" TMP="$4"
rm -rf "$TMP"
mkdir -p "$TMP"
digest() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }

LSNN_SPEECH_SYNTH="$SYNTH" bash "$SRC/tools/make_speech.sh" "$TMP/a" --tiny >"$TMP/a.log"
grep -q "espeak-ng stand-in corpus: 6 utterances (3 train, 3 test)" "$TMP/a.log" ||
    { cat "$TMP/a.log"; echo "speech_corpus: FAILED: corpus size line"; exit 1; }
"$CHECKER" --corpus "$TMP/a"
LSNN_SPEECH_SYNTH="$SYNTH" bash "$SRC/tools/make_speech.sh" "$TMP/b" --tiny >"$TMP/b.log"
[[ "$(digest "$TMP/a")" == "$(digest "$TMP/b")" ]] ||
    { echo "speech_corpus: FAILED: two runs wrote different bytes"; exit 1; }
[[ -z "$(find "$TMP" -name '*.tmp.*')" ]] || { echo "speech_corpus: FAILED: temp files left"; exit 1; }
# a bad option is refused by name
if bash "$SRC/tools/make_speech.sh" "$TMP/c" --per-speaker 999 2>"$TMP/c.err"; then
    echo "speech_corpus: FAILED: --per-speaker 999 accepted"; exit 1
fi
grep -q "per-speaker '999' out of range 1..240" "$TMP/c.err" || { cat "$TMP/c.err"; exit 1; }
echo "speech_corpus: passed (same bytes twice: $(digest "$TMP/a" | cut -c1-16))"
