/* cmd_verify.c - `lsnn verify`: two targets (the RTL neurocore and the reference runtime by
 * default) in lockstep, every tick, every neuron, every variable, counter and cycle count. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_lstm.h"
#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"
#include "lsnn_fixed.h"
#include "progress.h"
#include "report_verify.h"
#include "targets.h"

/* The paragraph of lsnn verify --help between the usage and the options. */
static const char about[] =
    "Runs the image on two engines with the same inputs and compares them after every tick:\n"
    "every state variable (v, a, ref, z, and the CUBA current i) of every neuron, every\n"
    "activity counter of §11, the tick's cycle count (the RTL's cycles must equal the\n"
    "reference's cycle model, §10) and every output word. At the first divergence it prints\n"
    "the sequence, tick, core, neuron, variable and both values, and exits with status 1. By\n"
    "default the inputs are test sequences of the image's task.\n";

/* Opens both targets and their lockstep pair as fx's engine; runs the input; prints the
 * report. 0 equal, 1 diverged or failed. */
static int verify(const char *names[2], cli_fixed *fx, cli_input *in, int samples, int batch,
                  const cli_target_opts *o, int json, int mode, lsnn_target t[3])
{
    lsnn_error e;
    cli_fixed_result r = {0};
    double t_load = cli_now_s();
    for (int i = 0; i < 2; i++)
        if (cli_target_open(names[i], &fx->img, o, &t[i], &e))
            return fprintf(stderr, "lsnn verify: %s\n", e.msg), 1;
    if (lsnn_lockstep_open(&t[0], &t[1], &t[2], &e))
        return fprintf(stderr, "lsnn verify: %s\n", e.msg), 1;
    t_load = cli_now_s() - t_load;
    const lsnn_target *sim = t[1].sim_cycles ? &t[1] : t[0].sim_cycles ? &t[0] : NULL;
    uint64_t cyc0 = sim ? sim->sim_cycles(sim->ctx) : 0, counters[LSNN_REF_NCOUNTERS];
    fx->engine = t[2];
    double t0 = cli_now_s();
    cli_run_hooks h = {NULL, NULL, NULL, NULL, "lsnn verify", mode};
    const lsnn_divergence *d = NULL;
    if (cli_input_run(fx, in, samples, batch, &h, &r, &e) && !(d = lsnn_lockstep_divergence(&t[2])))
        return fprintf(stderr, "lsnn verify: %s\n", e.msg), 1;
    t[0].counters(t[0].ctx, 0, counters);
    uint64_t chip_k[LSNN_CHIP_NCOUNTERS] = {0};
    if (t[2].chip_counters) t[2].chip_counters(t[2].ctx, chip_k);
    report_verify_data v = {.dir = o->dir,
                            .a = names[0],
                            .b = names[1],
                            .core_id = d && d->core >= 0 ? fx->img.cores[d->core].core_id : 0,
                            .readmemh = o->readmemh,
                            .d = d,
                            .global_neuron = d ? cli_divergence_neuron(&fx->hm, d) : -1,
                            .n_seq = r.n_seq,
                            .ticks = lsnn_lockstep_ticks(&t[2]),
                            .counters = counters,
                            .secs = cli_now_s() - t0,
                            .sim_name = sim ? sim->name : NULL,
                            .sim_cycles = sim ? sim->sim_cycles(sim->ctx) - cyc0 : 0,
                            .load_secs = t_load,
                            .ncores = fx->img.ncores,
                            .run_chip_cycles = chip_k[LSNN_CHIP_CYCLES],
                            .regression = r.regression,
                            .n_win = r.n_win,
                            .mse = r.n_win ? r.sq_err / r.n_win : 0};
    if (sim && sim->sim_time && sim->chip_counters) { /* SystemC: time against chip cycles */
        uint64_t k[LSNN_CHIP_NCOUNTERS];
        sim->chip_counters(sim->ctx, k);
        v.has_sim_time = 1;
        v.chip_cycles = k[LSNN_CHIP_CYCLES];
        sim->sim_time(sim->ctx, &v.sim_cmd_ps, &v.sim_all_ps, &v.sim_period_ps);
    }
    (json ? report_verify_json : report_verify_text)(&v);
    if (v.has_sim_time && v.sim_cmd_ps != v.chip_cycles * v.sim_period_ps) {
        fprintf(stderr,
                "lsnn verify: the %s engine's simulated time of the commands is not its "
                "chip cycles x clock period\n",
                sim->name);
        return 1;
    }
    return d ? 1 : 0;
}

