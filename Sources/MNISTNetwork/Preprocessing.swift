/// What a network does to an image's pixels before its first layer. It is part
/// of the model: the weights' metadata names it (`preprocess`), and every path
/// that classifies (`BatchClassifier`, `ReferenceClassifier`, the trainer)
/// applies it the same way, in integers, so the result is the same bytes
/// everywhere. Weights without the key get `.none`: pixels as they are.
public enum Preprocessing: String, Sendable, Equatable, CaseIterable {
    /// The pixels as they are.
    case none
    /// The page's background removed, whatever its level or shading (see
    /// `FrameBackground`), then the contrast stretched to 0…255.
    case frameBackground = "frame-background"

    /// The metadata key that names it.
    public static let metadataKey = "preprocess"

    /// Side of the square images it works on: the frame is MNIST's margin.
    public static let side = 28

    /// The preprocessing `name` names, or `nil` when it is not one of these.
    public init?(name: String) { self.init(rawValue: name) }

    /// Writes the preprocessed 28×28 image of `source` into `output` (784 bytes
    /// each; they must not overlap). Not to be called for `.none`.
    public func apply(_ source: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) {
        switch self {
        case .none: output.update(from: source, count: Self.side * Self.side)
        case .frameBackground: FrameBackground.apply(source, into: output)
        }
    }

    /// `apply` on a whole image, for callers with arrays (tests, tools).
    public func applied(to pixels: [UInt8]) -> [UInt8] {
        precondition(pixels.count == Self.side * Self.side, "a 28×28 image")
        return [UInt8](unsafeUninitializedCapacity: pixels.count) { output, count in
            pixels.withUnsafeBufferPointer { apply($0.baseAddress!, into: output.baseAddress!) }
            count = pixels.count
        }
    }
}

/// Background removal from the frame, for `Preprocessing.frameBackground`.
///
/// MNIST centres a 20×20 digit in 28×28, so the outer three rows and columns
/// are page, not ink. Their medians (three pixels deep, so a speck of noise or
/// a stray stroke does not count) give the background along each edge, taken
/// to lie on the middle one of the three (row and column 1 and 26), and a
/// Coons patch fills the inside from the four edges: exact for any background
/// that is constant, a linear ramp, or constant along rows or along columns
/// (bands), and a smooth guess for shading. A digit whose ink reaches into
/// the frame (108 of the first 1,000 t10k digits) has some of it taken for
/// page. What each pixel has above the background, `max(x − background, 0)`,
/// is the ink (white on black, as MNIST's); the largest is stretched to 255.
/// (`|x − background|` would also take dark ink on a light band, but it turns
/// the noise below the background into ink: `scripts/preprocess_sweep.py`
/// measured it worse on the corrupted validation images.)
///
/// On a clean MNIST digit the frame is black, the background is 0 everywhere
/// and the image only gets stretched (most already reach 255).
///
/// In integers throughout: the background is kept as a multiple of 1/1250
/// (2·25²), never rounded, and the stretch divides once at the end, rounding
/// half up. So every caller gets the same bytes.
enum FrameBackground {
    static let side = 28
    static let last = side - 1   // 27
    /// The edges' positions: the middle of the three rows (columns) whose median they are.
    static let near = 1, far = side - 2, span = far - near   // 1, 26, 25

    static func apply(_ x: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) {
        // Edge medians: top and bottom per column, left and right per row.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * side) { edges in
            let topEdge = edges.baseAddress!, bottomEdge = topEdge + side
            let leftEdge = bottomEdge + side, rightEdge = leftEdge + side
            for i in 0..<side {
                topEdge[i] = median3(x[i], x[side + i], x[2 * side + i])
                bottomEdge[i] = median3(x[(last - 2) * side + i], x[(last - 1) * side + i], x[last * side + i])
                leftEdge[i] = median3(x[i * side], x[i * side + 1], x[i * side + 2])
                rightEdge[i] = median3(x[i * side + last - 2], x[i * side + last - 1], x[i * side + last])
            }
            // Corners (1, 1) … (26, 26), doubled: the mean of the two edges that meet there.
            let c00 = topEdge[near] + leftEdge[near], c01 = topEdge[far] + rightEdge[near]
            let c10 = bottomEdge[near] + leftEdge[far], c11 = bottomEdge[far] + rightEdge[far]
            // With t = r − 1 and u = c − 1 (−1 … 26; the outer row and column
            // extrapolate), distance[i] = max(1250·x − 1250·background, 0), background =
            //   ((25−t)·top[c] + t·bottom[c]) / 25 + ((25−u)·left[r] + u·right[r]) / 25
            //   − bilinear(corners) / 25²
            let n = Int32(span)
            var largest: Int32 = 0
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: side * side) { distance in
                for r in 0..<side {
                    let rr = Int32(r - near)
                    for c in 0..<side {
                        let cc = Int32(c - near)
                        let vertical = (n - rr) * topEdge[c] + rr * bottomEdge[c]
                        let horizontal = (n - cc) * leftEdge[r] + cc * rightEdge[r]
                        let corners = (n - rr) * (n - cc) * c00 + (n - rr) * cc * c01 + rr * (n - cc) * c10 + rr * cc * c11
                        let background = 2 * n * (vertical + horizontal) - corners
                        let d = max(2 * n * n * Int32(x[r * side + c]) - background, 0)
                        distance[r * side + c] = d
                        largest = max(largest, d)
                    }
                }
                guard largest > 0 else {
                    output.update(repeating: 0, count: side * side)
                    return
                }
                for i in 0..<(side * side) {
                    output[i] = UInt8(truncatingIfNeeded: (255 * Int64(distance[i]) + Int64(largest / 2)) / Int64(largest))
                }
            }
        }
    }

    @inline(__always)
    static func median3(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int32 {
        Int32(max(min(a, b), min(max(a, b), c)))
    }
}
