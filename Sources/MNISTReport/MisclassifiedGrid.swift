import MNISTEvaluation
import MNISTPictures

/// The picture behind `mnist-eval --misclassified`: misclassified digits in a
/// grid, each drawn as dark ink on white with its index, true label,
/// predicted label and confidence underneath (`#247` / `4>2 63%`).
///
/// Dark-on-white because that is how people see handwriting; the caption is
/// two short lines in a 5×7 font at 2× so it reads without zooming.
public struct MisclassifiedGrid: Sendable {
    /// The digits drawn, in order; for regressions, `predicted` is this run's answer.
    public var entries: [RetainedImage]
    /// How many images were misclassified (or regressed) in all (the header
    /// says "60 OF 106").
    public var totalMisclassified: Int
    /// Pixel scale of each digit: 3 for up to 100 digits, 2 above, so that a
    /// grid of every t10k error stays a picture a viewer opens at once.
    public var scale: Int
    public var columns: Int = 10
    /// The word before the count in the title: `MISCLASSIFIED: 60 OF 106`.
    public var title = "MISCLASSIFIED"

    static let textScale = 2
    static let padding = 8
    static let header = "#INDEX  TRUE>PREDICTED CONFIDENCE"

    public init(entries: [RetainedImage], totalMisclassified: Int, scale: Int? = nil) {
        self.entries = entries
        self.totalMisclassified = totalMisclassified
        self.scale = scale ?? (entries.count <= 100 ? 3 : 2)
    }

    /// The first `limit` kept misclassified images of `result`, with their
    /// labels and confidences.
    public init(result: EvaluationResult, limit: Int = .max, scale: Int? = nil) {
        let entries = Array(result.misclassifiedImages.prefix(limit))
        let total = result.metrics.map { $0.images - $0.correct } ?? 0
        self.init(entries: entries, totalMisclassified: total, scale: scale)
    }

    /// The first `limit` kept regressed images of `comparison` (right for the
    /// baseline, wrong now), titled `REGRESSED: 10 OF 31`; the caption's
    /// prediction and confidence are this run's.
    public init(regressions comparison: Comparison, limit: Int = .max, scale: Int? = nil) {
        let entries = comparison.regressedImages.prefix(limit).map { image in
            RetainedImage(index: image.index, label: image.label, predicted: image.after,
                          confidence: image.confidence, pixels: image.pixels)
        }
        self.init(entries: entries, totalMisclassified: comparison.regressions, scale: scale)
        title = "REGRESSED"
    }

    public func render() -> RGBCanvas {
        let text = Self.textScale
        let lineHeight = (BitmapFont.glyphHeight + 3) * text
        let digitSize = 28 * scale
        let cellWidth = max(digitSize, BitmapFont.width(of: "9>9 100%", scale: text)) + 2 * Self.padding
        let cellHeight = digitSize + 2 * lineHeight + 2 * Self.padding
        let columnCount = max(1, min(columns, entries.count))
        let rowCount = (entries.count + columnCount - 1) / columnCount
        let title = "\(self.title): \(entries.count) OF \(totalMisclassified)"
        let top = Self.padding + 2 * lineHeight + Self.padding
        let width = max(columnCount * cellWidth, BitmapFont.width(of: Self.header, scale: text)) + 2 * Self.padding
        var canvas = RGBCanvas(width: width, height: top + max(1, rowCount) * cellHeight + Self.padding)
        canvas.drawText(title, x: Self.padding, y: Self.padding, scale: text)
        canvas.drawText(Self.header, x: Self.padding, y: Self.padding + lineHeight, scale: text, Self.captionColour)
        let frame = RGBCanvas.Colour(170, 170, 170)
        for (n, entry) in entries.enumerated() {
            let x = Self.padding + (n % columnCount) * cellWidth
            let y = top + (n / columnCount) * cellHeight
            let digitX = x + (cellWidth - digitSize) / 2
            canvas.fill(x: digitX - 1, y: y - 1, width: digitSize + 2, height: digitSize + 2, frame)
            canvas.drawDigit(entry.pixels, x: digitX, y: y, scale: scale)
            let centre = x + cellWidth / 2
            canvas.drawText("#\(entry.index)", centreX: centre, y: y + digitSize + text * 3, scale: text)
            canvas.drawText(Self.caption(entry), centreX: centre, y: y + digitSize + text * 3 + lineHeight, scale: text,
                            Self.captionColour)
        }
        return canvas
    }

    /// `4>2 63%`: true label, predicted label, confidence of the prediction.
    static func caption(_ image: RetainedImage) -> String {
        "\(image.label)>\(image.predicted) \(Int((image.confidence * 100).rounded()))%"
    }

    /// Dark red: the wrong prediction is the point of the picture.
    static let captionColour = RGBCanvas.Colour(170, 20, 20)
}
