/* fuzz_folder.c - libFuzzer target for the folder marker reader (runtime/base/folder.c,
 * lsnn-folder.yaml; docs/folders.md). Every input is parsed as a marker; an accepted one must
 * name a known kind, and every error must name the file. ctest replays tests/fuzz_corpus/folder
 * with tests/fuzz_replay.c (docs/fuzzing.md). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char kind[LSNN_FOLDER_KIND_LEN];
    lsnn_error e;
    if (lsnn_folder_parse_marker("fuzz", (const char *)data, size, kind, &e)) {
        if (strncmp(e.msg, "fuzz", 4) != 0) abort();
        return 0;
    }
    if (strcmp(kind, LSNN_FOLDER_RUN) && strcmp(kind, LSNN_FOLDER_IMAGE)) abort();
    return 0;
}
