import MNISTNetwork

import Glibc

/// Trains a dense network by mini-batch SGD on `TrainingData`.
///
/// Per epoch: a seeded permutation of the training images; per batch: the batch
/// is cut into `recipe.gradientShards` equal shards, each shard loads (and
/// augments) its images and runs forward and backward in its own workspace, the
/// shard gradients are summed in shard order and the optimiser steps. Every
/// random draw comes from the seed, per image and epoch for augmentation, so the
/// weights are bit-identical for a given recipe whatever `threads` is.
///
/// The returned network is the final epoch's (no best-epoch pick): the cosine
/// schedule ends at a learning rate of 0, where the last epochs barely move.
public struct Trainer: Sendable {
    public var recipe: TrainingRecipe
    public var threads: Int

    public init(recipe: TrainingRecipe, threads: Int) {
        self.recipe = recipe
        self.threads = threads
    }

    public struct Result: Sendable {
        public var network: Network
        public var history: [EpochSummary]
        /// The final network's accuracy on the validation images.
        public var validationAccuracy: Double?
        /// The final network's accuracy on the validation images under each
        /// corruption family (empty without validation images).
        public var corruptedValidation: [(family: String, accuracy: Double)]
        /// The mean of `corruptedValidation`'s accuracies.
        public var corruptedValidationMean: Double? {
            corruptedValidation.isEmpty ? nil : corruptedValidation.map(\.accuracy).reduce(0, +) / Double(corruptedValidation.count)
        }
        public var seconds: Double
    }

    public func train(_ data: TrainingData, onEvent: (TrainingEvent) -> Void = { _ in }) throws(TrainingError) -> Result {
        try recipe.validate()
        guard data.validationSize == recipe.validationSize else {
            throw TrainingError(.badRecipe(option: "validation-size", expected: "the data's split \(data.validationSize)", found: "\(recipe.validationSize)"))
        }
        let pool = WorkerPool(threads: max(1, threads))
        let architecture = recipe.architecture(inputs: TrainingData.imageSize, classes: TrainingData.classes)
        var network = Network.initialized(architecture: architecture, activation: recipe.activation, seed: recipe.seed)
        network.preprocessing = recipe.preprocessing
        let validation = data.validationSize > 0 ? ValidationSets(data, preprocessing: recipe.preprocessing) : nil
        let shardCapacity = (recipe.batchSize + recipe.gradientShards - 1) / recipe.gradientShards
        let shards = (0..<recipe.gradientShards).map { _ in ShardWorkspace(network: network, capacity: shardCapacity) }
        if let teacher = recipe.distillation?.teacher { shards.forEach { $0.prepareTeacher(teacher) } }
        let optimiser = SGDOptimizer(layout: shards[0].layout, momentum: recipe.momentum, weightDecay: recipe.weightDecay)
        let schedule = LearningRateSchedule(recipe: recipe, stepsPerEpoch: stepsPerEpoch(data))

        var history: [EpochSummary] = []
        let start = Self.now()
        for epoch in 0..<recipe.epochs {
            let epochStart = Self.now()
            let loss = runEpoch(epoch, data: data, network: &network, shards: shards, optimiser: optimiser,
                                schedule: schedule, pool: pool, runStart: start, onEvent: onEvent)
            let accuracy = validation.map { validation in
                validation.clean.pixels.withUnsafeBufferPointer {
                    TrainingDataAccuracy(pool: pool).accuracy(of: network, pixels: $0.baseAddress!, labels: validation.labels)
                }
            }
            let summary = EpochSummary(epoch: epoch + 1, epochs: recipe.epochs, loss: loss,
                                       validationAccuracy: accuracy, seconds: Self.now() - epochStart)
            history.append(summary)
            onEvent(.epoch(summary))
        }
        let corrupted = (validation?.corrupted ?? []).map { set in
            (set.name, set.pixels.withUnsafeBufferPointer {
                TrainingDataAccuracy(pool: pool).accuracy(of: network, pixels: $0.baseAddress!, labels: validation!.labels)
            })
        }
        return Result(network: network, history: history, validationAccuracy: history.last?.validationAccuracy,
                      corruptedValidation: corrupted, seconds: Self.now() - start)
    }

