/* hostmap.c - the manifest's host: section: writer, strict reader, checks against the image. */
#include "hostmap.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "image_internal.h"
#include "yamltree.h"

void lsnn_hostmap_free(lsnn_hostmap *m)
{
    if (!m) return;
    free(m->place);
    free(m->inputs);
    free(m->bias);
    free(m->core_index);
    free(m->local);
    memset(m, 0, sizeof *m);
}

/* A name of A-Z a-z 0-9 _ . - (what the reader accepts) as a YAML scalar that reads back as
 * itself: plain, or single-quoted when it starts with a character that YAML would take as
 * syntax ("-" alone is a sequence entry). */
static const char *yaml_name(const char *s, char *buf, size_t n)
{
    int plain = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
                (s[0] >= '0' && s[0] <= '9') || s[0] == '_';
    if (plain) return s;
    snprintf(buf, n, "'%s'", s);
    return buf;
}

void lsnn_hostmap_write(FILE *f, const lsnn_hostmap *m)
{
    char q[LSNN_NAME_MAX + 4], qm[sizeof m->model + 4];
    fprintf(f, "host:                     # the host's side of the image (hostmap.h)\n");
    fprintf(f, "  version: %d\n  model: %s\n", LSNN_HOSTMAP_VERSION,
            yaml_name(m->model, qm, sizeof qm));
    fprintf(f, "  model_crc32: 0x%08" PRIx32 "           # of the model spec (hostmap.h)\n",
            m->model_crc);
    fprintf(f, "  inputs: %d\n  recurrent: %d\n  readouts: %d\n", m->n_in, m->n_rec, m->n_out);
    fprintf(f, "  acc_never_saturates: %s\n", m->acc_never_saturates ? "true" : "false");
    fprintf(f, "  populations:              # global neurons first..first+size-1, v_int = v*2^e\n");
    for (int p = 0; p < m->n_pops; p++)
        fprintf(f, "    - {name: %s, kind: %s, first: %" PRIu32 ", size: %" PRIu32 ", e: %d}\n",
                yaml_name(m->pops[p].name, q, sizeof q), m->pops[p].readout ? "readout" : "spiking",
                m->pops[p].first, m->pops[p].size, m->pops[p].e);
    fprintf(f, "  placement:                # global neurons first.. at local neurons local..\n");
    for (int i = 0; i < m->n_place; i++)
        fprintf(f,
                "    - {core: %" PRIu32 ", first: %" PRIu32 ", size: %" PRIu32 ", local: %" PRIu32
                "}\n",
                m->place[i].core, m->place[i].first, m->place[i].size, m->place[i].local);
    fprintf(f, "  input_axons:              # channel i -> axon axon_base + i of each core\n");
    for (int i = 0; i < m->n_inputs; i++)
        fprintf(f, "    - {core: %" PRIu32 ", axon_base: %" PRIu32 "}\n", m->inputs[i].core,
                m->inputs[i].axon_base);
    fprintf(f, "  readout:                  # class c = neuron recurrent + c; logit = (sum + "
               "L*bias) / (L*2^e_r)\n");
    fprintf(f, "    e_r: %d\n    bias: [", m->e_r);
    for (int c = 0; c < m->n_out; c++)
        fprintf(f, "%s%" PRId64, c ? ", " : "", m->bias[c]);
    fprintf(f, "]\n");
}

/* ---- reading ------------------------------------------------------------------------------ */

static const char *const top_keys[] = {"format",   "version", "neurocore", "binary",
                                       "hardware", "cores",   "host",      NULL};
static const char *const host_keys[] = {"version",
                                        "model",
                                        "model_crc32",
                                        "inputs",
                                        "recurrent",
                                        "readouts",
                                        "acc_never_saturates",
                                        "populations",
                                        "placement",
                                        "input_axons",
                                        "readout",
                                        NULL};
static const char *const pop_keys[] = {"name", "kind", "first", "size", "e", NULL};
static const char *const place_keys[] = {"core", "first", "size", "local", NULL};
static const char *const input_keys[] = {"core", "axon_base", NULL};
static const char *const kind_names[] = {"spiking", "readout", NULL};

