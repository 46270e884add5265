/// The orientation tag a camera writes into a JPEG's EXIF data: a phone
/// stores the sensor's rows as they were read and records how to turn them
/// upright, rather than turning the pixels itself.
///
/// EXIF is a TIFF structure inside an APP1 segment: "Exif\0\0", a TIFF header
/// (`II` little-endian or `MM` big-endian, 42, the offset of IFD0), then IFD0,
/// a count of 12-byte entries (tag, type, count, value). Tag 0x0112 is the
/// orientation, a SHORT from 1 to 8. Every offset comes from the file, so each
/// read is checked against the segment's end.
public enum ExifOrientation {
    /// The orientation (1...8) in `segment`, an APP1 segment's data from its
    /// "Exif\0\0" identifier on; `nil` when there is none, it is not a SHORT,
    /// it is out of range, or the structure around it is cut short.
    public static func value(inAPP1 segment: [UInt8]) -> Int? {
        let identifier: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
        guard segment.count >= identifier.count + 8, segment.starts(with: identifier) else { return nil }
        let tiff = Array(segment[identifier.count...])
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true  // "II"
        case (0x4D, 0x4D): littleEndian = false  // "MM"
        default: return nil
        }
        func read(_ offset: Int, _ count: Int) -> Int? {
            guard offset >= 0, count <= tiff.count, offset <= tiff.count - count else { return nil }
            let bytes = tiff[offset..<(offset + count)]
            return (littleEndian ? bytes.reversed() : Array(bytes)).reduce(0) { $0 << 8 | Int($1) }
        }
        guard read(2, 2) == 42, let ifd = read(4, 4), let entries = read(ifd, 2) else { return nil }
        for index in 0..<entries {
            let entry = ifd + 2 + 12 * index
            guard let tag = read(entry, 2), let type = read(entry + 2, 2), let count = read(entry + 4, 4) else { return nil }
            guard tag == 0x0112 else { continue }
            // A SHORT (type 3) sits in the first two bytes of the value field.
            guard type == 3, count >= 1, let value = read(entry + 8, 2), (1...8).contains(value) else { return nil }
            return value
        }
        return nil
    }
}
