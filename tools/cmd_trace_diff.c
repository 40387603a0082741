/* cmd_trace_diff.c - `lsnn trace-diff A B`: two tick traces (lsnn run --trace) compared record
 * by record, to the first difference (docs/trace-format.md §1). */
#include <stdio.h>

#include "cli_opts.h"
#include "cli_util.h"
#include "commands.h"
#include "trace_read.h"

static const char about[] =
    "Compares two traces written by lsnn run --trace (by any engine, on any machine) and names\n"
    "the first difference: the sequence, the tick, the neuron or core, the variable, both values\n"
    "and both lines. Traces of one network placed on different cores are compared on their\n"
    "neuron lines only. Both traces are checked in full up to there (docs/trace-format.md).\n"
    "Exit status: 0 equal, 1 different, 2 a trace that cannot be read, or a usage error.\n";

int cmd_trace_diff(int argc, char **argv)
{
    const char *pa = NULL, *pb = NULL;
    int json = 0;
    const cli_arg args[] = {{"A.trace", &pa, 1}, {"B.trace", &pb, 1}, {0}};
    const cli_opt opts[] = {
        {CLI_FLAG("--json", &json, "print one JSON object instead of text")},
        {0},
    };
    const cli_cmd cmd = {"trace-diff", args, opts, NULL, about};
    int rc = cli_parse(&cmd, argc, argv);
    if (rc != CLI_GO) return rc;
    lsnn_trace_reader a = {0}, b = {0};
    lsnn_trace_diff d = {0};
    lsnn_error e;
    FILE *fa = fopen(pa, "r"), *fb = fopen(pb, "r");
    rc = 2;
    if (!fa || !fb)
        fprintf(stderr, "lsnn trace-diff: %s: cannot open\n", fa ? pb : pa);
    else if (lsnn_trace_reader_open(&a, fa, pa, &e) || lsnn_trace_reader_open(&b, fb, pb, &e) ||
             lsnn_trace_compare(&a, &b, &d, &e))
        fprintf(stderr, "lsnn trace-diff: %s\n", e.msg);
    else
        rc = d.equal ? 0 : 1;
    if (rc < 2 && json) {
        printf("{\"equal\": %s, \"records\": %ld", d.equal ? "true" : "false", d.records);
        if (!d.equal) {
            printf(", \"line_a\": %ld, \"line_b\": %ld, \"first_difference\": ", d.line_a,
                   d.line_b);
            cli_json_string(stdout, d.what);
        }
        printf("}\n");
    } else if (rc == 0) {
        printf("%s and %s are equal: %ld records%s\n", pa, pb, d.records,
               a.ncores == b.ncores ? "" : " (neuron lines: the cores differ)");
    } else if (rc == 1) {
        printf("%s:%ld and %s:%ld: %s\n", pa, d.line_a, pb, d.line_b, d.what);
    }
    lsnn_trace_reader_close(&a);
    lsnn_trace_reader_close(&b);
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return rc;
}
