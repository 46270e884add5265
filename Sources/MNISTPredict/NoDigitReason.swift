/// Why a picture holds no digit to classify (`DigitPreprocessor`).
public enum NoDigitReason: Error, Equatable, Sendable, CustomStringConvertible {
    /// The picture's grey levels span fewer than `DigitPreprocessor.minimumContrast`.
    case blank(levels: Int)
    /// Once the light is evened out, the ink is fewer than
    /// `DigitPreprocessor.minimumContrast` levels darker than the paper.
    case faintInk(levels: Int)
    /// Nothing is left of the picture once the background is removed.
    case noInk
    /// The solid ink spans `width`×`height` pixels, less than `minimum` in
    /// either direction (`DigitPreprocessor.minimumInkSpan` of the longer side).
    case tooSmall(width: Int, height: Int, minimum: Int)

    public var description: String {
        let needed = DigitPreprocessor.minimumContrast
        switch self {
        case .blank(let levels):
            return "blank: its grey levels span \(levels); expected at least \(needed)"
        case .faintInk(let levels):
            return "ink too faint: \(levels) grey levels darker than the paper; expected at least \(needed)"
        case .noInk:
            return "nothing left once the background is removed"
        case .tooSmall(let width, let height, let minimum):
            return "marks too small: \(width)×\(height) pixels; expected at least \(minimum) pixels high or wide"
        }
    }
}
