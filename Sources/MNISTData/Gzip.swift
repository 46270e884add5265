import CZlib

/// A small in-memory gzip writer for tests and tools (fixtures, converted
/// data sets). Reading never needs it; it is here so that every user of the
/// module writes gzip the same way, through zlib.
public enum Gzip {
    /// Compresses `bytes` into a single gzip member (zlib deflate with
    /// windowBits 15 + 16: a minimal header, no file name, CRC-32 and ISIZE).
    /// - Throws: `DataError` `compressionFailed` (out of memory in practice).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        precondition((-1...9).contains(level), "zlib levels are -1...9")
        // zlib keeps the stream's address between calls: it must not move,
        // which `&local` does not promise.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        let initCode = czlib_deflateInit2(stream, level, 15 + 16)
        guard initCode == Z_OK else { throw failure(initCode, stream) }
        defer { deflateEnd(stream) }

        // deflateBound covers the gzip wrapper too, so one call finishes.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))))
        var input = bytes
        let code = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = target.baseAddress
                stream.pointee.avail_out = uInt(target.count)
                return deflate(stream, Z_FINISH)
            }
        }
        guard code == Z_STREAM_END else { throw failure(code, stream) }
        output.removeLast(Int(stream.pointee.avail_out))
        return output
    }

    private static func failure(_ code: Int32, _ stream: UnsafeMutablePointer<z_stream>) -> DataError {
        let message = stream.pointee.msg.map { String(cString: $0) } ?? "no message"
        return DataError(.compressionFailed(code: code, message: message), path: "(in memory)")
    }
}
