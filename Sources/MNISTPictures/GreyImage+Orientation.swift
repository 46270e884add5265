extension GreyImage {
    /// The picture turned upright as EXIF orientation `orientation` says
    /// (1...8; anything else leaves it as it is). The values name where the
    /// stored picture's first row and column belong:
    ///
    /// | value | to show it upright | size |
    /// |---|---|---|
    /// | 1 | nothing | w×h |
    /// | 2 | mirror left to right | w×h |
    /// | 3 | turn 180° | w×h |
    /// | 4 | mirror top to bottom | w×h |
    /// | 5 | mirror along the main diagonal (transpose) | h×w |
    /// | 6 | turn 90° clockwise | h×w |
    /// | 7 | mirror along the other diagonal (transverse) | h×w |
    /// | 8 | turn 90° anticlockwise | h×w |
    public func oriented(exif orientation: Int) -> GreyImage {
        guard (2...8).contains(orientation) else { return self }
        let w = width, h = height
        let swapped = orientation >= 5
        let outWidth = swapped ? h : w, outHeight = swapped ? w : h
        // For each upright pixel (x, y): the stored pixel it comes from.
        let source: (Int, Int) -> Int
        switch orientation {
        case 2: source = { x, y in y * w + (w - 1 - x) }
        case 3: source = { x, y in (h - 1 - y) * w + (w - 1 - x) }
        case 4: source = { x, y in (h - 1 - y) * w + x }
        case 5: source = { x, y in x * w + y }
        case 6: source = { x, y in (h - 1 - x) * w + y }
        case 7: source = { x, y in (h - 1 - x) * w + (w - 1 - y) }
        default: source = { x, y in x * w + (w - 1 - y) }  // 8
        }
        var out = [UInt8](repeating: 0, count: w * h)
        pixels.withUnsafeBufferPointer { from in
            out.withUnsafeMutableBufferPointer { to in
                for y in 0..<outHeight {
                    for x in 0..<outWidth { to[y * outWidth + x] = from[source(x, y)] }
                }
            }
        }
        return GreyImage(width: outWidth, height: outHeight, pixels: out)
    }
}
