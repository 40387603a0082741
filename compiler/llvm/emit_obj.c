/* emit_obj.c - an image as an object file for another machine (`lsnn compile --emit obj`):
 * the generated init/clear/event/tick (lower.h) compiled by LLVM for the target, a header
 * with the block's layout and the API, and a tiny C runtime that reads states and counters.
 * Microcontroller targets get scalar code and lane lists (no dense rows: flash is small);
 * 64-bit hosts get the JIT's form. */
#include <llvm-c/Object.h>
#include <llvm-c/TargetMachine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "fileio.h"
#include "llvm_backend.h"

typedef struct {
    const char *name, *triple, *cpu, *features;
    int vector_width, dense, mcu;
} target_def;

static const target_def targets[] = {
    {"thumbv7em-none-eabi", "thumbv7em-none-eabi", "cortex-m4", "", 1, 0, 1},
    {"riscv32-unknown-elf", "riscv32-unknown-elf", "generic-rv32", "+m,+c", 1, 0, 1},
    {"x86_64", "x86_64-unknown-linux-gnu", "x86-64", "", 8, 1, 0},
    {"aarch64", "aarch64-unknown-linux-gnu", "generic", "+neon", 8, 1, 0},
};

const char *lsnn_llvm_target_names(void)
{
    return "thumbv7em-none-eabi, riscv32-unknown-elf, x86_64, aarch64";
}

/* The section sizes of an object in memory: code, read-only data, writable data + bss. */
static void section_sizes(LLVMMemoryBufferRef buf, lsnn_obj_report *r)
{
    char *msg = NULL;
    LLVMBinaryRef bin = LLVMCreateBinary(buf, NULL, &msg);
    if (!bin) {
        LLVMDisposeMessage(msg);
        return;
    }
    LLVMSectionIteratorRef it = LLVMObjectFileCopySectionIterator(bin);
    for (; !LLVMObjectFileIsSectionIteratorAtEnd(bin, it); LLVMMoveToNextSection(it)) {
        const char *n = LLVMGetSectionName(it);
        uint64_t sz = LLVMGetSectionSize(it);
        if (!n) continue;
        if (!strncmp(n, ".text", 5))
            r->text_bytes += sz;
        else if (!strncmp(n, ".rodata", 7))
            r->rodata_bytes += sz;
        else if (!strncmp(n, ".data", 5) || !strncmp(n, ".bss", 4))
            r->data_bytes += sz;
    }
    LLVMDisposeSectionIterator(it);
    LLVMDisposeBinary(bin);
}

