/*
 * The batched solver of _solver.py, compiled, for laws that are sums of power terms:
 *
 *     L = E + sum_v A_v * x_v**-alpha_v        (E optional; fitted as e = log E, c_v = log A_v)
 *
 * with the residual log(L) - log(loss) and a Huber, soft-L1 or squared loss. These laws
 * (Chinchilla, power law plus constant, power law) are most fits; every other law, and the
 * linear space, stays with the NumPy solver, but for Kaplan's L(N, D), whose value and
 * derivative passes (value_kaplan, derivatives_kaplan) the law choice's cut fits use.
 *
 * The algorithm is the NumPy solver's, step for step, one start at a time: the damped,
 * curvature-corrected Newton step and the reweighted Gauss-Newton step, the same trial order,
 * the same damping updates and the same convergence rules, so both report the same optima.
 * What changes is the cost: one pass over the runs per evaluation, with exp and log vectorised
 * when the build has a vector math library (glibc's libmvec; SCALINGLAB_MVEC), and no Python
 * between steps. The caller releases the GIL (ctypes does), so threads split the starts.
 *
 * Written for scalinglab; see _solver.py for the method and its references.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "_mvec.h"

/* plain comparisons: fmin/fmax's NaN rules make them library calls that block vectorising */
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define CLAMP(x, lo, hi) MIN(MAX((x), (lo)), (hi))

/* fmax's value, inline: the library call (through the PLT, a few hundred thousand per fit)
 * cost 1% of `scalinglab fit`. Here its arguments are never -0, so ties are equal bits. */
static inline double fmax_(double a, double b) {
    return isnan(a) ? b : isnan(b) ? a : a > b ? a : b;
}

/* rho(r), rho'(r), rho''(r) of each loss, as _losses.py defines them */
#define HUBER_RHO(r, d, rho, r1, r2)               \
    do {                                           \
        const double c_ = CLAMP(r, -(d), d);       \
        rho = c_ * ((r) - 0.5 * c_);               \
        r1 = c_;                                   \
        r2 = fabs(r) <= (d) ? 1.0 : 0.0;           \
    } while (0)
#define SOFT_L1_RHO(r, d, rho, r1, r2)                     \
    do {                                                   \
        const double z_ = (r) / (d), q_ = sqrt(1.0 + z_ * z_); \
        rho = 2.0 * (d) * (d) * (q_ - 1.0);                \
        r1 = 2.0 * (r) / q_;                               \
        r2 = 2.0 / (q_ * q_ * q_);                         \
    } while (0)
#define SQUARED_RHO(r, d, rho, r1, r2) \
    do {                               \
        rho = 0.5 * (r) * (r);         \
        r1 = (r);                      \
        r2 = 1.0;                      \
    } while (0)

/* PASS(LOSS_RHO) for the loss in use: one loop per loss, so none computes another's
 * square roots */
#define BY_LOSS(loss, PASS)     \
    do {                        \
        if ((loss) == HUBER)    \
            PASS(HUBER_RHO)     \
        else if ((loss) == SOFT_L1) \
            PASS(SOFT_L1_RHO)   \
        else                    \
            PASS(SQUARED_RHO)   \
    } while (0)

/* for a helper whose loops over parameters should unroll where the caller's K is a constant
 * (solve_one's dispatch) */
#if defined(__GNUC__) || defined(__clang__)
#define INLINED static inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define INLINED static __forceinline
#else
#define INLINED static inline
#endif

/* Runs per vector where a loop's tail would be scalar calls (AVX2: 4 doubles, no masked
 * partial vectors); the AVX-512 build masks its tails, the portable one has no vectors */
#if defined(SCALINGLAB_MVEC) && defined(__AVX2__) && !defined(__AVX512F__)
#define PAD_RUNS 4
#else
#define PAD_RUNS 1
#endif

#define MAX_K 16
#define MAX_STEP 4.0
#define QUIET_STEPS 2

enum { RUNNING = 0, CONVERGED = 1, MAX_ITER = 2, STALLED = 3, NONFINITE = 4, MERGED = 5 };
enum { HUBER = 0, SOFT_L1 = 1, SQUARED = 2 };

typedef struct {
    int K, P, V, e_index, loss;
    const int *coef, *expo;
    const double *lx, *y;
    double delta;
    /* scratch, P each (t: V*P, J: K*P); memo: per trial, its two terms and residuals (3*P) */
    double *t, *s, *a1, *a2, *q, *J, *memo;
} Problem;

/* the model's pieces at theta: t_v = exp(c_v - alpha_v lx_v) and s = E + sum t_v */
static double terms(const Problem *pr, const double *theta) {
    const int P = pr->P;
    const double E = pr->e_index >= 0 ? exp(theta[pr->e_index]) : 0.0;
    double *s = pr->s;
    for (int p = 0; p < P; p++) s[p] = E;
    for (int v = 0; v < pr->V; v++) {
        const double c = theta[pr->coef[v]], al = theta[pr->expo[v]];
        const double *lx = pr->lx + (size_t)v * P;
        double *t = pr->t + (size_t)v * P;
#pragma omp simd
        for (int p = 0; p < P; p++) {
            t[p] = exp(c - al * lx[p]);
            s[p] += t[p];
        }
    }
    return E;
}

/* Kaplan's L(N, D) = ((N_c/N)^(alpha_N/alpha_D) + D_c/D)^alpha_D, which is not a sum of power
 * terms, marked by e_index == KAPLAN: theta = (log N_c, alpha_N, log D_c, alpha_D), lx rows
 * log N and log D. With x = n - log N, a = p x (p = alpha_N/alpha_D), u = e^a, v = D_c/D,
 * s = log(u + v): log L = alpha_D s, and its derivatives are those of laws/_kaplan_form.py
 * (the NumPy solver's closed form), the Hessian's run sums from five weighted sums. */
