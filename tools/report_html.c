/* report_html.c - the self-contained page of lsnn report. */
#include "report_html.h"

#include <string.h>

#include "cli_util.h"

/* Writes s as HTML text (< and & escaped). */
static void html_text(FILE *f, const char *s)
{
    for (; *s; s++)
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else
            fputc(*s, f);
}

/* Copies a JSON file into a <script type="application/json"> element: '<' becomes \u003c (the
 * same string to the parser, and no "</script>" can close the element). A missing or empty file
 * gives null. */
static void embed_json(FILE *f, const char *id, const char *path, int usable)
{
    fprintf(f, "<script type=\"application/json\" id=\"%s\">", id);
    FILE *in = usable ? fopen(path, "r") : NULL;
    int c, any = 0;
    while (in && (c = fgetc(in)) != EOF) {
        if (c == '<')
            fputs("\\u003c", f);
        else
            fputc(c, f);
        any |= c > ' ';
    }
    if (in) fclose(in);
    if (!any) fputs("null", f);
    fputs("</script>\n", f);
}

/* Inlines an SVG (from its <svg element on: no XML declaration inside HTML), or says why there
 * is none. */
static void embed_svg(FILE *f, const char *id, const char *caption, const char *path, int rc,
                      const char *why)
{
    fprintf(f, "<figure id=\"%s\">", id);
    FILE *in = rc == 0 && path ? fopen(path, "r") : NULL;
    if (!in) {
        fprintf(f, "<p class=\"bad\">no picture: ");
        html_text(f, why && *why ? why : "the plot failed");
        fprintf(f, "</p>");
    } else {
        char buf[8192];
        size_t n;
        int started = 0;
        while (fgets(buf, sizeof buf, in)) {
            char *s = buf;
            if (!started) {
                s = strstr(buf, "<svg");
                if (!s) continue;
                started = 1;
            }
            n = strlen(s);
            fwrite(s, 1, n, f);
        }
        fclose(in);
    }
    fprintf(f, "<figcaption>%s</figcaption></figure>\n", caption);
}

static void json_text(FILE *f, const char *key, const char *value, int last)
{
    fprintf(f, "\"%s\": ", key);
    cli_json_string(f, value ? value : "");
    fputs(last ? "" : ", ", f);
}

static const char style[] =
    "body{font-family:'DejaVu Sans',sans-serif;max-width:1250px;margin:0 auto;padding:1em;"
    "color:#222}h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:1.6em}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
    "text-align:right}th{background:#f0f0f0}td.l,th.l{text-align:left}.good{color:#176b1c;"
    "font-weight:bold}.bad{color:#b00;font-weight:bold}figure{margin:1em 0}figure svg{max-width:"
    "min(100%,950px);height:auto}figcaption{color:#555;font-size:.9em}pre{background:#f7f7f7;"
    "padding:.5em;"
    "overflow:auto;font-size:.85em}\n";

/* The renderer: builds each table from the embedded JSON. Every figure shown comes from there,
 * so the page cannot disagree with the commands. */
static const char script[] =
    "const J=id=>JSON.parse(document.getElementById(id).textContent);\n"
    "const C=J('data-compile'),E=J('data-energy'),V=J('data-verify'),S=J('data-status');\n"
    "const $=id=>document.getElementById(id);\n"
    "function row(t,cells,head){const r=t.insertRow();cells.forEach((c,i)=>{const d=document."
    "createElement(head?'th':'td');d.textContent=c;if(i==0)d.className='l';r.appendChild(d);});"
    "return r;}\n"
    "function pct(u,m){return m?(100*u/m).toFixed(1)+' %':'-';}\n"
    "function nj(pj){return (pj/1000).toPrecision(4)+' nJ';}\n"
    "function say(id,text,cls){const "
    "e=$(id);e.textContent=text;if(cls!==undefined)e.className=cls;}\n"
    "$('model').textContent=C?C.model:(E?E.model:'?');\n"
    "const sum=$('summary-table');\n"
    "if(C){row(sum,['model',C.model]);row(sum,['trained run',C.run]);row(sum,['hardware "
    "config',C.hw]);row(sum,['weight bits',C.weight_bits]);row(sum,['cores',C.cores.length]);"
    "row(sum,['route entries',C.routing.entries+(C.routing.relative?' (relative)':'')]);}\n"
    "else say('compile-missing','No compile.json in the image folder (compiled before lsnn "
    "report existed): recompile it to see the compile summary and quantisation.','bad');\n"
    "if(E){row(sum,['energy inferences',E.inferences]);row(sum,['steps per inference',E.steps]);"
    "if(E.accuracy!==null&&E.accuracy!==undefined)row(sum,['accuracy on them (reference "
    "chip)',(100*E.accuracy).toFixed(2)+' %']);}\n"
    "if(C){const q=C.quantisation,t=$('quant-table');row(t,['weights',q.weights]);row(t,"
    "['clipped',q.clipped]);row(t,['dropped (quantised to 0)',q.dropped]);row(t,['largest "
    "error (LSB of the axon)',q.max_err_lsb]);row(t,['readout scale e_r',q.e_r]);row(t,['leak "
    "warnings',q.leak_warnings]);row(t,['accumulator never saturates',q.acc_never_saturates?"
    "'yes':'no']);for(const [n,p] of Object.entries(q.populations))row(t,['population '+n+' "
    "(neurons '+p.first+'..'+(p.first+p.size-1)+')','e = '+p.e]);$('quant-log').textContent="
    "q.log;const cal=C.calibration;if(cal.done)row(t,['calibration: rate float / fixed ('+cal."
    "sequences+' sequences)',cal.float_hz.toFixed(2)+' / '+cal.fixed_hz.toFixed(2)+' Hz']);\n"
    "const ct=$('cores-table');row(ct,['core','neurons','axons','synapse words','route "
    "entries','profiles','synapses','used'],1);for(const k of C.cores)row(ct,['core '+k.id,k."
    "neurons[0]+' / '+k.neurons[1],k.axons[0]+' / '+k.axons[1],k.synapse_words[0]+' / '+k."
    "synapse_words[1],k.route_entries[0]+' / '+k.route_entries[1],k.profiles[0]+' / '+k."
    "profiles[1],k.synapses,pct(k.neurons[0],k.neurons[1])+' of the neurons']);}\n"
    "if(V){const ok=V.equal;say('verify-status',(ok?'EQUAL: ':'DIVERGED: ')+V.engines.join(' "
    "and ')+' on '+V.sequences+' sequences, '+V.ticks+' ticks, every state variable, counter "
    "and output word after every tick',ok?'good':'bad');const vt=$('verify-table');row(vt,"
    "['cycles',V.cycles]);row(vt,['synaptic operations',V.syn_ops]);if(V.divergence){const d=V."
    "divergence;row(vt,['first divergence','sequence '+d.sequence+', tick '+d.tick+', core '+d."
    "core+', neuron '+d.neuron+', '+d.variable+': '+V.engines.map(n=>n+' '+d[n]).join(', ')]);}}\n"
    "else say('verify-status',S.verify_rc==-2?'Not run (--verify 0).':'Not verified: '+S."
    "verify_why,'bad');\n"
    "if(E){const et=$('energy-table');row(et,['table','technology','total','dynamic','static',"
    "'links','latency'],1);E.tables.forEach((t,i)=>{const r=row(et,[t.table,t.technology,nj(t."
    "total_pj),nj(t.dynamic_pj),nj(t.static_pj),nj(t.noc_pj),t.latency_us.toPrecision(4)+' "
    "us']);r.id='energy-row-'+i;});const t0=E.tables.find(t=>t.dynamic_pj>0&&Object.values(t."
    "terms).some(x=>x.pj>0))||E.tables[0];say('terms-title','By term, '+t0.table+' (per "
    "inference)');const tt=$('terms-table');row(tt,['term','events','pJ per event','energy',"
    "'share'],1);for(const [n,x] of Object.entries(t0.terms))if(x.count>0)row(tt,[n,x.count,x."
    "pj_per_event,nj(x.pj),pct(x.pj,t0.total_pj)]);row(tt,['static','','',nj(t0.static_pj),pct("
    "t0.static_pj,t0.total_pj)]);}\n"
    "else say('energy-missing','No energy figures: '+S.energy_why,'bad');\n"
    "say('generated','(tables rendered by the page script from the embedded data)','');\n";

