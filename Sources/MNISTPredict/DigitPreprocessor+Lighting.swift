import MNISTPictures

/// Step 3 of `DigitPreprocessor`, and the paper grid step 2 decides with:
/// the light that falls on the paper, estimated and divided out.
///
/// A photo multiplies what the page reflects by the light on it, and the
/// light is uneven: brighter near a lamp, darker in the shadow of the phone.
/// With a strong gradient, one global threshold cannot split ink from paper
/// (Otsu's kept a band of the darker paper as ink). So the paper's brightness
/// is estimated on a coarse grid, the levels each pixel is divided by.
extension DigitPreprocessor {
    /// Cells of the paper grid along the picture's longer side.
    static let lightingCells = 16
    /// The smallest cell, in pixels: a tiny picture gets few cells.
    static let minimumCell = 4
    /// Which of a cell's levels is its paper: this percentile (of 100). Ink
    /// is the darker minority of most cells, and the brightest few levels are noise.
    static let paperPercentile = 90
    /// The most, in percent, the light on the paper may fall from one cell
    /// to the next (`paperCells`). Where the light falls from 100% to 30%
    /// across a page 16 cells wide, it falls by 0.7/16 of the brightest
    /// between cells, a seventh of the 35% left at the dark end; a cell that
    /// ink fills is darker by more, unless the ink is faint: a blot of ink
    /// wider than a cell and less than 15% darker than the paper is taken for
    /// shadow.
    static let lightStep = 15
    /// When the paper cells' levels span at most this many grey levels (from
    /// the 10th percentile of them to the brightest), the light counts as
    /// even and nothing is divided out: Otsu's threshold copes with it, and
    /// scaling each level by 255/paper would only add rounding.
    static let evenLight = 12

    /// The paper's brightness over a grid of square cells, for one polarity.
    struct PaperGrid {
        var rows, columns, cell: Int
        /// `[rows, columns]`: each cell's `paperPercentile`th level, of the
        /// picture or (for light ink on dark paper) of its negative.
        var levels: [Int]
        /// The cells that show paper (`paperCells`).
        var paper: [Bool]

        /// The two cells whose centres (at `cell/2`) are nearest pixel `index`
        /// along a side of `count` cells, and the weight of the second: in
        /// [0, 1] between centres, and beyond that range past the outermost
        /// centres, so the light is extrapolated linearly to the picture's edge.
        func position(_ index: Int, count: Int) -> (Int, Int, Double) {
            guard count > 1 else { return (0, 0, 0) }
            let u = (Double(index) + 0.5) / Double(cell) - 0.5
            let first = min(count - 2, max(0, Int(u.rounded(.down))))
            return (first, first + 1, u - Double(first))
        }
    }

    /// The grid for `invert` false (dark ink on light paper) or true.
    static func paperGrid(_ image: GreyImage, invert: Bool) -> PaperGrid {
        let cell = max(minimumCell, (max(image.width, image.height) + lightingCells - 1) / lightingCells)
        let columns = (image.width + cell - 1) / cell, rows = (image.height + cell - 1) / cell
        let levels = cellLevels(image, cell: cell, columns: columns, rows: rows, invert: invert)
        return PaperGrid(rows: rows, columns: columns, cell: cell, levels: levels,
                         paper: paperCells(levels, rows: rows, columns: columns))
    }

    /// Each cell's `paperPercentile`th level, `[rows, columns]`, of the
    /// picture or, with `invert`, of its negative: paper, where ink is the
    /// darker minority of the cell.
    static func cellLevels(_ image: GreyImage, cell: Int, columns: Int, rows: Int, invert: Bool) -> [Int] {
        var levels = [Int](repeating: 0, count: rows * columns)
        // One 256-bin histogram per cell of the current row of cells, `[columns, 256]`.
        var counts = [Int](repeating: 0, count: columns * 256)
        image.pixels.withUnsafeBufferPointer { pixels in
            counts.withUnsafeMutableBufferPointer { counts in
                for gy in 0..<rows {
                    counts.update(repeating: 0)
                    for y in (gy * cell)..<min(image.height, (gy + 1) * cell) {
                        for column in 0..<columns {
                            let histogram = column * 256
                            for x in (column * cell)..<min(image.width, (column + 1) * cell) {
                                let level = Int(pixels[y * image.width + x])
                                counts[histogram + (invert ? 255 - level : level)] += 1
                            }
                        }
                    }
                    for column in 0..<columns {
                        let histogram = Histogram(counts[(column * 256)..<((column + 1) * 256)])
                        let total = histogram.reduce(0, +)
                        levels[gy * columns + column] = value(atRank: (total - 1) * paperPercentile / 100, histogram)
                    }
                }
            }
        }
        return levels
    }

    /// Which cells show paper: every cell reachable from the brightest (the
    /// first, row by row, of equals) through neighbours (8-connected) each
    /// at least `100 - lightStep` percent as bright as the one before. Light
    /// changes that little from one cell to the next; a cell that ink
    /// darkens more is never reached, however large the blot.
    static func paperCells(_ levels: [Int], rows: Int, columns: Int) -> [Bool] {
        var paper = [Bool](repeating: false, count: levels.count)
        let brightest = levels.indices.max { levels[$0] < levels[$1] || (levels[$0] == levels[$1] && $0 > $1) }!
        paper[brightest] = true
        var queue = [brightest]
        while let cell = queue.popLast() {
            let gy = cell / columns, gx = cell % columns
            for ny in max(0, gy - 1)...min(rows - 1, gy + 1) {
                for nx in max(0, gx - 1)...min(columns - 1, gx + 1) {
                    let next = ny * columns + nx
                    guard !paper[next], levels[next] * 100 >= levels[cell] * (100 - lightStep) else { continue }
                    paper[next] = true
                    queue.append(next)
                }
            }
        }
        return paper
    }

