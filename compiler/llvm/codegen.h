/* codegen.h - from a lowered module to machine code: target machines, the optimisation
 * pipeline, ORC LLJIT on the host (jit.c) and object files for other targets (emit_obj.c). */
#ifndef LSNN_LLVM_CODEGEN_H
#define LSNN_LLVM_CODEGEN_H

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>
#include <stdint.h>

#include "error.h"
#include "lower.h"

/* The generated entry points (lower.h). */
typedef struct {
    void (*init)(uint8_t *block);
    void (*clear)(uint8_t *block);
    void (*event)(uint8_t *block, int32_t core, int32_t axon);
    void (*tick)(uint8_t *block);
} lsnn_nc_fns;

/* A target machine for triple (NULL: this host, its CPU and features) and cpu/features (NULL:
 * the triple's defaults). Returns NULL with e set when LLVM lacks the target. */
LLVMTargetMachineRef lsnn_llvm_machine(const char *triple, const char *cpu, const char *features,
                                       lsnn_error *e);

/* Sets mod's triple and data layout from tm (before lowering), and after lowering verifies mod
 * and runs the O3 pipeline on it. */
void lsnn_llvm_prepare(LLVMModuleRef mod, LLVMTargetMachineRef tm);
int lsnn_llvm_optimise(LLVMModuleRef mod, LLVMTargetMachineRef tm, lsnn_error *e);

/* An image compiled by ORC LLJIT on this host. */
typedef struct lsnn_jit lsnn_jit;

/* Lowers img with o (vector_width 0: the host's choice), optimises and JIT-compiles it.
 * seconds (may be NULL) gets the wall time of lowering + optimisation + code generation. */
lsnn_jit *lsnn_jit_compile(const lsnn_image *img, const lsnn_nc_lower_opts *o, lsnn_nc_fns *fns,
                           lsnn_nc_lower_info *info, double *seconds, lsnn_error *e);
void lsnn_jit_free(lsnn_jit *j);

/* The address of a generated function, or 0 with e set. */
uintptr_t lsnn_jit_lookup(lsnn_jit *j, const char *name, lsnn_error *e);

/* The check-vector module of lsnn_nc_lower_check_vectors, JIT-compiled; *n vectors. */
lsnn_jit *lsnn_jit_check_vectors(int *n, lsnn_error *e);

#endif
