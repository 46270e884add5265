#ifndef MNIST_CKERNELS_H
#define MNIST_CKERNELS_H

#include <stdint.h>

/// The inference kernels, in C so that their fast path needs no compiler flag.
///
/// Swift lowers `SIMD8<Float>.addProduct` on the default x86-64 target to one
/// `fmaf` call per lane, and a package that depends on this one by version may
/// not pass `-target-cpu`. So, as numpy and zlib-ng do, each kernel is
/// compiled twice: for AVX2 + FMA (per-function `target` attribute) and for
/// the default target. The first call picks one from the CPU's feature bits.
///
/// Every output element is `bias[j] + Σ a·b` with one fused multiply-add per
/// term, in ascending term order, on either path: the results are bit for bit
/// the same on every CPU, and a row's result never depends on the rest of the
/// batch.

/// `c[m, n] = a[m, k] · b[k, n] + bias[n]`, all row-major.
void ckernels_matmul_bias(const float *a, const float *b, const float *bias, float *c,
                          intptr_t m, intptr_t n, intptr_t k);

/// One sparse row times a matrix:
/// `out[0..<n] = bias + Σ_e values[e] · b[indices[e], 0..<n]`, `b` row-major
/// with row stride `n`, terms added in ascending `e`.
void ckernels_sparse_row(const intptr_t *indices, const float *values, intptr_t count,
                         const float *b, const float *bias, float *out, intptr_t n);

/// The positions and values of the non-zero bytes of `pixels[0..<count]`, in
/// ascending position, into `indices` and `values`; returns how many. Both
/// must have room for `count` entries: the scan stores whole groups and keeps
/// only the non-zero entries.
intptr_t ckernels_nonzero_pixels(const uint8_t *pixels, intptr_t count, intptr_t *indices, float *values);

/// The default-target builds of the kernels, whatever the CPU: the tests
/// check that they give the fast path's bits.
void ckernels_matmul_bias_portable(const float *a, const float *b, const float *bias, float *c,
                                   intptr_t m, intptr_t n, intptr_t k);
void ckernels_sparse_row_portable(const intptr_t *indices, const float *values, intptr_t count,
                                  const float *b, const float *bias, float *out, intptr_t n);
intptr_t ckernels_nonzero_pixels_portable(const uint8_t *pixels, intptr_t count, intptr_t *indices, float *values);

/// 1 when `ckernels_matmul_bias`, `ckernels_sparse_row` and
/// `ckernels_nonzero_pixels` run their AVX2 (+ FMA) build on this CPU, 0 when
/// they run the default-target build.
int ckernels_has_avx2_fma(void);

#endif
