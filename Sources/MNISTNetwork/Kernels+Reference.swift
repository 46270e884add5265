/// Plain scalar twins of `matmulBias` and `sparseRowTimesMatrix`, on arrays:
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
