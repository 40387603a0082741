/* test_nav.c - the navigation task: the environment's dynamics and input code, the float
 * stepper against the batch engine, and a short PPO run that must reduce its loss. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "engine.h"
#include "model.h"
#include "nav_env.h"
#include "nav_ppo.h"
#include "nav_rollout.h"
#include "nav_stepper.h"
#include "adam.h"
#include "spec.h"

static const char spec_text[] = "version: 1\nname: nav_tiny\nseed: 5\n"
                                "network:\n  inputs: 10\n  populations:\n"
                                "    - {name: lif, kind: lif, size: 12, tau_m_ms: 20, b0: 0.01, "
                                "refractory: 2}\n"
                                "    - {name: alif, kind: alif, size: 12, tau_m_ms: 20, b0: 0.01, "
                                "refractory: 2, tau_a_ms: 300, beta: 1.7}\n"
                                "  delays: 4\n  readout: {size: 3, tau_ms: 5, bias: true}\n"
                                "task:\n  kind: navigation\n  episode_steps: 200\n"
                                "  action_steps: 5\n  goal_radius: 0.2\n  step_size: 0.15\n"
                                "  pos_neurons: 4\n  reward_neurons: 2\n"
                                "training:\n  batch_size: 6\n  iterations: 2\n"
                                "  optimizer: {lr: 0.01}\n";

static lsnn_nav_spec small_env(void)
{
    return (lsnn_nav_spec){.episode_steps = 100,
                           .action_steps = 10,
                           .goal_radius = 0.1,
                           .step_size = 0.1,
                           .pos_neurons = 5,
                           .pos_rate_hz = 100,
                           .reward_neurons = 3,
                           .reward_rate_hz = 200,
                           .test_size = 4};
}

static void test_env_dynamics(void)
{
    lsnn_nav_spec p = small_env();
    lsnn_nav_env env;
    lsnn_nav_env_start(&env, &p, 1, 9, LSNN_NAV_TRAIN, 3);
    CHECK(env.gx >= p.goal_radius && env.gx <= 1 - p.goal_radius && env.gy >= p.goal_radius &&
              env.gy <= 1 - p.goal_radius,
          "goal inside [r, 1-r]^2: %g %g", env.gx, env.gy);
    double dx = env.x - env.gx, dy = env.y - env.gy;
    CHECK(dx * dx + dy * dy >= p.goal_radius * p.goal_radius, "the agent starts outside the goal");
    /* walls clip: a large push left-down ends at the corner, never past it */
    for (int k = 0; k < 20; k++) {
        double a[2] = {-7, -3};
        env.gx = env.gy = 0.5; /* keep the goal away from the corner */
        lsnn_nav_env_move(&env, a);
    }
    CHECK(env.x == 0 && env.y == 0, "walls clip the agent: %g %g", env.x, env.y);
    /* a move is step_size * clip(a, -1, 1) per axis */
    double a1[2] = {0.5, 3};
    lsnn_nav_env_move(&env, a1);
    CHECK(fabs(env.x - 0.05) < 1e-12 && fabs(env.y - 0.1) < 1e-12, "move %g %g", env.x, env.y);
    /* reaching the goal: reward 1, relocation outside it, the reward population fires */
    env.gx = 0.2, env.gy = 0.1;
    int goals = env.goals, since = env.since;
    double a2[2] = {1.2, 0};
    int r = lsnn_nav_env_move(&env, a2);
    CHECK(r == 1 && env.goals == goals + 1, "goal hit gives reward 1 (%d)", r);
    CHECK(env.first_goal == since + 1 && env.since == 0, "path length to the first goal %d",
          env.first_goal);
    dx = env.x - env.gx, dy = env.y - env.gy;
    CHECK(dx * dx + dy * dy >= p.goal_radius * p.goal_radius, "relocated outside the goal");
    CHECK(env.reward_left == p.action_steps, "the reward fires for one action period");
    int rch = 2 * p.pos_neurons;
    CHECK(lsnn_nav_env_rate(&env, rch) == p.reward_rate_hz, "reward rate while it fires");
    uint16_t ch[64];
    for (int k = 0; k < p.action_steps; k++)
        lsnn_nav_env_inputs(&env, ch);
    CHECK(env.reward_left == 0 && lsnn_nav_env_rate(&env, rch) == 0, "then silent");
}

