/* report_compile.c - what lsnn compile prints: text or one JSON object. */
#include "report_compile.h"

#include <inttypes.h>
#include <stdio.h>

#include "cli_util.h"

static uint64_t saturations(const lsnn_cc_calibration *c)
{
    return c->sat[0] + c->sat[1] + c->sat[2] + c->sat[3];
}

static void print_calibration(const lsnn_cc_calibration *c)
{
    if (!c->done) {
        if (c->skipped[0]) printf("calibration skipped: %s\n", c->skipped);
        return;
    }
    printf("calibration (%d test sequences): float %.2f Hz, fixed point %.2f Hz; saturations: "
           "acc %" PRIu64 ", v %" PRIu64 ", readout %" PRIu64 ", a %" PRIu64 "\n",
           c->n_seq, c->float_hz, c->fixed_hz, c->sat[0], c->sat[1], c->sat[2], c->sat[3]);
    /* silence is the compiler report's verdict (lsnn_cc_note_silence), printed with it */
    if (c->fixed_hz > 0 && c->float_hz > 0 &&
        (c->fixed_hz < 0.5 * c->float_hz || c->fixed_hz > 2 * c->float_hz))
        printf("warning: the quantised network fires at %.2f Hz, the float network at %.2f Hz\n",
               c->fixed_hz, c->float_hz);
    if (saturations(c))
        printf("warning: %" PRIu64 " saturations on the calibration sequences (counted and "
               "defined, but the float network never saturates)\n",
               saturations(c));
}

/* A 256 KB-flash / 64 KB-RAM part (issue 12's question), with 4 KB of RAM kept for the stack
 * and the runtime, 8 KB of flash for the runtime and the C library's start-up. */
enum { FLASH = 256 * 1024, RAM = 64 * 1024, RAM_KEEP = 4 * 1024, FLASH_KEEP = 8 * 1024 };

static uint64_t obj_flash(const lsnn_obj_report *o)
{
    return o->text_bytes + o->rodata_bytes + o->data_bytes + FLASH_KEEP;
}

static uint64_t obj_ram(const lsnn_obj_report *o)
{
    return o->block_bytes + o->data_bytes + RAM_KEEP;
}

static int obj_fits(const lsnn_obj_report *o)
{
    return obj_flash(o) <= FLASH && obj_ram(o) <= RAM;
}

void report_compile_text(const char *out, const char *model_file, const lsnn_spec *spec,
                         const lsnn_compiled *cc, const lsnn_cc_calibration *cal,
                         const lsnn_obj_report *obj)
{
    printf("model %s compiled onto %d core%s of hw config '%s' (W = %d)\n", spec->name, cc->n_cores,
           cc->n_cores == 1 ? "" : "s", cc->cfg.name, cc->cfg.weight_bits);
    lsnn_cc_print_report(stdout, cc);
    lsnn_cc_print_usage(stdout, cc);
    print_calibration(cal);
    printf("image written to %s (image.bin, manifest.yaml, %s, per-memory .hex files)\n", out,
           model_file);
    if (!obj) return;
    printf("object for %s: %s/lsnn_image.o with lsnn_image.h and lsnn_rt.c: code %" PRIu64
           " B, constant data %" PRIu64 " B, state block %zu B (RAM, the caller's)\n",
           obj->target, out, obj->text_bytes, obj->rodata_bytes, obj->block_bytes);
    if (!obj->mcu) return;
    printf("a 256 KB-flash / 64 KB-RAM part: %s (flash %" PRIu64 " B with 8 KB for start-up "
           "and runtime, RAM %" PRIu64 " B with 4 KB of stack)\n",
           obj_fits(obj) ? "fits" : "does not fit", obj_flash(obj), obj_ram(obj));
}

