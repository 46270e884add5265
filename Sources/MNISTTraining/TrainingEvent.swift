/// What the trainer reports while it runs; `ConsoleProgress` turns these into text.
public enum TrainingEvent: Sendable {
    /// Sent every few batches during an epoch (about 10 times a second at most).
    case batch(BatchProgress)
    /// Sent once after each epoch, with its validation accuracy.
    case epoch(EpochSummary)
}

public struct BatchProgress: Sendable {
    /// 1-based.
    public var epoch: Int
    public var epochs: Int
    /// Batches done in this epoch, and per epoch.
    public var batch: Int
    public var batches: Int
    /// Mean training loss over this epoch's batches so far.
    public var loss: Double
    public var imagesPerSecond: Double
    /// Estimated time left for the whole run, in seconds.
    public var secondsLeft: Double
}

public struct EpochSummary: Sendable, Equatable {
    /// 1-based.
    public var epoch: Int
    public var epochs: Int
    /// Mean training loss over the epoch (on augmented images when augmenting).
    public var loss: Double
    /// Fraction correct on the held-out images, `nil` without validation images.
    public var validationAccuracy: Double?
    /// Wall-clock seconds for the epoch, validation included.
    public var seconds: Double
}