#define KAPLAN (-2)

static double value_kaplan(const Problem *pr, const double *theta, const double *w) {
    const int P = pr->P;
    const double d = pr->delta, *y = pr->y, *ln = pr->lx, *ld = pr->lx + P;
    const double n = theta[0], p = theta[1] / theta[3], dc = theta[2], ad = theta[3];
    double f = 0.0;
#define ONE_PASS(LOSS)                                                                   \
    _Pragma("omp simd reduction(+ : f)") for (int i = 0; i < P; i++) {                   \
        const double r = ad * log(exp(p * (n - ln[i])) + exp(dc - ld[i])) - y[i];        \
        double rho, r1, r2;                                                              \
        LOSS(r, d, rho, r1, r2);                                                         \
        (void)r1;                                                                        \
        (void)r2;                                                                        \
        f += w[i] * rho;                                                                 \
    }
    BY_LOSS(pr->loss, ONE_PASS);
#undef ONE_PASS
    return isfinite(f) ? f : INFINITY;
}

/* derivatives() for Kaplan's law: the Jacobian in pr->J and rho'/r in pr->q for gn_hessian */
static double derivatives_kaplan(const Problem *pr, const double *theta, const double *w,
                                 double *g, double *H) {
    const int P = pr->P;
    const double d = pr->delta, *y = pr->y, *ln = pr->lx, *ld = pr->lx + P;
    const double n = theta[0], an = theta[1], dc = theta[2], ad = theta[3], p = an / ad;
    double *q = pr->q, *J0 = pr->J, *J1 = pr->J + P, *J2 = pr->J + 2 * (size_t)P,
           *J3 = pr->J + 3 * (size_t)P;
    double f = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0, s0 = 0, s1 = 0, s2 = 0, sf = 0, sg = 0;
    double h00 = 0, h01 = 0, h02 = 0, h03 = 0, h11 = 0, h12 = 0, h13 = 0, h22 = 0, h23 = 0,
           h33 = 0;
#define ONE_PASS(LOSS)                                                                         \
    _Pragma("omp simd reduction(+ : f, g0, g1, g2, g3, s0, s1, s2, sf, sg, h00, h01, h02, h03, h11, h12, h13, h22, h23, h33)") \
    for (int i = 0; i < P; i++) {                                                              \
        const double x = n - ln[i], a = p * x, u = exp(a), v = exp(dc - ld[i]);                \
        const double inv = 1.0 / (u + v), s = log(u + v), fu = u * inv, fv = v * inv;         \
        const double r = ad * s - y[i];                                                        \
        double rho, r1, r2;                                                                    \
        LOSS(r, d, rho, r1, r2);                                                               \
        const double a1 = w[i] * r1, b = w[i] * r2;                                            \
        q[i] = w[i] * (r != 0.0 ? r1 / r : r2);                                                \
        const double j0 = an * fu, j1 = x * fu, j2 = ad * fv, j3 = s - a * fu;                 \
        J0[i] = j0;                                                                            \
        J1[i] = j1;                                                                            \
        J2[i] = j2;                                                                            \
        J3[i] = j3;                                                                            \
        f += w[i] * rho;                                                                       \
        g0 += a1 * j0;                                                                         \
        g1 += a1 * j1;                                                                         \
        g2 += a1 * j2;                                                                         \
        g3 += a1 * j3;                                                                         \
        const double cw = a1 * fu * fv;                                                        \
        s0 += cw;                                                                              \
        s1 += cw * x;                                                                          \
        s2 += cw * x * x;                                                                      \
        sf += a1 * fu;                                                                         \
        sg += a1 * fv;                                                                         \
        const double b0 = b * j0, b1 = b * j1, b2 = b * j2;                                    \
        h00 += b0 * j0;                                                                        \
        h01 += b0 * j1;                                                                        \
        h02 += b0 * j2;                                                                        \
        h03 += b0 * j3;                                                                        \
        h11 += b1 * j1;                                                                        \
        h12 += b1 * j2;                                                                        \
        h13 += b1 * j3;                                                                        \
        h22 += b2 * j2;                                                                        \
        h23 += b2 * j3;                                                                        \
        h33 += b * j3 * j3;                                                                    \
    }
    BY_LOSS(pr->loss, ONE_PASS);
#undef ONE_PASS
    /* the Gauss-Newton part above plus sum_i rho'_i d2 log L_i (laws/_kaplan_form.py) */
    const double hs[4][4] = {
        {h00 + an * p * s0, h01 + sf + p * s1, h02 - an * s0, h03 - p * p * s1},
        {h01 + sf + p * s1, h11 + s2 / ad, h12 - s1, h13 - p * s2 / ad},
        {h02 - an * s0, h12 - s1, h22 + ad * s0, h23 + sg + p * s1},
        {h03 - p * p * s1, h13 - p * s2 / ad, h23 + sg + p * s1, h33 + p * p * s2 / ad}};
    const double gs[4] = {g0, g1, g2, g3};
    int ok = isfinite(f);
    for (int k = 0; k < 4; k++) {
        g[k] = gs[k];
        ok = ok && isfinite(gs[k]);
        for (int l = 0; l < 4; l++) {
            H[k * 4 + l] = hs[k][l];
            ok = ok && isfinite(hs[k][l]);
        }
    }
    return ok ? f : INFINITY;
}

