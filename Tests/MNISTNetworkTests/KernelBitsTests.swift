import CKernels
import Foundation
import MNISTNetwork
import Testing

/// The C kernels, both their AVX2 + FMA build and their default-target build,
/// against `Kernels.Reference` bit for bit, on shapes that reach every block:
/// 4 × 16 row blocks, 8-lane and scalar columns, leftover rows; sparse blocks
/// of 96, 100 and 104 columns and the 8-lane, 4-lane and scalar columns after.
@Suite struct KernelBitsTests {
    /// Values spread over a few binades, negative ones and exact zeros among them.
    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { index in
            let step = (index &* 2_654_435_761 &+ seed &* 97) % 1_000_003
            return step % 7 == 0 ? 0 : Float(step % 2001 - 1000) / Float(1 << (step % 9))
        }
    }

    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    @Test(arguments: [(1, 1, 1), (4, 16, 104), (13, 16, 104), (3, 10, 100), (6, 10, 100), (9, 104, 784),
                      (5, 100, 784), (4, 96, 100), (2, 24, 16), (7, 33, 7), (8, 40, 5), (1, 7, 784), (4, 8, 1)])
    func matmulBiasGivesTheReferenceBits(m: Int, n: Int, k: Int) {
        let a = Self.values(m * k, seed: 1), b = Self.values(k * n, seed: 2), bias = Self.values(n, seed: 3)
        let expected = Self.bits(Kernels.Reference.matmulBias(a, b, bias, m: m, n: n, k: k))
        var fast = [Float](repeating: .nan, count: m * n), portable = fast
        Kernels.matmulBias(a, b, bias, &fast, m: m, n: n, k: k)
        ckernels_matmul_bias_portable(a, b, bias, &portable, m, n, k)
        #expect(Self.bits(fast) == expected)
        #expect(Self.bits(portable) == expected)
    }

    @Test(arguments: [(104, 150), (104, 784), (100, 150), (96, 40), (200, 30), (196, 30), (192, 9), (10, 100),
                      (16, 50), (12, 20), (13, 20), (7, 11), (1, 3), (104, 0), (100, 1)])
    func sparseRowGivesTheReferenceBits(width: Int, count: Int) {
        let rows = max(count, 1) * 3
        let indices = (0..<count).map { ($0 * 3 + $0 % 3) % rows }  // mostly ascending, some repeats
        let values = Self.values(count, seed: 4), matrix = Self.values(rows * width, seed: 5)
        let bias = Self.values(width, seed: 6)
        let expected = Self.bits(Kernels.Reference.sparseRowTimesMatrix(indices: indices, values: values,
                                                                         matrix: matrix, width: width, bias: bias))
        var fast = [Float](repeating: .nan, count: width), portable = fast
        Kernels.sparseRowTimesMatrix(indices: indices, values: values, count: count, matrix: matrix, width: width,
                                     bias: bias, into: &fast)
        ckernels_sparse_row_portable(indices, values, count, matrix, bias, &portable, width)
        #expect(Self.bits(fast) == expected)
        #expect(Self.bits(portable) == expected)
    }

    /// Pixel rows that reach every part of the scan: all 256 ink patterns of
    /// an 8-pixel group (at every group of a 32-pixel block), empty and full
    /// blocks, and lengths that end inside a block or a group; plus every t10k
    /// image the package ships.
    static func pixelRows() -> [[UInt8]] {
        var rows: [[UInt8]] = [[], [7], [0, 0, 9], [UInt8](repeating: 0, count: 784), [UInt8](repeating: 255, count: 784)]
        for mask in 0..<256 {
            for group in 0..<4 {
                var row = [UInt8](repeating: 0, count: 64 + 13)
                for bit in 0..<8 where mask >> bit & 1 == 1 { row[32 + 8 * group + bit] = UInt8(1 + (mask * 31 + bit) % 255) }
                rows.append(row)
            }
        }
        for length in [1, 7, 8, 9, 31, 32, 33, 63, 100, 783] {
            rows.append((0..<length).map { UInt8(($0 * 37 + length) % 5 == 0 ? 0 : ($0 * 11) % 256) })
        }
        return rows
    }

    @Test func nonZeroPixelsGiveTheReferenceEntries() throws {
        var rows = Self.pixelRows()
        let images = try BatchClassifierTests.images(10_000)
        rows += (0..<10_000).map { Array(images[($0 * 784)..<(($0 + 1) * 784)]) }
        for row in rows {
            let expected = Kernels.Reference.nonZeroPixels(row)
            for fast in [true, false] {
                var indices = [Int](repeating: -1, count: row.count), values = [Float](repeating: .nan, count: row.count)
                let found = row.withUnsafeBufferPointer { pixels in
                    fast ? Kernels.nonZeroPixels(pixels.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: row.count,
                                                 indices: &indices, values: &values)
                         : ckernels_nonzero_pixels_portable(pixels.baseAddress, row.count, &indices, &values)
                }
                #expect(found == expected.indices.count, "\(fast ? "fast" : "portable"), \(row.count) pixels")
                #expect(Array(indices.prefix(found)) == expected.indices)
                #expect(Array(values.prefix(found)) == expected.values)
                if found != expected.indices.count { return }
            }
        }
    }

    /// `(1 + 2⁻¹²)² - (1 + 2⁻¹¹)` is exactly 2⁻²⁴ when the product is not
    /// rounded before the sum (FMA), and 0 when it is. Every column of every
    /// width below must be 2⁻²⁴: each block, vector and scalar, is fused.
    @Test(arguments: [1, 3, 4, 7, 8, 12, 16, 24, 96, 100, 104])
    func everyPathFusesTheMultiplyAndTheAdd(width: Int) {
        let x: Float = 0x1.001p0, rows = 5
        let a = [Float](repeating: x, count: rows), b = [Float](repeating: x, count: width)
        let bias = [Float](repeating: -0x1.002p0, count: width)
        let expected = [Float](repeating: 0x1p-24, count: rows * width)
        var fast = [Float](repeating: .nan, count: rows * width), portable = fast
        Kernels.matmulBias(a, b, bias, &fast, m: rows, n: width, k: 1)
        ckernels_matmul_bias_portable(a, b, bias, &portable, rows, width, 1)
        #expect(fast == expected)
        #expect(portable == expected)
        var sparseFast = [Float](repeating: .nan, count: width), sparsePortable = sparseFast
        Kernels.sparseRowTimesMatrix(indices: [0], values: [x], count: 1, matrix: b, width: width, bias: bias,
                                     into: &sparseFast)
        ckernels_sparse_row_portable([0], [x], 1, b, bias, &sparsePortable, width)
        #expect(sparseFast == Array(expected.prefix(width)))
        #expect(sparsePortable == Array(expected.prefix(width)))
    }

    /// The kernels report the build they run; on an x86-64 Linux CPU with AVX2
    /// and FMA (any since 2013), that is the fast one.
    @Test func theFastPathIsChosenWhereTheCPUHasIt() throws {
        let chosen = ckernels_has_avx2_fma()
        print("CKernels: \(chosen == 1 ? "AVX2 + FMA" : "default-target") build")
        #expect(chosen == 0 || chosen == 1)
        #expect(ckernels_has_avx2_fma() == chosen)
        #if arch(x86_64) && os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }.map {
            Set($0.split(separator: " ").map(String.init))
        } ?? []
        #expect(chosen == (flags.contains("avx2") && flags.contains("fma") ? 1 : 0))
        #elseif !arch(x86_64)
        #expect(chosen == 0)
        #endif
    }
}
