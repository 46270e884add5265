/// The Wilson score interval for a binomial proportion.
///
/// Chosen over the textbook normal ("Wald") interval because accuracy sits
/// near 1, where Wald's interval is too narrow and can even pass 100%; Wilson's
/// stays inside [0, 1] and keeps close to its nominal coverage for any n.
///
///     centre    = (p + z²/2n) / (1 + z²/n)
///     halfWidth = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²)
///
/// with p = successes / trials.
public enum WilsonInterval {
    /// The two-sided 95% normal quantile, Φ⁻¹(0.975).
    public static let z95 = 1.959963984540054

    /// The interval `(lower, upper)` as fractions in 0...1.
    ///
    /// Edge cases: with `trials == 0` nothing is known, so the interval is the
    /// whole range `(0, 1)`; with `successes == 0` the lower bound is exactly 0
    /// and with `successes == trials` the upper bound is exactly 1 (the formula
    /// gives those only up to rounding).
    public static func interval(
        successes: Int, trials: Int, z: Double = 1.959963984540054
    ) -> (lower: Double, upper: Double) {
        precondition(trials >= 0 && (0...max(trials, 0)).contains(successes),
                     "successes must be in 0...trials")
        guard trials > 0 else { return (0, 1) }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let halfWidth = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        let lower = successes == 0 ? 0 : max(0, centre - halfWidth)
        let upper = successes == trials ? 1 : min(1, centre + halfWidth)
        return (lower, upper)
    }
}

/// A confidence interval as fractions: in 0...1 for an accuracy, in −1...1
/// for a difference of two (`PairedDifference`).
///
/// A struct rather than a tuple so that `Metrics` can be `Equatable`.
public struct ConfidenceInterval: Sendable, Equatable {
    public let lower: Double
    public let upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The 95% Wilson interval for `successes` out of `trials`.
    public static func wilson95(successes: Int, trials: Int) -> ConfidenceInterval {
        let (lower, upper) = WilsonInterval.interval(successes: successes, trials: trials)
        return ConfidenceInterval(lower: lower, upper: upper)
    }
}
