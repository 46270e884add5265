/// Netpbm grey and colour maps: P2 (plain PGM), P5 (raw PGM), P3 (plain PPM)
/// and P6 (raw PPM), with any maxval from 1 to 65535.
///
/// Written by hand because the formats are a few lines of text and a block of
/// samples: raw samples are one byte when maxval < 256, else two (big-endian).
/// Samples are scaled to 0...255 and colour is turned grey with the same
/// Rec. 709 weights libpng uses for PNG, so a PPM and a PNG of the same picture
/// give the same grey image.
public enum PNMReader {
    /// Parses `bytes`, the whole file. `path` is only for messages.
    public static func read(_ bytes: [UInt8], path: String, maxDimension: Int = ImageError.maxDimension) throws(ImageError) -> GreyImage {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), [2, 3, 5, 6].contains(bytes[1] &- 0x30) else {
            throw ImageError(.unknownFormat(found: Array(bytes.prefix(4))), path: path)
        }
        let kind = Int(bytes[1] - 0x30)
        let colour = kind == 3 || kind == 6
        let plain = kind == 2 || kind == 3
        var cursor = 2
        let width = try headerNumber(bytes, &cursor, "width", path)
        let height = try headerNumber(bytes, &cursor, "height", path)
        let maxval = try headerNumber(bytes, &cursor, "maxval", path)
        guard width > 0, height > 0 else { throw ImageError(.zeroSize(width: width, height: height), path: path) }
        guard width <= maxDimension, height <= maxDimension else {
            throw ImageError(.tooLarge(width: width, height: height, limit: maxDimension), path: path)
        }
        guard (1...65535).contains(maxval) else {
            throw ImageError(.malformedPNM("maxval \(maxval); expected 1...65535"), path: path)
        }
        let channels = colour ? 3 : 1
        let samples = width * height * channels
        let pixelCount = width * height
        // The picture is allocated only once the file holds enough bytes for every
        // sample, so its size is bounded by the file's, never by the header alone.
        var pixels: [UInt8]
        var sample = (0, 0, 0)
        if plain {
            // A plain sample is one digit at least, and samples are separated.
            if bytes.count - cursor < 2 * samples - 1 {
                var probe = cursor
                for index in 0..<samples { _ = try plainSample(bytes, &probe, index, samples, maxval, path) }
            }
            pixels = [UInt8](repeating: 0, count: pixelCount)
            for index in 0..<pixelCount {
                let first = index * channels
                sample.0 = try plainSample(bytes, &cursor, first, samples, maxval, path)
                if colour {
                    sample.1 = try plainSample(bytes, &cursor, first + 1, samples, maxval, path)
                    sample.2 = try plainSample(bytes, &cursor, first + 2, samples, maxval, path)
                }
                pixels[index] = grey(sample, colour: colour, maxval: maxval)
            }
        } else {
            cursor += 1  // exactly one whitespace byte after maxval
            let sampleBytes = maxval < 256 ? 1 : 2
            let available = max(0, bytes.count - cursor) / sampleBytes
            guard available >= samples else {
                throw ImageError(.truncatedPNM(expectedSamples: samples, foundSamples: available), path: path)
            }
            func rawSample(_ index: Int) -> Int {
                let at = cursor + index * sampleBytes
                return sampleBytes == 1 ? Int(bytes[at]) : Int(bytes[at]) << 8 | Int(bytes[at + 1])
            }
            pixels = [UInt8](repeating: 0, count: pixelCount)
            for index in 0..<pixelCount {
                let first = index * channels
                sample = colour ? (rawSample(first), rawSample(first + 1), rawSample(first + 2)) : (rawSample(first), 0, 0)
                pixels[index] = grey(sample, colour: colour, maxval: maxval)
            }
        }
        return GreyImage(width: width, height: height, pixels: pixels)
    }

    /// One pixel's samples (`r, g, b`, or the grey level in `.0`) scaled to 0...255.
    @inline(__always)
    private static func grey(_ sample: (Int, Int, Int), colour: Bool, maxval: Int) -> UInt8 {
        let level: Double
        if colour {
            let r = Double(sample.0), g = Double(sample.1), b = Double(sample.2)
            level = 0.2126 * r + 0.7152 * g + 0.0722 * b
        } else {
            level = Double(sample.0)
        }
        return UInt8(min(255, (level * 255 / Double(maxval)).rounded()))
    }

    /// Plain sample number `index` of `samples`, checked against maxval.
    private static func plainSample(_ bytes: [UInt8], _ cursor: inout Int, _ index: Int, _ samples: Int, _ maxval: Int,
                                    _ path: String) throws(ImageError) -> Int {
        guard let value = try number(bytes, &cursor, path) else {
            throw ImageError(.truncatedPNM(expectedSamples: samples, foundSamples: index), path: path)
        }
        guard value <= maxval else {
            throw ImageError(.malformedPNM("sample \(index) is \(value), above maxval \(maxval)"), path: path)
        }
        return value
    }

    private static func headerNumber(_ bytes: [UInt8], _ cursor: inout Int, _ name: String, _ path: String) throws(ImageError) -> Int {
        guard let value = try number(bytes, &cursor, path) else {
            throw ImageError(.malformedPNM("header ends before the \(name)"), path: path)
        }
        return value
    }

    /// The next decimal number, skipping whitespace and `#` comments; `nil` at the end of the data.
    private static func number(_ bytes: [UInt8], _ cursor: inout Int, _ path: String) throws(ImageError) -> Int? {
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "#") {
                while cursor < bytes.count && bytes[cursor] != 0x0A && bytes[cursor] != 0x0D { cursor += 1 }
            } else if byte == 0x20 || (0x09...0x0D).contains(byte) {
                cursor += 1
            } else {
                break
            }
        }
        guard cursor < bytes.count else { return nil }
        var value = 0
        var digits = 0
        while cursor < bytes.count, (0x30...0x39).contains(bytes[cursor]) {
            value = value * 10 + Int(bytes[cursor] - 0x30)
            digits += 1
            cursor += 1
            guard value <= 1 << 31 else { throw ImageError(.malformedPNM("number too large at byte \(cursor)"), path: path) }
        }
        guard digits > 0 else {
            throw ImageError(.malformedPNM("byte \(cursor): expected a decimal number, found 0x\(String(bytes[cursor], radix: 16))"), path: path)
        }
        return value
    }
}
