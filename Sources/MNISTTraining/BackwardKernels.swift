import MNISTNetwork

import Glibc

/// The vectorised backward pass of a dense layer and the softmax cross-entropy
/// loss. The forward pass is `DenseLayer.forward` / `Kernels.matmulBias`; this
/// file holds only what the forward kernels do not already do. Each kernel has
/// a plain scalar twin in `BackwardKernels+Reference.swift`.
///
/// All pointers are row-major; `rows` is the number of images in the shard.
public enum BackwardKernels {
    /// `grad[rows, classes] = scale · (softmax(logits) - onehot(labels))`;
    /// returns the summed (unscaled) cross-entropy of the rows, in Double.
    ///
    /// `scale` is `1 / batchSize` so that shard gradients add up to the batch mean.
    /// Subtracting the row maximum before `exp` keeps large logits finite.
    public static func softmaxCrossEntropy(
        logits: UnsafePointer<Float>, labels: UnsafePointer<UInt8>, rows: Int, classes: Int,
        scale: Float, into grad: UnsafeMutablePointer<Float>
    ) -> Double {
        var loss = 0.0
        for r in 0..<rows {
            let z = logits + r * classes, g = grad + r * classes
            var maximum = z[0]
            for c in 1..<max(classes, 1) where z[c] > maximum { maximum = z[c] }
            var sum: Float = 0
            for c in 0..<classes {
                let e = expf(z[c] - maximum)
                g[c] = e
                sum += e
            }
            let label = Int(labels[r])
            loss += Double(logf(sum) - (z[label] - maximum))
            let factor = scale / sum
            for c in 0..<classes { g[c] *= factor }
            g[label] -= scale
        }
        return loss
    }

