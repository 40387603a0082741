/* nir_hdf5.h - NIR 1.0 files (HDF5) to and from the in-memory graph.
 *
 * The layout is that of the NIR reference implementation's serialization (nir 1.0.x): a string
 * dataset "version" and a group "node" holding the top graph. A node is a group with a string
 * dataset "type" and one dataset per parameter; a NIRGraph node holds a group "nodes" (one
 * group per node, by name) and a dataset "edges" of (source, target) string pairs; any node
 * may hold a group "metadata". */
#ifndef LSNN_NIR_HDF5_H
#define LSNN_NIR_HDF5_H

#include <stddef.h>

#include "nir_graph.h"

/* The version string written (the NIR 1.0 file format); files of versions 0.x and 1.x are
 * read (0.x files may lack v_reset, which then defaults to 0 as in the reference reader). */
#define NIR_FILE_VERSION "1.0"

/* The name under which the core driver holds a file in memory: one that no file can have (the
 * driver refuses a name that exists on disk). */
#define NIR_MEMORY_NAME "/dev/null/lsnn-nir-in-memory"

/* Reads path into g (zeroed by the caller) and the file's version string into version ("" if
 * the file has none). The whole file is read into memory first, so a truncated or corrupt
 * file fails with a message, never a partial graph. Returns 0, or -1 with e (g freeable). */
int nir_hdf5_read(const char *path, nir_graph *g, char *version, size_t version_len, lsnn_error *e);

/* Writes g as a NIR file, atomically (built in memory, then lsnn_write_file_atomic). */
int nir_hdf5_write(const char *path, const nir_graph *g, lsnn_error *e);

#endif
