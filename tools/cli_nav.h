/* cli_nav.h - the navigation task on the command line: the lines that report closed-loop
 * episodes (lsnn run, lsnn eval) and lsnn eval's closed loop in float (lsnn_fixed.h's
 * cli_nav_run runs them on an engine). */
#ifndef LSNN_CLI_NAV_H
#define LSNN_CLI_NAV_H

#include <stdio.h>

#include "lsnn_fixed.h"
#include "nav_env.h"

/* "closed loop: N episodes, goals per episode G; actions to the first goal F (n episodes),
 * to later goals L (m goals)" and its JSON fields (without braces: "\"episodes\": ..."). */
void cli_nav_print_text(FILE *f, const lsnn_nav_totals *t);
void cli_nav_print_json(FILE *f, const lsnn_nav_totals *t);

/* lsnn eval on a navigation run: the float network's closed-loop test episodes (max_ep <= 0:
 * all), the random policy's on the same episodes (the baseline) and, with fixed (the network
 * compiled), the reference core's. Prints text or one JSON object; 0, or 1 on failure. */
int cli_nav_eval(const char *dir, const lsnn_spec *spec, const lsnn_net *net, int max_ep,
                 cli_fixed *fixed, int json, int mode);

#endif
