import MNISTNetwork

/// Plain scalar twins of `BackwardKernels`, on arrays, in Double where it helps:
/// the definitions the fast kernels are tested against, written for reading.
public extension BackwardKernels {
    enum Reference {
        /// Returns `(summed loss, grad[rows, classes])`, see `softmaxCrossEntropy`.
        public static func softmaxCrossEntropy(logits: [Float], labels: [UInt8], classes: Int, scale: Float) -> (loss: Double, grad: [Float]) {
            var grad = [Float](repeating: 0, count: logits.count)
            var loss = 0.0
            for r in 0..<labels.count {
                let z = (0..<classes).map { Double(logits[r * classes + $0]) }
                let maximum = z.max()!
                let exps = z.map { exp($0 - maximum) }
                let sum = exps.reduce(0, +)
                let label = Int(labels[r])
                loss += log(sum) - (z[label] - maximum)
                for c in 0..<classes {
                    let target = c == label ? 1.0 : 0.0
                    grad[r * classes + c] = Float(Double(scale) * (exps[c] / sum - target))
                }
            }
            return (loss, grad)
        }

        /// Returns `(summed loss, grad[rows, classes])`, see `distilledCrossEntropy`.
        public static func distilledCrossEntropy(logits: [Float], teacherLogits: [Float], labels: [UInt8], classes: Int,
                                                 temperature: Float, weight: Float, scale: Float) -> (loss: Double, grad: [Float]) {
            var grad = [Float](repeating: 0, count: logits.count)
            var loss = 0.0
            func softmax(_ values: [Double]) -> [Double] {
                let maximum = values.max()!
                let exps = values.map { exp($0 - maximum) }
                let sum = exps.reduce(0, +)
                return exps.map { $0 / sum }
            }
            let t = Double(temperature), w = Double(weight)
            for r in 0..<labels.count {
                let p = softmax((0..<classes).map { Double(logits[r * classes + $0]) })
                let pT = softmax((0..<classes).map { Double(logits[r * classes + $0]) / t })
                let qT = softmax((0..<classes).map { Double(teacherLogits[r * classes + $0]) / t })
                let label = Int(labels[r])
                loss -= (1 - w) * log(p[label])
                for c in 0..<classes {
                    loss -= w * t * t * qT[c] * log(pT[c])
                    let hard = p[c] - (c == label ? 1 : 0)
                    grad[r * classes + c] = Float(Double(scale) * ((1 - w) * hard + w * t * (pT[c] - qT[c])))
                }
            }
            return (loss, grad)
        }

        /// `dW[inputs, outputs] = dW + xᵀ · dy`, every term included.
        public static func weightGradient(x: [Float], dy: [Float], rows: Int, inputs: Int, outputs: Int, adding dW: [Float]) -> [Float] {
            var result = dW
            for i in 0..<inputs {
                for o in 0..<outputs {
                    var sum = Double(dW[i * outputs + o])
                    for r in 0..<rows { sum += Double(x[r * inputs + i]) * Double(dy[r * outputs + o]) }
                    result[i * outputs + o] = Float(sum)
                }
            }
            return result
        }

        /// `dW + xᵀ · dy` in Float, row after row, one fused multiply-add per
        /// non-zero input and element: the order of operations the fast kernel
        /// must keep, so that training reproduces its weights bit for bit.
        public static func weightGradientRowByRow(x: [Float], dy: [Float], rows: Int, inputs: Int, outputs: Int,
                                                  adding dW: [Float]) -> [Float] {
            var result = dW
            for r in 0..<rows {
                for i in 0..<inputs where x[r * inputs + i] != 0 {
                    for o in 0..<outputs {
                        result[i * outputs + o] = result[i * outputs + o].addingProduct(x[r * inputs + i], dy[r * outputs + o])
                    }
                }
            }
            return result
        }

        /// `db[outputs] = db + Σ_rows dy`.
        public static func biasGradient(dy: [Float], rows: Int, outputs: Int, adding db: [Float]) -> [Float] {
            (0..<outputs).map { o in
                Float((0..<rows).reduce(Double(db[o])) { $0 + Double(dy[$1 * outputs + o]) })
            }
        }

        /// `dx[rows, inputs] = (dy · Wᵀ) ⊙ f'(a)`.
        public static func inputGradient(dy: [Float], weights: [Float], activationOutput a: [Float],
                                         rows: Int, inputs: Int, outputs: Int, activation: Activation) -> [Float] {
            var dx = [Float](repeating: 0, count: rows * inputs)
            for r in 0..<rows {
                for i in 0..<inputs {
                    var sum = 0.0
                    for o in 0..<outputs { sum += Double(dy[r * outputs + o]) * Double(weights[i * outputs + o]) }
                    dx[r * inputs + i] = Float(sum) * activation.derivative(output: a[r * inputs + i])
                }
            }
            return dx
        }
    }
}

import Glibc

