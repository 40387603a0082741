/* finetune.c - fine-tuning from a trained run and the set-up of quantisation-aware training
 * (finetune.h; docs/training.md, "Quantisation-aware training"). */
#include "finetune.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "folder.h"
#include "model.h"
#include "quant.h"

/* 1 if a and b name the same existing folder. */
static int same_folder(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int lsnn_finetune_spec(const char *from, const char *spec_path, const char *run_dir,
                       lsnn_spec *spec, lsnn_error *e)
{
    char path[LSNN_PATH_MAX + 64];
    lsnn_spec src;
    if (same_folder(from, run_dir))
        return lsnn_fail(e,
                         "--resume-from %s: the run to start from is the output folder; write "
                         "the fine-tuned run to another folder",
                         from);
    if (lsnn_folder_expect(from, LSNN_FOLDER_RUN, e))
        return lsnn_fail_prefix(e, "--resume-from %s", from);
    snprintf(path, sizeof path, "%s/model.yaml", from);
    if (lsnn_spec_load(path, &src, e)) return lsnn_fail_prefix(e, "--resume-from %s", from);
    if (!spec_path) {
        *spec = src;
        return 0;
    }
    if (lsnn_spec_load(spec_path, spec, e)) return -1;
    if (strcmp(spec->name, src.name) || lsnn_spec_arch_hash(spec) != lsnn_spec_arch_hash(&src))
        return lsnn_fail(e,
                         "--resume-from %s: %s describes another model than %s (the name and "
                         "the network section must be the same; only the task and training "
                         "settings may change)",
                         from, spec_path, path);
    return 0;
}

int lsnn_finetune_load(const char *from, const lsnn_spec *spec, lsnn_net *net, lsnn_deepr *dr,
                       lsnn_error *e)
{
    char path[LSNN_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/weights.safetensors", from);
    if (lsnn_model_load(path, spec, net, dr, NULL, NULL, NULL, 0, e))
        return lsnn_fail_prefix(e, "--resume-from %s", from);
    return 0;
}

void lsnn_finetune_overrides(double lr, int qat_bits, int qat_rule, lsnn_spec *spec)
{
    if (lr > 0) spec->lr = lr;
    if (qat_bits > 0) spec->qat_bits = qat_bits;
    if (spec->qat_bits > 0)
        spec->qat_rule = lsnn_quant_rule(qat_rule ? qat_rule : spec->qat_rule, spec->qat_bits);
}

int lsnn_finetune_qat_init(const lsnn_spec *spec, const lsnn_net *net, const lsnn_hw_config *hw,
                           int quiet, lsnn_qat *q, lsnn_error *e)
{
    lsnn_hw_config cfg;
    if (hw)
        cfg = *hw;
    else
        lsnn_hw_defaults(&cfg);
    cfg.weight_bits = spec->qat_bits;
    if (lsnn_qat_init(q, spec, net, &cfg, spec->qat_rule, e))
        return lsnn_fail_prefix(e, "quantisation-aware training");
    if (!quiet)
        fprintf(stderr,
                "lsnn train: quantisation-aware: %d-bit weights (exponents: %s) on hw config "
                "'%s'; now %ld weights, %ld clipped, %ld dropped\n",
                cfg.weight_bits, lsnn_quant_rule_name(q->rule), cfg.name, q->n_weights,
                q->n_clipped, q->n_dropped);
    return 0;
}
