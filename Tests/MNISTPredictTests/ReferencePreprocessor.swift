import MNISTPictures
@testable import MNISTPredict

/// `DigitPreprocessor` written the plain way, for tests, which require the
/// two to give the same input or the same reason for none: every step on
/// whole-image arrays of Int and Double (over 1 GB for an 8192×8192 picture),
/// grids as arrays of rows, the lighting as a picture of its own, sorting
/// where the product counts. The last step, centring by mass, is shared.
enum ReferencePreprocessor {
    static let fieldSize = 28
    static let boxSize = 20
    static let minimumContrast = 24
    static let minimumInkSpan = 0.04
    static let cellsAlongLongerSide = 16, smallestCell = 4, percentile = 90, lightStep = 15, evenLight = 12

    /// Returns `[28 * 28]` pixels, 255 = ink.
    static func mnistInput(from image: GreyImage) throws(NoDigitReason) -> [UInt8] {
        guard !image.pixels.isEmpty else { throw .blank(levels: 0) }
        let values = image.pixels.map(Int.init)
        // A page with less contrast than this holds no stroke worth classifying, only paper noise.
        guard values.max()! - values.min()! >= minimumContrast else { throw .blank(levels: values.max()! - values.min()!) }
        // Steps 2 and 3: light paper (as is) or dark paper (the negative),
        // whichever leaves more paper once the light is divided out.
        let negative = values.map { 255 - $0 }
        let asIs = Lighting(values, width: image.width, height: image.height)
        let inverted = Lighting(negative, width: image.width, height: image.height)
        // Paper: within `minimumContrast` of white either way, before rounding.
        let paperRange = (Double(255 - minimumContrast) - 0.5)...(Double(255 + minimumContrast) + 0.5)
        let lightShare = zip(values, asIs.scale).filter { paperRange.contains(Double($0) * $1) }.count
        let darkShare = zip(negative, inverted.scale).filter { paperRange.contains(Double($0) * $1) }.count
        let lightPaper = lightShare != darkShare ? lightShare > darkShare : borderIsLight(image)
        let lighting = lightPaper ? asIs : inverted
        let paper = lightPaper ? values : negative
        let flat = lighting.even ? paper : zip(paper, lighting.scale).map { Int(min(255, Double($0) * $1 + 0.5)) }
        let ink = try inkLevels(flat)
        let box = try inkBox(ink, width: image.width, height: image.height)
        let (scaled, width, height) = areaScale(ink, sourceWidth: image.width, box: box)
        // Step 7, centring by mass, never depended on the histogram: the product's own.
        return DigitPreprocessor.centred(scaled, width: width, height: height)
    }

    /// The paper's light under one polarity, and what each pixel is scaled by.
    struct Lighting {
        /// Per pixel, 255 over the paper level there.
        var scale: [Double]
        /// Whether the paper cells span at most `evenLight` levels (10th percentile to brightest).
        var even: Bool

