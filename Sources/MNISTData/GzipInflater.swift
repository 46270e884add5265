import CChecksum
import CZlib

/// The zlib side of a `DecompressedStream`: inflates gzip members from a
/// `FileInput` straight into the caller's buffer.
///
/// zlib parses each member's header (FEXTRA, FNAME, FCOMMENT and FHCRC
/// included) and its trailer: windowBits 15 + 16 selects the gzip wrapper.
/// The trailer's CRC-32 and ISIZE are checked here, with `cchecksum_crc32`
/// (carry-less multiply, about 7 GB/s here): zlib 1.2's own runs at 2.1 GB/s
/// on this project's machine and was an eighth of the time to read a gzip
/// file. So each member's
/// header is parsed alone (`Z_BLOCK`) with zlib's checks on, verifying its
/// FHCRC, then `inflateValidate` turns them off for the data.
/// This type also adds what zlib leaves to its caller:
/// members concatenated as `gzip -d` reads them, rejecting trailing garbage,
/// telling truncation in the header from truncation later, and turning zlib's
/// codes and messages into `DataError` kinds with file offsets.
///
/// `z_stream` and `gz_header` are allocated once and never move: zlib keeps
/// pointers to both between calls.
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let header: UnsafeMutablePointer<gz_header>
    /// The current member has ended (`Z_STREAM_END`); what follows is not yet known.
    private var memberEnded = false
    /// File offset of the current member's first byte (its `1f 8b`).
    private var memberStart: UInt64 = 0
    /// The last member has ended and nothing follows it.
    private(set) var finished = false
    /// CRC-32 and length (mod 2^32) of the current member's output so far.
    private var memberCRC: UInt32 = 0
    private var memberLength: UInt32 = 0

    init(path: String) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        header = .allocate(capacity: 1)
        header.initialize(to: gz_header())
        let code = czlib_inflateInit2(stream, 15 + 16)
        guard code == Z_OK else {
            stream.deallocate()
            header.deallocate()
            throw DataError(.gzipCorrupt("inflateInit2 failed with zlib code \(code)"), path: path)
        }
        inflateGetHeader(stream, header)
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        header.deallocate()
    }

    /// Fills `output` unless the data ends first; returns the byte count,
    /// which is less than `output.count` only once `finished` is set.
    func read(from input: FileInput, into output: UnsafeMutableRawBufferPointer) throws -> Int {
        var produced = 0
        while produced < output.count && !finished {
            if memberEnded {
                try startNextMember(input)
                continue
            }
            if input.available == 0 { try input.fill(atLeast: 1) }
            let offered = input.available
            // Z_BLOCK returns right after the header, before any data: with zlib's
            // checks on for the header alone (an empty member's trailer must not be
            // checked by zlib in the same call).
            let inHeader = header.pointee.done == 0
            let room = min(output.count - produced, Int(UInt32.max))
            stream.pointee.next_in = input.unconsumed.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = UInt32(offered)
            stream.pointee.next_out = (output.baseAddress! + produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(room)
            let code = inflate(stream, inHeader ? Z_BLOCK : Z_NO_FLUSH)
            if inHeader && header.pointee.done != 0 { inflateValidate(stream, 0) }
            let consumed = offered - Int(stream.pointee.avail_in)
            let written = room - Int(stream.pointee.avail_out)
            input.consume(consumed)
            if written > 0 {
                memberCRC = cchecksum_crc32(memberCRC, output.baseAddress! + produced, written)
                memberLength &+= UInt32(truncatingIfNeeded: written)
            }
            produced += written
            switch code {
            case Z_STREAM_END:
                try verifyTrailer(input)
                memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                // No progress with input left and room to write cannot
                // happen in zlib; refuse to spin if it ever does.
                if consumed == 0 && written == 0 {
                    if input.available == 0 && input.atEndOfFile { throw truncation(input) }
                    if input.available > 0 {
                        throw DataError(.gzipCorrupt("inflate made no progress"), path: input.path,
                                        offset: input.consumedOffset)
                    }
                }
            case Z_DATA_ERROR:
                throw dataError(input)
            default:
                throw DataError(.gzipCorrupt(zlibMessage ?? "zlib code \(code)"), path: input.path,
                                offset: input.consumedOffset)
            }
        }
        return produced
    }

    /// After a member: end of file finishes the stream, `1f 8b` starts
    /// another member, anything else is trailing garbage.
    private func startNextMember(_ input: FileInput) throws {
        let available = try input.fill(atLeast: 2)
        if available == 0 {
            finished = true
            return
        }
        let bytes = input.unconsumed
        guard bytes[0] == 0x1f else {
            throw DataError(.gzipTrailingGarbage(found: bytes[0]), path: input.path, offset: input.consumedOffset)
        }
        guard available >= 2 else {
            // fill(atLeast: 2) gives fewer only at end of file.
            throw DataError(.gzipHeaderTruncated, path: input.path, offset: input.consumedOffset + 1)
        }
        guard bytes[1] == 0x8b else {
            throw DataError(.gzipTrailingGarbage(found: bytes[0]), path: input.path, offset: input.consumedOffset)
        }
        memberStart = input.consumedOffset
        memberCRC = 0
        memberLength = 0
        inflateReset(stream)
        inflateValidate(stream, 1)  // on again for the next header
        // inflateReset forgets the header record; ask for it again so that
        // truncation inside this member's header is told apart.
        header.pointee = gz_header()
        inflateGetHeader(stream, header)
        memberEnded = false
    }

    /// At a member's end zlib has consumed its trailer and nothing after it:
    /// the eight bytes last consumed are CRC-32 and ISIZE, little-endian.
    private func verifyTrailer(_ input: FileInput) throws {
        let trailerOffset = input.consumedOffset - 8
        let expectedCRC = UInt32(truncatingIfNeeded: input.lastConsumed)
        let expectedLength = UInt32(truncatingIfNeeded: input.lastConsumed >> 32)
        guard expectedCRC == memberCRC else {
            throw DataError(.gzipChecksumMismatch(expected: expectedCRC, found: memberCRC),
                            path: input.path, offset: trailerOffset)
        }
        guard expectedLength == memberLength else {
            throw DataError(.gzipLengthMismatch(expected: expectedLength, found: memberLength),
                            path: input.path, offset: trailerOffset + 4)
        }
    }

    /// The input ended (or stalled) inside a member.
    private func truncation(_ input: FileInput) -> DataError {
        let kind: DataError.Kind = header.pointee.done == 0 ? .gzipHeaderTruncated : .gzipTruncated
        return DataError(kind, path: input.path, offset: input.consumedOffset)
    }

    /// Maps `Z_DATA_ERROR` by zlib's message, the only place it says which
    /// check failed.
    private func dataError(_ input: FileInput) -> DataError {
        let message = zlibMessage ?? "invalid data"
        switch message {
        // zlib reads past the field it rejects: name the field's own byte.
        case "incorrect header check":
            return DataError(.gzipBadHeader(message), path: input.path, offset: memberStart)
        case "unknown compression method":
            return DataError(.gzipBadHeader(message), path: input.path, offset: memberStart + 2)
        case "unknown header flags set":
            return DataError(.gzipBadHeader(message), path: input.path, offset: memberStart + 3)
        case "header crc mismatch":
            return DataError(.gzipBadHeader(message), path: input.path, offset: max(input.consumedOffset, memberStart + 2) - 2)
        default:
            return DataError(.gzipCorrupt(message), path: input.path, offset: input.consumedOffset)
        }
    }

    private var zlibMessage: String? {
        stream.pointee.msg.map { String(cString: $0) }
    }
}