static int write_header(const char *path, const lsnn_image *img, const lsnn_nc_layout *L,
                        const target_def *t, lsnn_error *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return lsnn_fail(e, "%s: out of memory", path);
    fprintf(
        f,
        "/* lsnn_image.h - an LSNN image compiled by `lsnn compile --emit obj` for %s.\n"
        " * The object lsnn_image.o holds the generated code and constant data; lsnn_rt.c reads\n"
        " * the state block (docs/llvm-backend.md). One image per program: the names are fixed.\n"
        " * Use: static uint8_t block[LSNN_IMAGE_BLOCK_BYTES] aligned to 8; lsnn_nc_init(block);\n"
        " * then lsnn_nc_clear, lsnn_nc_event and lsnn_nc_tick as the host does (neurocore.md\n"
        " * §5), and lsnn_read_state / lsnn_read_counters after each. */\n"
        "#ifndef LSNN_IMAGE_H\n#define LSNN_IMAGE_H\n\n#include <stdint.h>\n\n",
        t->name);
    fprintf(f, "#define LSNN_IMAGE_CORES %d\n", img->ncores);
    fprintf(f, "#define LSNN_IMAGE_NEURONS %d /* N of the hardware config */\n", img->cfg.neurons);
    fprintf(f, "#define LSNN_IMAGE_CORE_BYTES %zu\n", L->core_bytes);
    fprintf(f, "#define LSNN_IMAGE_BLOCK_BYTES %zu\n", (size_t)img->ncores * L->core_bytes);
    fprintf(f, "#define LSNN_IMAGE_NCOUNTERS %d\n", LSNN_REF_NCOUNTERS);
    fprintf(f, "#define LSNN_IMAGE_CLEAR_CYCLES %llu\n\n",
            (unsigned long long)lsnn_hw_clear_cycles(&img->cfg));
    fprintf(f, "static const uint32_t lsnn_image_nu[LSNN_IMAGE_CORES] = {");
    for (int i = 0; i < img->ncores; i++)
        fprintf(f, "%s%u", i ? ", " : "", img->cores[i].nu);
    fprintf(f, "};\nstatic const uint32_t lsnn_image_core_id[LSNN_IMAGE_CORES] = {");
    for (int i = 0; i < img->ncores; i++)
        fprintf(f, "%s%u", i ? ", " : "", img->cores[i].core_id);
    fprintf(f, "};\n\n/* byte offsets within a core's part of the block */\n");
    fprintf(f, "#define LSNN_OFF_COUNTERS 0\n#define LSNN_OFF_LAST_CYCLES %d\n",
            8 * LSNN_REF_NCOUNTERS);
    fprintf(f, "#define LSNN_OFF_STATUS %d\n", 8 * LSNN_REF_NCOUNTERS + 8 + 8);
    fprintf(f, "#define LSNN_OFF_V %zu\n#define LSNN_OFF_A %zu\n#define LSNN_OFF_REF %zu\n", L->v,
            L->a, L->ref);
    fprintf(f, "#define LSNN_OFF_Z %zu\n#define LSNN_OFF_ISYN %zu\n\n", L->z, L->isyn);
    fprintf(f,
            "/* generated (lsnn_image.o) */\n"
            "void lsnn_nc_init(uint8_t *block);\n"
            "void lsnn_nc_clear(uint8_t *block);\n"
            "void lsnn_nc_event(uint8_t *block, int32_t core, int32_t axon);\n"
            "void lsnn_nc_tick(uint8_t *block);\n\n"
            "/* the tiny runtime (lsnn_rt.c) */\n"
            "typedef struct {\n    int64_t v, a, isyn;\n    uint32_t ref, z;\n} lsnn_state;\n"
            "void lsnn_read_state(const uint8_t *block, int core, uint32_t n, lsnn_state *out);\n"
            "void lsnn_read_counters(const uint8_t *block, int core,\n"
            "                        uint64_t out[LSNN_IMAGE_NCOUNTERS]);\n"
            "/* the last tick's cycles of the core (neurocore.md §10.2) */\n"
            "uint64_t lsnn_last_cycles(const uint8_t *block, int core);\n\n#endif\n");
    fclose(f);
    int rc = lsnn_write_file_atomic(path, buf, len, e);
    free(buf);
    return rc;
}

static const char runtime_c[] =
    "/* lsnn_rt.c - reads the state block of lsnn_image.h (written by lsnn compile --emit obj). "
    "*/\n"
    "#include <string.h>\n\n#include \"lsnn_image.h\"\n\n"
    "static const uint8_t *part(const uint8_t *block, int core)\n{\n"
    "    return block + (uint32_t)core * LSNN_IMAGE_CORE_BYTES;\n}\n\n"
    "static int32_t i32_at(const uint8_t *p, uint32_t off, uint32_t n)\n{\n"
    "    int32_t x;\n    memcpy(&x, p + off + 4 * n, 4);\n    return x;\n}\n\n"
    "void lsnn_read_state(const uint8_t *block, int core, uint32_t n, lsnn_state *out)\n{\n"
    "    const uint8_t *p = part(block, core);\n"
    "    out->v = i32_at(p, LSNN_OFF_V, n);\n"
    "    memcpy(&out->a, p + LSNN_OFF_A + 8 * n, 8);\n"
    "    out->ref = (uint32_t)i32_at(p, LSNN_OFF_REF, n);\n"
    "    out->z = (uint32_t)i32_at(p, LSNN_OFF_Z, n);\n"
    "    out->isyn = i32_at(p, LSNN_OFF_ISYN, n);\n}\n\n"
    "void lsnn_read_counters(const uint8_t *block, int core, uint64_t out[LSNN_IMAGE_NCOUNTERS])\n"
    "{\n    memcpy(out, part(block, core) + LSNN_OFF_COUNTERS, 8 * LSNN_IMAGE_NCOUNTERS);\n}\n\n"
    "uint64_t lsnn_last_cycles(const uint8_t *block, int core)\n{\n"
    "    uint64_t c;\n    memcpy(&c, part(block, core) + LSNN_OFF_LAST_CYCLES, 8);\n"
    "    return c;\n}\n";