int cmd_verify(int argc, char **argv)
{
    const char *dir = NULL, *engines = "ref,rtl", *input = NULL, *dataset = NULL, *vcd = NULL,
               *data_dir = NULL, *vcd_ticks = NULL, *vcd_scope = NULL;
    int json = 0, readmemh = 0, quiet = 0;
    long samples = 10;
    const cli_arg args[] = {{"IMAGE_DIR", &dir, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_STR("--engines", &engines, "A,B",
                 "the two engines to compare (default ref,rtl; also systemc and jit;\n"
                 "tools/targets.c lists them)")},
        {CLI_INT("--samples", &samples, "N", 0, 100000000, "test sequences (default 10; 0 = all)")},
        {CLI_STR("--input", &input, "FILE",
                 "input spike trains (lsnn-spikes format) instead of the test set")},
        {CLI_STR("--dataset", &dataset, "NAME",
                 "sMNIST models: mnist or fashion-mnist (also called fashion) test\n"
                 "images")},
        {CLI_STR("--data-dir", &data_dir, "DIR",
                 "its data: IDX files (sMNIST) or a TIMIT-layout corpus (speech)")},
        {CLI_FLAG("--readmemh", &readmemh,
                  "load the RTL's memories with $readmemh from the image's hex files\n"
                  "instead of through the programming port")},
        {CLI_STR("--vcd", &vcd, "FILE",
                 "a cycle-level VCD of the RTL (large: use with few samples, or the\n"
                 "two options below)")},
        {CLI_STR("--vcd-ticks", &vcd_ticks, "A:B",
                 "only the cycles of ticks A .. B-1 in the VCD, counting from 0 over\n"
                 "the run (a sequence of T steps takes T+1 ticks); A: or :B leave one\n"
                 "end open")},
        {CLI_STR("--vcd-scope", &vcd_scope, "SCOPE",
                 "only the signals under this RTL instance, such as neurocore.u_ctrl\n"
                 "(docs/rtl.md lists the scopes)")},
        {CLI_FLAG("--json", &json, "print one JSON object instead of text")},
        {CLI_FLAG("--quiet", &quiet,
                  "no progress on stderr, no final line saying what was written")},
        {0},
    };
    const cli_cmd cmd = {"verify", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    char pair[64];
    const char *names[2] = {pair, NULL};
    snprintf(pair, sizeof pair, "%s", engines);
    char *comma = strchr(pair, ',');
    if (!comma || !comma[1] || strchr(comma + 1, ','))
        return fprintf(stderr, "lsnn verify: --engines must name two engines, A,B (got '%s')\n",
                       engines),
               2;
    *comma = 0, names[1] = comma + 1;
    for (int i = 0; i < 2; i++)
        if (!cli_target_known(names[i])) {
            char known[256];
            cli_target_names(known, sizeof known);
            fprintf(stderr, "lsnn verify: unknown engine '%s' (engines: %s)\n", names[i], known);
            return 2;
        }
    if (input && (dataset || data_dir))
        return fprintf(stderr, "lsnn verify: --input and --dataset/--data-dir exclude each "
                               "other\n"),
               2;
    long vcd_from = 0, vcd_to = 0;
    if ((vcd_ticks || vcd_scope) && !vcd)
        return fprintf(stderr, "lsnn verify: --vcd-ticks and --vcd-scope limit a --vcd FILE\n"), 2;
    if (vcd_ticks && cli_tick_range("verify", vcd_ticks, &vcd_from, &vcd_to)) return 2;
    cli_fixed fx;
    lsnn_spec spec;
    cli_input in = {0};
    lsnn_target t[3] = {{0}}; /* the two engines and their lockstep pair */
    if (cli_refuse_lstm("verify", dir) || cli_open_image("verify", dir, &fx, &spec)) return 1;
    rc = 1;
    cli_target_opts o = {dir, vcd, readmemh, 1, vcd_from, vcd_to, vcd_scope};
    int mode = lsnn_progress_mode(quiet);
    if (!cli_pick_dataset("verify", &spec, dataset, data_dir) &&
        !cli_input_open("verify", input, &spec, fx.hm.n_out, &in))
        rc = verify(names, &fx, &in, (int)samples, spec.batch_size, &o, json, mode, t);
    int opened = t[0].name && t[1].name; /* and so the RTL's VCD */
    for (int i = 2; i >= 0; i--)         /* the VCD gets its name here */
        lsnn_target_close(&t[i]);
    if (vcd && opened && !access(vcd, F_OK)) { /* the final line: the VCD written */
        char note[256];
        cli_vcd_limits(note, sizeof note, vcd_ticks != NULL, vcd_from, vcd_to, vcd_scope);
        cli_wrote w = {0};
        cli_wrote_add(&w, "VCD", vcd, note);
        cli_wrote_print(&w, "verify", mode);
    }
    cli_input_close(&in);
    cli_fixed_free(&fx);
    return rc;
}
