/* memory.c - the memory a process may use, and sizes as people write them. */
#include "memory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The first "KEY: N kB" line of /proc/meminfo, in bytes, or UINT64_MAX. */
static uint64_t meminfo(const char *key)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    uint64_t v = UINT64_MAX;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, n) && line[n] == ':') {
            unsigned long long kb;
            if (sscanf(line + n + 1, "%llu", &kb) == 1) v = (uint64_t)kb * 1024;
            break;
        }
    if (f) fclose(f);
    return v;
}

static uint64_t cgroup_max(void)
{
    FILE *f = fopen("/sys/fs/cgroup/memory.max", "r");
    unsigned long long v;
    uint64_t r = UINT64_MAX;
    if (f && fscanf(f, "%llu", &v) == 1) r = v; /* "max" reads as no limit */
    if (f) fclose(f);
    return r;
}

uint64_t lsnn_memory_available(void)
{
    uint64_t m = meminfo("MemAvailable"), c = cgroup_max();
    struct rlimit rl;
    if (c < m) m = c;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        /* the address space limit counts what the process has mapped already */
        unsigned long long pages = 0;
        FILE *f = fopen("/proc/self/statm", "r");
        if (f && fscanf(f, "%llu", &pages) != 1) pages = 0;
        if (f) fclose(f);
        uint64_t used = (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE);
        uint64_t left = rl.rlim_cur > used ? rl.rlim_cur - used : 0;
        if (left < m) m = left;
    }
    return m;
}

int lsnn_memory_parse(const char *text, uint64_t *bytes)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || !(v > 0)) return -1;
    double unit = 1;
    switch (*end) {
    case 'k':
    case 'K':
        unit = 1e3;
        end++;
        break;
    case 'm':
    case 'M':
        unit = 1e6;
        end++;
        break;
    case 'g':
    case 'G':
        unit = 1e9;
        end++;
        break;
    case 't':
    case 'T':
        unit = 1e12;
        end++;
        break;
    default:
        break;
    }
    if ((*end == 'B' || *end == 'b') && unit > 1) end++;
    if (*end || v * unit > 1.8e19) return -1;
    *bytes = (uint64_t)(v * unit);
    return 0;
}

const char *lsnn_memory_format(uint64_t n, char *buf, int len)
{
    if (n >= 1000000000ull)
        snprintf(buf, (size_t)len, "%.2f GB", n / 1e9);
    else
        snprintf(buf, (size_t)len, "%.0f MB", n / 1e6 < 1 ? 1 : n / 1e6);
    return buf;
}
