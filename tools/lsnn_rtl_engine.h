/* lsnn_rtl_engine.h - the RTL neurocore (Verilator) as a host engine (lsnn_rtl_engine.c). */
#ifndef LSNN_CLI_RTL_ENGINE_H
#define LSNN_CLI_RTL_ENGINE_H

#include "image.h"
#include "ref_host.h"

/* The RTL neurocore loaded with img's single core through the programming port, as a host
 * engine; vcd non-NULL records a cycle-level VCD. Prints and returns -1 when the image spans
 * several cores, no verilated model fits its config, or lsnn has no RTL. */
int cli_rtl_engine(const char *cmd, const char *dir, const lsnn_image *img, const char *vcd,
                   lsnn_host_engine *out);
void cli_rtl_engine_free(lsnn_host_engine *en);

#endif
