import Testing
import MNISTNetwork

/// The register-blocked matrix product against plain loops, on shapes that hit
/// every path: 4-row blocks, leftover rows, 16- and 8-wide columns, scalar columns.
@Suite struct KernelTests {
    static func reference(_ a: [Float], _ b: [Float], _ bias: [Float], m: Int, n: Int, k: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n {
            var sum = Double(bias[j])
            for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[p * n + j]) }
            c[i * n + j] = Float(sum)
        } }
        return c
    }

    @Test(arguments: [(1, 1, 1), (5, 21, 13), (4, 16, 104), (9, 104, 784), (3, 10, 100), (8, 40, 7)])
    func matmulBiasMatchesPlainLoops(m: Int, n: Int, k: Int) {
        let a = (0..<(m * k)).map { Float(($0 * 37) % 101) / 50 - 1 }
        let b = (0..<(k * n)).map { Float(($0 * 53) % 97) / 48 - 1 }
        let bias = (0..<n).map { Float($0) / 10 }
        var c = [Float](repeating: .nan, count: m * n)
        Kernels.matmulBias(a, b, bias, &c, m: m, n: n, k: k)
        let expected = Self.reference(a, b, bias, m: m, n: n, k: k)
        let largest = zip(c, expected).map { abs($0 - $1) / max(1, abs($1)) }.max()!
        print("matmulBias \(m)×\(k)·\(k)×\(n): largest relative difference \(largest)")
        #expect(largest < 1e-5)
    }

    @Test func rowResultsDoNotDependOnTheNumberOfRows() {
        let (n, k) = (24, 50)
        let a = (0..<(7 * k)).map { Float(($0 * 31) % 89) / 44 - 1 }
        let b = (0..<(k * n)).map { Float(($0 * 17) % 83) / 41 - 1 }
        let bias = [Float](repeating: 0.25, count: n)
        var all = [Float](repeating: 0, count: 7 * n)
        Kernels.matmulBias(a, b, bias, &all, m: 7, n: n, k: k)
        for row in 0..<7 {
            var one = [Float](repeating: 0, count: n)
            Array(a[(row * k)..<((row + 1) * k)]).withUnsafeBufferPointer { single in
                Kernels.matmulBias(single.baseAddress!, b, bias, &one, m: 1, n: n, k: k)
            }
            #expect(one == Array(all[(row * n)..<((row + 1) * n)]), "row \(row)")
        }
    }
}

/// The zero-skipping product gives exactly the dense kernel's bits.
@Suite struct SparseInputKernelTests {
    @Test(arguments: [(16, 100, 784), (5, 10, 100), (3, 200, 50), (2, 7, 9), (4, 12, 30), (2, 196, 20), (3, 104, 40)])
    func skippingZerosGivesTheDenseResultBitForBit(m: Int, n: Int, k: Int) {
        // About 80% zeros, like MNIST pixels.
        let a: [Float] = (0..<(m * k)).map { (index: Int) -> Float in
            index % 5 == 0 ? Float((index * 37) % 101) / 101 : 0
        }
        let b = (0..<(k * n)).map { Float(($0 * 53) % 97) / 48 - 1 }
        let bias = (0..<n).map { Float($0) / 10 - 3 }
        var dense = [Float](repeating: .nan, count: m * n), sparse = dense
        Kernels.matmulBias(a, b, bias, &dense, m: m, n: n, k: k)
        Kernels.matmulBiasSkippingZeros(a, b, bias, &sparse, m: m, n: n, k: k)
        #expect(sparse == dense)
    }

    /// The eight-at-a-time scan finds exactly the entries a plain filter does,
    /// in order: runs of zeros, -0 (a zero), NaN (not one), ragged lengths.
    @Test(arguments: [0, 1, 7, 8, 9, 100, 784])
    func nonZerosAreFoundInOrder(count: Int) {
        let pattern: [Float] = [0, 0, 0, 0, 0, 0, 0, 0, 0.5, -0.0, 0, .nan, 3, 0, 0, 0, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        let x = (0..<count).map { pattern[$0 % pattern.count] }  // 27 long: every alignment of its zero runs
        var indices = [Int](repeating: -1, count: count), values = [Float](repeating: 0, count: count)
        let found = Kernels.nonZeros(x, count: count, indices: &indices, values: &values)
        let expected = x.indices.filter { x[$0] != 0 }
        #expect(Array(indices.prefix(found)) == expected)
        #expect(values.prefix(found).map(\.bitPattern) == expected.map { x[$0].bitPattern })
    }
}
