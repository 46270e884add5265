import MNISTEvaluation
import MNISTPictures

/// The picture behind `mnist-eval --confusion`: the confusion matrix as a
/// heat map, rows the true digit and columns the predicted one, with each
/// count written in its cell.
///
/// The diagonal (correct) and off-diagonal (errors) cells get separate colour
/// scales: on a single scale the ~1,000 correct images per digit would wash
/// every error cell out to white. Diagonal cells are green by recall; error
/// cells are red by the square root of count/largest error, so a single
/// mistake is still visibly tinted.
public struct ConfusionHeatmap: Sendable {
    /// `[true][predicted]` counts, square.
    public var confusion: [[Int]]

    static let cell = 56
    static let textScale = 2
    static let left = 80
    static let top = 64

    public init(confusion: [[Int]]) {
        precondition(confusion.allSatisfy { $0.count == confusion.count }, "the matrix must be square")
        self.confusion = confusion
    }

    public func render() -> RGBCanvas {
        let classes = confusion.count
        let cell = Self.cell, text = Self.textScale
        var canvas = RGBCanvas(width: Self.left + classes * cell + 16, height: Self.top + classes * cell + 16)
        canvas.drawText("PREDICTED", centreX: Self.left + classes * cell / 2, y: 8, scale: text)
        canvas.drawText("TRUE", x: 8, y: Self.top - 24, scale: text)
        let largestError = confusion.enumerated().flatMap { row, counts in
            counts.enumerated().filter { $0.offset != row }.map(\.element)
        }.max() ?? 0
        for row in 0..<classes {
            let rowTotal = confusion[row].reduce(0, +)
            canvas.drawText("\(row)", centreX: Self.left - 16, y: Self.top + row * cell + (cell - 14) / 2, scale: text)
            canvas.drawText("\(row)", centreX: Self.left + row * cell + cell / 2, y: Self.top - 24, scale: text)
            for column in 0..<classes {
                let count = confusion[row][column]
                let colour: RGBCanvas.Colour
                if row == column {
                    colour = Self.mix(RGBCanvas.Colour(20, 120, 50), rowTotal > 0 ? Double(count) / Double(rowTotal) : 0)
                } else {
                    colour = Self.mix(RGBCanvas.Colour(200, 30, 30),
                                      largestError > 0 ? (Double(count) / Double(largestError)).squareRoot() : 0)
                }
                let x = Self.left + column * cell, y = Self.top + row * cell
                canvas.fill(x: x, y: y, width: cell, height: cell, RGBCanvas.Colour(200, 200, 200))
                canvas.fill(x: x + 1, y: y + 1, width: cell - 2, height: cell - 2, colour)
                let ink: RGBCanvas.Colour = colour.luminance < 140 ? .white : .black
                canvas.drawText("\(count)", centreX: x + cell / 2, y: y + (cell - 14) / 2, scale: text, ink)
            }
        }
        return canvas
    }

    /// White blended towards `colour` by `amount` in 0...1.
    static func mix(_ colour: RGBCanvas.Colour, _ amount: Double) -> RGBCanvas.Colour {
        let t = min(1, max(0, amount))
        func channel(_ value: UInt8) -> UInt8 { UInt8((255 - t * (255 - Double(value))).rounded()) }
        return RGBCanvas.Colour(channel(colour.r), channel(colour.g), channel(colour.b))
    }
}
