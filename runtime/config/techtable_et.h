/* techtable_et.h - the equal-terms sections of a neurocore technology table (private). */
#ifndef LSNN_TECHTABLE_ET_H
#define LSNN_TECHTABLE_ET_H

#include "techtable.h"
#include "yamltree.h"

/* One entry {<unit>: x in range, source: "...", scope: "..."} at key of parent. 0 or -1. */
int lsnn_tech_parse_entry(const yt_section *parent, const char *key, const char *unit,
                          yt_range range, lsnn_tech_entry *out);

/* The optional fmax_mhz and the optional sram, logic_leakage and ops sections of a neurocore
 * table (all three or none; docs/tech-tables.md). Returns 0, or -1 with FILE:LINE:COL. */
int lsnn_tech_parse_equal_terms(const yt_section *top, lsnn_tech_table *t);

#endif