/* the objective at theta (inf where not finite) */
static double value(const Problem *pr, const double *theta, const double *w) {
    const int P = pr->P;
    const double d = pr->delta, *y = pr->y, *s = pr->s;
    double f = 0.0;
    if (pr->e_index == KAPLAN) return value_kaplan(pr, theta, w);
    terms(pr, theta);
#define ONE_PASS(LOSS)                                                  \
    _Pragma("omp simd reduction(+ : f)") for (int p = 0; p < P; p++) {  \
        const double r = log(s[p]) - y[p];                              \
        double rho, r1, r2;                                             \
        LOSS(r, d, rho, r1, r2);                                        \
        (void)r1;                                                       \
        (void)r2;                                                       \
        f += w[p] * rho;                                                \
    }
    BY_LOSS(pr->loss, ONE_PASS);
#undef ONE_PASS
    return isfinite(f) ? f : INFINITY;
}

/* value() for the Chinchilla layout in one pass. It keeps its two terms and residuals in
 * the trial's memo, so that if the step is accepted the derivatives there skip the three
 * exp and log per run: they are a third of a derivative evaluation. */
static double value_chinchilla(const Problem *pr, const double *theta, const double *w,
                               double *memo) {
    const int P = pr->P;
    const double d = pr->delta, *y = pr->y, *l1 = pr->lx, *l2 = pr->lx + P;
    const double E = exp(theta[pr->e_index]), c1 = theta[pr->coef[0]], c2 = theta[pr->coef[1]];
    const double al1 = theta[pr->expo[0]], al2 = theta[pr->expo[1]];
    double *m1 = memo, *m2 = memo + P, *mr = memo + 2 * P;
    double f = 0.0;
#define ONE_PASS(LOSS)                                                                    \
    _Pragma("omp simd reduction(+ : f)") for (int p = 0; p < P; p++) {                    \
        const double t1 = exp(c1 - al1 * l1[p]), t2 = exp(c2 - al2 * l2[p]);              \
        const double r = log(E + t1 + t2) - y[p];                                         \
        double rho, r1, r2;                                                               \
        LOSS(r, d, rho, r1, r2);                                                          \
        (void)r1;                                                                         \
        (void)r2;                                                                         \
        m1[p] = t1;                                                                       \
        m2[p] = t2;                                                                       \
        mr[p] = r;                                                                        \
        f += w[p] * rho;                                                                  \
    }
    BY_LOSS(pr->loss, ONE_PASS);
#undef ONE_PASS
    return isfinite(f) ? f : INFINITY;
}

static double dot3(const double *a, const double *b, const double *c, int P) {
    double sum = 0.0;
#pragma omp simd reduction(+ : sum)
    for (int p = 0; p < P; p++) sum += a[p] * b[p] * c[p];
    return sum;
}

/* objective, gradient and exact Hessian (row-major K*K); leaves the Jacobian and the
 * reweighting in the work arrays for gn_hessian */
static double derivatives(const Problem *pr, const double *theta, const double *w, double *g,
                          double *H) {
    if (pr->e_index == KAPLAN) return derivatives_kaplan(pr, theta, w, g, H);
    const int P = pr->P, K = pr->K;
    const double d = pr->delta, *y = pr->y, *s = pr->s;
    double *a1 = pr->a1, *a2 = pr->a2, *q = pr->q, *J = pr->J;
    double f = 0.0;
    const double E = terms(pr, theta);
    /* per run: weight times rho' (a1), rho'' - rho' (a2) and rho'/r (q), and 1/s in a spare
     * row of t */
    double *inv = pr->t + (size_t)pr->V * P;
#define PER_RUN(LOSS)                                                                  \
    _Pragma("omp simd reduction(+ : f)") for (int p = 0; p < P; p++) {                 \
        const double r = log(s[p]) - y[p];                                             \
        double rho, r1, r2;                                                            \
        LOSS(r, d, rho, r1, r2);                                                       \
        f += w[p] * rho;                                                               \
        a1[p] = w[p] * r1;                                                             \
        a2[p] = w[p] * (r2 - r1);                                                      \
        q[p] = w[p] * (r != 0.0 ? r1 / r : r2);                                        \
        inv[p] = 1.0 / s[p];                                                           \
    }
    BY_LOSS(pr->loss, PER_RUN);
#undef PER_RUN
    /* Jacobian of the residual: d/de = E/s, d/dc_v = t_v/s, d/dalpha_v = -lx_v t_v/s (added
     * up: terms may share an exponent, as the over-training law's N and D terms do) */
    for (int k = 0; k < K; k++) memset(J + (size_t)k * P, 0, sizeof(double) * (size_t)P);
    if (pr->e_index >= 0) {
        double *Je = J + (size_t)pr->e_index * P;
#pragma omp simd
        for (int p = 0; p < P; p++) Je[p] = E * inv[p];
    }
    for (int v = 0; v < pr->V; v++) {
        const double *t = pr->t + (size_t)v * P, *lx = pr->lx + (size_t)v * P;
        double *Jc = J + (size_t)pr->coef[v] * P, *Ja = J + (size_t)pr->expo[v] * P;
#pragma omp simd
        for (int p = 0; p < P; p++) {
            Jc[p] = t[p] * inv[p];
            Ja[p] -= lx[p] * Jc[p];
        }
    }
    for (int k = 0; k < K; k++) {
        const double *Jk = J + (size_t)k * P;
        double sum = 0.0;
#pragma omp simd reduction(+ : sum)
        for (int p = 0; p < P; p++) sum += a1[p] * Jk[p];
        g[k] = sum;
        for (int l = 0; l <= k; l++) H[k * K + l] = H[l * K + k] = dot3(a2, Jk, J + (size_t)l * P, P);
    }
    /* the curvature of log(sum of exponentials) itself, weighted by rho' */
    if (pr->e_index >= 0) H[pr->e_index * K + pr->e_index] += g[pr->e_index];
    for (int v = 0; v < pr->V; v++) {
        const int c = pr->coef[v], a = pr->expo[v];
        const double *lx = pr->lx + (size_t)v * P, *Jc = J + (size_t)c * P;
        double s1 = 0.0, s2 = 0.0;
#pragma omp simd reduction(+ : s1, s2)
        for (int p = 0; p < P; p++) {
            const double u = a1[p] * Jc[p];
            s1 -= u * lx[p];
            s2 += u * lx[p] * lx[p];
        }
        H[c * K + c] += g[c];
        H[c * K + a] += s1;
        H[a * K + c] += s1;
        H[a * K + a] += s2;
    }
    int ok = isfinite(f);
    for (int k = 0; k < K * K && ok; k++) ok = isfinite(H[k]);
    for (int k = 0; k < K && ok; k++) ok = isfinite(g[k]);
    return ok ? f : INFINITY;
}

