// rtl_vcd.h - what the two Verilator harnesses (rtl_core.cpp, rtl_chip.cpp) put into a VCD
// (lsnn_rtl_vcd of rtl_core.h): the signals under one scope, the cycles of a range of ticks.
// C++ only, private to hw/, and includes nothing of the tree.
#ifndef LSNN_RTL_VCD_H
#define LSNN_RTL_VCD_H

#include <verilated_vcd_c.h>

#include <cstdio>
#include <cstring>
#include <string>

// Which cycles are dumped. Ticks count the TICK commands since the harness was created;
// with a range, nothing is dumped before the first command after the image load.
struct VcdGate {
    long from = 0, to = 0; // ticks [from, to); to 0: no end
    long ticks = 0;        // TICK commands finished
    bool limited = false;  // a range was asked for
    bool started = false;  // the image is loaded (or the first word or TICK came)

    void set(long tick_from, long tick_to)
    {
        from = tick_from;
        to = tick_to;
        limited = from > 0 || to > 0;
    }
    bool on() const { return !limited || (started && ticks >= from && (to <= 0 || ticks < to)); }
};

// The Verilator name of a scope: "neurocore.u_ctrl" -> "TOP.neurocore.u_ctrl".
inline std::string vcd_scope_name(const char *scope)
{
    std::string s = scope;
    if (s != "TOP" && s.compare(0, 4, "TOP.") != 0) s = "TOP." + s;
    while (!s.empty() && s.back() == '.')
        s.pop_back();
    return s;
}

// Traces top into a new VCD at path, only the signals under scope when it is non-empty.
// Returns the writer, or nullptr with the reason in err (no signal under the scope).
template <class T>
VerilatedVcdC *vcd_open(T *top, const char *path, const char *scope, std::string &err)
{
    VerilatedVcdC *tfp = new VerilatedVcdC;
    if (scope && *scope) tfp->dumpvars(99, vcd_scope_name(scope));
    top->trace(tfp, 99);
    tfp->open(path);
    if (!scope || !*scope) return tfp;
    // the header is written at open: a scope that matches nothing leaves it without $var
    tfp->flush();
    bool any = false;
    if (FILE *f = fopen(path, "r")) {
        char line[4096];
        while (!any && fgets(line, sizeof line, f) && !strstr(line, "$enddefinitions"))
            any = strstr(line, "$var") != nullptr;
        fclose(f);
    }
    if (!any)
        err = "--vcd-scope " + std::string(scope) + ": no signal of the RTL is under " +
              vcd_scope_name(scope) +
              " (scopes are instance paths such as neurocore.u_ctrl or "
              "nc_chip.gen_y[0].gen_x[1].u_core on a chip; docs/rtl.md lists them)";
    return tfp;
}

#endif
