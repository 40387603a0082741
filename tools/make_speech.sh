#!/usr/bin/env bash
# make_speech.sh - synthesises the espeak-ng stand-in corpus (docs/speech-corpus.md): English
# sentences spoken by espeak-ng voices, written in TIMIT's layout (ROOT/{TRAIN,TEST}/DRn/
# SPEAKER/SXi.{WAV,PHN,TXT}) so that lsnn_timit_list and the TIMIT scorer read it. It is not
# TIMIT and its numbers are not TIMIT's.
#
# Usage: tools/make_speech.sh [OUT_DIR] [--per-speaker N] [--snr DB] [--tiny]
#   OUT_DIR        default data/speech under the repository root (git-ignored)
#   --per-speaker  sentences per training voice, 1..240 (default 100: 3,000 training
#                  utterances; each test voice speaks all 60 test sentences)
#   --snr          white noise at this signal-to-noise ratio in dB (default 30)
#   --tiny         2 voices (1 training, 1 test) x 3 sentences, for tests
#
# Installs libespeak-ng-dev and espeak-ng-data with tools/setup.sh's functions if missing and
# builds build/tools/speech_synth if needed. The same arguments give the same bytes on every
# run (the checksum printed at the end). Writes into OUT_DIR.tmp.PID and renames it to OUT_DIR
# at the end, so an interrupted run leaves the old corpus or none, never half of one.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/data/speech"
PER=100
SNR=30
TINY=0
SENTENCES="$ROOT/models/speech/sentences.txt"
N_TRAIN_SENTENCES=240 # sentences 1..240 train, 241..300 test (models/speech/sentences.txt)
N_TEST_SENTENCES=60

die() {
    echo "make_speech: error: $*" >&2
    exit 1
}

while (($#)); do
    case "$1" in
        --per-speaker) PER="${2:-}"; shift 2 ;;
        --snr) SNR="${2:-}"; shift 2 ;;
        --tiny) TINY=1; shift ;;
        -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option '$1' (see tools/make_speech.sh --help)" ;;
        *) OUT="$1"; shift ;;
    esac
done
[[ "$PER" =~ ^[0-9]+$ ]] && ((PER >= 1 && PER <= N_TRAIN_SENTENCES)) ||
    die "--per-speaker '$PER' out of range 1..$N_TRAIN_SENTENCES"
