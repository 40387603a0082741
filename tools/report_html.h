/* report_html.h - the page of lsnn report (report_html.c): the parts cmd_report.c gathered,
 * embedded as JSON and SVG, and the script that renders them into tables in the browser. */
#ifndef LSNN_REPORT_HTML_H
#define LSNN_REPORT_HTML_H

#include <stdio.h>

typedef struct {
    const char *image;
    int n_cores;
    long samples, verify_n;
    const char *engines;
    char compile_json[4200]; /* the image's compile.json (may be missing) */
    const char *energy_json; /* lsnn energy --json */
    const char *verify_json; /* lsnn verify --json */
    const char *cores_svg, *raster_svg, *energy_svg, *mesh_svg; /* mesh: NULL on one core */
    /* each command's exit status (-1: not started, -2: not run) and its last error line */
    int energy_rc, verify_rc, cores_rc, raster_rc;
    char energy_why[512], verify_why[512], cores_why[512], raster_why[512];
} report_html_parts;

/* Writes the whole page to f. */
void report_html_write(FILE *f, const report_html_parts *h);

#endif