/* The sequence under key (required), with its item count. */
static int get_seq(const yt_section *s, const char *key, const yt_node **seq)
{
    char what[YT_WHAT_LEN], path[YT_PATH_LEN];
    if (yt_field(s, key, YT_REQUIRED, seq)) return -1;
    if ((*seq)->kind != YT_SEQUENCE) {
        yt_key_path(s, key, path, sizeof path);
        return yt_fail_node(s->r, *seq, "%s must be a sequence; got %s", path,
                            yt_describe(*seq, what, sizeof what));
    }
    return 0;
}

/* Item i of a sequence of mappings as a section with the given keys. */
static int item_section(const yt_section *s, const char *key, const yt_node *seq, size_t i,
                        const char *const *keys, yt_section *item, char *path)
{
    char what[YT_WHAT_LEN];
    snprintf(path, YT_PATH_LEN, "%s%s%s[%zu]", s->path, *s->path ? "." : "", key, i);
    const yt_node *v = seq->items[i];
    if (v->kind != YT_MAPPING)
        return yt_fail_node(s->r, v, "%s must be a mapping; got %s", path,
                            yt_describe(v, what, sizeof what));
    *item = (yt_section){s->r, v, path};
    return yt_check_keys(item, keys);
}

static int get_u32(const yt_section *s, const char *key, uint32_t hi, uint32_t *out)
{
    long long v = 0;
    if (yt_get_integer(s, key, YT_REQUIRED, 0, hi, &v)) return -1;
    *out = (uint32_t)v;
    return 0;
}

static int read_pops(const yt_section *h, lsnn_hostmap *m)
{
    const yt_node *seq;
    char path[YT_PATH_LEN];
    if (get_seq(h, "populations", &seq)) return -1;
    if (seq->n_items < 1 || seq->n_items > LSNN_HOSTMAP_MAX_POPS)
        return yt_fail_node(h->r, seq, "host.populations must hold 1..%d populations, got %zu",
                            LSNN_HOSTMAP_MAX_POPS, seq->n_items);
    m->n_pops = (int)seq->n_items;
    for (size_t i = 0; i < seq->n_items; i++) {
        yt_section it;
        lsnn_hm_pop *p = &m->pops[i];
        if (item_section(h, "populations", seq, i, pop_keys, &it, path) ||
            yt_get_name(&it, "name", p->name, sizeof p->name) ||
            yt_get_enum(&it, "kind", YT_REQUIRED, kind_names, &p->readout) ||
            get_u32(&it, "first", 1u << 20, &p->first) ||
            get_u32(&it, "size", 1u << 20, &p->size) ||
            yt_get_int(&it, "e", YT_REQUIRED, -62, 62, &p->e))
            return -1;
    }
    return 0;
}

static int read_places(const yt_section *h, lsnn_hostmap *m)
{
    const yt_node *seq;
    char path[YT_PATH_LEN];
    if (get_seq(h, "placement", &seq)) return -1;
    if (seq->n_items < 1 || seq->n_items > LSNN_HW_MAX_CORES * 4)
        return yt_fail_node(h->r, seq, "host.placement must hold 1..%d entries, got %zu",
                            LSNN_HW_MAX_CORES * 4, seq->n_items);
    m->place = calloc(seq->n_items, sizeof *m->place);
    if (!m->place) return lsnn_fail(h->r->e, "%s: out of memory", h->r->file);
    m->n_place = (int)seq->n_items;
    for (size_t i = 0; i < seq->n_items; i++) {
        yt_section it;
        lsnn_hm_place *p = &m->place[i];
        if (item_section(h, "placement", seq, i, place_keys, &it, path) ||
            get_u32(&it, "core", LSNN_HW_MAX_CORES - 1, &p->core) ||
            get_u32(&it, "first", 1u << 20, &p->first) || get_u32(&it, "size", 4096, &p->size) ||
            get_u32(&it, "local", 4095, &p->local))
            return -1;
    }
    return 0;
}

static int read_inputs(const yt_section *h, lsnn_hostmap *m)
{
    const yt_node *seq;
    char path[YT_PATH_LEN];
    if (get_seq(h, "input_axons", &seq)) return -1;
    if (seq->n_items > LSNN_HW_MAX_CORES)
        return yt_fail_node(h->r, seq, "host.input_axons must hold at most %d entries, got %zu",
                            LSNN_HW_MAX_CORES, seq->n_items);
    m->inputs = calloc(seq->n_items + 1, sizeof *m->inputs);
    if (!m->inputs) return lsnn_fail(h->r->e, "%s: out of memory", h->r->file);
    m->n_inputs = (int)seq->n_items;
    for (size_t i = 0; i < seq->n_items; i++) {
        yt_section it;
        if (item_section(h, "input_axons", seq, i, input_keys, &it, path) ||
            get_u32(&it, "core", LSNN_HW_MAX_CORES - 1, &m->inputs[i].core) ||
            get_u32(&it, "axon_base", 65535, &m->inputs[i].axon_base))
            return -1;
    }
    return 0;
}

