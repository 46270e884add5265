/// The input-layer kernel: MNIST images are about 81% zero pixels, so the first
/// layer is computed as a sparse row times a dense matrix, visiting only the
/// non-zero pixels. This does about a fifth of the dense product's work and
/// gives the same result up to float rounding order (zero terms add exactly 0).
extension Kernels {
    /// Writes the positions and values of the non-zero bytes of `pixels[0..<count]`;
    /// returns how many there are. Positions are ascending, so the sum order is
    /// fixed by the image alone.
    ///
    /// Scans 8 bytes at a time: MNIST's zeros come in long runs (the border), so
    /// most words are skipped with one compare.
    @inlinable
    public static func nonZeroPixels(
        _ pixels: UnsafePointer<UInt8>, count: Int,
        indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>
    ) -> Int {
        var found = 0
        var position = 0
        let raw = UnsafeRawPointer(pixels)
        while position + 8 <= count {
            var word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            if word != 0 {
                // Branch-free compaction: always store, advance only past non-zero bytes
                // (the buffers have room for every pixel). Mispredicted branches on
                // ink/no-ink cost more than the extra stores.
                for offset in position..<(position + 8) {
                    let byte = UInt8(truncatingIfNeeded: word)
                    indices[found] = Int32(truncatingIfNeeded: offset)
                    values[found] = Float(byte)
                    found &+= byte == 0 ? 0 : 1
                    word >>= 8
                }
            }
            position += 8
        }
        for offset in position..<count where pixels[offset] != 0 {
            indices[found] = Int32(truncatingIfNeeded: offset)
            values[found] = Float(pixels[offset])
            found += 1
        }
        return found
    }

    /// `out[0..<width] = bias + Σᵢ values[i] · matrix[indices[i], 0..<width]`.
    ///
    /// `matrix` is row-major with row stride `width`, a multiple of 8. The columns
    /// are split into blocks of 8, 4, 2 and 1 `SIMD8<Float>` so each block's
    /// accumulators stay in registers (8 of AVX2's 16) across the pixel list.
    /// Named `SIMD8` accumulators, not `SIMD64`: Swift lowers the wide generic
    /// types through the stack (measured: 100× slower).
    public static func sparseRowTimesMatrix(
        indices: UnsafePointer<Int32>, values: UnsafePointer<Float>, count: Int,
        matrix: UnsafePointer<Float>, width: Int, bias: UnsafePointer<Float>,
        into out: UnsafeMutablePointer<Float>
    ) {
        precondition(width % 8 == 0, "width must be padded to a multiple of 8")
        if width == 104 {
            return sparseRowTimesMatrix104(indices: indices, values: values, count: count,
                                           matrix: matrix, bias: bias, into: out)
        }
        let rowBytes = width &* 4
        var column = 0
        while width - column >= 64 {
            let b = UnsafeRawPointer(bias + column), base = UnsafeRawPointer(matrix + column)
            var a0 = b.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self)
            var a1 = b.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            var a2 = b.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            var a3 = b.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            var a4 = b.loadUnaligned(fromByteOffset: 128, as: SIMD8<Float>.self)
            var a5 = b.loadUnaligned(fromByteOffset: 160, as: SIMD8<Float>.self)
            var a6 = b.loadUnaligned(fromByteOffset: 192, as: SIMD8<Float>.self)
            var a7 = b.loadUnaligned(fromByteOffset: 224, as: SIMD8<Float>.self)
            for i in 0..<count {
                let row = base + Int(indices[i]) &* rowBytes
                let v = SIMD8<Float>(repeating: values[i])
                a0.addProduct(v, row.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self))
                a1.addProduct(v, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                a2.addProduct(v, row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                a3.addProduct(v, row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
                a4.addProduct(v, row.loadUnaligned(fromByteOffset: 128, as: SIMD8<Float>.self))
                a5.addProduct(v, row.loadUnaligned(fromByteOffset: 160, as: SIMD8<Float>.self))
                a6.addProduct(v, row.loadUnaligned(fromByteOffset: 192, as: SIMD8<Float>.self))
                a7.addProduct(v, row.loadUnaligned(fromByteOffset: 224, as: SIMD8<Float>.self))
            }
            let o = UnsafeMutableRawPointer(out + column)
            o.storeBytes(of: a0, toByteOffset: 0, as: SIMD8<Float>.self)
            o.storeBytes(of: a1, toByteOffset: 32, as: SIMD8<Float>.self)
            o.storeBytes(of: a2, toByteOffset: 64, as: SIMD8<Float>.self)
            o.storeBytes(of: a3, toByteOffset: 96, as: SIMD8<Float>.self)
            o.storeBytes(of: a4, toByteOffset: 128, as: SIMD8<Float>.self)
            o.storeBytes(of: a5, toByteOffset: 160, as: SIMD8<Float>.self)
            o.storeBytes(of: a6, toByteOffset: 192, as: SIMD8<Float>.self)
            o.storeBytes(of: a7, toByteOffset: 224, as: SIMD8<Float>.self)
            column += 64
        }
        while width - column >= 32 {
            let b = UnsafeRawPointer(bias + column), base = UnsafeRawPointer(matrix + column)
            var a0 = b.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self)
            var a1 = b.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            var a2 = b.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            var a3 = b.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            for i in 0..<count {
                let row = base + Int(indices[i]) &* rowBytes
                let v = SIMD8<Float>(repeating: values[i])
                a0.addProduct(v, row.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self))
                a1.addProduct(v, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                a2.addProduct(v, row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                a3.addProduct(v, row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
            }
            let o = UnsafeMutableRawPointer(out + column)
            o.storeBytes(of: a0, toByteOffset: 0, as: SIMD8<Float>.self)
            o.storeBytes(of: a1, toByteOffset: 32, as: SIMD8<Float>.self)
            o.storeBytes(of: a2, toByteOffset: 64, as: SIMD8<Float>.self)
            o.storeBytes(of: a3, toByteOffset: 96, as: SIMD8<Float>.self)
            column += 32
        }
        while column < width {
            let base = UnsafeRawPointer(matrix + column)
            var a0 = UnsafeRawPointer(bias + column).loadUnaligned(as: SIMD8<Float>.self)
            for i in 0..<count {
                let row = base + Int(indices[i]) &* rowBytes
                a0.addProduct(SIMD8<Float>(repeating: values[i]), row.loadUnaligned(as: SIMD8<Float>.self))
            }
            UnsafeMutableRawPointer(out + column).storeBytes(of: a0, as: SIMD8<Float>.self)
            column += 8
        }
    }
}
