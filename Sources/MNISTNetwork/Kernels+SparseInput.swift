import CKernels

/// Finding the non-zero entries of an input: MNIST images are about 81% zero
/// pixels (also after augmentation), so the first layer is computed as a
/// sparse row times a dense matrix (`sparseRowTimesMatrix`), visiting only the
/// non-zero pixels: about a fifth of the dense product's work.
///
/// The skipped terms are `0·b[p, j]`, which leave an FMA's accumulator
/// unchanged, and the entries are listed in ascending position. So the result
/// is the dense `matmulBias`'s bits (up to the sign of a zero), and trained
/// weights do not depend on which kernel ran.
extension Kernels {
    /// Writes the positions and values of the non-zero bytes of `pixels[0..<count]`;
    /// returns how many there are. Positions are ascending, so the sum order is
    /// fixed by the image alone. `indices` and `values` must have room for
    /// `count` entries.
    ///
    /// In C (`ckernels_nonzero_pixels`), like the products: with AVX2, 32 pixels
    /// per compare, and in a block with ink each group of 8 packed by a lane
    /// permutation, with no branch on a single pixel; elsewhere 8 pixels per
    /// compare.
    /// `Kernels.Reference.nonZeroPixels` is the definition both are tested against.
    public static func nonZeroPixels(
        _ pixels: UnsafePointer<UInt8>, count: Int,
        indices: UnsafeMutablePointer<Int>, values: UnsafeMutablePointer<Float>
    ) -> Int {
        ckernels_nonzero_pixels(pixels, count, indices, values)
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

    /// `c = a·b + bias` for an `a` that is mostly exact zeros (MNIST pixels,
    /// also after augmentation): the trainer's input layer, row by row through
    /// `nonZeros` and `sparseRowTimesMatrix`.
    public static func matmulBiasSkippingZeros(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int
    ) {
        let indices = UnsafeMutablePointer<Int>.allocate(capacity: k)
        let values = UnsafeMutablePointer<Float>.allocate(capacity: k)
        defer { indices.deallocate(); values.deallocate() }
        for i in 0..<m {
            let found = nonZeros(a + i * k, count: k, indices: indices, values: values)
            sparseRowTimesMatrix(indices: indices, values: values, count: found, matrix: b, width: n, bias: bias,
                                 into: c + i * n)
        }
    }
}