static int read_readout(const yt_section *h, lsnn_hostmap *m)
{
    yt_section ro;
    char pb[YT_PATH_LEN], path[YT_PATH_LEN + 16];
    const yt_node *seq;
    if (yt_get_section(h, "readout", YT_REQUIRED, &ro, pb) ||
        yt_check_keys(&ro, (const char *const[]){"e_r", "bias", NULL}) ||
        yt_get_int(&ro, "e_r", YT_REQUIRED, -62, 62, &m->e_r) || get_seq(&ro, "bias", &seq))
        return -1;
    if ((long)seq->n_items != m->n_out)
        return yt_fail_node(h->r, seq,
                            "host.readout.bias must hold %d values (one per readout), "
                            "got %zu",
                            m->n_out, seq->n_items);
    m->bias = calloc((size_t)m->n_out + 1, sizeof *m->bias);
    if (!m->bias) return lsnn_fail(h->r->e, "%s: out of memory", h->r->file);
    for (size_t c = 0; c < seq->n_items; c++) {
        long long v;
        snprintf(path, sizeof path, "host.readout.bias[%zu]", c);
        if (yt_integer_value(h->r, seq->items[c], path, -(1LL << 62), 1LL << 62, &v)) return -1;
        m->bias[c] = v;
    }
    return 0;
}

/* A CRC-32 written as 0x%08x: key `key` of section s (path names it in messages). */
static int read_crc(const yt_section *s, const char *key, const char *path, uint32_t *out)
{
    const yt_node *v = yt_lookup(s->map, key);
    if (!v || v->kind != YT_SCALAR) return yt_fail_node(s->r, s->map, "%s is missing", path);
    char *end;
    long long crc = strtoll(v->text, &end, 16);
    char c0 = v->text[0]; /* strtoll would take "", blanks and signs */
    int hex = (c0 >= '0' && c0 <= '9') || (c0 >= 'a' && c0 <= 'f') || (c0 >= 'A' && c0 <= 'F');
    if (!hex || *end || (size_t)(end - v->text) != v->len || crc < 0 || crc > 0xFFFFFFFFLL)
        return yt_fail_node(s->r, v, "%s must be a hex number, got '%s'", path, v->text);
    *out = (uint32_t)crc;
    return 0;
}

static int read_host(const yt_section *top, lsnn_hostmap *m)
{
    yt_section h;
    char pb[YT_PATH_LEN];
    int version = 0;
    if (yt_get_section(top, "host", YT_REQUIRED, &h, pb) || yt_check_keys(&h, host_keys) ||
        yt_get_int(&h, "version", YT_REQUIRED, LSNN_HOSTMAP_VERSION, LSNN_HOSTMAP_VERSION,
                   &version) ||
        yt_get_string(&h, "model", YT_REQUIRED, m->model, sizeof m->model) ||
        read_crc(&h, "model_crc32", "host.model_crc32", &m->model_crc) ||
        yt_get_int(&h, "inputs", YT_REQUIRED, 0, 65536, &m->n_in) ||
        yt_get_int(&h, "recurrent", YT_REQUIRED, 0, 1 << 20, &m->n_rec) ||
        yt_get_int(&h, "readouts", YT_REQUIRED, 0, 1 << 16, &m->n_out) ||
        yt_get_bool(&h, "acc_never_saturates", YT_REQUIRED, &m->acc_never_saturates))
        return -1;
    if (strchr(m->model, '/') || m->model[0] == '.')
        return yt_fail_node(h.r, yt_lookup(h.map, "model"),
                            "host.model must be a file name inside the image directory, got '%s'",
                            m->model);
    /* the characters of names (yt_get_name), so that lsnn_hostmap_write's text reads back */
    char model[sizeof m->model];
    if (yt_get_name(&h, "model", model, sizeof model)) return -1;
    return read_pops(&h, m) || read_places(&h, m) || read_inputs(&h, m) || read_readout(&h, m) ? -1
                                                                                               : 0;
}

