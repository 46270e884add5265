/// `c = a·b + bias` for an `a` that is mostly exact zeros (MNIST pixels, also
/// after augmentation): the trainer's input layer.
///
/// Each output element is still `bias[j] + Σₚ a[i, p]·b[p, j]` with FMA in
/// ascending `p`; the skipped terms are `0·b[p, j]`, which leave an FMA's
/// accumulator unchanged. So the result is the same as `matmulBias` (up to the
/// sign of a zero), and trained weights do not depend on which kernel ran.
extension Kernels {
    public static func matmulBiasSkippingZeros(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int
    ) {
        let indices = UnsafeMutablePointer<Int>.allocate(capacity: k)
        let values = UnsafeMutablePointer<Float>.allocate(capacity: k)
        defer { indices.deallocate(); values.deallocate() }
        for i in 0..<m {
            let found = nonZeros(a + i * k, count: k, indices: indices, values: values)
            sparseRow(indices, values, found, b, bias, c + i * n, n: n)
        }
    }

    /// The non-zero entries of `x[count]`, in order, into `indices` and `values`;
    /// returns how many. Eight at a time: a run of zeros (most of a digit's
    /// background) costs one comparison, and inside a group the entries are
    /// kept without a branch, since whether a pixel is zero is unpredictable.
    public static func nonZeros(_ x: UnsafePointer<Float>, count: Int,
                                indices: UnsafeMutablePointer<Int>, values: UnsafeMutablePointer<Float>) -> Int {
        var found = 0, i = 0
        while i + 8 <= count {
            if any(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) .!= 0) {
                for lane in i..<(i + 8) {
                    indices[found] = lane
                    values[found] = x[lane]
                    found += x[lane] != 0 ? 1 : 0
                }
            }
            i += 8
        }
        while i < count {
            indices[found] = i
            values[found] = x[i]
            found += x[i] != 0 ? 1 : 0
            i += 1
        }
        return found
    }

    /// One output row, `out[0..<n] = bias + Σₑ values[e] · b[indices[e], 0..<n]`:
    /// column blocks of 12 `SIMD8` accumulators (12 + the broadcast fit AVX2's
    /// 16 registers), a block of 100 with a thirteenth, `SIMD4`, accumulator for
    /// its last four columns, then single-accumulator `SIMD8`, `SIMD4` and
    /// scalar columns. Every column adds its terms in order with FMA, whichever
    /// block it falls in. Shared with the inference kernel's widths other than 104.
    ///
    /// The 100 block is the trainer's hidden layer: its four last columns went
    /// through the scalar loop, one dependent FMA chain per column, which took
    /// longer than the other 96 together.
    @inline(__always)
    static func sparseRow(
        _ indices: UnsafePointer<Int>, _ values: UnsafePointer<Float>, _ count: Int,
        _ b: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, n: Int
    ) {
        typealias V = SIMD8<Float>
        var j = 0
        while n - j >= 96 {
            if n - j == 100 {
                sparseBlock96(indices, values, count, b, bias, out, n: n, at: j, tail: 4)
                j += 100
            } else {
                sparseBlock96(indices, values, count, b, bias, out, n: n, at: j, tail: 0)
                j += 96
            }
        }
        while n - j >= 8 {
            var acc = UnsafeRawPointer(bias + j).loadUnaligned(as: V.self)
            for e in 0..<count {
                acc.addProduct(V(repeating: values[e]), UnsafeRawPointer(b + indices[e] * n + j).loadUnaligned(as: V.self))
            }
            UnsafeMutableRawPointer(out + j).storeBytes(of: acc, as: V.self)
            j += 8
        }
        if n - j >= 4 {
            var acc = UnsafeRawPointer(bias + j).loadUnaligned(as: SIMD4<Float>.self)
            for e in 0..<count {
                acc.addProduct(SIMD4(repeating: values[e]), UnsafeRawPointer(b + indices[e] * n + j).loadUnaligned(as: SIMD4<Float>.self))
            }
            UnsafeMutableRawPointer(out + j).storeBytes(of: acc, as: SIMD4<Float>.self)
            j += 4
        }
        while j < n {
            var acc = bias[j]
            for e in 0..<count { acc = acc.addingProduct(values[e], b[indices[e] * n + j]) }
            out[j] = acc
            j += 1
        }
    }

    /// Columns `at..<at + 96 + tail` of `sparseRow` (`tail` 0, 4 or 8) in one
    /// pass over the terms: twelve `SIMD8` accumulators and a thirteenth of
    /// `tail` lanes; with the broadcast that is 14 of AVX2's 16 registers.
    /// Called with a constant `tail`, so each call site compiles to its own loop.
    @inline(__always)
    static func sparseBlock96(
        _ indices: UnsafePointer<Int>, _ values: UnsafePointer<Float>, _ count: Int,
        _ b: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
        n: Int, at j: Int, tail: Int
    ) {
        typealias V = SIMD8<Float>
        let bb = UnsafeRawPointer(bias + j)
        var a0 = bb.loadUnaligned(fromByteOffset: 0, as: V.self)
        var a1 = bb.loadUnaligned(fromByteOffset: 32, as: V.self)
        var a2 = bb.loadUnaligned(fromByteOffset: 64, as: V.self)
        var a3 = bb.loadUnaligned(fromByteOffset: 96, as: V.self)
        var a4 = bb.loadUnaligned(fromByteOffset: 128, as: V.self)
        var a5 = bb.loadUnaligned(fromByteOffset: 160, as: V.self)
        var a6 = bb.loadUnaligned(fromByteOffset: 192, as: V.self)
        var a7 = bb.loadUnaligned(fromByteOffset: 224, as: V.self)
        var a8 = bb.loadUnaligned(fromByteOffset: 256, as: V.self)
        var a9 = bb.loadUnaligned(fromByteOffset: 288, as: V.self)
        var a10 = bb.loadUnaligned(fromByteOffset: 320, as: V.self)
        var a11 = bb.loadUnaligned(fromByteOffset: 352, as: V.self)
        var t4 = tail == 4 ? bb.loadUnaligned(fromByteOffset: 384, as: SIMD4<Float>.self) : SIMD4()
        var t8 = tail == 8 ? bb.loadUnaligned(fromByteOffset: 384, as: V.self) : V()
        for e in 0..<count {
            let row = UnsafeRawPointer(b + (indices[e] &* n &+ j))
            let x = V(repeating: values[e])
            a0.addProduct(x, row.loadUnaligned(fromByteOffset: 0, as: V.self))
            a1.addProduct(x, row.loadUnaligned(fromByteOffset: 32, as: V.self))
            a2.addProduct(x, row.loadUnaligned(fromByteOffset: 64, as: V.self))
            a3.addProduct(x, row.loadUnaligned(fromByteOffset: 96, as: V.self))
            a4.addProduct(x, row.loadUnaligned(fromByteOffset: 128, as: V.self))
            a5.addProduct(x, row.loadUnaligned(fromByteOffset: 160, as: V.self))
            a6.addProduct(x, row.loadUnaligned(fromByteOffset: 192, as: V.self))
            a7.addProduct(x, row.loadUnaligned(fromByteOffset: 224, as: V.self))
            a8.addProduct(x, row.loadUnaligned(fromByteOffset: 256, as: V.self))
            a9.addProduct(x, row.loadUnaligned(fromByteOffset: 288, as: V.self))
            a10.addProduct(x, row.loadUnaligned(fromByteOffset: 320, as: V.self))
            a11.addProduct(x, row.loadUnaligned(fromByteOffset: 352, as: V.self))
            if tail == 4 { t4.addProduct(x.lowHalf, row.loadUnaligned(fromByteOffset: 384, as: SIMD4<Float>.self)) }
            if tail == 8 { t8.addProduct(x, row.loadUnaligned(fromByteOffset: 384, as: V.self)) }
        }
        let o = UnsafeMutableRawPointer(out + j)
        o.storeBytes(of: a0, toByteOffset: 0, as: V.self)
        o.storeBytes(of: a1, toByteOffset: 32, as: V.self)
        o.storeBytes(of: a2, toByteOffset: 64, as: V.self)
        o.storeBytes(of: a3, toByteOffset: 96, as: V.self)
        o.storeBytes(of: a4, toByteOffset: 128, as: V.self)
        o.storeBytes(of: a5, toByteOffset: 160, as: V.self)
        o.storeBytes(of: a6, toByteOffset: 192, as: V.self)
        o.storeBytes(of: a7, toByteOffset: 224, as: V.self)
        o.storeBytes(of: a8, toByteOffset: 256, as: V.self)
        o.storeBytes(of: a9, toByteOffset: 288, as: V.self)
        o.storeBytes(of: a10, toByteOffset: 320, as: V.self)
        o.storeBytes(of: a11, toByteOffset: 352, as: V.self)
        if tail == 4 { o.storeBytes(of: t4, toByteOffset: 384, as: SIMD4<Float>.self) }
        if tail == 8 { o.storeBytes(of: t8, toByteOffset: 384, as: V.self) }
    }
}
