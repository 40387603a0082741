/* report_compile.h - what lsnn compile prints: text or one JSON object. */
#ifndef LSNN_REPORT_COMPILE_H
#define LSNN_REPORT_COMPILE_H

#include <stdio.h>

#include "compiler.h"
#include "llvm_backend.h"
#include "spec.h"

/* The compiler's report, each core's utilisation, the calibration and where the image went. */
void report_compile_text(const char *out, const char *model_file, const lsnn_spec *spec,
                         const lsnn_compiled *cc, const lsnn_cc_calibration *cal,
                         const lsnn_obj_report *obj);

/* The same as one JSON object on one line to f (dir: the run directory). lsnn compile prints
 * it with --json and always keeps it in the image folder as compile.json (lsnn report). */
void report_compile_json(FILE *f, const char *dir, const char *out, const lsnn_spec *spec,
                         const lsnn_compiled *cc, const lsnn_cc_calibration *cal,
                         const lsnn_obj_report *obj);
/* obj (may be NULL): the object file of --emit obj, with its sizes and whether it fits a
 * 256 KB-flash / 64 KB-RAM microcontroller. */

#endif
