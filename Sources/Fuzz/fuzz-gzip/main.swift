import FuzzSupport
import MNISTData

/// The gzip layer as every reader uses it: `DecompressedStream` over a file,
/// read to the end. Each input is read twice, with the CLI's 64 KiB input
/// chunks and with 16-byte ones (headers and trailers split across reads),
/// and both reads must agree on the bytes and on the error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.withFiles([Fuzz.bytes(data, size)]) { paths in
        let large = outcome(paths[0], chunkSize: 1 << 16)
        let small = outcome(paths[0], chunkSize: 16)
        Fuzz.require(large == small, "chunk size changes the result: \(large) vs \(small)")
        if case .failure(let error) = large { throw error }
    }
    return 0
}

/// Decompressed bytes are capped: a bomb must not make the fuzzer slow.
private let outputLimit = 1 << 22

private enum Outcome: Equatable {
    case bytes(count: Int, hash: UInt64)
    case failure(DataError)

    static func == (a: Outcome, b: Outcome) -> Bool {
        switch (a, b) {
        case let (.bytes(c1, h1), .bytes(c2, h2)): return c1 == c2 && h1 == h2
        // The trailer's quoted value depends on what is still buffered; the kind's case must not.
        case let (.failure(e1), .failure(e2)): return e1.kind.caseName == e2.kind.caseName
        default: return false
        }
    }
}

private func outcome(_ path: String, chunkSize: Int) -> Outcome {
    do {
        let stream = try DecompressedStream(path: path, chunkSize: chunkSize)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var total = 0
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var request = 1
        while total < outputLimit {
            // Requests of 1, 8, 64, 512 and 4096 bytes in turn.
            let count = try buffer.withUnsafeMutableBytes { try stream.read(into: .init(rebasing: $0[..<request])) }
            for byte in buffer[..<count] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            total += count
            Fuzz.require(UInt64(total) == stream.decompressedOffset, "decompressedOffset disagrees with the bytes read")
            if count < request { break }
            request = request == 4096 ? 1 : request * 8
        }
        return .bytes(count: total, hash: hash)
    } catch let error as DataError {
        return .failure(error)
    } catch {
        fatalError("unexpected error \(error)")
    }
}

extension DataError.Kind {
    var caseName: Substring { String(describing: self).prefix { $0 != "(" } }
}

Fuzz.main("fuzz-gzip", fuzzGzip)