int lsnn_llvm_emit_obj(const lsnn_image *img, const char *target, const char *dir,
                       lsnn_obj_report *rep, lsnn_error *e)
{
    const target_def *t = NULL;
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        if (!strcmp(targets[i].name, target)) t = &targets[i];
    if (!t)
        return lsnn_fail(e, "--target '%s': the LLVM backend emits for %s", target,
                         lsnn_llvm_target_names());
    memset(rep, 0, sizeof *rep);
    rep->target = t->name;
    rep->mcu = t->mcu;
    if (img->ncores != 1)
        return lsnn_fail(e,
                         "one-core images only (this one has %d cores): a chip's "
                         "routing order, which its NoC's timing decides, is not compiled",
                         img->ncores);
    lsnn_nc_lower_opts o = {t->vector_width, t->dense, 0, 0, 0, 0};
    LLVMTargetMachineRef tm = lsnn_llvm_machine(t->triple, t->cpu, t->features, e);
    if (!tm) return -1;
    if (t->mcu) { /* static code: no GOT on a bare-metal part */
        LLVMDisposeTargetMachine(tm);
        LLVMTargetRef tg;
        char *err = NULL;
        if (LLVMGetTargetFromTriple(t->triple, &tg, &err)) {
            lsnn_fail(e, "LLVM: %s", err ? err : "no target");
            LLVMDisposeMessage(err);
            return -1;
        }
        tm = LLVMCreateTargetMachine(tg, t->triple, t->cpu, t->features, LLVMCodeGenLevelAggressive,
                                     LLVMRelocStatic, LLVMCodeModelDefault);
    }
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("lsnn_image", ctx);
    lsnn_llvm_prepare(mod, tm);
    lsnn_nc_lower_info info;
    int rc = lsnn_nc_lower(img, &o, mod, NULL, &info, e);
    if (!rc) rc = lsnn_llvm_optimise(mod, tm, e);
    LLVMMemoryBufferRef buf = NULL;
    char *err = NULL;
    if (!rc && LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMObjectFile, &err, &buf)) {
        rc = lsnn_fail(e, "LLVM: code generation for %s: %s", t->name, err ? err : "?");
        LLVMDisposeMessage(err);
    }
    lsnn_nc_layout L;
    lsnn_nc_layout_of(img, &o, &L);
    char path[4096];
    if (!rc) rc = lsnn_mkdir_p(dir, e);
    if (!rc) {
        section_sizes(buf, rep);
        rep->block_bytes = (size_t)img->ncores * L.core_bytes;
        snprintf(path, sizeof path, "%s/lsnn_image.o", dir);
        rc = lsnn_write_file_atomic(path, LLVMGetBufferStart(buf), LLVMGetBufferSize(buf), e);
    }
    if (!rc) {
        snprintf(path, sizeof path, "%s/lsnn_image.h", dir);
        rc = write_header(path, img, &L, t, e);
    }
    if (!rc) {
        snprintf(path, sizeof path, "%s/lsnn_rt.c", dir);
        rc = lsnn_write_file_atomic(path, runtime_c, sizeof runtime_c - 1, e);
    }
    if (buf) LLVMDisposeMemoryBuffer(buf);
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    LLVMDisposeTargetMachine(tm);
    return rc;
}
