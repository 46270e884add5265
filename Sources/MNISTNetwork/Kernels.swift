/// Vectorised building blocks shared by inference and training. Each has a
/// plain scalar twin in `Kernels+Reference.swift` that tests compare against.
public enum Kernels {
    /// `c[m, n] = a[m, k] · b[k, n] + bias[n]`, all row-major.
    ///
    /// Rows of `c` are computed independently, so the result of a row never
    /// depends on `m` (batch size) — the basis of deterministic batching.
    public static func matmulBias(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int
    ) {
        // Simple SIMD row-times-matrix; the specialised input-layer kernel is elsewhere.
        let vectorEnd = n & ~7
        for i in 0..<m {
            let row = c + i * n
            var j = 0
            while j < vectorEnd {
                var acc = UnsafeRawPointer(bias + j).loadUnaligned(as: SIMD8<Float>.self)
                for p in 0..<k {
                    let w = UnsafeRawPointer(b + p * n + j).loadUnaligned(as: SIMD8<Float>.self)
                    acc.addProduct(SIMD8(repeating: a[i * k + p]), w)
                }
                UnsafeMutableRawPointer(row + j).storeBytes(of: acc, as: SIMD8<Float>.self)
                j += 8
            }
            while j < n {
                var acc = bias[j]
                for p in 0..<k { acc = acc.addingProduct(a[i * k + p], b[p * n + j]) }
                row[j] = acc
                j += 1
            }
        }
    }

    /// Applies `activation` in place to `count` values.
    public static func apply(_ activation: Activation, _ values: UnsafeMutablePointer<Float>, count: Int) {
        switch activation {
        case .identity: return
        case .relu:
            for i in 0..<count where values[i] < 0 { values[i] = 0 }
        default:
            for i in 0..<count { values[i] = activation(values[i]) }
        }
    }
}
