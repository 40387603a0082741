/* cli_energy.c - a run on the reference chip as the energy model reads it. */
#include "cli_energy.h"

#include <stdlib.h>
#include <string.h>

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
    for (int c = 0; c < chip->ncores; c++) {
        memcpy(counters + (size_t)c * LSNN_REF_NCOUNTERS, chip->core[c]->counters,
               sizeof chip->core[c]->counters);
        ids[c] = chip->core[c]->core_id;
    }
    uint64_t I = (uint64_t)fx->hm.n_in, N = (uint64_t)fx->hm.n_rec, C = (uint64_t)fx->hm.n_out;
    lsnn_energy_run run = {chip->ncores,
                           counters,
                           (uint64_t)n_seq,
                           chip->noc_hops,
                           chip->chip_cycles,
                           I * N + N * N + N * C,
                           N,
                           0,
                           chip->cfg.mesh_x,
                           chip->cfg.mesh_y,
                           &chip->flits[0][0],
                           chip->chip_ticks + chip->chip_clears,
                           ids};
    int rc = lsnn_energy_compute(&run, &chip->cfg, table, rep, e);
    free(counters);
    free(ids);
    return rc;
}
