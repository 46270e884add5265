import Glibc

/// McNemar's exact test: did two classifiers scored on the same images differ
/// in accuracy, or is the difference noise?
///
/// Only the discordant images carry evidence: `b` right for one and wrong for
/// the other, `c` the other way round. If both are equally good, each of the
/// `n = b + c` discordant images is equally likely to fall either way, so
/// `min(b, c)` follows Binomial(n, 1/2). The exact two-sided p-value is
///
///     p = min(1, 2 · P(X ≤ min(b, c))),   X ~ Binomial(n, 1/2)
///
/// (b = 0, c = 5 gives 2/32 = 0.0625; b = 1, c = 9 gives 22/1024).
///
/// Up to `exactLimit` discordant images the binomial coefficients are summed
/// as integers, so the p-value is the exact fraction correctly rounded (a
/// p-value equal to an alpha compares equal). Above, it is computed without
/// overflow for any counts an IDX file can hold (up to 2³¹ − 1 each): the
/// largest term `P(X = m)` is found in log space, and the smaller ones from it
/// by the ratio `P(X = k − 1) / P(X = k) = k / (n − k + 1)`, summed from the
/// tail inward until what is left cannot change the sum.
public enum McNemar {
    /// The most discordant images summed in integers: C(60, k) for k < 30
    /// times 60 stays below 2⁶⁴, and the sum below 2⁶⁰.
    static let exactLimit = 60

    /// The exact two-sided p-value for `b` and `c` discordant images, in 0...1.
    /// Symmetric in `b` and `c`; 1 when they are equal, or when nothing is
    /// discordant (no evidence either way).
    public static func exactPValue(_ b: Int, _ c: Int) -> Double {
        precondition(b >= 0 && c >= 0, "counts must not be negative")
        let n = b + c, m = min(b, c)
        // m = n/2 (n even) or (n − 1)/2 (n odd): the lower tail holds at least
        // half of the distribution, and twice it is at least 1.
        if 2 * m + 1 >= n { return 1 }
        if n <= exactLimit {
            var coefficient: UInt64 = 1, sum: UInt64 = 1
            for k in 0..<m {
                coefficient = coefficient * UInt64(n - k) / UInt64(k + 1)
                sum += coefficient
            }
            return scalbn(Double(2 * sum), -n)
        }
        // Terms relative to P(X = m), from k = m down to 0. The ratios fall as
        // k falls, so once a term times r/(1 − r) (a bound on everything after
        // it, r being the last ratio) is below the sum's last bit, stop: at 2³²
        // discordant images that is about 230,000 terms (measured), not 2 billion.
        var term = 1.0, sum = 1.0, k = m
        while k > 0 {
            let ratio = Double(k) / Double(n - k + 1)
            term *= ratio
            sum += term
            k -= 1
            if term * ratio < sum * (1 - ratio) * 0x1p-54 { break }
        }
        return min(1, 2 * exp(logBinomialHalf(m, n) + log(sum)))
    }

    /// `log P(X = k)` for X ~ Binomial(n, 1/2), 0 ≤ k < n.
    ///
    /// Not `lgamma(n + 1) − lgamma(k + 1) − lgamma(n − k + 1) − n log 2`: each
    /// `lgamma` near n = 2³² is about 9·10¹⁰ and its last bit 10⁻⁵, so the
    /// difference, and the p-value, would be off by a few parts per million
    /// (measured against 50-digit arithmetic: 5·10⁻⁶ relative at 2³² images).
    /// Loader's saddle-point form (as in R's `dbinom`) subtracts small
    /// corrections instead, and is good to 3·10⁻¹³ there.
    static func logBinomialHalf(_ k: Int, _ n: Int) -> Double {
        precondition(k >= 0 && k < n, "k must be in 0..<n")
        let half = Double(n) / 2
        if k == 0 { return -Double(n) * log(2.0) }
        let x = Double(k), total = Double(n)
        let corrections = stirlingError(total) - stirlingError(x) - stirlingError(total - x)
            - deviance(x, half) - deviance(total - x, half)
        let spread = log(2 * Double.pi) + log(x) + log1p(-x / total)
        return corrections - spread / 2
    }

    /// `log(n!) − log(√(2πn) (n/e)ⁿ)`, the error of Stirling's formula.
    /// `lgamma` directly for small n (where it is a small number and exact
    /// enough), the asymptotic series above.
    static func stirlingError(_ n: Double) -> Double {
        if n <= 15 { return lgamma(n + 1) - (n + 0.5) * log(n) + n - log(2 * Double.pi) / 2 }
        let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
        let nn = n * n
        if n > 500 { return (s0 - s1 / nn) / n }
        if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
        if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
    }

    /// `x log(x / μ) + μ − x`, by a series when x is close to μ, where the
    /// plain formula would cancel to noise.
    static func deviance(_ x: Double, _ mu: Double) -> Double {
        if abs(x - mu) < 0.1 * (x + mu) {
            var v = (x - mu) / (x + mu)
            var sum = (x - mu) * v
            var power = 2 * x * v
            v *= v
            for j in 1..<1000 {
                power *= v
                let next = sum + power / Double(2 * j + 1)
                if next == sum { return next }
                sum = next
            }
            return sum
        }
        return x * log(x / mu) + mu - x
    }
}
