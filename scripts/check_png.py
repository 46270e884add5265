#!/usr/bin/env python3
"""Check PNG files with Python's standard library only, independently of libpng.

For each FILE: the signature, every chunk's CRC (zlib.crc32 over type and
data), IHDR first and IEND last, the IDAT stream inflating to exactly the
size the header implies (filter byte plus packed samples per row, per Adam7
pass when interlaced), and valid filter types. Prints one line per file and
exits 1 if any file fails.

Usage: scripts/check_png.py FILE...
"""
import struct
import sys
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def row_bytes(width, bit_depth, channels):
    return (width * bit_depth * channels + 7) // 8


def expected_size(width, height, bit_depth, channels, interlaced):
    if not interlaced:
        return height * (1 + row_bytes(width, bit_depth, channels)), [(width, height)]
    total, passes = 0, []
    for x0, y0, dx, dy in ADAM7:
        w = (width - x0 + dx - 1) // dx if width > x0 else 0
        h = (height - y0 + dy - 1) // dy if height > y0 else 0
        if w and h:
            total += h * (1 + row_bytes(w, bit_depth, channels))
            passes.append((w, h))
    return total, passes


def check(path):
    data = open(path, "rb").read()
    if not data.startswith(SIGNATURE):
        raise ValueError("no PNG signature")
    offset, chunks = len(SIGNATURE), []
    while offset < len(data):
        if offset + 12 > len(data):
            raise ValueError(f"byte {offset}: truncated chunk header")
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if len(body) != length or offset + 12 + length > len(data):
            raise ValueError(f"byte {offset}: chunk {kind!r} truncated")
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"byte {offset}: chunk {kind!r} CRC mismatch")
        chunks.append((kind, body))
        offset += 12 + length
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise ValueError("IHDR must come first and IEND last")
    width, height, bit_depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if width == 0 or height == 0 or colour not in CHANNELS or bit_depth not in (1, 2, 4, 8, 16):
        raise ValueError(f"bad IHDR: {width}x{height}, depth {bit_depth}, colour type {colour}")
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    size, passes = expected_size(width, height, bit_depth, CHANNELS[colour], interlace == 1)
    if len(raw) != size:
        raise ValueError(f"IDAT inflates to {len(raw)} bytes; expected {size}")
    at = 0
    for w, h in passes:
        stride = row_bytes(w, bit_depth, CHANNELS[colour])
        for _ in range(h):
            if raw[at] > 4:
                raise ValueError(f"filter type {raw[at]} at inflated byte {at}")
            at += 1 + stride
    return f"{width}x{height}, {bit_depth}-bit, colour type {colour}, {len(chunks)} chunks, CRCs ok"


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        try:
            print(f"{path}: ok: {check(path)}")
        except (OSError, ValueError, zlib.error, struct.error) as error:
            print(f"{path}: FAILED: {error}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