    /// The paper level to divide by in each cell: the paper cells' own, each
    /// other cell filled with the mean of its filled neighbours ring by ring
    /// inwards.
    static func paperLevels(_ grid: PaperGrid) -> [Double] {
        let (rows, columns) = (grid.rows, grid.columns)
        var filled = grid.levels.map(Double.init)
        var known = grid.paper
        while known.contains(false) {
            let ring = known, values = filled
            for cell in filled.indices where !ring[cell] {
                let gy = cell / columns, gx = cell % columns
                var sum = 0.0, count = 0.0
                for ny in max(0, gy - 1)...min(rows - 1, gy + 1) {
                    for nx in max(0, gx - 1)...min(columns - 1, gx + 1) where ring[ny * columns + nx] {
                        sum += values[ny * columns + nx]; count += 1
                    }
                }
                if count > 0 { filled[cell] = sum / count; known[cell] = true }
            }
        }
        return filled
    }

    /// How many pixels come out within `minimumContrast` of white, either
    /// way, when the light each grid estimates is divided out (before
    /// rounding and clipping; `flattenLighting` is not done): `light` for
    /// dark ink on light paper, `dark` for the negative. Taken the wrong way
    /// round, ink comes out far brighter than white, and paper next to cells
    /// that ink fills comes out dark.
    static func paperShares(_ image: GreyImage, light: PaperGrid, dark: PaperGrid) -> (light: Int, dark: Int) {
        let lightPaper = PaperRows(light, width: image.width), darkPaper = PaperRows(dark, width: image.width)
        var lightRow = [Double](repeating: 0, count: image.width), darkRow = lightRow
        var shares = (light: 0, dark: 0)
        let white = Double(255 - minimumContrast) - 0.5, brightest = Double(255 + minimumContrast) + 0.5
        func isPaper(_ level: Double) -> Bool { level >= white && level <= brightest }
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<image.height {
                lightPaper.row(y, into: &lightRow)
                darkPaper.row(y, into: &darkRow)
                lightRow.withUnsafeBufferPointer { lightRow in
                    darkRow.withUnsafeBufferPointer { darkRow in
                        for x in 0..<image.width {
                            let value = Double(pixels[y * image.width + x])
                            if isPaper(value * lightRow[x]) { shares.light += 1 }
                            if isPaper((255 - value) * darkRow[x]) { shares.dark += 1 }
                        }
                    }
                }
            }
        }
        return shares
    }

    /// What each pixel of a row is scaled by: 255 over the paper level there,
    /// the grid's `paperLevels` interpolated bilinearly between the cells'
    /// centres (and at least 1).
    struct PaperRows {
        let grid: PaperGrid
        let level: [Double]
        /// Per pixel column: the cells either side and the second's weight.
        let left: [Int], right: [Int], weight: [Double]

        init(_ grid: PaperGrid, width: Int) {
            self.grid = grid
            level = paperLevels(grid)
            let positions = (0..<width).map { grid.position($0, count: grid.columns) }
            left = positions.map { $0.0 }
            right = positions.map { $0.1 }
            weight = positions.map { $0.2 }
        }

        func row(_ y: Int, into scale: inout [Double]) {
            let columns = grid.columns
            let (top, bottom, t) = grid.position(y, count: grid.rows)
            let between = (0..<columns).map { column in
                level[top * columns + column] * (1 - t) + level[bottom * columns + column] * t
            }
            scale.withUnsafeMutableBufferPointer { scale in
                for x in scale.indices {
                    let first = between[left[x]], second = between[right[x]], w = weight[x]
                    scale[x] = 255 / max(1, first * (1 - w) + second * w)
                }
            }
        }
    }

    /// Step 3: the light on the paper divided out, in place, with `grid`'s
    /// polarity (`invert` for light ink on dark paper): each pixel scaled by
    /// 255 over the paper level there, interpolated bilinearly between the
    /// cells' centres. Afterwards the picture is dark ink on light paper, and
    /// the paper about 255 everywhere. Evenly lit paper (`evenLight`) is only
    /// inverted if need be.
    static func flattenLighting(_ image: inout GreyImage, grid: PaperGrid, invert: Bool) {
        let paperCells = grid.levels.indices.filter { grid.paper[$0] }.map { grid.levels[$0] }.sorted()
        if paperCells.last! - paperCells[(paperCells.count - 1) / 10] <= evenLight {
            if invert { image.pixels.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = 255 - $0[i] } } }
            return
        }
        let width = image.width
        let rows = PaperRows(grid, width: width)
        var scale = [Double](repeating: 0, count: width)
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            for y in 0..<image.height {
                rows.row(y, into: &scale)
                scale.withUnsafeBufferPointer { scale in
                    for x in 0..<width {
                        let value = Double(invert ? 255 - pixels[y * width + x] : pixels[y * width + x])
                        pixels[y * width + x] = UInt8(min(255, value * scale[x] + 0.5))  // rounded
                    }
                }
            }
        }
    }
}
