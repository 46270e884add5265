import MNISTPictures
@testable import MNISTPredict

/// `DigitPreprocessor` as it was before it worked from a histogram: every
/// step on whole-image arrays of Int and Double (over 1 GB for an 8192×8192
/// picture). Kept for tests, which require the two to give the same input.
/// The last step, centring by mass, was not rewritten and is shared.
enum ReferencePreprocessor {
    static let fieldSize = 28
    static let boxSize = 20
    /// Grey levels between the darkest and lightest pixel below which a
    /// picture counts as blank (about 10% of the range).
    static let minimumContrast = 24

    /// Returns `[28 * 28]` pixels, 255 = ink.
    static func mnistInput(from image: GreyImage) -> [UInt8] {
        guard !image.pixels.isEmpty else { return [UInt8](repeating: 0, count: fieldSize * fieldSize) }
        let ink = inkLevels(image)
        guard let box = inkBox(ink, width: image.width, height: image.height) else {
            return [UInt8](repeating: 0, count: fieldSize * fieldSize)  // a blank page: nothing to classify
        }
        let (scaled, width, height) = areaScale(ink, sourceWidth: image.width, box: box)
        // Step 6, centring by mass, never depended on the histogram: the product's own.
        return DigitPreprocessor.centred(scaled, width: width, height: height)
    }

    /// Steps 2 and 3: ink intensity 0...1 per pixel, background 0.
    static func inkLevels(_ image: GreyImage) -> [Double] {
        let values = image.pixels.map(Int.init)
        var border: [Int] = []
        for x in 0..<image.width { border += [values[x], values[(image.height - 1) * image.width + x]] }
        for y in 0..<image.height { border += [values[y * image.width], values[y * image.width + image.width - 1]] }
        // A page with less contrast than this holds no stroke worth classifying, only paper noise.
        guard values.max()! - values.min()! >= minimumContrast else { return [Double](repeating: 0, count: values.count) }
        let lightPaper = Double(median(border)) > Double(values.min()! + values.max()!) / 2
        let ink = lightPaper ? values.map { 255 - $0 } : values
        let threshold = otsuThreshold(ink)
        let background = ink.filter { $0 <= threshold }
        let level = median(background)
        let spread = median(background.map { abs($0 - level) })
        let floor = Double(level) + 4 * 1.4826 * Double(spread)
        let strokes = ink.filter { $0 > threshold }.sorted()
        let top = strokes.isEmpty ? 255 : Double(strokes[min(strokes.count - 1, strokes.count * 9 / 10)])
        let range = max(1, top - floor)
        return ink.map { min(1, max(0, (Double($0) - floor) / range)) }
    }

    /// Otsu's method: the level that maximises the between-class variance of
    /// the histogram. Pixels at or below it are background.
    static func otsuThreshold(_ values: [Int]) -> Int {
        var histogram = [Double](repeating: 0, count: 256)
        for value in values { histogram[value] += 1 }
        let total = Double(values.count)
        let sum = histogram.enumerated().reduce(0) { $0 + Double($1.offset) * $1.element }
        var below = 0.0, belowSum = 0.0, best = 0.0, threshold = 0
        for level in 0..<255 {
            below += histogram[level]
            belowSum += Double(level) * histogram[level]
            let above = total - below
            guard below > 0, above > 0 else { continue }
            let difference = belowSum / below - (sum - belowSum) / above
            let variance = below * above * difference * difference
            if variance > best { best = variance; threshold = level }
        }
        return threshold
    }

    struct Box { var left, top, right, bottom: Int }  // inclusive

    /// Step 4: the box of solid ink, widened to the ink around it.
    static func inkBox(_ ink: [Double], width: Int, height: Int) -> Box? {
        let solid = otsuThreshold(ink.map { Int(($0 * 255).rounded()) })
        var box: Box?
        for y in 0..<height {
            for x in 0..<width where Int((ink[y * width + x] * 255).rounded()) > solid {
                box = Box(left: min(box?.left ?? x, x), top: min(box?.top ?? y, y),
                          right: max(box?.right ?? x, x), bottom: max(box?.bottom ?? y, y))
            }
        }
        guard let core = box else { return nil }
        let margin = max(1, (max(core.right - core.left, core.bottom - core.top) + 19) / 20)
        var wide = Box(left: max(0, core.left - margin), top: max(0, core.top - margin),
                       right: min(width - 1, core.right + margin), bottom: min(height - 1, core.bottom + margin))
        var tight: Box?
        for y in wide.top...wide.bottom {
            for x in wide.left...wide.right where ink[y * width + x] > 0 {
                tight = Box(left: min(tight?.left ?? x, x), top: min(tight?.top ?? y, y),
                            right: max(tight?.right ?? x, x), bottom: max(tight?.bottom ?? y, y))
            }
        }
        wide = tight ?? core
        return wide
    }

    /// Step 5: the box scaled to fit 20×20, by area averaging.
    static func areaScale(_ ink: [Double], sourceWidth: Int, box: Box) -> ([Double], Int, Int) {
        let w = box.right - box.left + 1, h = box.bottom - box.top + 1
        let scale = Double(boxSize) / Double(max(w, h))
        let outW = max(1, min(boxSize, Int((Double(w) * scale).rounded())))
        let outH = max(1, min(boxSize, Int((Double(h) * scale).rounded())))
        let stepX = Double(w) / Double(outW), stepY = Double(h) / Double(outH)
        var out = [Double](repeating: 0, count: outW * outH)
        for oy in 0..<outH {
            let y0 = Double(oy) * stepY, y1 = y0 + stepY
            for ox in 0..<outW {
                let x0 = Double(ox) * stepX, x1 = x0 + stepX
                var sum = 0.0
                for sy in Int(y0)..<min(h, Int(y1.rounded(.up))) {
                    let coverY = min(y1, Double(sy + 1)) - max(y0, Double(sy))
                    for sx in Int(x0)..<min(w, Int(x1.rounded(.up))) {
                        let coverX = min(x1, Double(sx + 1)) - max(x0, Double(sx))
                        sum += coverX * coverY * ink[(box.top + sy) * sourceWidth + box.left + sx]
                    }
                }
                out[oy * outW + ox] = sum / (stepX * stepY)
            }
        }
        return (out, outW, outH)
    }

    static func median(_ values: [Int]) -> Int {
        guard !values.isEmpty else { return 0 }
        return values.sorted()[values.count / 2]
    }
}