static int check_binary(const yt_section *top, const lsnn_image *img)
{
    yt_section b;
    char pb[YT_PATH_LEN];
    uint32_t crc = 0;
    if (yt_get_section(top, "binary", YT_REQUIRED, &b, pb) ||
        read_crc(&b, "crc32", "binary.crc32", &crc))
        return -1;
    const yt_node *v = yt_lookup(b.map, "crc32");
    if (crc != img->file_crc)
        return yt_fail_node(top->r, v,
                            "binary.crc32 0x%08llx is not the CRC-32 of the image's image.bin "
                            "(0x%08" PRIx32 "): the manifest belongs to another image",
                            (long long)crc, img->file_crc);
    return 0;
}

/* Every byte of the manifest is checked: the host: section against the CRC that image.bin's
 * header holds, everything else against the text that image.bin gives (lsnn_image_manifest_text).
 * So an edit anywhere (a bias, an axon_base, clock_mhz, binary.bytes) is refused. */
static int check_text(const char *name, const char *text, size_t len, const lsnn_image *img,
                      const lsnn_hostmap *m, lsnn_error *e)
{
    char *host = NULL, *want = NULL, la[64], lb[64];
    size_t hn = 0, wn = 0;
    FILE *f = open_memstream(&host, &hn);
    if (!f) return lsnn_fail(e, "out of memory");
    lsnn_hostmap_write(f, m);
    if (fclose(f) || !(want = lsnn_image_manifest_text(img, host, &wn))) {
        free(host);
        return lsnn_fail(e, "out of memory");
    }
    int rc = 0;
    if (wn != len || memcmp(want, text, len)) {
        int line = img_first_diff(text, len, want, wn, la, lb);
        rc = lsnn_fail(e,
                       "%s:%d: '%s' is not what image.bin says ('%s'): the manifest is derived "
                       "from image.bin and must not be edited; recompile instead",
                       name, line, la, lb);
    } else if (img->host_crc == 0) {
        rc = lsnn_fail(e, "%s: image.bin carries no host map (header bytes 188..191 are 0)", name);
    } else if (img_crc32((const uint8_t *)host, hn) != img->host_crc) {
        rc = lsnn_fail(e,
                       "%s: the host: section is not the one image.bin was built with (its "
                       "CRC-32 is 0x%08" PRIx32 ", image.bin's header says 0x%08" PRIx32
                       "): it was edited; recompile instead",
                       name, img_crc32((const uint8_t *)host, hn), img->host_crc);
    }
    free(host);
    free(want);
    return rc;
}

uint32_t lsnn_hostmap_model_crc(const lsnn_spec *s)
{
    lsnn_spec c = *s;
    c.smnist.data_dir[0] = 0; /* where the data are is the machine's business */
    c.speech.data_dir[0] = 0;
    char *y = lsnn_spec_to_yaml(&c);
    uint32_t crc = y ? img_crc32((const uint8_t *)y, strlen(y)) : 0;
    free(y);
    return crc;
}

int lsnn_hostmap_check_model(const lsnn_hostmap *m, const lsnn_spec *s, const char *path,
                             lsnn_error *e)
{
    uint32_t crc = lsnn_hostmap_model_crc(s);
    if (crc != m->model_crc)
        return lsnn_fail(e,
                         "%s is not the model spec the image was compiled from (its CRC-32 is "
                         "0x%08" PRIx32 ", the manifest's host.model_crc32 0x%08" PRIx32
                         "); only task.data_dir may change: restore it or recompile",
                         path, crc, m->model_crc);
    return 0;
}

int lsnn_hostmap_parse(const char *name, const char *text, size_t len, const lsnn_image *img,
                       lsnn_hostmap *m, lsnn_error *e)
{
    yt_node *root = NULL;
    memset(m, 0, sizeof *m);
    yt_report r = {name, e};
    if (yt_load(&r, text, len, "manifest", "the mapping of docs/image-format.md §2", &root))
        return -1;
    yt_section top = {&r, root, ""};
    int rc;
    if (root->kind != YT_MAPPING)
        rc = yt_fail_node(&r, root, "the manifest must be a mapping");
    else
        rc = yt_check_keys(&top, top_keys) || check_binary(&top, img) || read_host(&top, m);
    yt_free(root);
    if (rc == 0 && lsnn_hostmap_check(m, img, e)) rc = lsnn_fail_prefix(e, "%s: host", name);
    if (rc == 0) rc = check_text(name, text, len, img, m, e);
    if (rc) lsnn_hostmap_free(m);
    return rc ? -1 : 0;
}