/* derivatives() for the commonest layout, E + A/N^alpha + B/D^beta (Chinchilla), in one
 * pass with every sum in a register: five gradient sums, fifteen Hessian sums and two for
 * the curvature of the log-sum-exp, against twenty passes over the runs in the general
 * version. Same results up to the order of additions. */
static double derivatives_chinchilla(const Problem *pr, const double *theta, const double *w,
                                     const double *memo, double *g, double *H) {
    const int P = pr->P, K = pr->K;
    const int ie = pr->e_index, i1 = pr->coef[0], i2 = pr->coef[1], i3 = pr->expo[0],
              i4 = pr->expo[1];
    const double d = pr->delta, *y = pr->y, *l1 = pr->lx, *l2 = pr->lx + P;
    const double E = exp(theta[ie]), c1 = theta[i1], c2 = theta[i2], al1 = theta[i3],
                 al2 = theta[i4];
    double *q = pr->q, *J0 = pr->J + (size_t)ie * P, *J1 = pr->J + (size_t)i1 * P,
           *J2 = pr->J + (size_t)i2 * P, *J3 = pr->J + (size_t)i3 * P, *J4 = pr->J + (size_t)i4 * P;
    double f = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, m3 = 0, m4 = 0;
    double h00 = 0, h01 = 0, h02 = 0, h03 = 0, h04 = 0, h11 = 0, h12 = 0, h13 = 0, h14 = 0;
    double h22 = 0, h23 = 0, h24 = 0, h33 = 0, h34 = 0, h44 = 0;
    const double *m1 = memo, *m2 = memo ? memo + P : NULL, *mr = memo ? memo + 2 * P : NULL;
#define ONE_PASS(LOSS, MEMO)                                                                   \
    _Pragma("omp simd reduction(+ : f, g0, g1, g2, g3, g4, m3, m4, h00, h01, h02, h03, h04, h11, h12, h13, h14, h22, h23, h24, h33, h34, h44)") \
    for (int p = 0; p < P; p++) {                                                              \
        const double t1 = MEMO ? m1[p] : exp(c1 - al1 * l1[p]);                               \
        const double t2 = MEMO ? m2[p] : exp(c2 - al2 * l2[p]);                               \
        const double sum = E + t1 + t2, inv = 1.0 / sum;                                       \
        const double r = MEMO ? mr[p] : log(sum) - y[p];                                       \
        double rho, r1, r2;                                                                    \
        LOSS(r, d, rho, r1, r2);                                                               \
        const double a1 = w[p] * r1, a2 = w[p] * (r2 - r1);                                   \
        q[p] = w[p] * (r != 0.0 ? r1 / r : r2);                                                \
        const double j0 = E * inv, j1 = t1 * inv, j2 = t2 * inv;                               \
        const double j3 = -l1[p] * j1, j4 = -l2[p] * j2;                                       \
        J0[p] = j0;                                                                            \
        J1[p] = j1;                                                                            \
        J2[p] = j2;                                                                            \
        J3[p] = j3;                                                                            \
        J4[p] = j4;                                                                            \
        f += w[p] * rho;                                                                       \
        g0 += a1 * j0;                                                                         \
        g1 += a1 * j1;                                                                         \
        g2 += a1 * j2;                                                                         \
        g3 += a1 * j3;                                                                         \
        g4 += a1 * j4;                                                                         \
        m3 -= a1 * j3 * l1[p];                                                                 \
        m4 -= a1 * j4 * l2[p];                                                                 \
        const double b0 = a2 * j0, b1 = a2 * j1, b2 = a2 * j2, b3 = a2 * j3;                   \
        h00 += b0 * j0;                                                                        \
        h01 += b0 * j1;                                                                        \
        h02 += b0 * j2;                                                                        \
        h03 += b0 * j3;                                                                        \
        h04 += b0 * j4;                                                                        \
        h11 += b1 * j1;                                                                        \
        h12 += b1 * j2;                                                                        \
        h13 += b1 * j3;                                                                        \
        h14 += b1 * j4;                                                                        \
        h22 += b2 * j2;                                                                        \
        h23 += b2 * j3;                                                                        \
        h24 += b2 * j4;                                                                        \
        h33 += b3 * j3;                                                                        \
        h34 += b3 * j4;                                                                        \
        h44 += a2 * j4 * j4;                                                                   \
    }
#define FROM_MEMO(LOSS) ONE_PASS(LOSS, 1)
#define AFRESH(LOSS) ONE_PASS(LOSS, 0)
    if (memo)
        BY_LOSS(pr->loss, FROM_MEMO);
    else
        BY_LOSS(pr->loss, AFRESH);
#undef FROM_MEMO
#undef AFRESH
#undef ONE_PASS
    const int idx[5] = {ie, i1, i2, i3, i4};
    const double gs[5] = {g0, g1, g2, g3, g4};
    /* the log-sum-exp curvature: rho' u on the diagonal of e and c_v, -rho' u lx between
     * c_v and alpha_v (which is g of alpha_v), rho' u lx^2 on alpha_v's diagonal */
    const double hs[5][5] = {{h00 + g0, h01, h02, h03, h04},
                             {h01, h11 + g1, h12, h13 + g3, h14},
                             {h02, h12, h22 + g2, h23, h24 + g4},
                             {h03, h13 + g3, h23, h33 + m3, h34},
                             {h04, h14, h24 + g4, h34, h44 + m4}};
    int ok = isfinite(f);
    for (int a = 0; a < 5; a++) {
        g[idx[a]] = gs[a];
        ok = ok && isfinite(gs[a]);
        for (int b = 0; b < 5; b++) {
            H[idx[a] * K + idx[b]] = hs[a][b];
            ok = ok && isfinite(hs[a][b]);
        }
    }
    return ok ? f : INFINITY;
}

