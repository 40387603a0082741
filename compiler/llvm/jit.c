/* jit.c - target machines, the O3 pipeline and ORC LLJIT (codegen.h). */
#include <llvm-c/Analysis.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codegen.h"

static void init_targets(void)
{
    static int done;
    if (done) return;
    done = 1;
    LLVMInitializeAllTargetInfos();
    LLVMInitializeAllTargets();
    LLVMInitializeAllTargetMCs();
    LLVMInitializeAllAsmPrinters();
}

LLVMTargetMachineRef lsnn_llvm_machine(const char *triple, const char *cpu, const char *features,
                                       lsnn_error *e)
{
    init_targets();
    char *host_triple = NULL, *host_cpu = NULL, *host_feat = NULL;
    if (!triple) {
        triple = host_triple = LLVMGetDefaultTargetTriple();
        cpu = host_cpu = LLVMGetHostCPUName();
        features = host_feat = LLVMGetHostCPUFeatures();
    }
    LLVMTargetRef t;
    char *err = NULL;
    LLVMTargetMachineRef tm = NULL;
    if (LLVMGetTargetFromTriple(triple, &t, &err)) {
        lsnn_fail(e, "LLVM: no target for triple '%s': %s", triple, err ? err : "?");
        LLVMDisposeMessage(err);
    } else {
        tm =
            LLVMCreateTargetMachine(t, triple, cpu ? cpu : "", features ? features : "",
                                    LLVMCodeGenLevelAggressive, LLVMRelocPIC, LLVMCodeModelDefault);
        if (!tm) lsnn_fail(e, "LLVM: cannot make a target machine for '%s'", triple);
    }
    if (host_triple) LLVMDisposeMessage(host_triple);
    if (host_cpu) LLVMDisposeMessage(host_cpu);
    if (host_feat) LLVMDisposeMessage(host_feat);
    return tm;
}

void lsnn_llvm_prepare(LLVMModuleRef mod, LLVMTargetMachineRef tm)
{
    char *triple = LLVMGetTargetMachineTriple(tm);
    LLVMSetTarget(mod, triple);
    LLVMDisposeMessage(triple);
    LLVMTargetDataRef td = LLVMCreateTargetDataLayout(tm);
    LLVMSetModuleDataLayout(mod, td);
    LLVMDisposeTargetData(td);
}

static int llvm_error(LLVMErrorRef err, const char *what, lsnn_error *e)
{
    char *msg = LLVMGetErrorMessage(err);
    lsnn_fail(e, "LLVM: %s: %s", what, msg);
    LLVMDisposeErrorMessage(msg);
    return -1;
}

/* Verifies mod and runs the pass pipeline on it. */
static int run_pipeline(LLVMModuleRef mod, LLVMTargetMachineRef tm, const char *pipeline,
                        lsnn_error *e)
{
    char *msg = NULL;
    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
        lsnn_fail(e, "LLVM backend: the generated module is invalid (a bug): %.400s", msg);
        LLVMDisposeMessage(msg);
        return -1;
    }
    LLVMDisposeMessage(msg);
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    LLVMErrorRef err = LLVMRunPasses(mod, pipeline, tm, po);
    LLVMDisposePassBuilderOptions(po);
    return err ? llvm_error(err, "optimisation", e) : 0;
}

int lsnn_llvm_optimise(LLVMModuleRef mod, LLVMTargetMachineRef tm, lsnn_error *e)
{
    return run_pipeline(mod, tm, "default<O3>", e);
}

struct lsnn_jit {
    LLVMOrcLLJITRef jit;
};

void lsnn_jit_free(lsnn_jit *j)
{
    if (!j) return;
    if (j->jit) LLVMOrcDisposeLLJIT(j->jit);
    free(j);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int lookup(lsnn_jit *j, const char *name, LLVMOrcJITTargetAddress *addr, lsnn_error *e)
{
    LLVMErrorRef err = LLVMOrcLLJITLookup(j->jit, addr, name);
    return err ? llvm_error(err, name, e) : 0;
}

static int add_module(lsnn_jit *j, LLVMModuleRef mod, LLVMOrcThreadSafeContextRef tsc)
{
    LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(mod, tsc);
    LLVMErrorRef err =
        LLVMOrcLLJITAddLLVMIRModule(j->jit, LLVMOrcLLJITGetMainJITDylib(j->jit), tsm);
    if (err) LLVMOrcDisposeThreadSafeModule(tsm);
    return err ? llvm_error(err, "JIT", NULL) : 0;
}

static int jit_module(lsnn_jit *j, LLVMModuleRef mod, LLVMModuleRef code_mod,
                      LLVMTargetMachineRef tm, LLVMOrcThreadSafeContextRef tsc, lsnn_error *e)
{
    if (lsnn_llvm_optimise(mod, tm, e) ||
        (code_mod && run_pipeline(code_mod, tm, "function(sroa,instcombine,simplifycfg)", e))) {
        LLVMDisposeModule(mod);
        if (code_mod) LLVMDisposeModule(code_mod);
        return -1;
    }
    const char *cas = getenv("LSNN_JIT_ASM");
    if (cas && *cas && code_mod) { /* the unrolled synapses beside the tick's assembly */
        char path[4096];
        snprintf(path, sizeof path, "%s.code.s", cas);
        LLVMTargetMachineEmitToFile(tm, code_mod, path, LLVMAssemblyFile, NULL);
    }
    const char *dump = getenv("LSNN_JIT_DUMP"); /* the optimised IR, for people reading it */
    if (dump && *dump) LLVMPrintModuleToFile(mod, dump, NULL);
    const char *as = getenv("LSNN_JIT_ASM"); /* and the machine code (tick, not the synapses) */
    if (as && *as) {
        char path[4096];
        snprintf(path, sizeof path, "%s", as);
        LLVMTargetMachineEmitToFile(tm, mod, path, LLVMAssemblyFile, NULL);
    }
    LLVMOrcJITTargetMachineBuilderRef jtmb;
    LLVMErrorRef err = LLVMOrcJITTargetMachineBuilderDetectHost(&jtmb);
    if (!err) {
        LLVMOrcLLJITBuilderRef jb = LLVMOrcCreateLLJITBuilder();
        LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(jb, jtmb);
        err = LLVMOrcCreateLLJIT(&j->jit, jb);
    }
    if (!err) { /* memset/memcpy that the optimiser may call: the process's libc */
        LLVMOrcDefinitionGeneratorRef gen;
        err = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
            &gen, LLVMOrcLLJITGetGlobalPrefix(j->jit), NULL, NULL);
        if (!err) LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(j->jit), gen);
    }
    if (err) {
        LLVMDisposeModule(mod);
        if (code_mod) LLVMDisposeModule(code_mod);
        return llvm_error(err, "JIT", e);
    }
    int rc = add_module(j, mod, tsc);
    if (code_mod && (rc ? (LLVMDisposeModule(code_mod), 1) : add_module(j, code_mod, tsc))) rc = -1;
    return rc ? lsnn_fail(e, "JIT: cannot add the generated modules") : 0;
}