int lsnn_hostmap_load(const char *dir, const lsnn_image *img, lsnn_hostmap *m, lsnn_error *e)
{
    char path[4096], *text = NULL;
    size_t len = 0;
    memset(m, 0, sizeof *m);
    snprintf(path, sizeof path, "%s/manifest.yaml", dir);
    if (lsnn_read_file(path, &text, &len, e)) return -1;
    int rc = lsnn_hostmap_parse(path, text, len, img, m, e);
    free(text);
    return rc;
}

/* ---- consistency with the image ----------------------------------------------------------- */

static int core_index_of(const lsnn_image *img, uint32_t id)
{
    for (int i = 0; i < img->ncores; i++)
        if (img->cores[i].core_id == id) return i;
    return -1;
}

static int check_pops(const lsnn_hostmap *m, int total, lsnn_error *e)
{
    uint32_t next = 0;
    for (int p = 0; p < m->n_pops; p++) {
        const lsnn_hm_pop *q = &m->pops[p];
        if (q->first != next || q->size == 0)
            return lsnn_fail(e,
                             "population %s: neurons %" PRIu32 "..+%" PRIu32
                             " do not follow the previous population (next neuron %" PRIu32 ")",
                             q->name, q->first, q->size, next);
        if (q->readout != (q->first >= (uint32_t)m->n_rec))
            return lsnn_fail(e,
                             "population %s: kind %s does not match its neurons (readouts are "
                             "neurons %d..)",
                             q->name, q->readout ? "readout" : "spiking", m->n_rec);
        next += q->size;
    }
    if (next != (uint32_t)total)
        return lsnn_fail(e, "populations cover %" PRIu32 " neurons; the network has %d", next,
                         total);
    return 0;
}

int lsnn_hostmap_check(lsnn_hostmap *m, const lsnn_image *img, lsnn_error *e)
{
    int total = m->n_rec + m->n_out;
    if (check_pops(m, total, e)) return -1;
    free(m->core_index);
    free(m->local);
    m->core_index = malloc(((size_t)total + 1) * sizeof *m->core_index);
    m->local = malloc(((size_t)total + 1) * sizeof *m->local);
    if (!m->core_index || !m->local) return lsnn_fail(e, "out of memory");
    for (int g = 0; g < total; g++)
        m->core_index[g] = -1;
    for (int i = 0; i < m->n_place; i++) {
        const lsnn_hm_place *p = &m->place[i];
        int ci = core_index_of(img, p->core);
        if (ci < 0)
            return lsnn_fail(e, "placement[%d]: core %" PRIu32 " is not in the image", i, p->core);
        if ((uint64_t)p->first + p->size > (uint64_t)total ||
            (uint64_t)p->local + p->size > img->cores[ci].nu)
            return lsnn_fail(e,
                             "placement[%d]: neurons %" PRIu32 "..+%" PRIu32 " at local %" PRIu32
                             " of core %" PRIu32
                             ": beyond the network's %d neurons or the core's NU = %" PRIu32,
                             i, p->first, p->size, p->local, p->core, total, img->cores[ci].nu);
        for (uint32_t k = 0; k < p->size; k++) {
            if (m->core_index[p->first + k] >= 0)
                return lsnn_fail(e, "placement[%d]: neuron %" PRIu32 " is placed twice", i,
                                 p->first + k);
            m->core_index[p->first + k] = ci;
            m->local[p->first + k] = p->local + k;
        }
    }
    for (int g = 0; g < total; g++)
        if (m->core_index[g] < 0) return lsnn_fail(e, "neuron %d is not placed on any core", g);
    for (int i = 0; i < m->n_inputs; i++) {
        int ci = core_index_of(img, m->inputs[i].core);
        if (ci < 0)
            return lsnn_fail(e, "input_axons[%d]: core %" PRIu32 " is not in the image", i,
                             m->inputs[i].core);
        if ((uint64_t)m->inputs[i].axon_base + (uint64_t)m->n_in > img->cores[ci].xu)
            return lsnn_fail(
                e,
                "input_axons[%d]: axons %" PRIu32 "..+%d exceed core %" PRIu32 "'s XU = %" PRIu32,
                i, m->inputs[i].axon_base, m->n_in, m->inputs[i].core, img->cores[ci].xu);
    }
    return 0;
}