static void test_env_inputs(void)
{
    lsnn_nav_spec p = small_env();
    lsnn_nav_env env;
    lsnn_nav_env_start(&env, &p, 1, 1, LSNN_NAV_TEST, 0);
    env.x = 0.25, env.y = 1.0;
    /* Gaussian tuning: the closest centre (0.25 = centre 1 of 0, .25, .5, .75, 1) peaks */
    CHECK(fabs(lsnn_nav_env_rate(&env, 1) - p.pos_rate_hz) < 1e-9, "x tuning peak");
    CHECK(fabs(lsnn_nav_env_rate(&env, 0) - p.pos_rate_hz * exp(-0.5)) < 1e-9,
          "one width away: exp(-1/2) of the peak (%g)", lsnn_nav_env_rate(&env, 0));
    CHECK(fabs(lsnn_nav_env_rate(&env, 2 * p.pos_neurons - 1) - p.pos_rate_hz) < 1e-9,
          "y tuning peak at the wall");
    /* Bernoulli spikes at p = rate * dt: count over many steps */
    long count[16] = {0};
    int steps = 20000;
    uint16_t ch[64];
    for (int t = 0; t < steps; t++) {
        int n = lsnn_nav_env_inputs(&env, ch);
        for (int k = 0; k < n; k++) {
            CHECK(k == 0 || ch[k] > ch[k - 1], "channels ascending");
            count[ch[k]]++;
        }
    }
    for (int c = 0; c < 2 * p.pos_neurons; c++) {
        double expect = lsnn_nav_env_rate(&env, c) * 1e-3 * steps;
        CHECK(fabs(count[c] - expect) < 5 * sqrt(expect + 1) + 1,
              "channel %d: %ld spikes, expected %.0f", c, count[c], expect);
    }
    /* determinism: the same episode twice gives the same goal and spikes; another differs */
    lsnn_nav_env a, b, c;
    lsnn_nav_env_start(&a, &p, 1, 7, LSNN_NAV_TRAIN, 11);
    lsnn_nav_env_start(&b, &p, 1, 7, LSNN_NAV_TRAIN, 11);
    lsnn_nav_env_start(&c, &p, 1, 7, LSNN_NAV_TEST, 11);
    CHECK(a.gx == b.gx && a.gy == b.gy && a.x == b.x, "same episode, same placement");
    CHECK(a.gx != c.gx, "the test split draws its own episodes");
    int same = 1;
    uint16_t ca[64], cb[64];
    for (int t = 0; t < 200; t++) {
        int na = lsnn_nav_env_inputs(&a, ca), nb = lsnn_nav_env_inputs(&b, cb);
        same &= na == nb && !memcmp(ca, cb, sizeof(uint16_t) * na);
    }
    CHECK(same, "same spikes");
}

/* The stepper's spikes and window readouts equal the batch engine's on the recorded inputs. */
static void test_stepper_agrees(const lsnn_spec *spec, const lsnn_net *net)
{
    lsnn_nav_stepper st;
    CHECK(lsnn_nav_stepper_init(&st, net) == 0, "stepper");
    lsnn_batch b = {0};
    int B = 3, K = spec->nav.episode_steps / spec->nav.action_steps, T = spec->nav.episode_steps;
    lsnn_batch_reset(&b, B, T, spec->n_in);
    double *mu = calloc((size_t)2 * B * K, sizeof(double)), *val = calloc((size_t)B * K, 8);
    long spikes = 0;
    for (int s = 0; s < B; s++) {
        lsnn_nav_trace tr = {mu + 2 * s * K, NULL, val + s * K, NULL};
        lsnn_nav_env env;
        CHECK(lsnn_nav_rollout(spec, &st, LSNN_NAV_TRAIN, s, 0, &b, s, &tr, &env) == 0, "rollout");
        spikes += st.spikes;
    }
    CHECK(lsnn_batch_check(&b, 3) == 0 && b.n_win == B * K, "recorded batch: %d windows", b.n_win);
    lsnn_engine *en = lsnn_engine_new(1);
    lsnn_grads g;
    lsnn_grads_alloc(&g, net);
    lsnn_result r;
    float *logits = malloc(sizeof(float) * 3 * b.n_win);
    CHECK(lsnn_engine_run(en, net, &b, &g, &r, logits, NULL) == 0, "engine");
    /* spikes: step by step, every neuron */
    lsnn_nav_stepper_reset(&st);
    int differ = 0;
    uint16_t ch[64];
    for (int s = 0; s < B; s++) {
        lsnn_nav_stepper_reset(&st);
        for (int t = 0; t < T; t++) {
            size_t cell = (size_t)s * T + t;
            int n = 0;
            for (uint32_t k = b.in_ptr[cell]; k < b.in_ptr[cell + 1]; k++)
                ch[n++] = b.in_idx[k];
            lsnn_nav_stepper_step(&st, ch, n, 0);
            for (int i = 0; i < net->n_rec; i++) {
                float v, bb, z;
                lsnn_engine_state(en, s, t, i, &v, &bb, &z);
                differ += (z != 0) != (st.z[i] != 0);
            }
        }
    }
    double worst = 0;
    for (int w = 0; w < b.n_win; w++)
        for (int o = 0; o < 3; o++) {
            double x = o < 2 ? mu[2 * w + o] : val[w];
            worst = fmax(worst, fabs(x - logits[w * 3 + o]));
        }
    printf("stepper vs engine: %ld spikes, %d differ; window means differ by %.2g at most\n",
           spikes, differ, worst);
    CHECK(spikes > 100, "the network spikes (%ld)", spikes);
    CHECK(differ == 0, "%d (neuron, step) spikes differ", differ);
    CHECK(worst < 1e-4, "window means agree (%g)", worst);
    free(logits);
    free(mu);
    free(val);
    lsnn_grads_free(&g);
    lsnn_engine_free(en);
    lsnn_batch_free(&b);
    lsnn_nav_stepper_free(&st);
}

