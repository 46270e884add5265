import MNISTPictures

/// Turns a picture of one digit (a photo, a scan, a drawing) into the 28×28
/// input MNIST was made with, so the network sees what it was trained on.
///
/// MNIST's recipe (LeCun et al.): each digit was scaled to fit a 20×20 box
/// keeping its aspect ratio, anti-aliased to grey levels, and placed in a
/// 28×28 field so that its centre of mass sits at the centre. Ink is 255 on a
/// 0 background. The steps below rebuild that from an arbitrary picture:
///
/// 1. **Grey**: done by the readers (`GreyImage`).
/// 2. **Polarity**: dark ink on light paper, or light ink on dark paper,
///    whichever leaves more of the picture looking like paper once step 3
///    is done both ways (`paperShares`). Taken the wrong way round, the ink
///    passes for paper and the true paper comes out dark. When both ways
///    leave as much (an even page), the border, which is paper, decides: it
///    is light if its median is above the middle of the picture's range.
/// 3. **Lighting**: light that falls off across the page is divided out
///    (`flattenLighting`): the paper's brightness is estimated on a grid of
///    16 cells along the longer side (each cell's 90th percentile), grown
///    from the brightest cell through cells no more than 15% darker than
///    their neighbour (ink is darker by more, so however large a blot of
///    ink, its cells are filled in from the paper around it), and each pixel
///    is divided by it, interpolated between the cells' centres. The paper
///    is then about 255 everywhere, and the picture dark ink on light paper.
///    Evenly lit paper is left as it is (`evenLight`).
/// 4. **Background**: Otsu's threshold splits paper from ink. Paper's level
///    and noise (median and median absolute deviation of the pixels below the
///    threshold) set a floor; ink's level is the 90th percentile above it.
///    Levels are stretched so the floor is 0 and the ink 255, which removes
///    grey paper and gives faint pencil full contrast.
/// 5. **Crop**: the bounding box of the solid ink (above Otsu's threshold),
///    widened by up to 5% to take in the anti-aliased edge around it, so
///    specks far from the digit do not widen the box.
/// 6. **Scale**: to fit 20×20 keeping the aspect ratio, by area averaging
///    (each output pixel is the mean of the source area it covers), which is
///    the anti-aliasing MNIST's grey edges came from.
/// 7. **Centre**: the 20×20-fitted digit is placed in the 28×28 field so its
///    centre of mass lands on (14, 14), the mean centre measured on t10k
///    (14.01, 13.99 in pixel-index coordinates), clamped to stay inside.
///
/// A picture with no digit is not classified (`NoDigitReason`): one whose
/// grey levels span fewer than `minimumContrast`, one whose ink is less than
/// `minimumContrast` levels darker than its paper once the light is evened
/// out, and one whose ink spans less than `minimumInkSpan` of its longer side.
public enum DigitPreprocessor {
    public static let fieldSize = 28
    public static let boxSize = 20
    static let centre = 14.0
    /// Grey levels (about 10% of the range) that the picture's darkest and
    /// lightest pixel, and then its ink and paper, must be apart.
    public static let minimumContrast = 24
    /// The smallest share of the picture's longer side the solid ink must
    /// span: a speck of dust on a blank page is not a digit.
    public static let minimumInkSpan = 0.04