uintptr_t lsnn_jit_lookup(lsnn_jit *j, const char *name, lsnn_error *e)
{
    LLVMOrcJITTargetAddress a = 0;
    return lookup(j, name, &a, e) ? 0 : (uintptr_t)a;
}

/* A module built by build(mod, arg) in a fresh context, JIT-compiled for this host. */
static lsnn_jit *jit_build(int (*build)(LLVMModuleRef, LLVMModuleRef, void *, lsnn_error *),
                           void *arg, lsnn_error *e)
{
    lsnn_jit *j = calloc(1, sizeof *j);
    if (!j) {
        lsnn_fail(e, "JIT: out of memory");
        return NULL;
    }
    LLVMTargetMachineRef tm = lsnn_llvm_machine(NULL, NULL, NULL, e);
    if (!tm) {
        free(j);
        return NULL;
    }
    LLVMOrcThreadSafeContextRef tsc = LLVMOrcCreateNewThreadSafeContext();
    LLVMModuleRef mod =
        LLVMModuleCreateWithNameInContext("lsnn_image", LLVMOrcThreadSafeContextGetContext(tsc));
    LLVMModuleRef code_mod = LLVMModuleCreateWithNameInContext(
        "lsnn_image_code", LLVMOrcThreadSafeContextGetContext(tsc));
    lsnn_llvm_prepare(mod, tm);
    lsnn_llvm_prepare(code_mod, tm);
    int rc = build(mod, code_mod, arg, e);
    if (rc) {
        LLVMDisposeModule(mod);
        LLVMDisposeModule(code_mod);
    } else {
        rc = jit_module(j, mod, code_mod, tm, tsc, e);
    }
    LLVMDisposeTargetMachine(tm);
    LLVMOrcDisposeThreadSafeContext(tsc);
    if (rc) {
        lsnn_jit_free(j);
        return NULL;
    }
    return j;
}

typedef struct {
    const lsnn_image *img;
    const lsnn_nc_lower_opts *o;
    lsnn_nc_lower_info *info;
} lower_arg;

static int build_image(LLVMModuleRef mod, LLVMModuleRef code_mod, void *p, lsnn_error *e)
{
    lower_arg *a = p;
    return lsnn_nc_lower(a->img, a->o, mod, code_mod, a->info, e);
}

lsnn_jit *lsnn_jit_compile(const lsnn_image *img, const lsnn_nc_lower_opts *o, lsnn_nc_fns *fns,
                           lsnn_nc_lower_info *info, double *seconds, lsnn_error *e)
{
    double t0 = now_s();
    lower_arg a = {img, o, info};
    lsnn_jit *j = jit_build(build_image, &a, e);
    if (!j) return NULL;
    LLVMOrcJITTargetAddress f[4];
    if (lookup(j, "lsnn_nc_init", &f[0], e) || lookup(j, "lsnn_nc_clear", &f[1], e) ||
        lookup(j, "lsnn_nc_event", &f[2], e) || lookup(j, "lsnn_nc_tick", &f[3], e)) {
        lsnn_jit_free(j);
        return NULL;
    }
    fns->init = (void (*)(uint8_t *))(uintptr_t)f[0];
    fns->clear = (void (*)(uint8_t *))(uintptr_t)f[1];
    fns->event = (void (*)(uint8_t *, int32_t, int32_t))(uintptr_t)f[2];
    fns->tick = (void (*)(uint8_t *))(uintptr_t)f[3];
    if (seconds) *seconds = now_s() - t0;
    return j;
}

static int build_checks(LLVMModuleRef mod, LLVMModuleRef code_mod, void *p, lsnn_error *e)
{
    (void)e, (void)code_mod;
    *(int *)p = lsnn_nc_lower_check_vectors(mod);
    return 0;
}

lsnn_jit *lsnn_jit_check_vectors(int *n, lsnn_error *e)
{
    return jit_build(build_checks, n, e);
}
