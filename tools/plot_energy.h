/* plot_energy.h - the pictures of lsnn energy (plot_energy.c): each writes one picture
 * (cli_plot.h) and returns 0, or -1 with the reason in e. */
#ifndef LSNN_PLOT_ENERGY_H
#define LSNN_PLOT_ENERGY_H

#include "error.h"
#include "report_energy.h"

/* The energy per inference by term (each technology table's shares, its total beside it) and,
 * on several cores, by core (the first table). */
int plot_energy(const report_energy_data *d, const char *out, int keep_script, lsnn_error *e);

/* The mesh: each cell, and each link with its flits per inference (width follows the traffic). */
int plot_mesh(const report_energy_data *d, const char *out, int keep_script, lsnn_error *e);

#endif
