/* cmd_compile.c - `lsnn compile`: quantises and places a trained model onto neurocores and
 * writes its hardware image. */
#include <stdio.h>
#include <string.h>

#include "cli_model.h"
#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"
#include "fileio.h"
#include "folder.h"
#include "deepr.h"
#include "compiler.h"
#include "llvm_backend.h"
#include "progress.h"
#include "report_compile.h"
#include "spec.h"

/* The paragraph of lsnn compile --help between the usage and the options. */
static const char about[] =
    "Compiles the trained model in RUN_DIR (model.yaml + weights.safetensors) onto the\n"
    "neurocores of a hardware config: quantises it (docs/neurocore.md §4), places it on one\n"
    "core or, when it does not fit, on several (§7), routes spikes between them, checks the\n"
    "design rules (§13) and writes the hardware image to IMAGE_DIR: image.bin, manifest.yaml\n"
    "(with the host's map of neurons, inputs and readouts), model.yaml and one $readmemh file\n"
    "per memory per core. Prints the quantisation report and each core's utilisation.\n";

int cmd_compile(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL, *hw = NULL, *emit = NULL, *target = NULL;
    int json = 0, quiet = 0, exponents = -1;
    long weight_bits = 0, calib = 8, cores = 0;
    const cli_arg args[] = {{"RUN_DIR", &dir, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_STR("--out", &out, "IMAGE_DIR", "output directory of the image (required)"),
         .short_name = 'o', .required = 1},
        {CLI_STR("--hw", &hw, "FILE",
                 "hardware config (default: " LSNN_CLI_DEFAULT_HW ",\n"
                 "or the built-in default core if that file does not exist)")},
        {CLI_INT("--weight-bits", &weight_bits, "N", 2, 16,
                 "override the config's core.weight_bits (W), 2..16")},
        {CLI_CHOICE("--exponents", &exponents, "max|mse",
                    "how each axon's weight exponent is chosen: max, the smallest at\n"
                    "which no weight clips; mse, the least squared error, clipped\n"
                    "weights included (default " LSNN_WEXP_DEFAULT_NAME
                    "; docs/neurocore.md §4.4)")},
        {CLI_INT("--calibrate", &calib, "N", 0, 100000,
                 "check the quantised network on the first N test sequences\n"
                 "against the float one: silence, firing rate, saturations\n"
                 "(default 8; 0 = skip)")},
        {CLI_INT("--cores", &cores, "N", 1, LSNN_HW_MAX_CORES,
                 "place on exactly N cores (N - 1 of recurrent neurons and one of\n"
                 "readouts when N > 1) instead of the fewest that hold the network")},
        {CLI_STR("--emit", &emit, "KIND",
                 "obj: also the image as an object file for --target, with a C\n"
                 "header and a small runtime (the LLVM backend; docs/llvm-backend.md)")},
        {CLI_STR("--target", &target, "TRIPLE",
                 "the machine of --emit obj: thumbv7em-none-eabi (Cortex-M4),\n"
                 "riscv32-unknown-elf (RV32IMC), x86_64 or aarch64")},
        {CLI_FLAG("--json", &json, "print one JSON object instead of text")},
        {CLI_FLAG("--quiet", &quiet,
                  "no progress of the calibration on stderr, no final line saying\n"
                  "what was written")},
        {0},
    };
    const cli_cmd cmd = {"compile", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    if (emit && strcmp(emit, "obj")) {
        fprintf(stderr, "lsnn compile: --emit %s: the only kind is obj\n", emit);
        return 2;
    }
    if (!emit != !target) {
        fprintf(stderr, "lsnn compile: --emit obj and --target go together (targets: %s)\n",
                lsnn_llvm_target_names());
        return 2;
    }
    lsnn_spec spec;
    lsnn_net net;
    lsnn_obj_report obj;
    lsnn_deepr dr;
    lsnn_hw_config cfg;
    lsnn_cc_build_result b;
    lsnn_error e;
    lsnn_folder_lock lock = {.fd = -1};
    rc = 1;
    memset(&b, 0, sizeof b);
    if (cli_load_model("compile", dir, &spec, &net, &dr)) return 1;
    if (cli_load_hw("compile", hw, (int)weight_bits, &cfg)) goto out;
    /* the output is an image folder, written by one process at a time: refuse a run folder
     * (compile RUN -o RUN) or a busy folder before the work, not after it */
    if (lsnn_folder_lock_for(out, LSNN_FOLDER_IMAGE, "lsnn compile", &lock, &e)) {
        fprintf(stderr, "lsnn compile: -o %s: %s\n", out, e.msg);
        goto out;
    }
    /* quantise -> place -> lower -> host map -> calibrate (compiler/driver.c), then emit */
    lsnn_cc_options opt;
    lsnn_cc_default_options(&opt);
    opt.cores = (int)cores;
    opt.progress = lsnn_progress_mode(quiet);
    opt.wexp_rule = exponents < 0 ? LSNN_WEXP_DEFAULT : exponents + 1;
    if (lsnn_cc_build(&net, &spec, &cfg, &opt, (int)calib, &b, &e) ||
        lsnn_cc_emit(&b, &spec, out, &e)) {
        fprintf(stderr, "lsnn compile: %s\n", e.msg);
        goto out;
    }
    if (emit && lsnn_llvm_emit_obj(&b.img, target, out, &obj, &e)) {
        fprintf(stderr, "lsnn compile: --emit obj: %s\n", e.msg);
        goto out;
    }
    /* the image keeps its compile report, for lsnn report (docs/folders.md) */
    char report_path[4200];
    lsnn_atomic_file rf;
    snprintf(report_path, sizeof report_path, "%s/compile.json", out);
    if (lsnn_atomic_open(&rf, report_path, &e)) {
        fprintf(stderr, "lsnn compile: %s\n", e.msg);
        goto out;
    }
    report_compile_json(rf.f, dir, out, &spec, &b.cc, &b.cal, emit ? &obj : NULL);
    if (lsnn_atomic_commit(&rf, &e)) {
        fprintf(stderr, "lsnn compile: %s\n", e.msg);
        goto out;
    }
    if (json)
        report_compile_json(stdout, dir, out, &spec, &b.cc, &b.cal, emit ? &obj : NULL);
    else
        report_compile_text(out, b.hm.model, &spec, &b.cc, &b.cal, emit ? &obj : NULL);
    rc = 0;
    char path[4200], size[64], note[128];
    cli_wrote w = {0}; /* the final line */
    snprintf(path, sizeof path, "%s/image.bin", out);
    cli_size_of(path, size, sizeof size);
    snprintf(note, sizeof note, "%d core%s, image.bin %s", b.cc.n_cores,
             b.cc.n_cores == 1 ? "" : "s", size);
    cli_wrote_add(&w, "image", out, note);
    snprintf(path, sizeof path, "%s/lsnn_image.o", out);
    if (emit) cli_wrote_add(&w, "object", path, target);
    cli_wrote_print(&w, "compile", opt.progress);
out:
    lsnn_folder_unlock(&lock, rc != 0);
    lsnn_cc_build_free(&b);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
    return rc;
}