    func stepsPerEpoch(_ data: TrainingData) -> Int {
        (data.trainingCount + recipe.batchSize - 1) / recipe.batchSize
    }

    /// One pass over the training images; returns the mean batch loss.
    private func runEpoch(
        _ epoch: Int, data: TrainingData, network: inout Network, shards: [ShardWorkspace], optimiser: SGDOptimizer,
        schedule: LearningRateSchedule, pool: WorkerPool, runStart: Double, onEvent: (TrainingEvent) -> Void
    ) -> Double {
        var order = (0..<data.trainingCount).map { Int32($0) }
        var shuffler = SeededGenerator(seed: recipe.seed, stream: RandomStream.shuffle, index: UInt64(epoch))
        shuffler.shuffle(&order)
        let steps = stepsPerEpoch(data)
        let augmentation = recipe.augmentation.flatMap { $0.isIdentity ? nil : $0 }
        // The old path (floats straight from the warp) unless images are corrupted or preprocessed.
        let asPictures = recipe.corruption != nil || recipe.preprocessing != .none
        var lossSum = 0.0
        var lastReport = Self.now()
        data.pixels.withUnsafeBufferPointer { pixels in
            for batch in 0..<steps {
                let first = batch * recipe.batchSize
                let rows = min(recipe.batchSize, data.trainingCount - first)
                let shardRows = (rows + recipe.gradientShards - 1) / recipe.gradientShards
                let shardCount = (rows + shardRows - 1) / shardRows
                let current = network
                pool.forEach(shardCount) { s in
                    let shard = shards[s]
                    let begin = first + s * shardRows, end = min(first + rows, begin + shardRows)
                    for position in begin..<end {
                        let image = Int(order[position])
                        let distortion = augmentation.map { settings in
                            var generator = SeededGenerator(seed: recipe.seed, stream: RandomStream.augmentation,
                                                            index: UInt64(epoch) << 32 | UInt64(image))
                            return settings.randomDistortion(using: &generator)
                        }
                        let source = pixels.baseAddress! + image * TrainingData.imageSize
                        if asPictures {
                            var generator = SeededGenerator(seed: recipe.seed, stream: RandomStream.corruption,
                                                            index: UInt64(epoch) << 32 | UInt64(image))
                            shard.loadImage(source, label: data.labels[image], row: position - begin, distortion: distortion,
                                            corruption: recipe.corruption, generator: &generator,
                                            preprocessing: recipe.preprocessing)
                        } else {
                            shard.loadImage(source, label: data.labels[image], row: position - begin, distortion: distortion)
                        }
                    }
                    shard.run(network: current, rows: end - begin, lossScale: 1 / Float(rows), distillation: recipe.distillation)
                }
                lossSum += shards.prefix(shardCount).reduce(0) { $0 + $1.loss } / Double(rows)
                optimiser.step(&network, shards: shards, shardCount: shardCount,
                               learningRate: schedule.rate(atStep: epoch * steps + batch), pool: pool)

                let now = Self.now()
                if now - lastReport >= 0.1 || batch == steps - 1 {
                    lastReport = now
                    let done = Double(epoch * data.trainingCount + first + rows)
                    let total = Double(recipe.epochs * data.trainingCount)
                    let speed = done / max(now - runStart, 1e-9)
                    onEvent(.batch(BatchProgress(epoch: epoch + 1, epochs: recipe.epochs, batch: batch + 1, batches: steps,
                                                 loss: lossSum / Double(batch + 1), imagesPerSecond: speed,
                                                 secondsLeft: (total - done) / speed)))
                }
            }
        }
        return lossSum / Double(steps)
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
