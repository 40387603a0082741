/* ir.c - the builder layer of ir.h. */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

void ir_init(ir *x, LLVMContextRef ctx, LLVMModuleRef mod)
{
    x->ctx = ctx;
    x->mod = mod;
    x->b = LLVMCreateBuilderInContext(ctx);
    x->fn = NULL;
    x->entry = NULL;
    x->i1 = LLVMInt1TypeInContext(ctx);
    x->i8 = LLVMInt8TypeInContext(ctx);
    x->i16 = LLVMInt16TypeInContext(ctx);
    x->i32 = LLVMInt32TypeInContext(ctx);
    x->i64 = LLVMInt64TypeInContext(ctx);
    x->vd = LLVMVoidTypeInContext(ctx);
    x->p8 = LLVMPointerType(x->i8, 0);
    x->p16 = LLVMPointerType(x->i16, 0);
    x->p32 = LLVMPointerType(x->i32, 0);
    x->p64 = LLVMPointerType(x->i64, 0);
}

void ir_done(ir *x)
{
    LLVMDisposeBuilder(x->b);
}

LLVMValueRef ir_function(ir *x, const char *name, LLVMTypeRef ret, LLVMTypeRef *params, int n)
{
    LLVMTypeRef ft = LLVMFunctionType(ret, params, (unsigned)n, 0);
    x->fn = LLVMAddFunction(x->mod, name, ft);
    LLVMSetFunctionCallConv(x->fn, LLVMCCallConv);
    /* no unwinding tables: the function never throws (smaller MCU objects) */
    unsigned nounwind = LLVMGetEnumAttributeKindForName("nounwind", 8);
    LLVMAddAttributeAtIndex(x->fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(x->ctx, nounwind, 0));
    x->entry = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "entry");
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "body");
    LLVMPositionBuilderAtEnd(x->b, x->entry);
    LLVMBuildBr(x->b, body);
    LLVMPositionBuilderAtEnd(x->b, body);
    return x->fn;
}

LLVMValueRef ir_c32(ir *x, int64_t v)
{
    return LLVMConstInt(x->i32, (unsigned long long)v, 1);
}

LLVMValueRef ir_c64(ir *x, int64_t v)
{
    return LLVMConstInt(x->i64, (unsigned long long)v, 1);
}

LLVMValueRef ir_const(LLVMTypeRef t, int64_t v)
{
    if (LLVMGetTypeKind(t) != LLVMVectorTypeKind) return LLVMConstInt(t, (unsigned long long)v, 1);
    unsigned n = LLVMGetVectorSize(t);
    LLVMValueRef e = LLVMConstInt(LLVMGetElementType(t), (unsigned long long)v, 1);
    LLVMValueRef *els = malloc(n * sizeof *els);
    for (unsigned i = 0; i < n; i++)
        els[i] = e;
    LLVMValueRef c = LLVMConstVector(els, n);
    free(els);
    return c;
}

LLVMValueRef ir_var(ir *x, LLVMTypeRef t, int64_t v, const char *name)
{
    LLVMBasicBlockRef at = LLVMGetInsertBlock(x->b);
    LLVMValueRef term = LLVMGetBasicBlockTerminator(x->entry);
    LLVMPositionBuilderBefore(x->b, term);
    LLVMValueRef var = LLVMBuildAlloca(x->b, t, name);
    LLVMBuildStore(x->b, ir_const(t, v), var);
    LLVMPositionBuilderAtEnd(x->b, at);
    return var;
}

LLVMValueRef ir_get(ir *x, LLVMValueRef var)
{
    return LLVMBuildLoad2(x->b, LLVMGetAllocatedType(var), var, "");
}

void ir_set(ir *x, LLVMValueRef var, LLVMValueRef v)
{
    LLVMBuildStore(x->b, v, var);
}

void ir_add_to(ir *x, LLVMValueRef var, LLVMValueRef v)
{
    ir_set(x, var, LLVMBuildAdd(x->b, ir_get(x, var), v, ""));
}

LLVMValueRef ir_at(ir *x, LLVMValueRef base, LLVMValueRef off, LLVMTypeRef elem)
{
    LLVMValueRef p = LLVMBuildInBoundsGEP2(x->b, x->i8, base, &off, 1, "");
    return LLVMBuildBitCast(x->b, p, LLVMPointerType(elem, 0), "");
}