    /// Knowledge distillation (Hinton, Vinyals and Dean 2015): the labels'
    /// cross-entropy mixed with the cross-entropy between the teacher's and the
    /// student's probabilities, both softened by `temperature` T,
    /// `(1 − weight) · −log p[label] + weight · T² · −Σ q_T log p_T`
    /// with `p = softmax(logits)`, `p_T = softmax(logits / T)` and
    /// `q_T = softmax(teacher / T)`. The T² keeps the soft term's gradient,
    /// `grad = scale · ((1 − weight) · (p − onehot) + weight · T · (p_T − q_T))`,
    /// as large as the labels' for any T. Returns the summed loss. With
    /// `weight` 0 it is `softmaxCrossEntropy`.
    public static func distilledCrossEntropy(
        logits: UnsafePointer<Float>, teacherLogits: UnsafePointer<Float>, labels: UnsafePointer<UInt8>, rows: Int,
        classes: Int, temperature: Float, weight: Float, scale: Float, into grad: UnsafeMutablePointer<Float>
    ) -> Double {
        var loss = 0.0
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * classes) { buffer in
            let soft = buffer.baseAddress!, student = soft + classes
            for r in 0..<rows {
                let z = logits + r * classes, t = teacherLogits + r * classes, g = grad + r * classes
                var maximum = z[0], teacherMaximum = t[0]
                for c in 1..<max(classes, 1) {
                    if z[c] > maximum { maximum = z[c] }
                    if t[c] > teacherMaximum { teacherMaximum = t[c] }
                }
                var sum: Float = 0, softSum: Float = 0, teacherSum: Float = 0
                for c in 0..<classes {
                    let e = expf(z[c] - maximum)
                    g[c] = e
                    sum += e
                    let e1 = expf((z[c] - maximum) / temperature)
                    student[c] = e1
                    softSum += e1
                    let s = expf((t[c] - teacherMaximum) / temperature)
                    soft[c] = s
                    teacherSum += s
                }
                let label = Int(labels[r])
                let logSum = logf(sum), logSoftSum = logf(softSum)
                let squared = temperature * temperature
                loss += Double((1 - weight) * (logSum - (z[label] - maximum)))
                for c in 0..<classes {
                    let q = soft[c] / teacherSum
                    loss += Double(weight * squared * q * (logSoftSum - (z[c] - maximum) / temperature))
                    let hard = g[c] / sum - (c == label ? 1 : 0)
                    g[c] = scale * ((1 - weight) * hard + weight * temperature * (student[c] / softSum - q))
                }
            }
        }
        return loss
    }

    /// `dW[inputs, outputs] += xᵀ · dy` for `x: [rows, inputs]`, `dy: [rows, outputs]`.
    ///
    /// Row by row, each non-zero input adds `x · dy_row` to one row of `dW`.
    /// Skipping zero inputs matters: about 80% of MNIST pixels are exactly 0
    /// (also after bilinear augmentation, whose background stays 0), so for the
    /// first layer this does a fifth of the dense work.
    ///
    /// `touched`, when given, marks the rows of `dW` that already hold a sum:
    /// a row not marked is taken as zero (whatever it holds) and marked when a
    /// term arrives, so the caller need not clear all of `dW` first. The first
    /// term is then `0 + x·dy` in one FMA, the same as adding it to a cleared row.
    public static func accumulateWeightGradient(
        x: UnsafePointer<Float>, dy: UnsafePointer<Float>, rows: Int, inputs: Int, outputs: Int,
        into dW: UnsafeMutablePointer<Float>, touched: UnsafeMutablePointer<Bool>? = nil
    ) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: inputs) { indices in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: inputs) { values in
                let indices = indices.baseAddress!, values = values.baseAddress!
                for r in 0..<rows {
                    let found = Kernels.nonZeros(x + r * inputs, count: inputs, indices: indices, values: values)
                    let dyRow = dy + r * outputs
                    for k in 0..<found {
                        let i = indices[k]
                        if let touched, !touched[i] {
                            touched[i] = true
                            addScaled(values[k], dyRow, to: dW + i * outputs, count: outputs, ontoZero: true)
                        } else {
                            addScaled(values[k], dyRow, to: dW + i * outputs, count: outputs)
                        }
                    }
                }
            }
        }
    }

    /// `db[outputs] += Σ_rows dy[rows, outputs]`, rows in order.
    public static func accumulateBiasGradient(
        dy: UnsafePointer<Float>, rows: Int, outputs: Int, into db: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows { addScaled(1, dy + r * outputs, to: db, count: outputs) }
    }

    /// `dx[rows, inputs] = (dy[rows, outputs] · Wᵀ) ⊙ f'(a)` where `a[rows, inputs]`
    /// is the previous layer's activation output and `W` is `[inputs, outputs]`:
    /// each entry is a dot product of a `dy` row with a contiguous row of `W`.
    public static func propagateToInputs(
        dy: UnsafePointer<Float>, weights: UnsafePointer<Float>, activationOutput a: UnsafePointer<Float>,
        rows: Int, inputs: Int, outputs: Int, activation: Activation, into dx: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            let dyRow = dy + r * outputs
            for i in 0..<inputs {
                let derivative = activation.derivative(output: a[r * inputs + i])
                dx[r * inputs + i] = derivative == 0 ? 0 : derivative * dot(dyRow, weights + i * outputs, count: outputs)
            }
        }
    }

    /// `y[count] += alpha · x[count]` with SIMD8 FMAs, then SIMD4, then scalars;
    /// `ontoZero`: `y = 0 + alpha · x`, ignoring what `y` holds.
    @inline(__always)
    static func addScaled(_ alpha: Float, _ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int,
                          ontoZero: Bool = false) {
        var j = 0
        let a8 = SIMD8<Float>(repeating: alpha)
        while j + 8 <= count {
            let yv = ontoZero ? SIMD8() : UnsafeRawPointer(y + j).loadUnaligned(as: SIMD8<Float>.self)
            let xv = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + j).storeBytes(of: yv.addingProduct(a8, xv), as: SIMD8<Float>.self)
            j += 8
        }
        if j + 4 <= count {
            let yv = ontoZero ? SIMD4() : UnsafeRawPointer(y + j).loadUnaligned(as: SIMD4<Float>.self)
            let xv = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(y + j).storeBytes(of: yv.addingProduct(SIMD4(repeating: alpha), xv), as: SIMD4<Float>.self)
            j += 4
        }
        while j < count {
            y[j] = (ontoZero ? 0 : y[j]).addingProduct(alpha, x[j])
            j += 1
        }
    }

    /// `Σ a[i]·b[i]` with one SIMD8 accumulator, summed lane-wise at the end.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var j = 0
        var acc = SIMD8<Float>()
        while j + 8 <= count {
            acc.addProduct(UnsafeRawPointer(a + j).loadUnaligned(as: SIMD8<Float>.self),
                           UnsafeRawPointer(b + j).loadUnaligned(as: SIMD8<Float>.self))
            j += 8
        }
        var sum = acc.sum()
        while j < count {
            sum = sum.addingProduct(a[j], b[j])
            j += 1
        }
        return sum
    }
}
