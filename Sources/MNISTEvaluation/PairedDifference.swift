/// A confidence interval for the difference between two accuracies measured
/// on the same images (paired proportions).
///
/// Two networks scored on the same images are not independent samples: most
/// images are right for both. The interval is Newcombe's hybrid score
/// interval for paired data (Newcombe 1998, "method 10"): the Wilson interval
/// of each accuracy, combined with the correlation between the two, so that
/// it stays inside [−1, 1], is not degenerate when nothing changed, and is
/// much narrower than an interval for independent samples would be.
///
/// With a = right for both, b = right now only, c = right before only,
/// d = wrong for both, n = a + b + c + d, p₁ = (a + b)/n, p₂ = (a + c)/n,
/// (l₁, u₁) and (l₂, u₂) their Wilson intervals, and φ the continuity-corrected
/// correlation (ad − bc less n/2 when ad − bc > n/2, 0 when it is 0...n/2,
/// itself when negative, over √((a+b)(c+d)(a+c)(b+d)); 0 when that is 0):
///
///     lower = (p₁ − p₂) − √((p₁ − l₁)² − 2φ(p₁ − l₁)(u₂ − p₂) + (u₂ − p₂)²)
///     upper = (p₁ − p₂) + √((p₂ − l₂)² − 2φ(p₂ − l₂)(u₁ − p₁) + (u₁ − p₁)²)
public enum PairedDifference {
    /// The 95% interval of `now − before` as fractions in −1...1.
    /// - Parameters: the four cells of the paired table, as above.
    public static func newcombe95(bothRight a: Int, nowOnly b: Int, beforeOnly c: Int, bothWrong d: Int) -> ConfidenceInterval {
        precondition(a >= 0 && b >= 0 && c >= 0 && d >= 0, "counts must not be negative")
        let n = a + b + c + d
        guard n > 0 else { return ConfidenceInterval(lower: -1, upper: 1) }
        let total = Double(n)
        let now = Double(a + b) / total, before = Double(a + c) / total
        let (l1, u1) = WilsonInterval.interval(successes: a + b, trials: n)
        let (l2, u2) = WilsonInterval.interval(successes: a + c, trials: n)
        // In Double: the products pass Int.max for counts near 2³¹.
        let product = Double(a + b) * Double(c + d) * Double(a + c) * Double(b + d)
        var phi = 0.0
        if product > 0 {
            let cross = Double(a) * Double(d) - Double(b) * Double(c)
            let corrected = cross > total / 2 ? cross - total / 2 : (cross < 0 ? cross : 0)
            phi = corrected / product.squareRoot()
        }
        let difference = now - before
        let below = ((now - l1) * (now - l1) - 2 * phi * (now - l1) * (u2 - before) + (u2 - before) * (u2 - before))
        let above = ((before - l2) * (before - l2) - 2 * phi * (before - l2) * (u1 - now) + (u1 - now) * (u1 - now))
        return ConfidenceInterval(lower: max(-1, difference - max(0, below).squareRoot()),
                                  upper: min(1, difference + max(0, above).squareRoot()))
    }
}
