/* ir.h - a thin layer over LLVM's C builder for the lowering of an image (lower_*.c): the
 * types the neurocore needs, byte-addressed fields of the state block, loops and branches on
 * allocas (the pass pipeline's SROA turns them into registers), and docs/neurocore.md §0's
 * primitives (rshr, leak, saturation with its count, threshold, fires) on scalars and vectors.
 *
 * Written for LLVM 14 and later (../shared/toolchain.md): typed pointers made with
 * LLVMPointerType, the *2 builder calls with explicit types, no constant-expression builders. */
#ifndef LSNN_LLVM_IR_H
#define LSNN_LLVM_IR_H

#include <llvm-c/Core.h>
#include <stdint.h>

typedef struct {
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    LLVMValueRef fn;         /* the function being built */
    LLVMBasicBlockRef entry; /* its entry block: allocas go there */
    LLVMTypeRef i1, i8, i16, i32, i64, vd, p8, p16, p32, p64;
} ir;

void ir_init(ir *x, LLVMContextRef ctx, LLVMModuleRef mod);
void ir_done(ir *x);

/* A new function `name(params)` with external linkage; the builder sits in its body. */
LLVMValueRef ir_function(ir *x, const char *name, LLVMTypeRef ret, LLVMTypeRef *params, int n);

LLVMValueRef ir_c32(ir *x, int64_t v);
LLVMValueRef ir_c64(ir *x, int64_t v);
/* The constant v of type t (an integer or a vector of integers: every element v). */
LLVMValueRef ir_const(LLVMTypeRef t, int64_t v);

/* An i64 variable in the entry block, initialised to v there (a loop counter, a sum). */
LLVMValueRef ir_var(ir *x, LLVMTypeRef t, int64_t v, const char *name);
LLVMValueRef ir_get(ir *x, LLVMValueRef var);
void ir_set(ir *x, LLVMValueRef var, LLVMValueRef v);
void ir_add_to(ir *x, LLVMValueRef var, LLVMValueRef v); /* var += v (same type) */

/* A pointer of element type `elem` at byte offset `off` (i64, or ir_c64) of the block base. */
LLVMValueRef ir_at(ir *x, LLVMValueRef base, LLVMValueRef off, LLVMTypeRef elem);
/* Element i (i64) of the array of `elem` at pointer p. */
LLVMValueRef ir_idx(ir *x, LLVMTypeRef elem, LLVMValueRef p, LLVMValueRef i);
LLVMValueRef ir_load(ir *x, LLVMTypeRef t, LLVMValueRef p);
/* A load or store of a vector from an element pointer that is only element-aligned. */
LLVMValueRef ir_load_vec(ir *x, LLVMTypeRef vt, LLVMValueRef elem_ptr);
void ir_store_vec(ir *x, LLVMValueRef v, LLVMValueRef elem_ptr);

/* A private constant array global of n elements of type t (i8/i16/i32/i64) from v[]. */
LLVMValueRef ir_table(ir *x, const char *name, LLVMTypeRef t, const int64_t *v, size_t n);

/* for (i = lo; i < hi; i++) body: ir_for_open leaves the builder in the body, with the
 * induction variable's current value in *i (i64); ir_for_close ends the body. */
typedef struct {
    LLVMValueRef var;
    LLVMBasicBlockRef cond, body, end;
} ir_loop;
void ir_for_open(ir *x, ir_loop *l, LLVMValueRef lo, LLVMValueRef hi, LLVMValueRef *i);
void ir_for_close(ir *x, ir_loop *l);
/* while (cond) body: open builds the condition in a block of its own (cond_fn's job:
 * the builder is there when ir_while_test is called). */
void ir_while_head(ir *x, ir_loop *l);
void ir_while_test(ir *x, ir_loop *l, LLVMValueRef cond);
void ir_while_close(ir *x, ir_loop *l);

/* if (c) { then } [else { other }]: open leaves the builder in `then`. */
typedef struct {
    LLVMBasicBlockRef other, end;
    int has_else;
} ir_if;
void ir_if_open(ir *x, ir_if *f, LLVMValueRef c);
void ir_if_else(ir *x, ir_if *f);
void ir_if_close(ir *x, ir_if *f);

/* ---- §0 primitives, on an i64 scalar or an <n x i64> vector type t ------------------------- */

/* rshr(v, s): v when s = 0, else (v + 2^(s-1)) >> s (arithmetic). */
LLVMValueRef ir_rshr(ir *x, LLVMValueRef v, int s);
/* leak(v, k, f) = v - rshr(v * k, f); k = 0 folds to v. */
LLVMValueRef ir_leak(ir *x, LLVMValueRef v, int64_t k, int f);
/* The clamp of v to [lo, hi]; *sat gets 1 per changed element: an i64 (also for a vector v:
 * the count of its mask) or an <n x i64> value beside a vector v. */
LLVMValueRef ir_clamp(ir *x, LLVMValueRef v, int64_t lo, int64_t hi, LLVMValueRef *sat);
/* The trailing zeros of an integer that is not 0 (llvm.cttz), and its set bits (llvm.ctpop);
 * the result has v's type. */
LLVMValueRef ir_cttz(ir *x, LLVMValueRef v);
LLVMValueRef ir_ctpop(ir *x, LLVMValueRef v);
/* Sums the elements of an <n x i64> vector (an i64 passes through). */
LLVMValueRef ir_hsum(ir *x, LLVMValueRef v);

#endif
