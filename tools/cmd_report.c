/* cmd_report.c - `lsnn report IMAGE_DIR -o report.html`: one self-contained page about a
 * compiled image. lsnn runs itself for each part (energy, verify, plots: the same code and
 * the same JSON as the commands), embeds their JSON and SVG, and the page's script renders
 * the tables from the JSON, so the page shows exactly what the commands report. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_opts.h"
#include "cli_spawn.h"
#include "cli_util.h"
#include "commands.h"
#include "error.h"
#include "fileio.h"
#include "folder.h"
#include "plot_kinds.h"
#include "progress.h"
#include "report_html.h"

static const char about[] =
    "Writes one self-contained HTML page (no network access needed) about a compiled image:\n"
    "the compile summary and quantisation report (the image's compile.json, which lsnn\n"
    "compile writes), each core's utilisation and routing table, the verification of two\n"
    "engines against each other (lsnn verify), the energy per inference by term and by core\n"
    "(lsnn energy), with the plots of lsnn plot embedded as SVG (docs/report.md).\n";

/* The parts the page is made of, each a file in the work folder. */
typedef struct {
    char dir[4200];
    char energy[4300], verify[4300], cores[4300], raster[4300], energy_svg[4300], mesh[4300];
    char err[4300];
} parts;

/* Runs lsnn ARGS... with stdout into out (may be NULL); on failure keeps the child's last
 * error line in why. Returns the exit status, or -1. */
static int run_lsnn(char **argv, const char *out, const char *err, char *why, int n)
{
    int rc = cli_spawn(argv, out, err);
    why[0] = 0;
    if (rc < 0)
        snprintf(why, (size_t)n, "cannot run %s: %s", argv[0], strerror(errno));
    else if (rc != 0)
        cli_last_line(err, why, n);
    return rc;
}

static void remove_parts(const parts *p)
{
    const char *files[] = {p->energy,     p->verify, p->cores, p->raster,
                           p->energy_svg, p->mesh,   p->err};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++)
        unlink(files[k]);
    rmdir(p->dir);
}

int cmd_report(int argc, char **argv)
{
    const char *image = NULL, *out = NULL, *engines = "ref,rtl";
    long samples = 20, verify_n = 10;
    int quiet = 0;
    const cli_arg args[] = {{"IMAGE_DIR", &image, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_STR("--out", &out, "FILE", "the page (report.html)"), .short_name = 'o',
         .required = 1},
        {CLI_INT("--samples", &samples, "N", 1, 100000000,
                 "inferences the energy figures average over (default 20)")},
        {CLI_INT("--verify", &verify_n, "N", 0, 100000000,
                 "test sequences to verify on two engines (default 10; 0: none)")},
        {CLI_STR("--engines", &engines, "A,B", "the two engines verified (default ref,rtl)")},
        {CLI_FLAG("--quiet", &quiet, "no progress on stderr, no final line")},
        {0},
    };
    const cli_cmd cmd = {"report", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    const char *self = cli_self_path();
    lsnn_error e;
    if (lsnn_folder_expect(image, LSNN_FOLDER_IMAGE, &e)) {
        fprintf(stderr, "lsnn report: %s\n", e.msg);
        return 1;
    }
    if (!self) {
        fprintf(stderr, "lsnn report: cannot find the lsnn binary (/proc/self/exe)\n");
        return 1;
    }
    parts p;
    const char *tmp = getenv("TMPDIR");
    snprintf(p.dir, sizeof p.dir, "%s/lsnn-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(p.dir)) {
        fprintf(stderr, "lsnn report: %s: %s\n", p.dir, strerror(errno));
        return 1;
    }
    snprintf(p.energy, sizeof p.energy, "%s/energy.json", p.dir);
    snprintf(p.verify, sizeof p.verify, "%s/verify.json", p.dir);
    snprintf(p.cores, sizeof p.cores, "%s/cores.svg", p.dir);
    snprintf(p.raster, sizeof p.raster, "%s/raster.svg", p.dir);
    snprintf(p.energy_svg, sizeof p.energy_svg, "%s/energy.svg", p.dir);
    snprintf(p.mesh, sizeof p.mesh, "%s/mesh.svg", p.dir);
    snprintf(p.err, sizeof p.err, "%s/stderr.txt", p.dir);
    int n_cores = plot_core_count(image), mode = lsnn_progress_mode(quiet);
    char n_s[32], v_s[32];
    snprintf(n_s, sizeof n_s, "%ld", samples);
    snprintf(v_s, sizeof v_s, "%ld", verify_n);
    report_html_parts h = {.image = image,
                           .n_cores = n_cores,
                           .samples = samples,
                           .verify_n = verify_n,
                           .engines = engines};
    /* each part: the command, and what the page says when it fails */
    if (mode) fprintf(stderr, "lsnn report: energy over %ld inferences\n", samples);
    char *energy_argv[] = {
        (char *)self, "energy", (char *)image, "--json",     "--quiet",
        "--samples",  n_s,      "--plot",      p.energy_svg, n_cores > 1 ? "--plot-mesh" : NULL,
        p.mesh,       NULL};
    h.energy_rc = run_lsnn(energy_argv, p.energy, p.err, h.energy_why, sizeof h.energy_why);
    if (mode) fprintf(stderr, "lsnn report: utilisation and raster plots\n");
    char *cores_argv[] = {(char *)self, "plot",  "cores",   (char *)image,
                          "-o",         p.cores, "--quiet", NULL};
    h.cores_rc = run_lsnn(cores_argv, NULL, p.err, h.cores_why, sizeof h.cores_why);
    char *raster_argv[] = {(char *)self, "plot",   "raster",  (char *)image,
                           "-o",         p.raster, "--quiet", NULL};
    h.raster_rc = run_lsnn(raster_argv, NULL, p.err, h.raster_why, sizeof h.raster_why);
    h.verify_rc = -2; /* not run */
    if (verify_n > 0) {
        if (mode)
            fprintf(stderr, "lsnn report: verifying %s on %ld sequences\n", engines, verify_n);
        char *verify_argv[] = {(char *)self, "verify", (char *)image, "--json",        "--quiet",
                               "--samples",  v_s,      "--engines",   (char *)engines, NULL};
        h.verify_rc = run_lsnn(verify_argv, p.verify, p.err, h.verify_why, sizeof h.verify_why);
    }
    snprintf(h.compile_json, sizeof h.compile_json, "%s/compile.json", image);
    h.energy_json = p.energy;
    h.verify_json = p.verify;
    h.cores_svg = p.cores;
    h.raster_svg = p.raster;
    h.energy_svg = p.energy_svg;
    h.mesh_svg = n_cores > 1 ? p.mesh : NULL;
    lsnn_atomic_file af;
    rc = 1;
    if (lsnn_atomic_open(&af, out, &e) == 0) {
        report_html_write(af.f, &h);
        if (lsnn_atomic_commit(&af, &e) == 0) rc = 0;
    }
    remove_parts(&p);
    if (rc) {
        fprintf(stderr, "lsnn report: %s\n", e.msg);
        return 1;
    }
    cli_wrote w = {0};
    cli_wrote_add(&w, "report", out, NULL);
    cli_wrote_print(&w, "report", mode);
    return 0;
}
