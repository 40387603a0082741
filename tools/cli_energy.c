/* cli_energy.c - a run on the reference chip (or the engine that replaced it) as the energy
 * model reads it. */
#include "cli_energy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

int cli_energy_price(const cli_fixed *fx, int n_seq, const lsnn_tech_table *table,
                     lsnn_energy_report *rep, lsnn_error *e)
{
    const lsnn_ref_chip *chip = fx->chip;
    uint64_t *counters = calloc((size_t)chip->ncores * LSNN_REF_NCOUNTERS, sizeof *counters);
    unsigned *ids = calloc((size_t)chip->ncores, sizeof *ids);
    if (!counters || !ids) {
        free(counters);
        free(ids);
        return lsnn_fail(e, "out of memory");
    }
    /* the counts of the engine that ran (the chip itself, or e.g. jit in its place) */
    const lsnn_target *en = &fx->engine;
    uint64_t chip_k[LSNN_CHIP_NCOUNTERS] = {0};
    int own = !en->name || !strcmp(en->name, "ref");
    if (own) {
        chip_k[LSNN_CHIP_TICKS] = chip->chip_ticks, chip_k[LSNN_CHIP_CLEARS] = chip->chip_clears;
        chip_k[LSNN_CHIP_CYCLES] = chip->chip_cycles;
    } else if (en->chip_counters) {
        en->chip_counters(en->ctx, chip_k);
    }
    for (int c = 0; c < chip->ncores; c++) {
        if (own)
            memcpy(counters + (size_t)c * LSNN_REF_NCOUNTERS, chip->core[c]->counters,
                   sizeof chip->core[c]->counters);
        else
            en->counters(en->ctx, c, counters + (size_t)c * LSNN_REF_NCOUNTERS);
        ids[c] = chip->core[c]->core_id;
    }
    if (!own && chip->ncores > 1) { /* the link counts come from the chip's own run */
        free(counters);
        free(ids);
        return lsnn_fail(e, "the energy of a multi-core image is priced from the reference "
                            "chip's run (its NoC counts); leave --engine out");
    }
    uint64_t I = (uint64_t)fx->hm.n_in, N = (uint64_t)fx->hm.n_rec, C = (uint64_t)fx->hm.n_out;
    lsnn_energy_run run = {chip->ncores,
                           counters,
                           (uint64_t)n_seq,
                           chip->noc_hops,
                           chip_k[LSNN_CHIP_CYCLES],
                           I * N + N * N + N * C,
                           N,
                           0,
                           chip->cfg.mesh_x,
                           chip->cfg.mesh_y,
                           &chip->flits[0][0],
                           chip_k[LSNN_CHIP_TICKS] + chip_k[LSNN_CHIP_CLEARS],
                           ids};
    int rc = lsnn_energy_compute(&run, &chip->cfg, table, rep, e);
    free(counters);
    free(ids);
    return rc;
}

void cli_energy_syn_words(const cli_fixed *fx, uint32_t *words)
{
    const lsnn_ref_chip *chip = fx->chip;
    for (int c = 0; c < chip->ncores; c++) {
        uint32_t top = 0;
        const lsnn_ref_core *core = chip->core[c];
        for (int x = 0; x < chip->cfg.axons; x++) {
            const lsnn_ref_axt *a = &core->axt[x];
            if (a->cnt && a->base + a->cnt > top) top = a->base + a->cnt;
        }
        words[c] = top;
    }
}

/* The number after "key": in text, or -1 if it is absent or not a number. */
static int json_number(const char *text, const char *key, double *out)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(text, pat);
    if (!p) return -1;
    char *end;
    *out = strtod(p + strlen(pat), &end);
    return end == p + strlen(pat) ? -1 : 0;
}

int cli_energy_eval_accuracy(const char *dir, double *acc, int *n, lsnn_error *e)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/eval.json", dir);
    if (access(path, F_OK) != 0) return 0;
    char *text = NULL;
    size_t len = 0;
    double a, seq;
    if (lsnn_read_file(path, &text, &len, e)) return -1;
    int bad_a = json_number(text, "accuracy", &a) || !(a >= 0 && a <= 1);
    int bad_n = json_number(text, "sequences", &seq) || !(seq >= 1 && seq <= 1e9);
    free(text);
    if (bad_a)
        return lsnn_fail(e,
                         "%s: field \"accuracy\" must be a number in [0, 1] (lsnn eval "
                         "--json output)",
                         path);
    if (bad_n) return lsnn_fail(e, "%s: field \"sequences\" must be a number in 1..1e9", path);
    *acc = a;
    *n = (int)seq;
    return 1;
}
