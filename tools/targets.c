/* targets.c - the engines the command line can run an image on, by name. */
#include "targets.h"

#include <stdio.h>
#include <string.h>

#include "llvm_backend.h"
#include "ref_chip.h"
#ifdef LSNN_HAVE_RTL
#include "target_rtl.h"
#endif
#ifdef LSNN_HAVE_SYSTEMC
#include "target_systemc.h"
#endif

/* The reference chip, owned by the target. */
static void close_ref(void *ctx)
{
    lsnn_ref_chip_free(ctx);
}

static int open_ref(const lsnn_image *img, const cli_target_opts *o, lsnn_target *out,
                    lsnn_error *e)
{
    lsnn_ref_chip *chip = lsnn_ref_chip_from_image(img, e);
    if (!chip) return -1;
    lsnn_target_ref(chip, o->record, out);
    out->close = close_ref;
    return 0;
}

#ifdef LSNN_HAVE_RTL
static int open_rtl(const lsnn_image *img, const cli_target_opts *o, lsnn_target *out,
                    lsnn_error *e)
{
    lsnn_rtl_vcd v = {o->vcd, o->vcd_from, o->vcd_to, o->vcd_scope};
    return lsnn_target_rtl_open(img, o->dir, o->vcd ? &v : NULL, o->readmemh, out, e);
}
#else
static int open_rtl(const lsnn_image *img, const cli_target_opts *o, lsnn_target *out,
                    lsnn_error *e)
{
    (void)img, (void)o, (void)out;
    return lsnn_fail(e, "this lsnn was built without Verilator, so it has no RTL engine; run "
                        "tools/setup.sh (it installs verilator) and rebuild");
}
#endif

#ifdef LSNN_HAVE_SYSTEMC
static int open_systemc(const lsnn_image *img, const cli_target_opts *o, lsnn_target *out,
                        lsnn_error *e)
{
    if (o->readmemh)
        return lsnn_fail(e, "the SystemC platform loads through its programming window; "
                            "--readmemh is for the rtl engine");
    if (o->vcd)
        return lsnn_fail(e, "the SystemC platform writes no VCD; --vcd is for the rtl engine");
    return lsnn_target_systemc_open(img, out, e);
}
#else
static int open_systemc(const lsnn_image *img, const cli_target_opts *o, lsnn_target *out,
                        lsnn_error *e)
{
    (void)img, (void)o, (void)out;
    return lsnn_fail(e, "this lsnn was built without the SystemC platform (it needs Verilator "
                        "and libsystemc-dev, which tools/setup.sh installs, and a build without "
                        "LSNN_SANITIZE); rebuild");
}
#endif

/* The image compiled to native code by the LLVM backend (compiler/llvm/). */
static int open_jit(const lsnn_image *img, const cli_target_opts *o, lsnn_target *out,
                    lsnn_error *e)
{
    if (o->readmemh || o->vcd)
        return lsnn_fail(e, "--readmemh and --vcd are for the rtl engine, not jit");
    lsnn_jit_opts jo = {0, 0, 0, 0, o->record};
    return lsnn_target_jit_open(img, &jo, out, NULL, e);
}

static const struct {
    const char *name;
    int (*open)(const lsnn_image *img, const cli_target_opts *o, lsnn_target *out, lsnn_error *e);
} kinds[] = {
    {"ref", open_ref},         /* runtime/chip/target_ref.c: the bit-exact reference chip */
    {"rtl", open_rtl},         /* hw/target_rtl.c: the Verilog neurocore under Verilator */
    {"systemc", open_systemc}, /* hw/systemc/: the chip's SystemC/TLM platform */
    {"jit", open_jit},         /* compiler/llvm/: the image as native code (LLVM ORC JIT) */
};

int cli_target_known(const char *name)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(name, kinds[i].name)) return 1;
    return 0;
}

void cli_target_names(char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", kinds[i].name);
}

int cli_target_open(const char *name, const lsnn_image *img, const cli_target_opts *o,
                    lsnn_target *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(name, kinds[i].name)) return kinds[i].open(img, o, out, e);
    char names[256];
    cli_target_names(names, sizeof names);
    return lsnn_fail(e, "unknown engine '%s' (engines: %s)", name, names);
}
