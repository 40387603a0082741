/* memory.h - what a job will need, and what the machine has, before allocating it.
 *
 * A network too big for the machine is refused up front with the estimate and the limit,
 * instead of allocating until the kernel kills the process. */
#ifndef LSNN_MEMORY_H
#define LSNN_MEMORY_H

#include <stdint.h>

/* Bytes this process may use: the smaller of MemAvailable (/proc/meminfo), the cgroup's
 * memory.max and RLIMIT_AS less what the process has mapped; UINT64_MAX where none is known. */
uint64_t lsnn_memory_available(void);

/* Parses "512M", "8G", "1.5GB", "1000000" (bytes) into *bytes. Returns 0, or -1. */
int lsnn_memory_parse(const char *text, uint64_t *bytes);

/* Prints n bytes as "1.23 GB" / "456 MB" into buf. */
const char *lsnn_memory_format(uint64_t n, char *buf, int len);

#endif
