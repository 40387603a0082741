/* real.h - the engine's number type. The engine sources compile twice: float (training,
 * the default) and double (LSNN_REAL_DOUBLE, for gradient checks). LSNN_FN(name) gives
 * each build its own names (name, name_f64), so a program can link and use both: include
 * engine.h, define LSNN_REAL_DOUBLE, include engine.h again. No include guard on purpose. */
#undef LSNN_REAL
#undef LSNN_FN
#ifdef LSNN_REAL_DOUBLE
#define LSNN_REAL      double
#define LSNN_FN(name)  name##_f64
#else
#define LSNN_REAL      float
#define LSNN_FN(name)  name
#endif