void report_html_write(FILE *f, const report_html_parts *h)
{
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>lsnn "
               "report: ");
    html_text(f, h->image);
    fprintf(f, "</title>\n<style>%s</style></head>\n<body>\n", style);
    fprintf(f, "<h1>lsnn report: <span id=\"model\"></span></h1>\n"
               "<p>A compiled image (<code id=\"image\"></code>): what the compiler made of the "
               "network, how full each core is, whether two engines agree every tick, and what "
               "an inference costs. <span id=\"generated\" class=\"bad\">The page's script did "
               "not run: the tables below are empty.</span></p>\n");
    fprintf(f, "<h2>Summary</h2><p id=\"compile-missing\"></p><table id=\"summary-table\">"
               "</table>\n<h2>Quantisation</h2><table id=\"quant-table\"></table>"
               "<pre id=\"quant-log\"></pre>\n"
               "<h2>Cores: utilisation and routing tables</h2><table id=\"cores-table\">"
               "</table>\n");
    embed_svg(f, "fig-cores", "Each core's resources, used over available (lsnn plot cores).",
              h->cores_svg, h->cores_rc, h->cores_why);
    fprintf(f, "<h2>Verification</h2><p id=\"verify-status\"></p><table id=\"verify-table\">"
               "</table>\n<h2>Energy per inference</h2><p id=\"energy-missing\"></p>"
               "<table id=\"energy-table\"></table><h3 id=\"terms-title\"></h3>"
               "<table id=\"terms-table\"></table>\n");
    embed_svg(f, "fig-energy",
              "Energy by term per technology table, and by core (lsnn energy "
              "--plot).",
              h->energy_svg, h->energy_rc, h->energy_why);
    if (h->mesh_svg)
        embed_svg(f, "fig-mesh",
                  "Flits per inference on each link of the mesh (lsnn energy "
                  "--plot-mesh).",
                  h->mesh_svg, h->energy_rc, h->energy_why);
    fprintf(f, "<h2>A test sequence on the reference chip</h2>\n");
    embed_svg(f, "fig-raster",
              "Input spikes, recurrent spikes and readouts of test sequence 0 "
              "(lsnn plot raster).",
              h->raster_svg, h->raster_rc, h->raster_why);
    embed_json(f, "data-compile", h->compile_json, 1);
    embed_json(f, "data-energy", h->energy_json, h->energy_rc == 0);
    embed_json(f, "data-verify", h->verify_json, h->verify_rc == 0 || h->verify_rc == 1);
    fprintf(f, "<script type=\"application/json\" id=\"data-status\">{");
    fprintf(f, "\"energy_rc\": %d, \"verify_rc\": %d, ", h->energy_rc, h->verify_rc);
    json_text(f, "energy_why", h->energy_why, 0);
    json_text(f, "verify_why", h->verify_why, 0);
    json_text(f, "image", h->image, 1);
    fprintf(f,
            "}</script>\n<script>\n%sdocument.getElementById('image').textContent=S.image;\n"
            "</script>\n</body></html>\n",
            script);
}
