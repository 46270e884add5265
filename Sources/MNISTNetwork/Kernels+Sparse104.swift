/// The shipped network's input layer (100 hidden units, padded to 104 = 13 × 8)
/// in a single pass: 13 `SIMD8` accumulators plus the broadcast pixel use 14 of
/// AVX2's 16 registers, so each non-zero pixel costs 13 FMAs with no dependency
/// stalls. The generic `sparseRow` would take 96 + 8 columns in two passes, the
/// second one waiting on FMA latency (4 cycles per pixel).
extension Kernels {
    static func sparseRowTimesMatrix104(
        indices: UnsafePointer<Int>, values: UnsafePointer<Float>, count: Int,
        matrix: UnsafePointer<Float>, bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        typealias V = SIMD8<Float>
        let b = UnsafeRawPointer(bias), base = UnsafeRawPointer(matrix)
        var a0 = b.loadUnaligned(fromByteOffset: 0, as: V.self), a1 = b.loadUnaligned(fromByteOffset: 32, as: V.self)
        var a2 = b.loadUnaligned(fromByteOffset: 64, as: V.self), a3 = b.loadUnaligned(fromByteOffset: 96, as: V.self)
        var a4 = b.loadUnaligned(fromByteOffset: 128, as: V.self), a5 = b.loadUnaligned(fromByteOffset: 160, as: V.self)
        var a6 = b.loadUnaligned(fromByteOffset: 192, as: V.self), a7 = b.loadUnaligned(fromByteOffset: 224, as: V.self)
        var a8 = b.loadUnaligned(fromByteOffset: 256, as: V.self), a9 = b.loadUnaligned(fromByteOffset: 288, as: V.self)
        var a10 = b.loadUnaligned(fromByteOffset: 320, as: V.self), a11 = b.loadUnaligned(fromByteOffset: 352, as: V.self)
        var a12 = b.loadUnaligned(fromByteOffset: 384, as: V.self)
        for i in 0..<count {
            let row = base + indices[i] &* 416
            let v = V(repeating: values[i])
            a0.addProduct(v, row.loadUnaligned(fromByteOffset: 0, as: V.self))
            a1.addProduct(v, row.loadUnaligned(fromByteOffset: 32, as: V.self))
            a2.addProduct(v, row.loadUnaligned(fromByteOffset: 64, as: V.self))
            a3.addProduct(v, row.loadUnaligned(fromByteOffset: 96, as: V.self))
            a4.addProduct(v, row.loadUnaligned(fromByteOffset: 128, as: V.self))
            a5.addProduct(v, row.loadUnaligned(fromByteOffset: 160, as: V.self))
            a6.addProduct(v, row.loadUnaligned(fromByteOffset: 192, as: V.self))
            a7.addProduct(v, row.loadUnaligned(fromByteOffset: 224, as: V.self))
            a8.addProduct(v, row.loadUnaligned(fromByteOffset: 256, as: V.self))
            a9.addProduct(v, row.loadUnaligned(fromByteOffset: 288, as: V.self))
            a10.addProduct(v, row.loadUnaligned(fromByteOffset: 320, as: V.self))
            a11.addProduct(v, row.loadUnaligned(fromByteOffset: 352, as: V.self))
            a12.addProduct(v, row.loadUnaligned(fromByteOffset: 384, as: V.self))
        }
        let o = UnsafeMutableRawPointer(out)
        o.storeBytes(of: a0, toByteOffset: 0, as: V.self); o.storeBytes(of: a1, toByteOffset: 32, as: V.self)
        o.storeBytes(of: a2, toByteOffset: 64, as: V.self); o.storeBytes(of: a3, toByteOffset: 96, as: V.self)
        o.storeBytes(of: a4, toByteOffset: 128, as: V.self); o.storeBytes(of: a5, toByteOffset: 160, as: V.self)
        o.storeBytes(of: a6, toByteOffset: 192, as: V.self); o.storeBytes(of: a7, toByteOffset: 224, as: V.self)
        o.storeBytes(of: a8, toByteOffset: 256, as: V.self); o.storeBytes(of: a9, toByteOffset: 288, as: V.self)
        o.storeBytes(of: a10, toByteOffset: 320, as: V.self); o.storeBytes(of: a11, toByteOffset: 352, as: V.self)
        o.storeBytes(of: a12, toByteOffset: 384, as: V.self)
    }
}