        init(_ values: [Int], width: Int, height: Int) {
            let cell = max(smallestCell, (max(width, height) + cellsAlongLongerSide - 1) / cellsAlongLongerSide)
            let rows = (height + cell - 1) / cell, columns = (width + cell - 1) / cell
            // Each cell's level at the percentile, by sorting the cell.
            var levels = [[Int]](repeating: [Int](repeating: 0, count: columns), count: rows)
            for gy in 0..<rows {
                for gx in 0..<columns {
                    var cellValues: [Int] = []
                    for y in (gy * cell)..<min(height, gy * cell + cell) {
                        for x in (gx * cell)..<min(width, gx * cell + cell) { cellValues.append(values[y * width + x]) }
                    }
                    cellValues.sort()
                    levels[gy][gx] = cellValues[(cellValues.count - 1) * percentile / 100]
                }
            }
            func neighbours(_ gy: Int, _ gx: Int) -> [(Int, Int)] {
                var list: [(Int, Int)] = []
                for ny in max(0, gy - 1)...min(rows - 1, gy + 1) {
                    for nx in max(0, gx - 1)...min(columns - 1, gx + 1) { list.append((ny, nx)) }
                }
                return list
            }
            // Paper: every cell reachable from the brightest (the first, row by row)
            // through steps of at most `lightStep` percent darker.
            let brightest = levels.joined().max()!
            let start = Array(levels.joined()).firstIndex(of: brightest)!
            var paper = [[Bool]](repeating: [Bool](repeating: false, count: columns), count: rows)
            paper[start / columns][start % columns] = true
            var grew = true
            while grew {
                grew = false
                for gy in 0..<rows {
                    for gx in 0..<columns where !paper[gy][gx] {
                        if neighbours(gy, gx).contains(where: { paper[$0.0][$0.1] && levels[gy][gx] * 100 >= levels[$0.0][$0.1] * (100 - lightStep) }) {
                            paper[gy][gx] = true
                            grew = true
                        }
                    }
                }
            }
            let paperLevels = (0..<rows).flatMap { gy in (0..<columns).filter { paper[gy][$0] }.map { levels[gy][$0] } }.sorted()
            even = paperLevels.last! - paperLevels[(paperLevels.count - 1) / 10] <= evenLight
            // The other cells filled ring by ring with their filled neighbours' mean.
            var filled = levels.map { $0.map(Double.init) }
            var known = paper
            while known.joined().contains(false) {
                let ring = known, before = filled
                for gy in 0..<rows {
                    for gx in 0..<columns where !ring[gy][gx] {
                        let around = neighbours(gy, gx).filter { ring[$0.0][$0.1] }
                        guard !around.isEmpty else { continue }
                        var sum = 0.0
                        for (ny, nx) in around { sum += before[ny][nx] }
                        filled[gy][gx] = sum / Double(around.count)
                        known[gy][gx] = true
                    }
                }
            }
            let smooth = filled
            // Bilinear between cell centres (down the rows of cells, then
            // across), extrapolated beyond the outer centres.
            func position(_ index: Int, _ count: Int) -> (Int, Int, Double) {
                if count == 1 { return (0, 0, 0) }
                let u = (Double(index) + 0.5) / Double(cell) - 0.5
                let first = u < 0 ? 0 : min(count - 2, Int(u))
                return (first, first + 1, u - Double(first))
            }
            var scale = [Double](repeating: 0, count: width * height)
            for y in 0..<height {
                let (top, bottom, t) = position(y, rows)
                for x in 0..<width {
                    let (left, right, s) = position(x, columns)
                    let first = smooth[top][left] * (1 - t) + smooth[bottom][left] * t
                    let second = smooth[top][right] * (1 - t) + smooth[bottom][right] * t
                    scale[y * width + x] = 255 / max(1, first * (1 - s) + second * s)
                }
            }
            self.scale = scale
        }
    }

    /// Step 2 for an even page: the border's median above the middle of the range.
    static func borderIsLight(_ image: GreyImage) -> Bool {
        let values = image.pixels.map(Int.init)
        var border: [Int] = []
        for x in 0..<image.width { border += [values[x], values[(image.height - 1) * image.width + x]] }
        for y in 0..<image.height { border += [values[y * image.width], values[y * image.width + image.width - 1]] }
        return Double(median(border)) > Double(values.min()! + values.max()!) / 2
    }

    /// Step 4: ink intensity 0...1 per pixel of the flattened light-paper picture, background 0.
    static func inkLevels(_ flat: [Int]) throws(NoDigitReason) -> [Double] {
        let ink = flat.map { 255 - $0 }
        let threshold = otsuThreshold(ink)
        let background = ink.filter { $0 <= threshold }
        let level = median(background)
        let spread = median(background.map { abs($0 - level) })
        let floor = Double(level) + 4 * 1.4826 * Double(spread)
        let strokes = ink.filter { $0 > threshold }.sorted()
        let top = strokes.isEmpty ? level : strokes[min(strokes.count - 1, strokes.count * 9 / 10)]
        guard top - level >= minimumContrast else { throw .faintInk(levels: top - level) }
        let range = max(1, Double(top) - floor)
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

    /// Step 5: the box of solid ink, widened to the ink around it.
    static func inkBox(_ ink: [Double], width: Int, height: Int) throws(NoDigitReason) -> Box {
        let solid = otsuThreshold(ink.map { Int(($0 * 255).rounded()) })
        var box: Box?
        for y in 0..<height {
            for x in 0..<width where Int((ink[y * width + x] * 255).rounded()) > solid {
                box = Box(left: min(box?.left ?? x, x), top: min(box?.top ?? y, y),
                          right: max(box?.right ?? x, x), bottom: max(box?.bottom ?? y, y))
            }
        }
        guard let core = box else { throw .noInk }
        let needed = Int((minimumInkSpan * Double(max(width, height))).rounded(.up))
        guard max(core.right - core.left, core.bottom - core.top) + 1 >= needed else {
            throw .tooSmall(width: core.right - core.left + 1, height: core.bottom - core.top + 1, minimum: needed)
        }
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

    /// Step 6: the box scaled to fit 20×20, by area averaging.
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
