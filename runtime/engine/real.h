/* real.h - the engine's number type. The engine sources compile twice: float (training,
 * the default) and double (LSNN_REAL_DOUBLE, for gradient checks). LSNN_FN(name) gives
 * each build its own symbol names, so tests can link both. */
#ifndef LSNN_REAL_H
#define LSNN_REAL_H

#ifdef LSNN_REAL_DOUBLE
typedef double real;
#define LSNN_FN(name) name##_f64
#define LSNN_REAL_NAME "f64"
#else
typedef float real;
#define LSNN_FN(name) name
#define LSNN_REAL_NAME "f32"
#endif

#endif