/* the reweighted Gauss-Newton Hessian at the point of the last derivatives() call: only the
 * iterations that reach the Gauss-Newton trial (about a quarter) pay for it */
static void gn_hessian(const Problem *pr, double *Hgn) {
    const int P = pr->P, K = pr->K;
    for (int k = 0; k < K; k++) {
        const double *Jk = pr->J + (size_t)k * P;
        for (int l = 0; l <= k; l++)
            Hgn[k * K + l] = Hgn[l * K + k] = dot3(pr->q, Jk, pr->J + (size_t)l * P, P);
    }
}

/* The i-th pair (p << 8 | r, or -1 for the sit-out of an odd K) of round `round` of the
 * round-robin order for K indices: computed where K is a constant the compiler knows
 * (solve_one's dispatch), whose unrolled loops fold it, else read from ROUND_ROBIN */
INLINED int pair_of(int K, int round, int i) {
    const int n = K + (K & 1);
    int p = i == 0 ? n - 1 : (round + i) % (n - 1);
    int r = (round - i + (n - 1)) % (n - 1);
    if (p > r) {
        const int tmp = p;
        p = r;
        r = tmp;
    }
    return r >= K ? -1 : (p << 8 | r);
}

/* pair_of for every K up to MAX_K; the loader calls sumpow_init once */
static int ROUND_ROBIN[MAX_K + 1][MAX_K][MAX_K / 2];

void sumpow_init(void) {
    for (int K = 1; K <= MAX_K; K++) {
        const int n = K + (K & 1);
        for (int round = 0; round < n - 1; round++)
            for (int i = 0; i < n / 2; i++) ROUND_ROBIN[K][round][i] = pair_of(K, round, i);
    }
}

/* eigen-decomposition of a symmetric K*K matrix by Jacobi rotations: A = Q diag(lam) Q^T.
 * Rotations go in the round-robin ("parallel") order: the pairs of one round are disjoint,
 * so their angles are computed together from the same matrix, and the processor overlaps
 * their square roots and divisions instead of waiting on each in turn. */
INLINED void eigh(int K, const double *A_in, double *lam, double *Q) {
    double A[MAX_K * MAX_K];
    memcpy(A, A_in, sizeof(double) * (size_t)(K * K));
    for (int i = 0; i < K; i++)
        for (int j = 0; j < K; j++) Q[i * K + j] = i == j ? 1.0 : 0.0;
    const int n = K + (K & 1); /* an odd K sits one index out each round */
    int pp[MAX_K / 2 + 1], rr[MAX_K / 2 + 1];
    double sns[MAX_K / 2 + 1], ts[MAX_K / 2 + 1], taus[MAX_K / 2 + 1];
    /* sweep until every off-diagonal element is negligible against its two diagonal ones
     * (relative accuracy, as Demmel and Veselic's criterion) or against the largest one */
    for (int sweep = 0; sweep < 60; sweep++) {
        double big = 0.0;
        int rotated = 0;
        for (int i = 0; i < K; i++) big = fmax_(big, fabs(A[i * K + i]));
        for (int round = 0; round < n - 1; round++) {
            int m = 0;
            for (int i = 0; i < n / 2; i++) {
                const int code = K <= 5 ? pair_of(K, round, i) : ROUND_ROBIN[K][round][i];
                if (code < 0) continue; /* the sit-out index of an odd K */
                const int p = code >> 8, r = code & 0xff;
                const double apr = A[p * K + r];
                if (apr * apr <= 1e-20 * fabs(A[p * K + p] * A[r * K + r]) ||
                    fabs(apr) <= 1e-16 * big) {
                    A[p * K + r] = A[r * K + p] = 0.0;
                    continue;
                }
                /* t = tan of the angle that zeroes apr (the smaller root), written so that
                 * the chain of divisions and square roots is as short as it can be */
                const double y = A[r * K + r] - A[p * K + p], x = 2.0 * apr;
                const double t = (y >= 0 ? x : -x) / (fabs(y) + sqrt(x * x + y * y));
                const double sec = sqrt(t * t + 1.0), c = 1.0 / sec;
                pp[m] = p;
                rr[m] = r;
                ts[m] = t;
                sns[m] = t * c;
                taus[m] = t / (1.0 + sec);
                m++;
            }
            for (int j = 0; j < m; j++) {
                const int p = pp[j], r = rr[j];
                const double t = ts[j], sn = sns[j], tau = taus[j];
                const double apr = A[p * K + r], app = A[p * K + p], arr = A[r * K + r];
                /* rows and columns p and r outside their 2x2 block, which is set below (what
                 * the loop would write there is overwritten, and no other element reads it) */
                for (int k = 0; k < K; k++) {
                    if (k == p || k == r) continue;
                    const double g = A[k * K + p], h = A[k * K + r];
                    A[k * K + p] = A[p * K + k] = g - sn * (h + g * tau);
                    A[k * K + r] = A[r * K + k] = h + sn * (g - h * tau);
                }
                /* the eigenvectors apart: their updates do not wait on the matrix's */
                for (int k = 0; k < K; k++) {
                    const double gq = Q[k * K + p], hq = Q[k * K + r];
                    Q[k * K + p] = gq - sn * (hq + gq * tau);
                    Q[k * K + r] = hq + sn * (gq - hq * tau);
                }
                A[p * K + p] = app - t * apr;
                A[r * K + r] = arr + t * apr;
                A[p * K + r] = A[r * K + p] = 0.0;
            }
            rotated += m;
        }
        if (!rotated) break;
    }
    for (int i = 0; i < K; i++) lam[i] = A[i * K + i];
}

