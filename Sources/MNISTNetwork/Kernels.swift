import CKernels

/// Vectorised building blocks shared by inference and training.
///
/// Every output element is `bias[j] + Σₚ a[i, p]·b[p, j]` accumulated with FMA in
/// ascending `p`, whichever code path (row block, single row, vector or scalar
/// column) computes it. So a row's result never depends on how many rows are in
/// the batch: the basis of deterministic batching.
///
/// The two products run in C (the CKernels target), built twice: for AVX2 +
/// FMA by a per-function attribute, and for the default target, which does the
/// same fused operations in the same order; the CPU's feature bits choose at
/// the first call. Swift's `SIMD8.addProduct` is fast only in a module
/// compiled with `-target-cpu haswell`, an unsafe flag that a package
/// depending on this one by version cannot pass; on the default x86-64 target
/// it becomes one `fmaf` call per lane. `Kernels.Reference` holds the scalar
/// definitions both builds are tested against.
public enum Kernels {
    /// `c[m, n] = a[m, k] · b[k, n] + bias[n]`, all row-major.
    ///
    /// Register-blocked: 4 rows × 16 columns (8 AVX2 accumulators) per step, so
    /// eight independent FMA chains hide the FMA latency; for `n = 16`, `k = 104`
    /// (the output layer) this measured ~4× faster than one row at a time.
    /// Then 8-column and scalar columns, and leftover rows one at a time.
    public static func matmulBias(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int
    ) {
        ckernels_matmul_bias(a, b, bias, c, m, n, k)
    }

    /// `out[0..<width] = bias + Σᵢ values[i] · matrix[indices[i], 0..<width]`,
    /// `matrix` row-major with row stride `width`: the input layer, over an
    /// image's non-zero pixels (`nonZeroPixels`) or a row's non-zero inputs
    /// (`nonZeros`).
    ///
    /// Columns go in blocks of twelve 8-lane accumulators and, for a block of
    /// 100 or 104 columns, a thirteenth of 4 or 8 lanes (with the broadcast, 14
    /// of AVX2's 16 registers): the shipped padded width (104) and the
    /// trainer's hidden layer (100) are each one pass over the terms. Other
    /// columns take single 8-lane, 4-lane and scalar accumulators. All add in
    /// ascending `i` with FMA, so the blocking never changes a result.
    public static func sparseRowTimesMatrix(
        indices: UnsafePointer<Int>, values: UnsafePointer<Float>, count: Int,
        matrix: UnsafePointer<Float>, width: Int, bias: UnsafePointer<Float>,
        into out: UnsafeMutablePointer<Float>
    ) {
        ckernels_sparse_row(indices, values, count, matrix, bias, out, width)
    }

    /// Applies `activation` in place to `count` values.
    public static func apply(_ activation: Activation, _ values: UnsafeMutablePointer<Float>, count: Int) {
        switch activation {
        case .identity: return
        case .relu:
            for i in 0..<count { values[i] = max(values[i], 0) }
        default:
            for i in 0..<count { values[i] = activation(values[i]) }
        }
    }
}

/// Plain scalar twins of `matmulBias`, `sparseRowTimesMatrix` and `nonZeroPixels`, on arrays:
/// the definitions the C kernels (both builds) are tested against, bit for
/// bit. Each element starts at its bias and adds one term at a time with
/// `addingProduct` (one rounding per term), in the kernels' order; there is no
/// blocking and no vector, so the order of operations can be read off the loop.
public extension Kernels {
    enum Reference {
        /// `c[m, n] = a[m, k] · b[k, n] + bias[n]`, terms in ascending `p`.
        public static func matmulBias(_ a: [Float], _ b: [Float], _ bias: [Float], m: Int, n: Int, k: Int) -> [Float] {
            precondition(a.count == m * k && b.count == k * n && bias.count == n, "shapes")
            var c = [Float](repeating: 0, count: m * n)
            for i in 0..<m {
                for j in 0..<n {
                    var sum = bias[j]
                    for p in 0..<k { sum = sum.addingProduct(a[i * k + p], b[p * n + j]) }
                    c[i * n + j] = sum
                }
            }
            return c
        }

        /// The positions and values of the non-zero pixels, in ascending position.
        public static func nonZeroPixels(_ pixels: [UInt8]) -> (indices: [Int], values: [Float]) {
            let positions = pixels.indices.filter { pixels[$0] != 0 }
            return (positions, positions.map { Float(pixels[$0]) })
        }

        /// `bias + Σₑ values[e] · matrix[indices[e], 0..<width]`, terms in
        /// ascending `e`.
        public static func sparseRowTimesMatrix(indices: [Int], values: [Float], matrix: [Float], width: Int,
                                                bias: [Float]) -> [Float] {
            precondition(indices.count == values.count && bias.count == width, "shapes")
            return (0..<width).map { j in
                var sum = bias[j]
                for (row, value) in zip(indices, values) { sum = sum.addingProduct(value, matrix[row * width + j]) }
                return sum
            }
        }
    }
}