    /// Returns `[28 * 28]` pixels, 255 = ink.
    ///
    /// Every step after the lighting depends on a pixel only through its grey
    /// level, so they work on the picture's 256-bin histogram and a 256-entry
    /// table of ink levels, and the lighting is divided out in place: an
    /// 8192×8192 picture (the largest the readers accept) needs little memory
    /// beyond its own 64 MB, when the caller hands it over (`consuming`).
    /// - Throws: `NoDigitReason` for a picture with no digit in it.
    public static func mnistInput(from image: consuming GreyImage) throws(NoDigitReason) -> [UInt8] {
        guard !image.pixels.isEmpty else { throw .blank(levels: 0) }
        var counts = histogram(image.pixels)
        let darkest = counts.firstIndex { $0 > 0 }!, lightest = counts.lastIndex { $0 > 0 }!
        // A page with less contrast than this holds no stroke worth classifying, only paper noise.
        guard lightest - darkest >= minimumContrast else { throw .blank(levels: lightest - darkest) }
        // Step 2: the polarity under which, with the light divided out, more
        // of the picture is paper. Taken the wrong way round, the ink is
        // taken for paper and the true paper comes out dark.
        let light = paperGrid(image, invert: false), dark = paperGrid(image, invert: true)
        let shares = paperShares(image, light: light, dark: dark)
        let lightPaper = shares.light != shares.dark ? shares.light > shares.dark
            : borderIsLight(image, darkest: darkest, lightest: lightest)
        flattenLighting(&image, grid: lightPaper ? light : dark, invert: !lightPaper)
        counts = histogram(image.pixels)
        let ink = try inkLevels(counts)
        let picture = image
        return try picture.pixels.withUnsafeBufferPointer { (pixels) throws(NoDigitReason) -> [UInt8] in
            let box = try inkBox(pixels, counts, ink, width: picture.width, height: picture.height)
            let (scaled, width, height) = areaScale(pixels, ink, sourceWidth: picture.width, box: box)
            return centred(scaled, width: width, height: height)
        }
    }

    /// Counts of each grey level `0...255`.
    typealias Histogram = [Int]

    static func histogram(_ pixels: [UInt8]) -> Histogram {
        var counts = Histogram(repeating: 0, count: 256)
        pixels.withUnsafeBufferPointer { for value in $0 { counts[Int(value)] += 1 } }
        return counts
    }

    /// Step 2 when both polarities' paper grids reach as many cells (a
    /// page of even tone): whether the border, the paper, is brighter than
    /// the middle of the picture's range.
    static func borderIsLight(_ image: GreyImage, darkest: Int, lightest: Int) -> Bool {
        var border = Histogram(repeating: 0, count: 256)
        for x in 0..<image.width {
            border[Int(image.pixels[x])] += 1
            border[Int(image.pixels[(image.height - 1) * image.width + x])] += 1
        }
        for y in 0..<image.height {
            border[Int(image.pixels[y * image.width])] += 1
            border[Int(image.pixels[y * image.width + image.width - 1])] += 1
        }
        return Double(median(border)) > Double(darkest + lightest) / 2
    }

    /// Step 4: the ink intensity 0...1 of each grey level of the flattened,
    /// light-paper picture, background 0.
    /// - Throws: `.faintInk` when Otsu's ink class is within `minimumContrast`
    ///   levels of the paper.
    static func inkLevels(_ counts: Histogram) throws(NoDigitReason) -> [Double] {
        // Ink is high: the light paper is inverted.
        let ink = Histogram(counts.reversed())
        let threshold = otsuThreshold(ink)
        let background = Histogram(ink[0...threshold]) + Histogram(repeating: 0, count: 255 - threshold)
        let level = median(background)
        var deviations = Histogram(repeating: 0, count: 256)
        for value in 0...threshold { deviations[abs(value - level)] += background[value] }
        let spread = median(deviations)
        let floor = Double(level) + 4 * 1.4826 * Double(spread)
        let strokes = Histogram(repeating: 0, count: threshold + 1) + Histogram(ink[(threshold + 1)...])
        let strokeCount = strokes.reduce(0, +)
        let top = strokeCount == 0 ? level : value(atRank: min(strokeCount - 1, strokeCount * 9 / 10), strokes)
        guard top - level >= minimumContrast else { throw .faintInk(levels: top - level) }
        let range = max(1, Double(top) - floor)
        return (0..<256).map { grey in min(1, max(0, (Double(255 - grey) - floor) / range)) }
    }