/* The decomposition behind a Newton step: the Hessian with frozen parameters decoupled
 * (see _newton_step). It depends on the point only, so a rejected step reuses it. */
typedef struct {
    double lam[MAX_K], Q[MAX_K * MAX_K], top;
} Eigen;

INLINED void decompose(int K, const double *hess, const int *frozen, Eigen *eg) {
    double H[MAX_K * MAX_K];
    double scale = 0.0;
    for (int k = 0; k < K; k++) scale = fmax_(scale, fabs(hess[k * K + k]));
    if (!(scale > 0)) scale = 1.0;
    for (int k = 0; k < K; k++)
        for (int l = 0; l < K; l++)
            H[k * K + l] = (frozen[k] || frozen[l]) ? 0.0 : hess[k * K + l];
    for (int k = 0; k < K; k++)
        if (frozen[k]) H[k * K + k] += scale;
    eigh(K, H, eg->lam, eg->Q);
    eg->top = 0.0;
    for (int j = 0; j < K; j++) eg->top = fmax_(eg->top, fabs(eg->lam[j]));
}

/* damped, curvature-corrected Newton step: |lambda| + mu * max|lambda| per direction */
INLINED void newton_step(int K, const Eigen *eg, const double *g, const int *frozen, double mu,
                         double *step) {
    const double *Q = eg->Q;
    for (int k = 0; k < K; k++) step[k] = 0.0;
    for (int j = 0; j < K; j++) {
        double qg = 0.0;
        for (int k = 0; k < K; k++) qg += Q[k * K + j] * g[k];
        const double denom = fmax_(fabs(eg->lam[j]), 1e-12 * eg->top + 1e-300) + mu * eg->top;
        const double coef = CLAMP(qg / denom, -MAX_STEP, MAX_STEP);
        for (int k = 0; k < K; k++) step[k] -= Q[k * K + j] * coef;
    }
    for (int k = 0; k < K; k++)
        if (frozen[k]) step[k] = 0.0;
}

/* A start's state between iterations, saved when it stops at max_iter and loaded to go on
 * from there exactly as if it had not stopped (_merge.py's screening: the starts it keeps go
 * on from their screening steps instead of taking them again): f, mu, quiet, stale, the steps
 * taken, and whether the derivatives at theta are (or were) computed from the accepted
 * trial's memo. Everything else the next iteration reads is recomputed from these, by the
 * same functions on the same numbers, so to the same bits: the memo (value_chinchilla at
 * theta, the point that trial evaluated), the derivatives of a point whose last step was
 * rejected (as they were computed there), and the decompositions and the Gauss-Newton trial
 * (which a rejected step's next iteration recomputes or reuses alike). */
enum { ST_F, ST_MU, ST_QUIET, ST_STALE, ST_STEPS, ST_MEMO, ST_SIZE };

int sumpow_state_size(int K, int P) {
    (void)K;
    (void)P;
    return ST_SIZE;
}

static void save_state(double *st, double f, double mu, int quiet, int stale, long long steps,
                       const double *memo_at) {
    st[ST_F] = f;
    st[ST_MU] = mu;
    st[ST_QUIET] = quiet;
    st[ST_STALE] = stale;
    st[ST_STEPS] = (double)steps;
    st[ST_MEMO] = memo_at != NULL;
}

/* the inverse of save_state, for the point theta; returns the steps taken */
static long long load_state(const Problem *pr, const double *st, const double *theta,
                            const double *w, int chinchilla, double *f, double *mu, int *quiet,
                            int *stale, const double **memo_at, double *g, double *H) {
    *f = st[ST_F];
    *mu = st[ST_MU];
    *quiet = (int)st[ST_QUIET];
    *stale = (int)st[ST_STALE];
    *memo_at = NULL;
    if (st[ST_MEMO] != 0.0) { /* into the first trial's slot, read before a trial writes it */
        value_chinchilla(pr, theta, w, pr->memo);
        *memo_at = pr->memo;
    }
    if (!*stale) /* g, H, and J and q for the Gauss-Newton Hessian; f is the saved one */
        (void)(chinchilla ? derivatives_chinchilla(pr, theta, w, *memo_at, g, H)
                          : derivatives(pr, theta, w, g, H));
    return (long long)st[ST_STEPS];
}

static const int TRIAL_DIR[4] = {0, 0, 1, 0};
static const double TRIAL_LEN[4] = {1.0, 0.3, 1.0, 0.05};

/* merge_lo, merge_hi: an accepted point whose objective lies in [merge_lo, merge_hi) ends
 * the start as MERGED (see _merge.py: below every other optimum the leading starts found and
 * not below their best, it can only descend to that best) */
