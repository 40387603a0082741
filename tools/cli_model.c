/* cli_model.c - loads a trained run directory and a hardware config for eval and compile. */
#include "cli_model.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_lstm.h"
#include "cli_util.h"
#include "deepr.h"
#include "folder.h"
#include "lsnn_fixed.h"
#include "model.h"

int cli_load_model(const char *cmd, const char *dir, lsnn_spec *spec, lsnn_net *net, lsnn_deepr *dr)
{
    char spec_path[1024], weights[1024];
    lsnn_error e;
    snprintf(spec_path, sizeof spec_path, "%s/model.yaml", dir);
    snprintf(weights, sizeof weights, "%s/weights.safetensors", dir);
    memset(net, 0, sizeof *net);
    memset(dr, 0, sizeof *dr);
    if (cli_refuse_lstm(cmd, dir)) return -1;
    if (lsnn_folder_expect(dir, LSNN_FOLDER_RUN, &e) || lsnn_spec_load(spec_path, spec, &e) ||
        lsnn_model_load(weights, spec, net, dr, NULL, NULL, NULL, 0, &e)) {
        fprintf(stderr, "lsnn %s: %s\n", cmd, e.msg);
        return -1;
    }
    cli_find_data(spec);
    return 0;
}

int cli_load_hw(const char *cmd, const char *path, int weight_bits, lsnn_hw_config *cfg)
{
    lsnn_error e;
    if (!path && access(cli_shipped(LSNN_CLI_DEFAULT_HW), F_OK) == 0)
        path = cli_shipped(LSNN_CLI_DEFAULT_HW);
    if (path) {
        if (lsnn_hw_load(path, cfg, &e)) {
            fprintf(stderr, "lsnn %s: %s\n", cmd, e.msg);
            return -1;
        }
    } else {
        lsnn_hw_defaults(cfg);
    }
    if (weight_bits > 0) cfg->weight_bits = weight_bits;
    return 0;
}