LLVMValueRef ir_idx(ir *x, LLVMTypeRef elem, LLVMValueRef p, LLVMValueRef i)
{
    return LLVMBuildInBoundsGEP2(x->b, elem, p, &i, 1, "");
}

LLVMValueRef ir_load(ir *x, LLVMTypeRef t, LLVMValueRef p)
{
    return LLVMBuildLoad2(x->b, t, p, "");
}

LLVMValueRef ir_load_vec(ir *x, LLVMTypeRef vt, LLVMValueRef elem_ptr)
{
    LLVMValueRef p = LLVMBuildBitCast(x->b, elem_ptr, LLVMPointerType(vt, 0), "");
    LLVMValueRef v = LLVMBuildLoad2(x->b, vt, p, "");
    LLVMSetAlignment(v, LLVMGetIntTypeWidth(LLVMGetElementType(vt)) / 8);
    return v;
}

void ir_store_vec(ir *x, LLVMValueRef v, LLVMValueRef elem_ptr)
{
    LLVMTypeRef vt = LLVMTypeOf(v);
    LLVMValueRef p = LLVMBuildBitCast(x->b, elem_ptr, LLVMPointerType(vt, 0), "");
    LLVMValueRef s = LLVMBuildStore(x->b, v, p);
    LLVMSetAlignment(s, LLVMGetIntTypeWidth(LLVMGetElementType(vt)) / 8);
}

LLVMValueRef ir_table(ir *x, const char *name, LLVMTypeRef t, const int64_t *v, size_t n)
{
    size_t len = n ? n : 1;
    LLVMValueRef *els = malloc(len * sizeof *els);
    for (size_t i = 0; i < len; i++)
        els[i] = LLVMConstInt(t, (unsigned long long)(i < n ? v[i] : 0), 1);
    LLVMTypeRef at = LLVMArrayType(t, (unsigned)len);
    LLVMValueRef g = LLVMAddGlobal(x->mod, at, name);
    LLVMSetInitializer(g, LLVMConstArray(t, els, (unsigned)len));
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
    free(els);
    return LLVMBuildBitCast(x->b, g, LLVMPointerType(t, 0), "");
}

/* ---- control flow --------------------------------------------------------------------------- */

void ir_for_open(ir *x, ir_loop *l, LLVMValueRef lo, LLVMValueRef hi, LLVMValueRef *i)
{
    l->var = ir_var(x, x->i64, 0, "i");
    ir_set(x, l->var, lo);
    l->cond = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "for.cond");
    l->body = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "for.body");
    l->end = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "for.end");
    LLVMBuildBr(x->b, l->cond);
    LLVMPositionBuilderAtEnd(x->b, l->cond);
    LLVMValueRef c = LLVMBuildICmp(x->b, LLVMIntSLT, ir_get(x, l->var), hi, "");
    LLVMBuildCondBr(x->b, c, l->body, l->end);
    LLVMPositionBuilderAtEnd(x->b, l->body);
    *i = ir_get(x, l->var);
}

void ir_for_close(ir *x, ir_loop *l)
{
    ir_set(x, l->var, LLVMBuildAdd(x->b, ir_get(x, l->var), ir_c64(x, 1), ""));
    LLVMBuildBr(x->b, l->cond);
    LLVMPositionBuilderAtEnd(x->b, l->end);
}

void ir_while_head(ir *x, ir_loop *l)
{
    l->var = NULL;
    l->cond = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "while.cond");
    l->body = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "while.body");
    l->end = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "while.end");
    LLVMBuildBr(x->b, l->cond);
    LLVMPositionBuilderAtEnd(x->b, l->cond);
}

void ir_while_test(ir *x, ir_loop *l, LLVMValueRef cond)
{
    LLVMBuildCondBr(x->b, cond, l->body, l->end);
    LLVMPositionBuilderAtEnd(x->b, l->body);
}

void ir_while_close(ir *x, ir_loop *l)
{
    LLVMBuildBr(x->b, l->cond);
    LLVMPositionBuilderAtEnd(x->b, l->end);
}

void ir_if_open(ir *x, ir_if *f, LLVMValueRef c)
{
    LLVMBasicBlockRef then = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "then");
    f->other = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "else");
    f->end = NULL;
    f->has_else = 0;
    LLVMBuildCondBr(x->b, c, then, f->other);
    LLVMPositionBuilderAtEnd(x->b, then);
}

void ir_if_else(ir *x, ir_if *f)
{
    f->end = LLVMAppendBasicBlockInContext(x->ctx, x->fn, "endif");
    f->has_else = 1;
    LLVMBuildBr(x->b, f->end);
    LLVMPositionBuilderAtEnd(x->b, f->other);
}

