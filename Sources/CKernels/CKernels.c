// The inference kernels' bodies are written once, as always-inline functions
// on clang's 8-lane float vectors, and instantiated twice: in functions with
// `target("avx2,fma")`, where each vector FMA is one `vfmadd`, and in plain
// functions, where the compiler lowers it for the default target (NEON `fmla`
// on arm64, a correctly rounded `fmaf` per lane on x86-64 without AVX2). Both
// perform the same fused operations in the same order, so they agree bit for
// bit; `fp contract(off)` keeps the compiler from fusing anything else.

#include "CKernels.h"

#pragma clang fp contract(off)
// The vector helpers are always inlined: no call passes a vector in registers,
// so the default target's different vector ABI never applies.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float v8f __attribute__((ext_vector_type(8)));
typedef float v4f __attribute__((ext_vector_type(4)));

#define BODY static inline __attribute__((always_inline))

BODY v8f load8(const float *p) { v8f v; __builtin_memcpy(&v, p, sizeof v); return v; }
BODY v4f load4(const float *p) { v4f v; __builtin_memcpy(&v, p, sizeof v); return v; }
BODY void store8(float *p, v8f v) { __builtin_memcpy(p, &v, sizeof v); }
BODY void store4(float *p, v4f v) { __builtin_memcpy(p, &v, sizeof v); }
BODY v8f splat8(float x) { return (v8f){x, x, x, x, x, x, x, x}; }
/// `acc + x·w`, rounded once.
BODY v8f fma8(v8f x, v8f w, v8f acc) { return __builtin_elementwise_fma(x, w, acc); }
BODY v4f fma4(v4f x, v4f w, v4f acc) { return __builtin_elementwise_fma(x, w, acc); }

// MARK: Dense: c = a·b + bias

/// Rows 0..<4 of `a` and `c`, columns `j..<j + 16`: eight independent FMA
/// chains hide the FMA latency. For the output layer (`n = 16`, `k = 104`) the
/// 4 × 16 block measured about 4× faster than one row at a time (Swift SIMD).
BODY void block4x16(const float *a, const float *b, const float *bias, float *c,
                    intptr_t n, intptr_t k, intptr_t j) {
    v8f b0 = load8(bias + j), b1 = load8(bias + j + 8);
    v8f c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
    for (intptr_t p = 0; p < k; p++) {
        const float *row = b + p * n + j;
        v8f w0 = load8(row), w1 = load8(row + 8);
        v8f x0 = splat8(a[p]), x1 = splat8(a[k + p]), x2 = splat8(a[2 * k + p]), x3 = splat8(a[3 * k + p]);
        c00 = fma8(x0, w0, c00); c01 = fma8(x0, w1, c01);
        c10 = fma8(x1, w0, c10); c11 = fma8(x1, w1, c11);
        c20 = fma8(x2, w0, c20); c21 = fma8(x2, w1, c21);
        c30 = fma8(x3, w0, c30); c31 = fma8(x3, w1, c31);
    }
    store8(c + j, c00); store8(c + j + 8, c01);
    store8(c + n + j, c10); store8(c + n + j + 8, c11);
    store8(c + 2 * n + j, c20); store8(c + 2 * n + j + 8, c21);
    store8(c + 3 * n + j, c30); store8(c + 3 * n + j + 8, c31);
}

/// One row, columns `j..<j + 8`.
BODY void row8(const float *a, const float *b, const float *bias, float *c,
               intptr_t n, intptr_t k, intptr_t j) {
    v8f acc = load8(bias + j);
    for (intptr_t p = 0; p < k; p++) acc = fma8(splat8(a[p]), load8(b + p * n + j), acc);
    store8(c + j, acc);
}

/// One row, columns `start..<n` (fewer than 8), one scalar chain each.
BODY void row_scalar(const float *a, const float *b, const float *bias, float *c,
                     intptr_t n, intptr_t k, intptr_t start) {
    for (intptr_t j = start; j < n; j++) {
        float acc = bias[j];
        for (intptr_t p = 0; p < k; p++) acc = __builtin_fmaf(a[p], b[p * n + j], acc);
        c[j] = acc;
    }
}

BODY void matmul_bias(const float *a, const float *b, const float *bias, float *c,
                      intptr_t m, intptr_t n, intptr_t k) {
    intptr_t vector_end = n & ~(intptr_t)7;
    intptr_t i = 0;
    for (; i + 4 <= m; i += 4) {
        intptr_t j = 0;
        for (; j + 16 <= vector_end; j += 16) block4x16(a + i * k, b, bias, c + i * n, n, k, j);
        for (; j < vector_end; j += 8) {
            for (intptr_t r = i; r < i + 4; r++) row8(a + r * k, b, bias, c + r * n, n, k, j);
        }
        for (intptr_t r = i; r < i + 4; r++) row_scalar(a + r * k, b, bias, c + r * n, n, k, vector_end);
    }
    for (; i < m; i++) {
        for (intptr_t j = 0; j < vector_end; j += 8) row8(a + i * k, b, bias, c + i * n, n, k, j);
        row_scalar(a + i * k, b, bias, c + i * n, n, k, vector_end);
    }
}

// MARK: Sparse: out = Σ values[e]·b[indices[e], ...] + bias

