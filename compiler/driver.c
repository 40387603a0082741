/* driver.c - the compiler's pipeline as a plain sequence of passes, with the invariants that
 * hold between them checked on the way:
 *
 *   quantise -> place -> lower -> host map -> calibrate -> emit
 *
 * quantise.c and place.c fit the network to the hardware (a failure there is the user's: the
 * model does not fit); lower.c, host.c and emit.c only translate, so a failure after place is
 * the compiler's own and says so. calibrate.c only warns. */
#include <stdlib.h>
#include <string.h>

#include "cc_internal.h"
#include "ref_chip.h"

int lsnn_cc_compile(const lsnn_net *net, const lsnn_spec *spec, const lsnn_hw_config *cfg,
                    const lsnn_cc_options *opt, lsnn_compiled *cc, lsnn_error *e)
{
    if (lsnn_cc_quantise(net, spec, cfg, opt, cc, e)) return -1;
    return lsnn_cc_place(cc, e);
}

/* After place: every neuron slot is on exactly one core, in order, on distinct mesh cells. */
static int check_placed(const lsnn_compiled *cc, lsnn_error *e)
{
    uint32_t next = 0;
    if (cc->n_cores < 1 || cc->n_cores > lsnn_hw_cores(&cc->cfg))
        return lsnn_fail(e, "%d cores placed on a mesh of %d", cc->n_cores,
                         lsnn_hw_cores(&cc->cfg));
    for (int i = 0; i < cc->n_cores; i++) {
        const lsnn_cc_core *k = &cc->core[i];
        if (k->first != next || k->nu != k->size || k->nu > (uint32_t)cc->cfg.neurons ||
            k->xu > (uint32_t)cc->cfg.axons || !lsnn_hw_cell_of(&cc->cfg, k->id, NULL, NULL))
            return lsnn_fail(e, "core %d (id %u) holds slots %u..+%u (NU %u, XU %u) after %u", i,
                             k->id, k->first, k->size, k->nu, k->xu, next);
        next += k->size;
    }
    if (next != (uint32_t)(cc->n_rec + cc->n_out))
        return lsnn_fail(e, "%u neuron slots placed, %d in the network", next,
                         cc->n_rec + cc->n_out);
    return 0;
}

/* The manifest's host section (hostmap.h) as text, for lsnn_image_write. */
static int host_section(const lsnn_hostmap *hm, lsnn_image *img, lsnn_error *e)
{
    size_t n = 0;
    FILE *f = open_memstream(&img->manifest_host, &n);
    if (!f) return lsnn_fail(e, "out of memory");
    lsnn_hostmap_write(f, hm);
    return fclose(f) ? lsnn_fail(e, "out of memory") : 0;
}

int lsnn_cc_build(const lsnn_net *net, const lsnn_spec *spec, const lsnn_hw_config *cfg,
                  const lsnn_cc_options *opt, int calibrate, lsnn_cc_build_result *b, lsnn_error *e)
{
    memset(b, 0, sizeof *b);
    if (lsnn_cc_compile(net, spec, cfg, opt, &b->cc, e))
        return lsnn_fail_prefix(e, "the model does not fit hw config '%s'", cfg->name);
    if (check_placed(&b->cc, e) || lsnn_cc_lower(&b->cc, &b->img, e) ||
        lsnn_image_check(&b->img, e) || lsnn_cc_hostmap(&b->cc, "model.yaml", &b->hm, e) ||
        (b->hm.model_crc = lsnn_hostmap_model_crc(spec), lsnn_hostmap_check(&b->hm, &b->img, e)) ||
        host_section(&b->hm, &b->img, e))
        return lsnn_fail_prefix(e, "building the image (a compiler error: please report it)");
    lsnn_cc_calibrate(spec, net, b, calibrate, opt ? opt->progress : 0);
    return 0;
}

int lsnn_cc_emit(const lsnn_cc_build_result *b, const lsnn_spec *spec, const char *dir,
                 lsnn_error *e)
{
    char path[LSNN_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, b->hm.model);
    if (lsnn_image_write(&b->img, dir, e) || lsnn_spec_save(path, spec, e))
        return lsnn_fail_prefix(e, "writing %s", dir);
    return 0;
}

void lsnn_cc_build_free(lsnn_cc_build_result *b)
{
    lsnn_hostmap_free(&b->hm);
    lsnn_image_free(&b->img);
    lsnn_cc_free(&b->cc);
    memset(b, 0, sizeof *b);
}