[[ "$SNR" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--snr '$SNR' is not a number of dB (e.g. 30)"

# The voices: ID SPLIT DR VOICE RATE(wpm) PITCH(0-100) RHOTIC. A speaker is an espeak-ng accent
# with a voice variant: m1..m8 and f1..f5 (espeak-ng's own formant synthesiser), and 16 named
# variants, 4 of them on its Klatt synthesiser, so that training hears 23 variants and a
# model must learn phones rather than a few voices. The test voices' variants (m3, m8, f3, f4)
# never speak in training, nor do the two validation voices' (travis, grandma: DR8, the last
# training speakers, which task.validation_speakers = 2 holds out), so validation measures
# what the test measures: speech from a voice the model has never heard. The dialect region
# numbers the accent.
VOICES=(
    "MENA0 TRAIN 1 en+m1 165 45 0"
    "FENB0 TRAIN 1 en+f1 175 55 0"
    "MENC0 TRAIN 1 en+adam 170 40 0"
    "FEND0 TRAIN 1 en+anika 160 55 0"
    "MUSA0 TRAIN 2 en-us+m2 160 40 1"
    "FUSB0 TRAIN 2 en-us+f2 180 60 1"
    "MUSC0 TRAIN 2 en-us+benjamin 175 50 1"
    "FUSD0 TRAIN 2 en-us+belinda 165 45 1"
    "MSCA0 TRAIN 3 en-gb-scotland+m4 170 50 1"
    "FSCB0 TRAIN 3 en-gb-scotland+f5 155 65 1"
    "MSCC0 TRAIN 3 en-gb-scotland+david 160 45 1"
    "FSCD0 TRAIN 3 en-gb-scotland+linda 175 60 1"
    "MCAA0 TRAIN 4 en-029+m5 185 35 0"
    "FCAB0 TRAIN 4 en-029+f1 165 50 0"
    "MCAC0 TRAIN 4 en-029+edward 155 55 0"
    "FCAD0 TRAIN 4 en-029+shelby 170 40 0"
    "MRPA0 TRAIN 5 en-gb-x-rp+m6 150 55 0"
    "FRPB0 TRAIN 5 en-gb-x-rp+f2 170 45 0"
    "MRPC0 TRAIN 5 en-gb-x-rp+max 180 45 0"
    "FRPD0 TRAIN 5 en-gb-x-rp+steph 160 50 0"
    "MLAA0 TRAIN 6 en-gb-x-gbclan+m7 175 40 0"
    "FLAB0 TRAIN 6 en-gb-x-gbclan+f5 160 60 0"
    "MLAC0 TRAIN 6 en-gb-x-gbclan+robert 165 60 0"
    "FLAD0 TRAIN 6 en-gb-x-gbclan+aunty 180 50 0"
    "MWMA0 TRAIN 7 en-gb-x-gbcwmd+m1 180 50 0"
    "FWMB0 TRAIN 7 en-gb-x-gbcwmd+f2 150 40 0"
    "MWMC0 TRAIN 7 en-gb-x-gbcwmd+michel 160 35 0"
    "FWMD0 TRAIN 7 en-gb-x-gbcwmd+Annie 170 55 0"
    "MNYA0 TRAIN 8 en-us-nyc+travis 170 60 1"
    "FNYB0 TRAIN 8 en-us-nyc+grandma 165 45 1"
    "MUST0 TEST 2 en-us+m3 170 50 1"
    "FENT0 TEST 1 en+f3 165 55 0"
    "MSCT0 TEST 3 en-gb-scotland+m8 160 45 1"
    "FRPT0 TEST 5 en-gb-x-rp+f4 175 50 0"
)
if ((TINY)); then
    VOICES=("MUSA0 TRAIN 2 en-us+m2 160 40 1" "FENT0 TEST 1 en+f3 165 55 0")
    PER=3
    N_TEST_SENTENCES=3
fi

# libespeak-ng and its voices, and the program.
# shellcheck source=tools/setup.sh
source "$ROOT/tools/setup.sh"
SETUP_PACKAGES=(pkg-config libespeak-ng-dev espeak-ng-data cmake ninja-build gcc)
setup_packages >/dev/null || die "cannot install libespeak-ng-dev espeak-ng-data (see above)"
SYNTH="${LSNN_SPEECH_SYNTH:-$ROOT/build/tools/speech_synth}"
if [[ ! -x "$SYNTH" ]]; then
    if [[ -f "$ROOT/build/build.ninja" ]]; then
        echo "make_speech: building speech_synth in build/"
        cmake -S "$ROOT" -B "$ROOT/build" >/dev/null && ninja -C "$ROOT/build" -j1 speech_synth >/dev/null ||
            die "cannot build speech_synth (ninja -C build speech_synth)"
    else
        setup_build build Release OFF || die "cannot build the tree (bash tools/setup.sh)"
    fi
fi
[[ -x "$SYNTH" ]] || die "$SYNTH is missing: pkg-config finds no espeak-ng?"

TMP="$OUT.tmp.$$"
rm -rf "$TMP"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP"
T0=$SECONDS
n=0
for entry in "${VOICES[@]}"; do
    read -r id split dr voice rate pitch rhotic <<<"$entry"
    n=$((n + 1))
    if [[ "$split" == TRAIN ]]; then
        # each training voice starts 15 sentences after the one before, wrapping within 1..240
        first=$(((n - 1) * 15 % N_TRAIN_SENTENCES + 1))
        count=$PER
    else
        first=$((N_TRAIN_SENTENCES + 1))
        count=$N_TEST_SENTENCES
    fi
    flags=()
    ((rhotic)) && flags=(--rhotic)
    # wrap: speak first..240, then 1.. for the rest
    left=$count
    while ((left > 0)); do
        chunk=$left
        if [[ "$split" == TRAIN ]] && ((first + chunk - 1 > N_TRAIN_SENTENCES)); then
            chunk=$((N_TRAIN_SENTENCES - first + 1))
        fi
        "$SYNTH" --sentences "$SENTENCES" --dir "$TMP/$split/DR$dr/$id" --voice "$voice" \
            --rate "$rate" --pitch "$pitch" --first "$first" --count "$chunk" --snr "$SNR" \
            --seed "$(cksum <<<"$id" | cut -d' ' -f1)" "${flags[@]}" >/dev/null ||
            die "speech_synth failed for $id ($voice)"
        left=$((left - chunk))
        first=1
    done
    echo "make_speech: voice $n/${#VOICES[@]} $id ($voice, $split): $count utterances, $((SECONDS - T0)) s"
done

# The corpus's size: utterances, hours, and segments per phone.
utts=$(find "$TMP" -name '*.WAV' | wc -l)
samples=$(find "$TMP" -name '*.PHN' -print0 | sort -z | xargs -0 tail -qn1 | awk '{s += $2} END {print s}')
echo "make_speech: espeak-ng stand-in corpus: $utts utterances" \
    "($(find "$TMP/TRAIN" -name '*.WAV' | wc -l) train, $(find "$TMP/TEST" -name '*.WAV' | wc -l) test)," \
    "$(awk -v s="$samples" 'BEGIN {printf "%.2f", s / 16000 / 3600}') hours at 16 kHz, SNR $SNR dB"
echo "make_speech: phone segments (TIMIT's names):"
find "$TMP" -name '*.PHN' -print0 | sort -z | xargs -0 cat | awk '{c[$3]++} END {for (p in c) print c[p], p}' |
    sort -k1,1nr -k2 | awk '{printf "%s %s%s", $2, $1, NR % 10 ? "  " : "\n"} END {if (NR % 10) print ""}' |
    sed 's/^/    /'
sum=$(cd "$TMP" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
echo "make_speech: checksum $sum ($((SECONDS - T0)) s)"

# publish: the old corpus is moved aside, the new one renamed in, the old one removed
if [[ -e "$OUT" ]]; then
    mv "$OUT" "$OUT.old.$$"
    mv "$TMP" "$OUT"
    rm -rf "$OUT.old.$$"
else
    mkdir -p "$(dirname "$OUT")"
    mv "$TMP" "$OUT"
fi
trap - EXIT
echo "make_speech: wrote $OUT"
