/// Detecting predictions that collapsed onto one class.
///
/// A network fed wrongly normalised pixels (wrong mean/std, bytes not scaled
/// to 0...1) or loaded with the wrong weights usually still runs, but answers
/// the same class for almost every image. Accuracy alone can hide how badly
/// that went when the set is skewed, and an unlabeled run has no accuracy at
/// all, so the reports call it out with a WARNING.
extension Metrics {
    /// Fewer predictions than this are too few to call anything a collapse:
    /// three images that happen to be sevens are not a broken network.
    public static let collapseMinimumImages = 20

    /// The share of all predictions one class must receive to count as a collapse.
    public static let collapseMinimumShare = 0.5

    /// The class predictions collapsed onto, or `nil`.
    ///
    /// Rule: with at least `collapseMinimumImages` predictions, a class has
    /// collapsed when it receives at least half of all predictions and, when
    /// the true counts are known, at least twice its true share. The second
    /// condition keeps a set that really is mostly one digit from warning;
    /// without labels the prediction share is all there is to go on. When two
    /// classes tie at exactly half, the lower class is reported.
    ///
    /// - Parameters:
    ///   - predicted: number of predictions per class.
    ///   - truth: number of true labels per class, or `nil` without labels.
    public static func collapsedClass(predicted: [Int], truth: [Int]?) -> Int? {
        let total = predicted.reduce(0, +)
        guard total >= collapseMinimumImages else { return nil }
        for (digit, count) in predicted.enumerated() {
            let share = Double(count) / Double(total)
            guard share >= collapseMinimumShare else { continue }
            guard let truth else { return digit }
            let trueShare = Double(truth[digit]) / Double(max(truth.reduce(0, +), 1))
            if share >= 2 * trueShare { return digit }
        }
        return nil
    }
}
