/* curve.h - the columns of a training curve (curve.csv and the checkpoint's curve tensor). */
#ifndef LSNN_CURVE_H
#define LSNN_CURVE_H

#define LSNN_CURVE_COLS 10
#define LSNN_CURVE_HEADER                                                                          \
    "iteration,loss,loss_ce,loss_reg,train_error,rate_hz,val_error,lr,seq_per_s,elapsed_s"

#endif
