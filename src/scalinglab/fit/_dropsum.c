/*
 * The multi-power law's loss-drop sums (curves/_multipower.py, curves/_drop.py), compiled
 * into the same builds as the solver (setup.py links this file into every _sumpow*
 * extension, so each ISA's build has it, with glibc's vector exp/log where the build has
 * SCALINGLAB_MVEC).
 *
 * For each parameter vector s = (C, beta, gamma) and each drop atom q (drop D_q, mean
 * log rate l_q, log mean area a_q, slot point_q):
 *
 *     u    = C * exp(a_q - gamma * l_q)
 *     term = D_q * (1 - (1 + u)^-beta)                        the drop itself
 *     dC   = D_q * beta * (1 + u)^(-beta-1) * u / C           d term / dC
 *     dbe  = D_q * (1 + u)^-beta * log1p(u)                   - d term / dbeta
 *     dga  = D_q * beta * (1 + u)^(-beta-1) * u * l_q         - d term / dgamma
 *
 * summed into out[j][s][slot]: the sums the NumPy path forms, with the same formulas, so
 * the two agree to rounding (their exp and log, and where a slot's sum is split, differ).
 * Work goes in blocks of atoms: the block's terms first, in a loop the compiler
 * vectorises (exp and log through libmvec), then their slot sums in a scalar pass over
 * the block (atoms of a slot are contiguous).
 *
 * Written for scalinglab.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "_mvec.h"

/* atoms per block: its five term rows (5 x 2 KiB) stay in L1 beside the inputs */
#define BLOCK 256

/* log1p(u) for u >= 0 from log alone (libmvec has no log1p before glibc 2.35, and a build
 * must link on older systems): w = 1 + u rounds to 1 + u + e, e = (w - 1) - u exactly, and
 * log(w) - e / w removes that error to first order, so small u keep their relative
 * accuracy. Beyond 2^52 the correction is below an ulp, and inf - inf for an infinite u:
 * dropped there. iw is 1 / w, which the caller has anyway (one division per atom). */
#define LOG1P(u, w, iw) (log(w) - ((u) < 0x1p52 ? (((w) - 1.0) - (u)) * (iw) : 0.0))

/* 1 - exp(-x) for x >= 0 given pw = exp(-x): below x = 1/16 by its series to x^8 (relative
 * error under x^8/9! < 1e-15), since 1 - pw cancels there (libmvec's exp, within 4 ulp,
 * would leave 4e-12 of the term at x = 1e-4); above, 1 - pw keeps it within 1e-14. libmvec
 * has expm1 only from glibc 2.35. The NumPy path computes 1 - pw throughout. */
static inline double one_minus_exp(double x, double pw) {
    const double series =
        x * (1.0 - x * (1.0 / 2 - x * (1.0 / 6 - x * (1.0 / 24 - x * (1.0 / 120 - x * (1.0 / 720
        - x * (1.0 / 5040 - x * (1.0 / 40320))))))));
    return x < 0.0625 ? series : 1.0 - pw;
}

/* the block's value terms only */
static void terms_value(int m, const double *drop, const double *ll, const double *la,
                        double c, double beta, double gamma, double *t0) {
#pragma omp simd
    for (int i = 0; i < m; i++) {
        const double u = c * exp(la[i] - gamma * ll[i]), w = 1.0 + u, iw = 1.0 / w;
        const double x = beta * LOG1P(u, w, iw);
        t0[i] = drop[i] * one_minus_exp(x, exp(-x));
    }
}

/* the block's value terms and the three derivative terms */
static void terms_jacobian(int m, const double *drop, const double *ll, const double *la,
                           double c, double beta, double gamma, double *t0, double *t1,
                           double *t2, double *t3) {
    const double inv_c = 1.0 / c;
#pragma omp simd
    for (int i = 0; i < m; i++) {
        const double u = c * exp(la[i] - gamma * ll[i]), w = 1.0 + u, iw = 1.0 / w;
        const double l1u = LOG1P(u, w, iw), x = beta * l1u, pw = exp(-x);
        const double common = drop[i] * beta * pw * u * iw;
        t0[i] = drop[i] * one_minus_exp(x, pw);
        t1[i] = common * inv_c;
        t2[i] = drop[i] * pw * l1u;
        t3[i] = common * ll[i];
    }
}

