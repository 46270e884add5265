import MNISTNetwork

/// SGD with Nesterov momentum and L2 weight decay, over the flat
/// `ParameterLayout` of a network, with the learning rate supplied per step.
///
/// Each step first sums the shard gradients in shard order (0, 1, 2, ...), so the
/// batch gradient is the same float value whichever threads computed the
/// shards; the update itself is element-wise and can be split freely.
final class SGDOptimizer: @unchecked Sendable {
    let momentum: Float
    let weightDecay: Float
    let layout: ParameterLayout
    private let velocity: UnsafeMutablePointer<Float>

    init(layout: ParameterLayout, momentum: Float, weightDecay: Float) {
        self.layout = layout
        self.momentum = momentum
        self.weightDecay = weightDecay
        velocity = .allocate(capacity: layout.count)
        velocity.initialize(repeating: 0, count: layout.count)
    }

    deinit { velocity.deallocate() }

    /// Applies one step to `network` from the first `shardCount` gradients of `shards`.
    func step(_ network: inout Network, shards: [ShardWorkspace], shardCount: Int, learningRate: Float, pool: WorkerPool) {
        let gradients = shards.prefix(shardCount).map { UnsafePointer($0.gradient) }
        for l in network.layers.indices {
            let entry = layout.entries[l]
            network.layers[l].weights.withUnsafeMutableBufferPointer { w in
                update(w.baseAddress!, offset: entry.weights.lowerBound, count: entry.weights.count,
                       gradients: gradients, decay: weightDecay, learningRate: learningRate, pool: pool)
            }
            network.layers[l].bias.withUnsafeMutableBufferPointer { b in
                update(b.baseAddress!, offset: entry.bias.lowerBound, count: entry.bias.count,
                       gradients: gradients, decay: 0, learningRate: learningRate, pool: pool)
            }
        }
    }

    /// `g = Σ_s gradient_s + decay·w`, `v = μ·v + g`, `w -= lr·(g + μ·v)` (Nesterov).
    private func update(_ parameters: UnsafeMutablePointer<Float>, offset: Int, count: Int,
                        gradients: [UnsafePointer<Float>], decay: Float, learningRate: Float, pool: WorkerPool) {
        let velocity = self.velocity + offset
        let momentum = self.momentum
        // Chunks keep each thread's slice large; the count is fixed, not per thread.
        let chunks = count >= 16_384 ? 16 : 1
        pool.forEachChunk(of: 0..<count, chunks: chunks) { range in
            var i = range.lowerBound
            // SIMD8 and the scalar tail do the same operations in the same order
            // (separate multiply and add where written so, FMA where written so),
            // so an element's result does not depend on which path it takes.
            while i + 8 <= range.upperBound {
                var g = SIMD8<Float>(load: gradients[0] + offset + i)
                for s in 1..<gradients.count { g += SIMD8<Float>(load: gradients[s] + offset + i) }
                let w = SIMD8<Float>(load: parameters + i)
                g = g.addingProduct(SIMD8(repeating: decay), w)
                let v = SIMD8(repeating: momentum) * SIMD8<Float>(load: velocity + i) + g
                v.store(to: velocity + i)
                (w - SIMD8(repeating: learningRate) * g.addingProduct(SIMD8(repeating: momentum), v)).store(to: parameters + i)
                i += 8
            }
            while i < range.upperBound {
                var g = gradients[0][offset + i]
                for s in 1..<gradients.count { g += gradients[s][offset + i] }
                g = g.addingProduct(decay, parameters[i])
                let v = momentum * velocity[i] + g
                velocity[i] = v
                parameters[i] = parameters[i] - learningRate * g.addingProduct(momentum, v)
                i += 1
            }
        }
    }
}

private extension SIMD8<Float> {
    @inline(__always) init(load pointer: UnsafePointer<Float>) {
        self = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) init(load pointer: UnsafeMutablePointer<Float>) { self.init(load: UnsafePointer(pointer)) }

    @inline(__always) func store(to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: SIMD8<Float>.self)
    }
}
