/* consumer.c - a program outside the tree, built against the installed library with
 * `pkg-config --cflags --libs lsnn` (tests/install_check.sh): loads a shipped model spec,
 * draws its initial weights and compiles them for the default core. It uses only installed
 * headers, as <lsnn/...>, and the installed static libraries. */
#include <stdio.h>

#include <lsnn/compiler.h>
#include <lsnn/model.h>
#include <lsnn/spec.h>

int main(int argc, char **argv)
{
    if (argc != 2) return fprintf(stderr, "usage: consumer MODEL.yaml\n"), 2;
    lsnn_spec spec;
    lsnn_net net;
    lsnn_error e;
    lsnn_hw_config cfg;
    lsnn_cc_options opt;
    lsnn_compiled cc;
    if (lsnn_spec_load(argv[1], &spec, &e) || lsnn_model_init(&spec, &net, NULL, &e))
        return fprintf(stderr, "consumer: %s\n", e.msg), 1;
    lsnn_hw_defaults(&cfg);
    lsnn_cc_default_options(&opt);
    int rc = lsnn_cc_compile(&net, &spec, &cfg, &opt, &cc, &e);
    if (rc == 0)
        printf("consumer: %s: %ld parameters, %d neurons on %d core(s)\n", argv[1],
               lsnn_model_n_params(&spec), cc.n_rec, cc.n_cores);
    else
        fprintf(stderr, "consumer: %s\n", e.msg);
    lsnn_cc_free(&cc);
    lsnn_net_free(&net);
    return rc ? 1 : 0;
}
