/* nav_stepper.h - the float LSNN one step at a time, for closed-loop rollouts.
 *
 * The batch engine (engine.h) runs whole recorded sequences; a policy whose inputs depend on
 * its own outputs needs the network a step at a time. This is the same neuron model, the same
 * float expressions in the same order per neuron (engine.h; forward.c's update_binary), for
 * one sequence, scalar. Only the order in which a step's input current is summed differs
 * (here: inputs, then recurrent spikes as they are sent; there: by delay), so the two agree
 * up to float rounding (tests/test_nav.c checks that they give the same spikes). */
#ifndef LSNN_NAV_STEPPER_H
#define LSNN_NAV_STEPPER_H

#include <stdint.h>

#include "engine.h"

typedef struct {
    const lsnn_net *net;
    int t;       /* steps done */
    int slots;   /* ring slots: n_delay + 1 */
    float *ring; /* [slots][n_rec]: input current of the coming steps */
    float *v, *b, *isyn;
    uint8_t *z;   /* spikes of the last step */
    int *refc;    /* refractory steps left */
    float *ro;    /* readout traces [n_out] */
    double *wsum; /* window sums of ro + b_out [n_out] */
    int wlen;     /* steps summed */
    long spikes;  /* recurrent spikes so far */
} lsnn_nav_stepper;

/* Allocates for net (kept by pointer) and resets. 0, or -1 on OOM. */
int lsnn_nav_stepper_init(lsnn_nav_stepper *s, const lsnn_net *net);
void lsnn_nav_stepper_free(lsnn_nav_stepper *s);

/* The state of step 0 (all zero) and an empty window. */
void lsnn_nav_stepper_reset(lsnn_nav_stepper *s);

/* One step with input spikes ch[0..n-1]; with `in_window`, the readout of the step is added to
 * the window sums. */
void lsnn_nav_stepper_step(lsnn_nav_stepper *s, const uint16_t *ch, int n, int in_window);

/* The window's mean readout (n_out values) into out, and a new window. */
void lsnn_nav_stepper_window(lsnn_nav_stepper *s, double *out);

#endif
