/* techtable_internal.h - the technology-table parser's shared parts (private): the entry parser
 * and the equal-terms sections (techtable_et.c). */
#ifndef LSNN_TECHTABLE_INTERNAL_H
#define LSNN_TECHTABLE_INTERNAL_H

#include "techtable.h"
#include "yamltree.h"

/* One entry {<unit>: x in range, source: "...", scope: "..."} at key of parent. 0 or -1. */
int lsnn_tech_parse_entry(const yt_section *parent, const char *key, const char *unit,
                          yt_range range, lsnn_tech_entry *out);

/* The optional fmax_mhz and the optional sram, logic_leakage and ops sections of a neurocore
 * table (all three or none; docs/tech-tables.md). Returns 0, or -1 with FILE:LINE:COL. */
int lsnn_tech_parse_equal_terms(const yt_section *top, lsnn_tech_table *t);

#endif
