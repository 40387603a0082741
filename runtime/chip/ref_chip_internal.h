/* ref_chip_internal.h - between the reference chip (ref_chip.c) and its mesh (ref_mesh.c). */
#ifndef LSNN_REF_CHIP_INTERNAL_H
#define LSNN_REF_CHIP_INTERNAL_H

#include "ref_chip.h"

/* The mesh of c's config around c's cores (c->index_of set): every cell's router and AER-in
 * FIFO, empty. 0, or -1 (out of memory, or a core whose id is no cell of the mesh). */
int lsnn_ref_mesh_open(lsnn_ref_chip *c, lsnn_error *e);
void lsnn_ref_mesh_close(lsnn_ref_chip *c);

/* §16.5/§16.6: one TICK command from T0 (every AER-in empty) to the end of its barrier, cycle
 * by cycle. Returns C_chip (0 when out of memory). Adds to the link counters and
 * barrier_cycles; chip_cycles is the caller's to add (the stall pattern reads it). */
uint64_t lsnn_ref_mesh_tick(lsnn_ref_chip *c);

/* Appends core ci's output word to the recorded outputs (with record set). */
void lsnn_ref_chip_record(lsnn_ref_chip *c, int ci, int port, uint32_t word);

#endif
