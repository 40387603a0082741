/* hostmap.h - the host's side of a hardware image (docs/neurocore.md §12, docs/image-format.md
 * §2a).
 *
 * The neurocore memories (image.bin) say how cores compute; they do not say what the network's
 * neurons, inputs and readouts are. The host map does: which global neuron sits on which core
 * and local slot, each population's power-of-two scale, the readout classes with their bias,
 * and on which cores and axons each input channel arrives. The compiler writes it as the
 * `host:` section of manifest.yaml; `lsnn run` reads it back, so an image directory alone is
 * enough to run a network.
 *
 * Global neurons are numbered as the float network numbers them: recurrent neurons
 * 0..n_rec-1, then readouts n_rec..n_rec+n_out-1 (class c = neuron n_rec + c). */
#ifndef LSNN_HOSTMAP_H
#define LSNN_HOSTMAP_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "image.h"
#include "spec.h"

#define LSNN_HOSTMAP_VERSION  2
#define LSNN_HOSTMAP_MAX_POPS (LSNN_MAX_POPS + 1)

/* A population: global neurons first..first+size-1; v_int = v * 2^e. */
typedef struct {
    char name[LSNN_NAME_MAX];
    int readout; /* 0 spiking, 1 readout (the non-spiking leaky integrators) */
    uint32_t first, size;
    int e;
} lsnn_hm_pop;

/* A run of global neurons first..first+size-1 placed at local neurons local.. of core `core`
 * (a core id). */
typedef struct {
    uint32_t core, first, size, local;
} lsnn_hm_place;

/* Input channel i arrives on core `core` (id) at axon axon_base + i. */
typedef struct {
    uint32_t core, axon_base;
} lsnn_hm_input;

typedef struct {
    char model[256];         /* the model spec's file name inside the image directory */
    uint32_t model_crc;      /* lsnn_hostmap_model_crc of that spec */
    int n_in, n_rec, n_out;  /* input channels, recurrent neurons, readout classes */
    int acc_never_saturates; /* §12 */
    int n_pops;
    lsnn_hm_pop pops[LSNN_HOSTMAP_MAX_POPS];
    int n_place;
    lsnn_hm_place *place; /* [n_place] */
    int n_inputs;
    lsnn_hm_input *inputs; /* [n_inputs] */
    int e_r;               /* readout scale */
    int64_t *bias;         /* [n_out] bias_c = round(b_out_c * 2^e_r), added by the host (§4.5) */
    /* derived by lsnn_hostmap_check: where global neuron g lives */
    int *core_index; /* [n_rec + n_out] index into the image's cores */
    uint32_t *local; /* [n_rec + n_out] local neuron on that core */
} lsnn_hostmap;

/* Writes m as the manifest's `host:` section (YAML text, starting with "host:\n"). */
void lsnn_hostmap_write(FILE *f, const lsnn_hostmap *m);

/* Reads the `host:` section of dir/manifest.yaml and checks it against img (lsnn_hostmap_check).
 * The manifest's binary.crc32 must equal img->file_crc, so a manifest cannot be
 * paired with another image; every other line must be the one image.bin gives, and the host
 * section's CRC-32 the one image.bin's header holds, so no edit goes unnoticed. Errors are
 * "FILE:LINE:COL: error: ..." or name the entry or line. */
int lsnn_hostmap_load(const char *dir, const lsnn_image *img, lsnn_hostmap *m, lsnn_error *e);

/* The same from memory: text (len bytes, need not be NUL-terminated) is a whole manifest;
 * name is FILE in messages. */
int lsnn_hostmap_parse(const char *name, const char *text, size_t len, const lsnn_image *img,
                       lsnn_hostmap *m, lsnn_error *e);

/* Every neuron 0..n_rec+n_out-1 is placed exactly once, on a core the image holds, below its
 * NU; populations tile the neurons; each input list entry has axon_base + n_in <= its core's
 * XU. Fills the derived arrays. Returns 0 or -1 with a message. */
int lsnn_hostmap_check(lsnn_hostmap *m, const lsnn_image *img, lsnn_error *e);

/* The CRC-32 of a model spec as the image records it: its canonical YAML with task.data_dir
 * left out (where the data lie may change; what the model is may not). */
uint32_t lsnn_hostmap_model_crc(const lsnn_spec *s);

/* Refuses (-1, naming path) a spec that is not the one m's image was compiled from. */
int lsnn_hostmap_check_model(const lsnn_hostmap *m, const lsnn_spec *s, const char *path,
                             lsnn_error *e);

void lsnn_hostmap_free(lsnn_hostmap *m);

#endif
