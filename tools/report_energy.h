/* report_energy.h - what lsnn energy prints: text or one JSON object. */
#ifndef LSNN_REPORT_ENERGY_H
#define LSNN_REPORT_ENERGY_H

#include "energy.h"
#include "lsnn_fixed.h"
#include "ref_chip.h"
#include "spec.h"

/* The accuracies printed beside the equal-terms energies. */
typedef struct {
    int labelled;            /* an LSNN accuracy is known */
    double lsnn;             /* fraction correct */
    int lsnn_n;              /* over this many sequences */
    const char *lsnn_source; /* where it comes from */
    int lstm_known;          /* an LSTM accuracy: the paper's LSTM-128 on sMNIST at 1 ms per
                                pixel (lstm_n 0), or a trained LSTM's (lsnn energy --lstm) */
    double lstm;             /* a trained LSTM's fraction correct */
    int lstm_n;              /* over this many test sequences; 0: the paper's figure */
    const char *lstm_source; /* where the trained LSTM's accuracy comes from */
} report_accuracy;

/* What lsnn energy measured and priced. */
typedef struct {
    const char *dir; /* the image directory */
    const lsnn_spec *spec;
    const lsnn_ref_chip *chip;
    const cli_fixed_result *r;
    int steps;                     /* per inference */
    int labelled;                  /* the windows carry labels: an accuracy */
    const lsnn_energy_report *rep; /* one per neurocore table */
    int n_rep;
    const lsnn_lstm_energy *lstm;
    const lsnn_equal_terms *et; /* one per table with the equal-terms sections */
    int n_et;
    const report_accuracy *acc;
} report_energy_data;

void report_energy_text(const report_energy_data *d);
void report_energy_json(const report_energy_data *d);

#endif