/// Columns `j..<j + 96 + tail` (`tail` 0, 4 or 8, a constant at each call) in
/// one pass over the terms: twelve 8-lane accumulators and one of `tail`
/// lanes; with the broadcast, 14 of AVX2's 16 registers. 104 is the shipped
/// network's padded hidden width, 100 the trainer's unpadded one, whose last
/// four columns took longer than the other 96 together when they went through
/// the scalar loop, one dependent FMA chain each (Swift SIMD, measured).
BODY void block96(const intptr_t *indices, const float *values, intptr_t count,
                  const float *b, const float *bias, float *out, intptr_t n, intptr_t j, int tail) {
    v8f acc[12];
    for (int q = 0; q < 12; q++) acc[q] = load8(bias + j + 8 * q);
    v4f t4 = tail == 4 ? load4(bias + j + 96) : (v4f)0;
    v8f t8 = tail == 8 ? load8(bias + j + 96) : (v8f)0;
    for (intptr_t e = 0; e < count; e++) {
        const float *row = b + indices[e] * n + j;
        v8f x = splat8(values[e]);
        for (int q = 0; q < 12; q++) acc[q] = fma8(x, load8(row + 8 * q), acc[q]);
        if (tail == 4) t4 = fma4(x.lo, load4(row + 96), t4);
        if (tail == 8) t8 = fma8(x, load8(row + 96), t8);
    }
    for (int q = 0; q < 12; q++) store8(out + j + 8 * q, acc[q]);
    if (tail == 4) store4(out + j + 96, t4);
    if (tail == 8) store8(out + j + 96, t8);
}

/// Blocks of 96, 100 or 104 columns, then single 8-lane, 4-lane and scalar
/// accumulators. Every column adds its terms in ascending `e` whichever block
/// it falls in, so the blocking never changes a result.
BODY void sparse_row(const intptr_t *indices, const float *values, intptr_t count,
                     const float *b, const float *bias, float *out, intptr_t n) {
    intptr_t j = 0;
    while (n - j >= 96) {
        if (n - j == 104) {
            block96(indices, values, count, b, bias, out, n, j, 8);
            j += 104;
        } else if (n - j == 100) {
            block96(indices, values, count, b, bias, out, n, j, 4);
            j += 100;
        } else {
            block96(indices, values, count, b, bias, out, n, j, 0);
            j += 96;
        }
    }
    for (; n - j >= 8; j += 8) {
        v8f acc = load8(bias + j);
        for (intptr_t e = 0; e < count; e++) acc = fma8(splat8(values[e]), load8(b + indices[e] * n + j), acc);
        store8(out + j, acc);
    }
    if (n - j >= 4) {
        v4f acc = load4(bias + j);
        for (intptr_t e = 0; e < count; e++) acc = fma4(splat8(values[e]).lo, load4(b + indices[e] * n + j), acc);
        store4(out + j, acc);
        j += 4;
    }
    for (; j < n; j++) {
        float acc = bias[j];
        for (intptr_t e = 0; e < count; e++) acc = __builtin_fmaf(values[e], b[indices[e] * n + j], acc);
        out[j] = acc;
    }
}

// MARK: The two builds and the choice between them

void ckernels_matmul_bias_portable(const float *a, const float *b, const float *bias, float *c,
                                   intptr_t m, intptr_t n, intptr_t k) {
    matmul_bias(a, b, bias, c, m, n, k);
}

void ckernels_sparse_row_portable(const intptr_t *indices, const float *values, intptr_t count,
                                  const float *b, const float *bias, float *out, intptr_t n) {
    sparse_row(indices, values, count, b, bias, out, n);
}

#if defined(__x86_64__)

__attribute__((target("avx2,fma")))
static void matmul_bias_avx2(const float *a, const float *b, const float *bias, float *c,
                             intptr_t m, intptr_t n, intptr_t k) {
    matmul_bias(a, b, bias, c, m, n, k);
}

__attribute__((target("avx2,fma")))
static void sparse_row_avx2(const intptr_t *indices, const float *values, intptr_t count,
                            const float *b, const float *bias, float *out, intptr_t n) {
    sparse_row(indices, values, count, b, bias, out, n);
}

/// 0 not yet asked, 1 AVX2 and FMA, 2 not both. Threads racing on the first
/// call each compute and store the same answer.
static int avx2_fma_state = 0;

int ckernels_has_avx2_fma(void) {
    int state = __atomic_load_n(&avx2_fma_state, __ATOMIC_RELAXED);
    if (state == 0) {
        __builtin_cpu_init();
        state = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 2;
        __atomic_store_n(&avx2_fma_state, state, __ATOMIC_RELAXED);
    }
    return state == 1;
}

void ckernels_matmul_bias(const float *a, const float *b, const float *bias, float *c,
                          intptr_t m, intptr_t n, intptr_t k) {
    if (ckernels_has_avx2_fma()) matmul_bias_avx2(a, b, bias, c, m, n, k);
    else ckernels_matmul_bias_portable(a, b, bias, c, m, n, k);
}

void ckernels_sparse_row(const intptr_t *indices, const float *values, intptr_t count,
                         const float *b, const float *bias, float *out, intptr_t n) {
    if (ckernels_has_avx2_fma()) sparse_row_avx2(indices, values, count, b, bias, out, n);
    else ckernels_sparse_row_portable(indices, values, count, b, bias, out, n);
}

#else

int ckernels_has_avx2_fma(void) { return 0; }

void ckernels_matmul_bias(const float *a, const float *b, const float *bias, float *c,
                          intptr_t m, intptr_t n, intptr_t k) {
    matmul_bias(a, b, bias, c, m, n, k);
}

void ckernels_sparse_row(const intptr_t *indices, const float *values, intptr_t count,
                         const float *b, const float *bias, float *out, intptr_t n) {
    sparse_row(indices, values, count, b, bias, out, n);
}

#endif
