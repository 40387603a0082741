/* lower.c - the placed network as a hardware image (no simulator in between); reference cores
 * programmed from it for tests and benchmarks. */
#include <stdlib.h>
#include <string.h>

#include "cc_internal.h"
#include "image.h"

/* Core i's tables into the image: profiles (every core holds the whole table), NCFG and RIX of
 * its neurons, AXT of its axons, its SYN words and RTE entries. STATE stays zero. */
static int lower_core(lsnn_image *img, const lsnn_compiled *cc, int i, lsnn_error *e)
{
    const lsnn_cc_core *k = &cc->core[i];
    uint32_t S = (uint32_t)cc->cfg.synapses_per_word;
    lsnn_image_core *ic = &img->cores[i];
    ic->core_id = k->id;
    ic->nu = k->nu;
    ic->xu = k->xu;
    for (int p = 0; p < cc->n_profiles; p++)
        if (lsnn_image_put_profile(img, i, (uint32_t)p, &cc->profile[p], e)) return -1;
    for (uint32_t n = 0; n < k->nu; n++)
        if (lsnn_image_put_ncfg(img, i, n, cc->ncfg[k->first + n], e) ||
            lsnn_image_put_rix(img, i, n, &k->rix[n], e))
            return -1;
    for (uint32_t x = 0; x < k->xu; x++)
        if (lsnn_image_put_axt(img, i, x, &k->axt[x], e)) return -1;
    for (uint32_t w = 0; w < k->n_words; w++)
        if (lsnn_image_put_syn(img, i, w, &k->lanes[(size_t)w * S], e)) return -1;
    for (uint32_t r = 0; r < k->n_rte; r++)
        if (lsnn_image_put_rte(img, i, r, &k->rte[r], e)) return -1;
    return 0;
}

int lsnn_cc_lower(const lsnn_compiled *cc, lsnn_image *img, lsnn_error *e)
{
    if (!cc->core || cc->n_cores < 1) return lsnn_fail(e, "lower: the network is not placed");
    if (lsnn_image_init(img, &cc->cfg, cc->n_cores, e)) return -1;
    for (int i = 0; i < cc->n_cores; i++)
        if (lower_core(img, cc, i, e)) {
            lsnn_image_free(img);
            return lsnn_fail_prefix(e, "lower core %u", cc->core[i].id);
        }
    return 0;
}

int lsnn_cc_program(lsnn_ref_core *core, const lsnn_compiled *cc, lsnn_error *e)
{
    if (cc->n_cores != 1)
        return lsnn_fail(e, "program: the network is placed on %d cores, not one", cc->n_cores);
    lsnn_image img;
    if (lsnn_cc_lower(cc, &img, e)) return -1;
    int rc = lsnn_image_program(&img, 0, core, e); /* checks that core has the image's config */
    lsnn_image_free(&img);
    return rc;
}

int lsnn_cc_make_cores(const lsnn_compiled *cc, lsnn_ref_core ***out, lsnn_error *e)
{
    lsnn_image img;
    if (lsnn_cc_lower(cc, &img, e)) return -1;
    lsnn_ref_core **cores = calloc((size_t)cc->n_cores, sizeof *cores);
    int rc = cores ? 0 : lsnn_fail(e, "out of memory");
    for (int i = 0; rc == 0 && i < cc->n_cores; i++)
        if (!(cores[i] = lsnn_image_to_core(&img, i, e))) rc = -1;
    lsnn_image_free(&img);
    if (rc) {
        for (int i = 0; cores && i < cc->n_cores; i++)
            lsnn_ref_free(cores[i]);
        free(cores);
        return -1;
    }
    *out = cores;
    return 0;
}
