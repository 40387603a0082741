/* real.h - the engine's number type. The engine sources compile twice: float (training,
 * the default) and double (LSNN_REAL_DOUBLE, for gradient checks). LSNN_FN(name) gives
 * each build its own names (name, name_f64), so a program can link and use both: include
 * engine.h, define LSNN_REAL_DOUBLE, include engine.h again. No include guard on purpose.
 * On x86-64 the float engine also compiles for AVX-512 (LSNN_ENGINE_FLAVOUR_AVX512, names
 * name_avx512), reached only through engine.c's dispatch (train/engine/isa_avx512.c). */
#undef LSNN_REAL
#undef LSNN_FN
#ifdef LSNN_REAL_DOUBLE
#define LSNN_REAL      double
#define LSNN_FN(name)  name##_f64
#elif defined(LSNN_ENGINE_FLAVOUR_AVX512)
/* the float engine built a second time for AVX-512 CPUs (engine.c dispatches to it) */
#define LSNN_REAL      float
#define LSNN_FN(name)  name##_avx512
#else
#define LSNN_REAL      float
#define LSNN_FN(name)  name
#endif
