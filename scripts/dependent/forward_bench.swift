// The forward pass as a package that depends on MNIST sees it: every t10k
// image classified from memory with `Classifier.classify(batch:)`, timed
// after one warm-up, median of RUNS. Built by scripts/check_dependent.sh
// --bench, once against a clone resolved by version and once as a path
// dependency, so the two builds can be compared side by side.
import Dispatch
import MNIST

let arguments = CommandLine.arguments
let images = try IDXFile.images(at: arguments[1])
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 15 : 15
var samples: [Double] = []
var digits = 0
for run in 0...runs {
    let start = DispatchTime.now().uptimeNanoseconds
    let predictions = Classifier.shipped.classify(batch: images)
    let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    digits = predictions.reduce(0) { $0 &+ $1.digit }
    if run > 0 { samples.append(milliseconds) }
}
samples.sort()
print("forward_ms median=\(samples[samples.count / 2]) min=\(samples[0]) runs=\(runs) images=\(images.count / 784) digit_sum=\(digits)")
