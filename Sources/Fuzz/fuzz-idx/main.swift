import FuzzSupport
import MNISTData

/// The IDX readers the CLI and tools use, on raw or gzip-wrapped bytes.
/// The first byte chooses: bit 0 gzip-wraps the rest, bits 1-2 the reader
/// (`IDXArray.read`, `LabelSet.read`, `IDXImageReader` and its read loop),
/// bits 3-4 the images per `read` call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzBytes(Fuzz.bytes(data, size))
    let choice = input.byte()
    let content = input.rest
    let file = choice & 1 == 1 ? try! Gzip.compress(content, level: 1) : content
    Fuzz.withFiles([file]) { paths in
        switch choice >> 1 & 3 {
        case 0:
            let array = try IDXArray.read(path: paths[0])
            Fuzz.require(array.header.headerByteCount + array.header.dataByteCount == content.count,
                         "accepted \(content.count) bytes for header \(array.header)")
        case 1:
            let labels = try LabelSet.read(path: paths[0])
            Fuzz.require(labels.labels.allSatisfy { $0 <= 9 }, "accepted a label above 9")
            Fuzz.require(8 + labels.labels.count == content.count, "accepted labels with extra bytes")
        default:
            let reader = try IDXImageReader(path: paths[0])
            let perCall = Int(choice >> 3 & 3) + 1
            var pixels = [UInt8](repeating: 0, count: perCall * reader.pixelsPerImage)
            var images = 0
            while true {
                let count = try pixels.withUnsafeMutableBufferPointer { try reader.read(maxImages: perCall, into: $0) }
                if count == 0 { break }
                images += count
            }
            Fuzz.require(images == reader.count, "read \(images) of \(reader.count) images")
            Fuzz.require(16 + images * 784 == content.count, "accepted images with extra bytes")
        }
    }
    return 0
}

Fuzz.main("fuzz-idx", fuzzIDX)