static void json_cores(FILE *f, const lsnn_compiled *cc)
{
    long routes = 0;
    fprintf(f, "\"cores\": [");
    for (int c = 0; c < cc->n_cores; c++) {
        const lsnn_cc_core *k = &cc->core[c];
        const lsnn_cc_usage *u = &k->usage;
        routes += k->n_rte;
        fprintf(f,
                "%s{\"id\": %u, \"first_neuron\": %u, \"neurons\": [%u, %u], \"axons\": [%u, "
                "%u], \"synapse_words\": [%u, %u], \"route_entries\": [%u, %u], \"profiles\": "
                "[%u, %u], \"synapses\": %ld}",
                c ? ", " : "", k->id, k->first, u->neurons, u->neurons_max, u->axons, u->axons_max,
                u->words, u->words_max, u->routes, u->routes_max, u->profiles, u->profiles_max,
                u->synapses);
    }
    fprintf(f, "], \"routing\": {\"entries\": %ld, \"relative\": %s, \"explicit_entries\": %ld}, ",
            routes, cc->opt.route_rel ? "true" : "false", cc->routes_explicit);
}

static void json_quantisation(FILE *f, const lsnn_compiled *cc)
{
    const lsnn_cc_report *r = &cc->report;
    fprintf(f,
            "\"quantisation\": {\"weights\": %ld, \"clipped\": %ld, \"dropped\": %ld, "
            "\"max_err_lsb\": %.6f, \"max_err_v\": %.6g, \"leak_warnings\": %d, "
            "\"acc_never_saturates\": %s, \"e_r\": %d, \"populations\": {",
            r->n_weights, r->n_clipped, r->n_dropped, r->max_err_lsb, r->max_err_v, r->n_leak_warn,
            r->acc_never_sat ? "true" : "false", cc->e_r);
    for (int p = 0; p < cc->n_pops; p++) {
        fprintf(f, "%s", p ? ", " : "");
        cli_json_string(f, cc->pops[p].name);
        fprintf(f, ": {\"first\": %d, \"size\": %d, \"e\": %d}", cc->pops[p].first,
                cc->pops[p].size, cc->pops[p].e);
    }
    fprintf(f, "}, \"log\": ");
    cli_json_string(f, r->log);
    fprintf(f, "}");
}

void report_compile_json(FILE *f, const char *dir, const char *out, const lsnn_spec *spec,
                         const lsnn_compiled *cc, const lsnn_cc_calibration *cal,
                         const lsnn_obj_report *obj)
{
    fprintf(f, "{\"run\": ");
    cli_json_string(f, dir);
    fprintf(f, ", \"image\": ");
    cli_json_string(f, out);
    fprintf(f, ", \"model\": ");
    cli_json_string(f, spec->name);
    fprintf(f, ", \"hw\": ");
    cli_json_string(f, cc->cfg.name);
    fprintf(f, ", \"weight_bits\": %d, ", cc->cfg.weight_bits);
    json_cores(f, cc);
    json_quantisation(f, cc);
    fprintf(f,
            ", \"calibration\": {\"done\": %s, \"sequences\": %d, \"float_hz\": %.4f, "
            "\"fixed_hz\": %.4f, \"silent\": %s, \"saturations\": %" PRIu64 "}",
            cal->done ? "true" : "false", cal->n_seq, cal->float_hz, cal->fixed_hz,
            cc->report.silent ? "true" : "false", saturations(cal));
    if (obj)
        fprintf(f,
                ", \"object\": {\"target\": \"%s\", \"text_bytes\": %" PRIu64
                ", \"rodata_bytes\": %" PRIu64 ", \"data_bytes\": %" PRIu64
                ", \"block_bytes\": %zu, \"flash_bytes\": %" PRIu64 ", \"ram_bytes\": %" PRIu64
                ", \"fits_256k_flash_64k_ram\": %s}",
                obj->target, obj->text_bytes, obj->rodata_bytes, obj->data_bytes, obj->block_bytes,
                obj_flash(obj), obj_ram(obj), obj_fits(obj) ? "true" : "false");
    fprintf(f, "}\n");
}
