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
        indices: UnsafeMutablePointer<Int>, values: UnsafeMutablePointer<Float>
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
                    indices[found] = offset
                    values[found] = Float(byte)
                    found &+= byte == 0 ? 0 : 1
                    word >>= 8
                }
            }
            position += 8
        }
        for offset in position..<count where pixels[offset] != 0 {
            indices[found] = offset
            values[found] = Float(pixels[offset])
            found += 1
        }
        return found
    }

    /// `out[0..<width] = bias + Σᵢ values[i] · matrix[indices[i], 0..<width]`,
    /// `matrix` row-major with row stride `width`. The shipped padded width
    /// (104 = 13 × 8) is one pass of 13 accumulators; other widths go through
    /// the trainer's `sparseRow`. Both add in ascending `i` with FMA, so they
    /// agree bit for bit.
    public static func sparseRowTimesMatrix(
        indices: UnsafePointer<Int>, values: UnsafePointer<Float>, count: Int,
        matrix: UnsafePointer<Float>, width: Int, bias: UnsafePointer<Float>,
        into out: UnsafeMutablePointer<Float>
    ) {
        if width == 104 {
            sparseBlock96(indices, values, count, matrix, bias, out, n: 104, at: 0, tail: 8)
        } else {
            sparseRow(indices, values, count, matrix, bias, out, n: width)
        }
    }
}