/* Add the block's terms (rows t, n_rows of them, BLOCK apart) into each row's slots (out,
 * rows stride apart). Returns -1 for a slot outside [0, n_slots). */
static int to_slots(int m, const long long *point, long long n_slots, int n_rows,
                    const double *t, double *out, size_t stride) {
    for (int i = 0; i < m;) {
        const long long slot = point[i];
        if (slot < 0 || slot >= n_slots) return -1;
        double s[4] = {0.0, 0.0, 0.0, 0.0};
        do {
            for (int j = 0; j < n_rows; j++) s[j] += t[(size_t)j * BLOCK + (size_t)i];
            i++;
        } while (i < m && point[i] == slot);
        for (int j = 0; j < n_rows; j++) out[(size_t)j * stride + (size_t)slot] += s[j];
    }
    return 0;
}

/* The slots' sums at the logged steps: points[j][s][i] = sum_k data[k] * slots[j][s][col[k]]
 * over k in [row[i], row[i+1]) (the CSR map of DropAtoms.mix), for vectors [s_begin, s_end).
 * Returns -1 for a column out of range. */
static int to_points(int s_begin, int s_end, int S, int n_rows, long long n_slots,
                     long long n_points, const double *slots, const long long *row,
                     const long long *col, const double *data, double *points) {
    for (int j = 0; j < n_rows; j++)
        for (int s = s_begin; s < s_end; s++) {
            const size_t at = (size_t)j * S + (size_t)s;
            const double *in = slots + at * (size_t)n_slots;
            double *o = points + at * (size_t)n_points;
            for (long long i = 0; i < n_points; i++) {
                double sum = 0.0;
                for (long long k = row[i]; k < row[i + 1]; k++) {
                    if (col[k] < 0 || col[k] >= n_slots) return -1;
                    sum += data[k] * in[col[k]];
                }
                o[i] = sum;
            }
        }
    return 0;
}

/* Sums of parameter vectors [s_begin, s_end) of S: slots is (n_rows, S, n_slots), n_rows 1
 * (the drop) or 4 (and its three derivative sums), and receives them (zeroed here first).
 * params holds C, beta, gamma as three rows of S. With a map from slots to logged steps
 * (mix_row, mix_col, mix_data: CSR, n_points rows; or NULL where the slots are the steps)
 * points (n_rows, S, n_points) receives the sums at the logged steps too. Returns 0, or -1
 * for a slot out of range or a bad shape. Threads may run disjoint ranges of vectors at once. */
int dropsum_multipower(int s_begin, int s_end, int S, long long Q, long long n_slots,
                       const double *drop, const double *log_lr, const double *log_area,
                       const long long *point, const double *params, int n_rows,
                       double *slots, long long n_points, const long long *mix_row,
                       const long long *mix_col, const double *mix_data, double *points) {
    if (n_rows != 1 && n_rows != 4) return -1;
    if (s_begin < 0 || s_end > S || Q < 0 || n_slots < 0) return -1;
    const size_t stride = (size_t)S * (size_t)n_slots; /* between rows of slots */
    for (int s = s_begin; s < s_end; s++)
        for (int j = 0; j < n_rows; j++)
            memset(slots + (size_t)j * stride + (size_t)s * n_slots, 0,
                   sizeof(double) * (size_t)n_slots);
    double t[4 * BLOCK];
    /* blocks outside, vectors inside: a block's inputs stay in cache for every vector */
    for (long long a = 0; a < Q; a += BLOCK) {
        const int m = (int)(Q - a < BLOCK ? Q - a : BLOCK);
        for (int s = s_begin; s < s_end; s++) {
            const double c = params[s], beta = params[S + s], gamma = params[2 * S + s];
            if (n_rows == 1)
                terms_value(m, drop + a, log_lr + a, log_area + a, c, beta, gamma, t);
            else
                terms_jacobian(m, drop + a, log_lr + a, log_area + a, c, beta, gamma, t,
                               t + BLOCK, t + 2 * BLOCK, t + 3 * BLOCK);
            if (to_slots(m, point + a, n_slots, n_rows, t, slots + (size_t)s * n_slots, stride))
                return -1;
        }
    }
    if (!mix_row) return 0;
    return to_points(s_begin, s_end, S, n_rows, n_slots, n_points, slots, mix_row, mix_col,
                     mix_data, points);
}