void ir_if_close(ir *x, ir_if *f)
{
    if (!f->has_else) {
        LLVMBuildBr(x->b, f->other);
        LLVMPositionBuilderAtEnd(x->b, f->other);
        return;
    }
    LLVMBuildBr(x->b, f->end);
    LLVMPositionBuilderAtEnd(x->b, f->end);
}

/* ---- §0 primitives -------------------------------------------------------------------------- */

LLVMValueRef ir_rshr(ir *x, LLVMValueRef v, int s)
{
    if (s == 0) return v;
    LLVMTypeRef t = LLVMTypeOf(v);
    LLVMValueRef r = LLVMBuildAdd(x->b, v, ir_const(t, (int64_t)1 << (s - 1)), "");
    return LLVMBuildAShr(x->b, r, ir_const(t, s), "");
}

LLVMValueRef ir_leak(ir *x, LLVMValueRef v, int64_t k, int f)
{
    if (k == 0) return v;
    LLVMValueRef p = LLVMBuildMul(x->b, v, ir_const(LLVMTypeOf(v), k), "");
    return LLVMBuildSub(x->b, v, ir_rshr(x, p, f), "");
}

LLVMValueRef ir_clamp(ir *x, LLVMValueRef v, int64_t lo_, int64_t hi_, LLVMValueRef *sat)
{
    LLVMTypeRef t = LLVMTypeOf(v);
    LLVMValueRef lo = ir_const(t, lo_), hi = ir_const(t, hi_);
    LLVMValueRef below = LLVMBuildICmp(x->b, LLVMIntSLT, v, lo, "");
    LLVMValueRef above = LLVMBuildICmp(x->b, LLVMIntSGT, v, hi, "");
    LLVMValueRef r = LLVMBuildSelect(x->b, below, lo, LLVMBuildSelect(x->b, above, hi, v, ""), "");
    if (sat) {
        LLVMValueRef changed = LLVMBuildOr(x->b, below, above, "");
        if (LLVMGetTypeKind(t) == LLVMVectorTypeKind && LLVMTypeOf(*sat) == x->i64) {
            /* a vector's count into a scalar: the mask's set bits (kmov + popcnt on x86 keeps
             * the vector ports free) */
            LLVMTypeRef mt = LLVMIntTypeInContext(x->ctx, LLVMGetVectorSize(t));
            LLVMValueRef n = ir_ctpop(x, LLVMBuildBitCast(x->b, changed, mt, ""));
            *sat = LLVMBuildAdd(x->b, *sat, LLVMBuildZExt(x->b, n, x->i64, ""), "");
        } else {
            *sat = LLVMBuildAdd(x->b, *sat, LLVMBuildZExt(x->b, changed, t, ""), "");
        }
    }
    return r;
}

LLVMValueRef ir_hsum(ir *x, LLVMValueRef v)
{
    LLVMTypeRef t = LLVMTypeOf(v);
    if (LLVMGetTypeKind(t) != LLVMVectorTypeKind) return v;
    LLVMValueRef s = NULL;
    for (unsigned i = 0; i < LLVMGetVectorSize(t); i++) {
        LLVMValueRef e = LLVMBuildExtractElement(x->b, v, ir_c32(x, i), "");
        s = s ? LLVMBuildAdd(x->b, s, e, "") : e;
    }
    return s;
}

/* llvm.<name> on v's integer type; cttz takes "zero is poison" (v is never 0 there). */
static LLVMValueRef bit_intrinsic(ir *x, const char *name, LLVMValueRef v)
{
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMTypeRef t = LLVMTypeOf(v);
    LLVMValueRef f = LLVMGetIntrinsicDeclaration(x->mod, id, &t, 1);
    LLVMValueRef args[2] = {v, LLVMConstInt(x->i1, 1, 0)};
    unsigned n = strcmp(name, "llvm.cttz") ? 1 : 2;
    return LLVMBuildCall2(x->b, LLVMIntrinsicGetType(x->ctx, id, &t, 1), f, args, n, "");
}

LLVMValueRef ir_cttz(ir *x, LLVMValueRef v)
{
    return bit_intrinsic(x, "llvm.cttz", v);
}

LLVMValueRef ir_ctpop(ir *x, LLVMValueRef v)
{
    return bit_intrinsic(x, "llvm.ctpop", v);
}
