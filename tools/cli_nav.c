/* cli_nav.c - closed-loop navigation episodes on an engine and their report (cli_nav.h). */
#include "cli_nav.h"

#include "cli_util.h"
#include "nav_eval.h"
#include "progress.h"

static double mean(long sum, long n)
{
    return n ? (double)sum / n : 0;
}

void cli_nav_print_text(FILE *f, const lsnn_nav_totals *t)
{
    fprintf(f,
            "closed loop: %ld episodes, goals per episode %.3f; actions to the first goal %.2f "
            "(%ld episodes reached one), to later goals %.2f (%ld goals)\n",
            t->episodes, mean(t->goals, t->episodes), mean(t->first_sum, t->first_n), t->first_n,
            mean(t->later_sum, t->later_n), t->later_n);
}

void cli_nav_print_json(FILE *f, const lsnn_nav_totals *t)
{
    fprintf(f,
            "\"episodes\": %ld, \"goals\": %ld, \"goals_per_episode\": %.6f, "
            "\"first_goal_episodes\": %ld, \"first_goal_actions\": %.6f, \"later_goals\": %ld, "
            "\"later_goal_actions\": %.6f",
            t->episodes, t->goals, mean(t->goals, t->episodes), t->first_n,
            mean(t->first_sum, t->first_n), t->later_n, mean(t->later_sum, t->later_n));
}

static void json_block(const char *name, const lsnn_nav_totals *t, const char *extra)
{
    printf(", \"%s\": {", name);
    cli_nav_print_json(stdout, t);
    printf("%s}", extra);
}

int cli_nav_eval(const char *dir, const lsnn_spec *spec, const lsnn_net *net, int max_ep,
                 cli_fixed *fixed, int json, int mode)
{
    int n = max_ep > 0 && max_ep < spec->nav.test_size ? max_ep : spec->nav.test_size;
    lsnn_nav_eval fl, rnd;
    lsnn_nav_totals ref = {0};
    cli_fixed_result fr = {0};
    lsnn_error e;
    if (lsnn_nav_evaluate(spec, net, n, 0, &fl, &e) || lsnn_nav_evaluate(spec, net, n, 1, &rnd, &e))
        return fprintf(stderr, "lsnn eval: %s\n", e.msg), 1;
    cli_run_hooks h = {NULL, NULL, NULL, NULL, "lsnn eval: reference core", mode};
    if (fixed && cli_nav_run(fixed, spec, n, &h, &fr, &ref, &e))
        return fprintf(stderr, "lsnn eval: reference core: %s\n", e.msg), 1;
    double rate = fl.steps ? fl.spikes / (fl.steps * spec->dt_ms * 1e-3) : 0;
    if (json) {
        printf("{\"run\": ");
        cli_json_string(stdout, dir);
        printf(", \"model\": ");
        cli_json_string(stdout, spec->name);
        printf(", \"rate_hz\": %.4f", rate);
        json_block("float", &fl.tot, "");
        json_block("random", &rnd.tot, "");
        if (fixed) json_block("ref", &ref, "");
        printf("}\n");
        return 0;
    }
    printf("run %s: model %s, %d test episodes of %d steps (%d actions), closed loop\n", dir,
           spec->name, n, spec->nav.episode_steps,
           spec->nav.episode_steps / spec->nav.action_steps);
    printf("float network (rate %.2f Hz): ", rate);
    cli_nav_print_text(stdout, &fl.tot);
    printf("random policy (mean 0, sigma %g): ", spec->ppo.sigma);
    cli_nav_print_text(stdout, &rnd.tot);
    if (fixed) {
        printf("reference core: ");
        cli_nav_print_text(stdout, &ref);
    }
    return 0;
}
