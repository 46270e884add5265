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

// MARK: Non-zero pixels: the sparse kernel's input

/// Pixels `start..<count`: their non-zero positions and values appended at
/// `found`; returns the new count. 8 bytes at a time: MNIST's zeros come in
/// long runs (the border), so most words are skipped with one compare. Inside
/// a word every byte is stored and the count advances only past non-zero ones:
/// whether a pixel has ink is unpredictable, and a branch on it costs more than
/// the extra stores.
BODY intptr_t nonzero_words(const uint8_t *pixels, intptr_t start, intptr_t count,
                            intptr_t *indices, float *values, intptr_t found) {
    intptr_t position = start;
    for (; position + 8 <= count; position += 8) {
        uint64_t word;
        __builtin_memcpy(&word, pixels + position, sizeof word);
        if (word == 0) continue;
        for (intptr_t offset = position; offset < position + 8; offset++) {
            uint8_t byte = pixels[offset];  // the word only tells whether all 8 are zero, on any byte order
            indices[found] = offset;
            values[found] = (float)byte;
            found += byte != 0;
        }
    }
    for (; position < count; position++) {
        indices[found] = position;
        values[found] = (float)pixels[position];
        found += pixels[position] != 0;
    }
    return found;
}

intptr_t ckernels_nonzero_pixels_portable(const uint8_t *pixels, intptr_t count, intptr_t *indices, float *values) {
    return nonzero_words(pixels, 0, count, indices, values, 0);
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
#include <immintrin.h>

/// For each 8-bit mask, the positions of its set bits in ascending order, one
/// per byte from the low one (the rest 0): the lane permutation that packs
/// those lanes to the front. Generated: byte i of entry m is the i-th set bit of m.
static const uint64_t compaction[256] = {
    0x0000000000000000, 0x0000000000000000, 0x0000000000000001, 0x0000000000000100,
    0x0000000000000002, 0x0000000000000200, 0x0000000000000201, 0x0000000000020100,
    0x0000000000000003, 0x0000000000000300, 0x0000000000000301, 0x0000000000030100,
    0x0000000000000302, 0x0000000000030200, 0x0000000000030201, 0x0000000003020100,
    0x0000000000000004, 0x0000000000000400, 0x0000000000000401, 0x0000000000040100,
    0x0000000000000402, 0x0000000000040200, 0x0000000000040201, 0x0000000004020100,
    0x0000000000000403, 0x0000000000040300, 0x0000000000040301, 0x0000000004030100,
    0x0000000000040302, 0x0000000004030200, 0x0000000004030201, 0x0000000403020100,
    0x0000000000000005, 0x0000000000000500, 0x0000000000000501, 0x0000000000050100,
    0x0000000000000502, 0x0000000000050200, 0x0000000000050201, 0x0000000005020100,
    0x0000000000000503, 0x0000000000050300, 0x0000000000050301, 0x0000000005030100,
    0x0000000000050302, 0x0000000005030200, 0x0000000005030201, 0x0000000503020100,
    0x0000000000000504, 0x0000000000050400, 0x0000000000050401, 0x0000000005040100,
    0x0000000000050402, 0x0000000005040200, 0x0000000005040201, 0x0000000504020100,
    0x0000000000050403, 0x0000000005040300, 0x0000000005040301, 0x0000000504030100,
    0x0000000005040302, 0x0000000504030200, 0x0000000504030201, 0x0000050403020100,
    0x0000000000000006, 0x0000000000000600, 0x0000000000000601, 0x0000000000060100,
    0x0000000000000602, 0x0000000000060200, 0x0000000000060201, 0x0000000006020100,
    0x0000000000000603, 0x0000000000060300, 0x0000000000060301, 0x0000000006030100,
    0x0000000000060302, 0x0000000006030200, 0x0000000006030201, 0x0000000603020100,
    0x0000000000000604, 0x0000000000060400, 0x0000000000060401, 0x0000000006040100,
    0x0000000000060402, 0x0000000006040200, 0x0000000006040201, 0x0000000604020100,
    0x0000000000060403, 0x0000000006040300, 0x0000000006040301, 0x0000000604030100,
    0x0000000006040302, 0x0000000604030200, 0x0000000604030201, 0x0000060403020100,
    0x0000000000000605, 0x0000000000060500, 0x0000000000060501, 0x0000000006050100,
    0x0000000000060502, 0x0000000006050200, 0x0000000006050201, 0x0000000605020100,
    0x0000000000060503, 0x0000000006050300, 0x0000000006050301, 0x0000000605030100,
    0x0000000006050302, 0x0000000605030200, 0x0000000605030201, 0x0000060503020100,
    0x0000000000060504, 0x0000000006050400, 0x0000000006050401, 0x0000000605040100,
    0x0000000006050402, 0x0000000605040200, 0x0000000605040201, 0x0000060504020100,
    0x0000000006050403, 0x0000000605040300, 0x0000000605040301, 0x0000060504030100,
    0x0000000605040302, 0x0000060504030200, 0x0000060504030201, 0x0006050403020100,
    0x0000000000000007, 0x0000000000000700, 0x0000000000000701, 0x0000000000070100,
    0x0000000000000702, 0x0000000000070200, 0x0000000000070201, 0x0000000007020100,
    0x0000000000000703, 0x0000000000070300, 0x0000000000070301, 0x0000000007030100,
    0x0000000000070302, 0x0000000007030200, 0x0000000007030201, 0x0000000703020100,
    0x0000000000000704, 0x0000000000070400, 0x0000000000070401, 0x0000000007040100,
    0x0000000000070402, 0x0000000007040200, 0x0000000007040201, 0x0000000704020100,
    0x0000000000070403, 0x0000000007040300, 0x0000000007040301, 0x0000000704030100,
    0x0000000007040302, 0x0000000704030200, 0x0000000704030201, 0x0000070403020100,
    0x0000000000000705, 0x0000000000070500, 0x0000000000070501, 0x0000000007050100,
    0x0000000000070502, 0x0000000007050200, 0x0000000007050201, 0x0000000705020100,
    0x0000000000070503, 0x0000000007050300, 0x0000000007050301, 0x0000000705030100,
    0x0000000007050302, 0x0000000705030200, 0x0000000705030201, 0x0000070503020100,
    0x0000000000070504, 0x0000000007050400, 0x0000000007050401, 0x0000000705040100,
    0x0000000007050402, 0x0000000705040200, 0x0000000705040201, 0x0000070504020100,
    0x0000000007050403, 0x0000000705040300, 0x0000000705040301, 0x0000070504030100,
    0x0000000705040302, 0x0000070504030200, 0x0000070504030201, 0x0007050403020100,
    0x0000000000000706, 0x0000000000070600, 0x0000000000070601, 0x0000000007060100,
    0x0000000000070602, 0x0000000007060200, 0x0000000007060201, 0x0000000706020100,
    0x0000000000070603, 0x0000000007060300, 0x0000000007060301, 0x0000000706030100,
    0x0000000007060302, 0x0000000706030200, 0x0000000706030201, 0x0000070603020100,
    0x0000000000070604, 0x0000000007060400, 0x0000000007060401, 0x0000000706040100,
    0x0000000007060402, 0x0000000706040200, 0x0000000706040201, 0x0000070604020100,
    0x0000000007060403, 0x0000000706040300, 0x0000000706040301, 0x0000070604030100,
    0x0000000706040302, 0x0000070604030200, 0x0000070604030201, 0x0007060403020100,
    0x0000000000070605, 0x0000000007060500, 0x0000000007060501, 0x0000000706050100,
    0x0000000007060502, 0x0000000706050200, 0x0000000706050201, 0x0000070605020100,
    0x0000000007060503, 0x0000000706050300, 0x0000000706050301, 0x0000070605030100,
    0x0000000706050302, 0x0000070605030200, 0x0000070605030201, 0x0007060503020100,
    0x0000000007060504, 0x0000000706050400, 0x0000000706050401, 0x0000070605040100,
    0x0000000706050402, 0x0000070605040200, 0x0000070605040201, 0x0007060504020100,
    0x0000000706050403, 0x0000070605040300, 0x0000070605040301, 0x0007060504030100,
    0x0000070605040302, 0x0007060504030200, 0x0007060504030201, 0x0706050403020100,
};

/// 32 pixels per compare; in a block with any ink, each group of 8 pixels is
/// widened to 8 lanes, packed to the front by `compaction`'s permutation and
/// stored whole (8 positions and 8 values; `found` then advances by the
/// group's ink count, so only those stay). No branch depends on a single
/// pixel; the `target` is the dispatch's AVX2 alone (clang takes POPCNT to
/// come with it). t10k's images, one core: 3.0
/// ms for the word scan, 1.0 ms for this (scratch C benchmark, best of 30).
__attribute__((target("avx2")))
static intptr_t nonzero_avx2(const uint8_t *pixels, intptr_t count, intptr_t *indices, float *values) {
    intptr_t found = 0, position = 0;
    const __m256i zero = _mm256_setzero_si256();
    for (; position + 32 <= count; position += 32) {
        __m256i block = _mm256_loadu_si256((const __m256i *)(pixels + position));
        uint32_t ink = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(block, zero));
        if (ink == 0) continue;
        for (int group = 0; group < 4; group++) {
            uint32_t mask = (ink >> (8 * group)) & 0xff;
            int start = (int)(position + 8 * group);
            __m256i lanes = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128((long long)compaction[mask]));
            __m256i wide = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(pixels + start)));
            _mm256_storeu_ps(values + found, _mm256_cvtepi32_ps(_mm256_permutevar8x32_epi32(wide, lanes)));
            __m256i offsets = _mm256_add_epi32(lanes, _mm256_set1_epi32(start));
            _mm256_storeu_si256((__m256i *)(indices + found), _mm256_cvtepi32_epi64(_mm256_castsi256_si128(offsets)));
            _mm256_storeu_si256((__m256i *)(indices + found + 4),
                                _mm256_cvtepi32_epi64(_mm256_extracti128_si256(offsets, 1)));
            found += __builtin_popcount(mask);
        }
    }
    return nonzero_words(pixels, position, count, indices, values, found);
}

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

intptr_t ckernels_nonzero_pixels(const uint8_t *pixels, intptr_t count, intptr_t *indices, float *values) {
    // The AVX2 scan's positions are 32-bit lanes.
    if (count <= INT32_MAX && ckernels_has_avx2_fma()) return nonzero_avx2(pixels, count, indices, values);
    return ckernels_nonzero_pixels_portable(pixels, count, indices, values);
}

#else

int ckernels_has_avx2_fma(void) { return 0; }

intptr_t ckernels_nonzero_pixels(const uint8_t *pixels, intptr_t count, intptr_t *indices, float *values) {
    return ckernels_nonzero_pixels_portable(pixels, count, indices, values);
}

void ckernels_matmul_bias(const float *a, const float *b, const float *bias, float *c,
                          intptr_t m, intptr_t n, intptr_t k) {
    matmul_bias(a, b, bias, c, m, n, k);
}

void ckernels_sparse_row(const intptr_t *indices, const float *values, intptr_t count,
                         const float *b, const float *bias, float *out, intptr_t n) {
    sparse_row(indices, values, count, b, bias, out, n);
}

#endif
