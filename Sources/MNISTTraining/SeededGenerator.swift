/// xoshiro256** seeded through SplitMix64: the trainer's only source of randomness.
///
/// Why our own generator: `SystemRandomNumberGenerator` cannot be seeded, and the
/// standard library documents neither the algorithm behind `shuffle(using:)` nor
/// `Float.random(in:using:)`, so either could change between Swift releases and
/// silently change the shipped weights. Everything random in training (initial
/// weights, epoch order, augmentation) is derived here from the recipe's seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Expands `seed` with SplitMix64, as the xoshiro authors recommend, so that
    /// nearby seeds (0, 1, 2, ...) still give unrelated streams.
    public init(seed: UInt64) {
        var mixer = seed
        state = (Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer))
    }

    /// An independent stream for one purpose (`stream`) and one item (`index`),
    /// e.g. the augmentation of one image in one epoch. Deriving a generator per
    /// item, instead of sharing one across threads, is what makes parallel work
    /// independent of which thread does it.
    public init(seed: UInt64, stream: UInt64, index: UInt64 = 0) {
        var mixer = seed
        _ = Self.splitMix(&mixer)
        var key = Self.splitMix(&mixer) ^ (stream &* 0xD1B5_4A32_D192_ED03)
        key = Self.splitMix(&key) ^ (index &* 0x8CB9_2BA7_2F3D_8DD7)
        self.init(seed: key)
    }

    @inline(__always)
    static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    @inline(__always)
    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in `[0, 1)` with 24 random bits, exactly representable in Float.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in `[-magnitude, magnitude)`.
    public mutating func symmetric(_ magnitude: Float) -> Float {
        (nextUnitFloat() * 2 - 1) * magnitude
    }

    /// Uniform integer in `0..<bound` by rejection, so there is no modulo bias.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let limit = UInt64(bound)
        let threshold = (0 &- limit) % limit
        while true {
            let value = next()
            if value >= threshold { return Int(value % limit) }
        }
    }

    /// Standard normal by Box–Muller in Double (used only at initialisation).
    public mutating func nextNormal() -> Double {
        let u1 = (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)  // (0, 1]
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return (-2 * _logDouble(u1)).squareRoot() * _cosDouble(2 * Double.pi * u2)
    }

    /// Fisher–Yates with `nextInt(below:)`: a documented, stable permutation.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(i, nextInt(below: i + 1))
        }
    }
}

import Glibc

@inline(__always) private func _logDouble(_ x: Double) -> Double { log(x) }
@inline(__always) private func _cosDouble(_ x: Double) -> Double { cos(x) }