/* PPO on one recorded batch: Adam steps must lower the loss (the surrogate and the value). */
static void test_ppo_reduces_loss(lsnn_spec *spec, lsnn_net *net)
{
    int B = spec->batch_size, K = spec->nav.episode_steps / spec->nav.action_steps;
    size_t n = (size_t)B * K;
    double *mu = malloc(16 * n), *a = malloc(16 * n), *val = malloc(8 * n), *rew = malloc(8 * n),
           *adv = malloc(8 * n), *ret = malloc(8 * n);
    lsnn_nav_stepper st;
    lsnn_nav_stepper_init(&st, net);
    lsnn_batch b = {0};
    lsnn_batch_reset(&b, B, spec->nav.episode_steps, spec->n_in);
    long goals = 0;
    for (int s = 0; s < B; s++) {
        lsnn_nav_trace tr = {mu + 2 * s * K, a + 2 * s * K, val + s * K, rew + s * K};
        lsnn_nav_env env;
        lsnn_nav_rollout(spec, &st, LSNN_NAV_TRAIN, s, 0, &b, s, &tr, &env);
        goals += env.goals;
    }
    lsnn_ppo_gae(&spec->ppo, B, K, rew, val, adv, ret);
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m += adv[i];
    CHECK(fabs(m / n) < 1e-9, "advantages normalised (mean %g)", m / n);
    lsnn_ppo_ctx pc = {
        .ppo = &spec->ppo, .n_win = b.n_win, .a = a, .mu_old = mu, .adv = adv, .ret = ret};
    lsnn_engine *en = lsnn_engine_new(1);
    lsnn_engine_set_loss(en, lsnn_ppo_loss, &pc);
    lsnn_grads g;
    lsnn_grads_alloc(&g, net);
    lsnn_adam adam;
    lsnn_adam_alloc(&adam, net);
    lsnn_result r0, r;
    lsnn_engine_run(en, net, &b, &g, &r0, NULL, NULL);
    double pi0 = pc.loss_pi, v0 = pc.loss_v;
    CHECK(fabs(pi0 + 0) < 0.2, "at the rollout policy the ratio is ~1: surrogate %g", pi0);
    for (int k = 0; k < 15; k++) {
        lsnn_engine_run(en, net, &b, &g, &r, NULL, NULL);
        lsnn_adam_step(&adam, spec, net, &g, spec->lr);
    }
    lsnn_engine_run(en, net, &b, NULL, &r, NULL, NULL);
    printf("PPO on one batch (%ld goals): loss %.4f -> %.4f (policy %.4f -> %.4f, value %.4f -> "
           "%.4f)\n",
           goals, r0.loss_task, r.loss_task, pi0, pc.loss_pi, v0, pc.loss_v);
    CHECK(r.loss_task < r0.loss_task, "PPO steps reduce the loss: %g -> %g", r0.loss_task,
          r.loss_task);
    CHECK(pc.loss_v < v0, "and the value loss: %g -> %g", v0, pc.loss_v);
    lsnn_adam_free(&adam);
    lsnn_grads_free(&g);
    lsnn_engine_free(en);
    lsnn_batch_free(&b);
    lsnn_nav_stepper_free(&st);
    free(mu), free(a), free(val), free(rew), free(adv), free(ret);
}

int main(void)
{
    test_env_dynamics();
    test_env_inputs();
    lsnn_spec spec;
    lsnn_error e;
    int rc = lsnn_spec_parse("nav_tiny", spec_text, sizeof spec_text - 1, &spec, &e);
    CHECK(rc == 0, "spec: %s", rc ? e.msg : "");
    if (rc) return check_report();
    lsnn_net net;
    CHECK(lsnn_model_init(&spec, &net, NULL, &e) == 0, "init");
    test_stepper_agrees(&spec, &net);
    test_ppo_reduces_loss(&spec, &net);
    lsnn_net_free(&net);
    /* bad input: episode_steps not a multiple of action_steps, and ppo outside navigation */
    char bad[sizeof spec_text + 64];
    snprintf(bad, sizeof bad, "%s", spec_text);
    memcpy(strstr(bad, "episode_steps: 200"), "episode_steps: 201", 18);
    CHECK(lsnn_spec_parse("bad", bad, strlen(bad), &spec, &e) != 0 &&
              strstr(e.msg, "multiple of task.action_steps"),
          "%s", e.msg);
    return check_report();
}