    /// Otsu's method: the level that maximises the between-class variance of
    /// the histogram. Levels at or below it are background.
    static func otsuThreshold(_ counts: Histogram) -> Int {
        let histogram = counts.map(Double.init)
        let total = histogram.reduce(0, +)
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
    /// - Throws: `.noInk` when no pixel is solid ink, `.tooSmall` when the
    ///   solid ink spans less than `minimumInkSpan` of the longer side.
    static func inkBox(_ pixels: UnsafeBufferPointer<UInt8>, _ greyCounts: Histogram, _ ink: [Double],
                       width: Int, height: Int) throws(NoDigitReason) -> Box {
        // Solid ink: levels above Otsu's threshold of the ink levels, as 0...255.
        let quantised = ink.map { Int(($0 * 255).rounded()) }
        var counts = Histogram(repeating: 0, count: 256)
        for (grey, count) in greyCounts.enumerated() { counts[quantised[grey]] += count }
        let solidThreshold = otsuThreshold(counts)
        let solid = quantised.map { $0 > solidThreshold }
        guard let core = bounds(pixels, width: width, rows: 0..<height, columns: 0..<width, where: solid) else {
            throw .noInk
        }
        let span = max(core.right - core.left, core.bottom - core.top) + 1
        let needed = Int((minimumInkSpan * Double(max(width, height))).rounded(.up))
        guard span >= needed else {
            throw .tooSmall(width: core.right - core.left + 1, height: core.bottom - core.top + 1, minimum: needed)
        }
        let margin = max(1, (max(core.right - core.left, core.bottom - core.top) + 19) / 20)
        let wide = Box(left: max(0, core.left - margin), top: max(0, core.top - margin),
                       right: min(width - 1, core.right + margin), bottom: min(height - 1, core.bottom + margin))
        let inked = ink.map { $0 > 0 }
        return bounds(pixels, width: width, rows: wide.top..<(wide.bottom + 1), columns: wide.left..<(wide.right + 1),
                      where: inked) ?? core
    }

    /// The bounding box of the pixels whose grey level `selected` marks.
    static func bounds(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, rows: Range<Int>, columns: Range<Int>,
                       where selected: [Bool]) -> Box? {
        var box: Box?
        for y in rows {
            for x in columns where selected[Int(pixels[y * width + x])] {
                box = Box(left: min(box?.left ?? x, x), top: min(box?.top ?? y, y),
                          right: max(box?.right ?? x, x), bottom: max(box?.bottom ?? y, y))
            }
        }
        return box
    }

    /// Step 6: the box scaled to fit 20×20, by area averaging.
    static func areaScale(_ pixels: UnsafeBufferPointer<UInt8>, _ ink: [Double], sourceWidth: Int,
                          box: Box) -> ([Double], Int, Int) {
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
                        sum += coverX * coverY * ink[Int(pixels[(box.top + sy) * sourceWidth + box.left + sx])]
                    }
                }
                out[oy * outW + ox] = sum / (stepX * stepY)
            }
        }
        return (out, outW, outH)
    }

    /// Step 7: placed in the 28×28 field by its centre of mass.
    static func centred(_ digit: [Double], width: Int, height: Int) -> [UInt8] {
        var mass = 0.0, sumX = 0.0, sumY = 0.0
        for y in 0..<height {
            for x in 0..<width {
                let value = digit[y * width + x]
                mass += value; sumX += Double(x) * value; sumY += Double(y) * value
            }
        }
        let comX = mass > 0 ? sumX / mass : Double(width - 1) / 2
        let comY = mass > 0 ? sumY / mass : Double(height - 1) / 2
        let left = min(fieldSize - width, max(0, Int((centre - comX).rounded())))
        let top = min(fieldSize - height, max(0, Int((centre - comY).rounded())))
        var field = [UInt8](repeating: 0, count: fieldSize * fieldSize)
        for y in 0..<height {
            for x in 0..<width {
                field[(top + y) * fieldSize + left + x] = UInt8((min(1, digit[y * width + x]) * 255).rounded())
            }
        }
        return field
    }

    /// The middle value, `sorted[count / 2]`, of the values a histogram counts; 0 for none.
    static func median(_ counts: Histogram) -> Int {
        let total = counts.reduce(0, +)
        return total == 0 ? 0 : value(atRank: total / 2, counts)
    }

    /// `sorted[rank]` of the values a histogram counts.
    static func value(atRank rank: Int, _ counts: Histogram) -> Int {
        var seen = 0
        for (value, count) in counts.enumerated() {
            seen += count
            if seen > rank { return value }
        }
        return counts.count - 1
    }
}
