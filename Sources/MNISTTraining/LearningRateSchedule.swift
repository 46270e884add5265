import Glibc

/// Linear warm-up to the peak rate, then a cosine decay to zero, per step.
///
/// Cosine rather than steps: no drop epochs to tune, and the rate reaches zero
/// exactly at the last step, so the final weights are a settled point and the
/// trainer can keep them instead of picking an epoch.
public struct LearningRateSchedule: Sendable {
    public let peak: Float
    public let warmupSteps: Int
    public let totalSteps: Int

    public init(peak: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.warmupSteps = max(0, min(warmupSteps, totalSteps))
        self.totalSteps = max(1, totalSteps)
    }

    public init(recipe: TrainingRecipe, stepsPerEpoch: Int) {
        self.init(peak: recipe.learningRate,
                  warmupSteps: Int((recipe.warmupEpochs * Float(stepsPerEpoch)).rounded()),
                  totalSteps: recipe.epochs * stepsPerEpoch)
    }

    /// The rate for 0-based `step`.
    public func rate(atStep step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let decaySteps = totalSteps - warmupSteps
        let progress = Double(step - warmupSteps) / Double(max(decaySteps, 1))
        return peak * Float(0.5 * (1 + cos(Double.pi * progress)))
    }
}