INLINED void solve_k(const int K, const Problem *pr, const double *w, const double *lo,
                     const double *hi, int max_iter, double ftol, double xtol, double merge_lo,
                     double merge_hi, double *theta, double *f_out, signed char *status,
                     long long *steps, double *state, int resume) {
    double g[MAX_K], H[MAX_K * MAX_K], Hgn[MAX_K * MAX_K];
    double dir[2][MAX_K], x[MAX_K], trial[MAX_K];
    Eigen eig[2];
    int decomposed[2] = {0, 0}; /* eig[d] is current for this point */
    const int chinchilla = pr->V == 2 && pr->e_index >= 0 && K == 5; /* the one-pass kernels */
    const double *memo_at = NULL; /* the memo of the accepted trial: terms at theta */
    double gn_x[MAX_K] = {0}, gn_f = INFINITY; /* zeroed: read only once gn_known */
    int gn_known = 0; /* gn_x, gn_f: this point's Gauss-Newton trial */
    double gf[MAX_K]; /* the gradient with frozen parameters zeroed */
    int frozen[MAX_K];
    double mu = 1e-3, f = INFINITY;
    int stale = 1, quiet = 0, first = 0;
    *status = RUNNING;
    *steps = 0;
    if (resume) {
        first = (int)load_state(pr, state, theta, w, chinchilla, &f, &mu, &quiet, &stale,
                                &memo_at, g, H);
        *steps = first;
    } else {
        for (int k = 0; k < K; k++) theta[k] = CLAMP(theta[k], lo[k], hi[k]);
    }
    for (int it = first; it < max_iter; it++) {
        if (stale) {
            f = chinchilla ? derivatives_chinchilla(pr, theta, w, memo_at, g, H)
                           : derivatives(pr, theta, w, g, H);
            stale = 0;
            decomposed[0] = decomposed[1] = 0;
            gn_known = 0;
            if (!isfinite(f)) {
                *status = NONFINITE;
                break;
            }
        }
        for (int k = 0; k < K; k++) {
            frozen[k] = (theta[k] <= lo[k] && g[k] > 0) || (theta[k] >= hi[k] && g[k] < 0);
            gf[k] = frozen[k] ? 0.0 : g[k];
        }
        const double f_old = f;
        double f_new = INFINITY;
        int pick = -1, have[2] = {0, 0};
        memcpy(trial, theta, sizeof(double) * (size_t)K);
        for (int j = 0; j < 4; j++) {
            const int dj = TRIAL_DIR[j];
            double fx;
            if (dj == 1 && gn_known) {
                /* the Gauss-Newton step ignores mu, so after a rejection at this point it is
                 * the same step to the same objective: reuse both */
                memcpy(x, gn_x, sizeof(double) * (size_t)K);
                fx = gn_f;
            } else {
                if (!have[dj]) {
                    if (!decomposed[dj]) {
                        if (dj == 1) gn_hessian(pr, Hgn);
                        decompose(K, dj == 0 ? H : Hgn, frozen, &eig[dj]);
                        decomposed[dj] = 1;
                    }
                    newton_step(K, &eig[dj], gf, frozen, dj == 0 ? mu : 0.0, dir[dj]);
                    have[dj] = 1;
                }
                int finite = 1;
                for (int k = 0; k < K; k++) {
                    x[k] = CLAMP(theta[k] + TRIAL_LEN[j] * dir[dj][k], lo[k], hi[k]);
                    finite = finite && isfinite(dir[dj][k]);
                }
                fx = !finite ? INFINITY
                     : chinchilla ? value_chinchilla(pr, x, w, pr->memo + (size_t)j * 3 * pr->P)
                                  : value(pr, x, w);
                if (dj == 1) {
                    memcpy(gn_x, x, sizeof(double) * (size_t)K);
                    gn_f = fx;
                    gn_known = 1;
                }
            }
            if (fx < f_new || pick < 0) {
                f_new = fx;
                memcpy(trial, x, sizeof(double) * (size_t)K);
                pick = j;
            }
            if (fx < f_old) break;
        }
        const int better = f_new < f_old;
        int tiny = 1;
        for (int k = 0; k < K; k++)
            if (fabs(trial[k] - theta[k]) > xtol * (1.0 + fabs(theta[k]))) tiny = 0;
        const int small_gain = (f_old - f_new) <= ftol * fmax_(fabs(f_new), 1e-300);
        (*steps)++;
        if (better) {
            memcpy(theta, trial, sizeof(double) * (size_t)K);
            f = f_new;
            stale = 1;
            memo_at = chinchilla ? pr->memo + (size_t)pick * 3 * pr->P : NULL;
            mu = pick == 0 ? fmax_(mu / 5.0, 1e-12) : mu * 2.0;
            quiet = small_gain ? quiet + 1 : 0;
            if (f < merge_hi && f >= merge_lo) {
                *status = MERGED;
                break;
            }
        } else {
            mu *= 8.0;
        }
        if (!better && mu > 1e12) {
            *status = STALLED;
            break;
        }
        if ((tiny && mu <= 1.0) || quiet >= QUIET_STEPS) {
            *status = CONVERGED;
            break;
        }
    }
    if (*status == RUNNING) {
        *status = MAX_ITER;
        if (state) save_state(state, f, mu, quiet, stale, *steps, memo_at);
    }
    *f_out = f;
}

/* solve_k with K a constant for the commonest sizes (Chinchilla's 5; the over-training law's
 * and Kaplan's 4; a power law plus constant's 3; a power law's 2), so the compiler unrolls
 * every loop over parameters, those of the eigen-decomposition (eigh) above all: on a few
 * dozen runs its Jacobi rotations are most of a step's time, and unrolled they cost a fifth
 * less (2026-12-07, an AVX2-only AMD EPYC; benchmarks/RESULTS.md). The same operations in
 * the same order, though the compiler may fuse other multiply-adds: agreeing to rounding. */
static void solve_one(const Problem *pr, const double *w, const double *lo, const double *hi,
                      int max_iter, double ftol, double xtol, double merge_lo,
                      double merge_hi, double *theta, double *f_out, signed char *status,
                      long long *steps, double *state, int resume) {
#define SOLVE(K) solve_k(K, pr, w, lo, hi, max_iter, ftol, xtol, merge_lo, merge_hi, theta, \
                         f_out, status, steps, state, resume)
    switch (pr->K) {
    case 2: SOLVE(2); break;
    case 3: SOLVE(3); break;
    case 4: SOLVE(4); break;
    case 5: SOLVE(5); break;
    default: SOLVE(pr->K);
    }
