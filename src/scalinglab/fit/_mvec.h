/* Shared by the compiled solver (_sumpow.c) and the multi-power drop sums (_dropsum.c).
 *
 * With SCALINGLAB_MVEC (the AVX2, AVX-512 and NEON builds, linked with -lmvec) exp and log are
 * declared as OpenMP SIMD functions: glibc's libmvec provides their vector variants, so the
 * vectoriser calls those instead of the scalar functions. The portable build leaves them scalar.
 */
#ifndef SCALINGLAB_MVEC_H
#define SCALINGLAB_MVEC_H

#include <math.h>

#ifdef SCALINGLAB_MVEC
#pragma omp declare simd notinbranch
extern double exp(double);
#pragma omp declare simd notinbranch
extern double log(double);
#endif

#endif
