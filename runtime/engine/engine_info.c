/* placeholder replaced by the engine */
#include "real.h"
int LSNN_FN(lsnn_engine_real_bytes)(void) { return (int)sizeof(real); }