#undef SOLVE
}

/* 1: this build has Kaplan's kernel (e_index == KAPLAN); the loader checks for the symbol, so
 * an older build is never handed that layout */
int sumpow_has_kaplan(void) { return 1; }

/* Solve starts [begin, end) of S; theta (S*K) holds the starts and receives the solutions.
 * weights is R*P (or NULL for ones) and groups picks each start's row, and its merge window
 * in merge (R*2: lowest, highest objective; or NULL for none). states (S rows of
 * sumpow_state_size, or NULL): where a start that stops at max_iter saves its state, or with
 * resume, the states the starts go on from (theta then holds where each stopped). Returns 0,
 * or -1 when the problem is too large for the fixed-size work arrays or memory runs out. */
int sumpow_solve_states(int begin, int end, int K, int P, int V, const double *lx,
                        const double *y, const double *weights, const long long *groups,
                        int e_index, const int *coef, const int *expo, int loss, double delta,
                        const double *lower, const double *upper, int max_iter, double ftol,
                        double xtol, double *theta, double *f_out, signed char *status,
                        long long *steps, const double *merge, double *states, int resume) {
    if (K > MAX_K || K < 1 || P < 1) return -1;
    /* the runs padded to whole vectors (copies of the last run, weighted 0: they add 0 to
     * every sum), so that no loop ends in a scalar tail of exp and log calls */
    const int Pp = (P + PAD_RUNS - 1) / PAD_RUNS * PAD_RUNS;
    Problem pr = {K, Pp, V, e_index, loss, coef, expo, lx, y, delta, 0, 0, 0, 0, 0, 0, 0};
    /* rows: t (V + 1), s, a1, a2, q, J (K), a row of ones standing in for absent weights
     * (one branch-free loop either way), the trials' memos (4 * 3), and where the runs are
     * padded, their log x (V), targets and one start's weights */
    const int padded = Pp != P;
    const size_t rows = (size_t)(V + 1 + 4 + K + 1 + 12) + (padded ? (size_t)V + 2 : 0);
    double *work = malloc(sizeof(double) * (size_t)Pp * rows);
    if (!work) return -1;
    pr.t = work;
    pr.s = pr.t + (size_t)(V + 1) * Pp;
    pr.a1 = pr.s + Pp;
    pr.a2 = pr.a1 + Pp;
    pr.q = pr.a2 + Pp;
    pr.J = pr.q + Pp;
    double *ones = pr.J + (size_t)K * Pp;
    for (int p = 0; p < Pp; p++) ones[p] = p < P ? 1.0 : 0.0;
    pr.memo = ones + Pp;
    double *w_pad = NULL;
    if (padded) {
        double *lx_pad = pr.memo + (size_t)12 * Pp, *y_pad = lx_pad + (size_t)V * Pp;
        w_pad = y_pad + Pp;
        for (int v = 0; v < V; v++)
            for (int p = 0; p < Pp; p++) lx_pad[(size_t)v * Pp + p] = lx[(size_t)v * P + MIN(p, P - 1)];
        for (int p = 0; p < Pp; p++) {
            y_pad[p] = y[MIN(p, P - 1)];
            w_pad[p] = 0.0;
        }
        pr.lx = lx_pad;
        pr.y = y_pad;
    }
    for (int b = begin; b < end; b++) {
        const double *w = weights ? weights + (size_t)(groups ? groups[b] : 0) * P : ones;
        if (padded && weights) {
            memcpy(w_pad, w, sizeof(double) * (size_t)P);  /* its tail stays 0 */
            w = w_pad;
        }
        const long long row = groups ? groups[b] : 0;
        const double lo_f = merge ? merge[2 * row] : INFINITY;
        const double hi_f = merge ? merge[2 * row + 1] : -INFINITY;
        double *state = states ? states + (size_t)b * (size_t)sumpow_state_size(K, P) : NULL;
        solve_one(&pr, w, lower, upper, max_iter, ftol, xtol, lo_f, hi_f, theta + (size_t)b * K,
                  f_out + b, status + b, steps + b, state, resume && state);
    }
    free(work);
    return 0;
}

/* sumpow_solve_states without states: every start from its start, none saved */
int sumpow_solve(int begin, int end, int K, int P, int V, const double *lx, const double *y,
                 const double *weights, const long long *groups, int e_index, const int *coef,
                 const int *expo, int loss, double delta, const double *lower, const double *upper,
                 int max_iter, double ftol, double xtol, double *theta, double *f_out,
                 signed char *status, long long *steps, const double *merge) {
    return sumpow_solve_states(begin, end, K, P, V, lx, y, weights, groups, e_index, coef, expo,
                               loss, delta, lower, upper, max_iter, ftol, xtol, theta, f_out,
                               status, steps, merge, NULL, 0);
}

/* An importable module too, so the build and the loader find it like any extension; the
 * solver itself is called through ctypes (which releases the GIL). */
/* setup.py names each build (SCALINGLAB_MODULE=_sumpow_avx2, ...); the portable one is _sumpow */
#ifndef SCALINGLAB_MODULE
#define SCALINGLAB_MODULE _sumpow
#endif
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define JOIN_(a, b) a##b
#define JOIN(a, b) JOIN_(a, b)
#define MODULE_NAME STRINGIFY(SCALINGLAB_MODULE)
#define MODULE_INIT JOIN(PyInit_, SCALINGLAB_MODULE)

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, MODULE_NAME, "scalinglab's compiled solver for sums of power terms",
    -1, NULL, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC MODULE_INIT(void) { return PyModule_Create(&module); }

