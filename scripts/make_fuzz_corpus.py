#!/usr/bin/env python3
"""Seed corpora for the libFuzzer targets (Sources/Fuzz/fuzz-*).

Usage: make_fuzz_corpus.py OUTDIR   (writes OUTDIR/<target>/<seed>)

Seeds are small: slices of the real t10k files (a few images and labels)
plus hand-made files that reach each reader's branches (gzip header flags,
multi-member gzip, every IDX element type, both weights layouts and dtypes,
PNG of every colour type, JPEG and PGM/PPM for the picture reader).
The inputs follow each target's layout, documented in its main.swift:
fuzz-idx takes a choice byte first, fuzz-pairing a flags byte and a 16-bit
labels length before the two files.
"""
import gzip
import json
import os
import struct
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "Data")


def idx(type_code, dims, data):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


def t10k(count):
    """The first `count` t10k images (bytes) and labels (bytes)."""
    with gzip.open(os.path.join(DATA, "t10k-images-idx3-ubyte.gz")) as f:
        images = f.read(16 + 784 * count)[16:]
    with gzip.open(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz")) as f:
        labels = f.read(8 + count)[8:]
    return images, labels


def gzip_member(content, flags=0, extra=b"", name=b"", comment=b"", level=6):
    """A gzip member with optional FEXTRA, FNAME, FCOMMENT and FHCRC fields."""
    header = bytearray(b"\x1f\x8b\x08" + bytes([flags]) + b"\0\0\0\0\0\x03")
    if flags & 0x04:
        header += struct.pack("<H", len(extra)) + extra
    if flags & 0x08:
        header += name + b"\0"
    if flags & 0x10:
        header += comment + b"\0"
    if flags & 0x02:
        header += struct.pack("<H", zlib.crc32(bytes(header)) & 0xFFFF)
    deflater = zlib.compressobj(level, zlib.DEFLATED, -15)
    body = deflater.compress(content) + deflater.flush()
    trailer = struct.pack("<II", zlib.crc32(content), len(content) & 0xFFFFFFFF)
    return bytes(header) + body + trailer


def safetensors(tensors, metadata=None):
    """tensors: [(name, dtype, shape, data bytes)] laid out in order."""
    header, offset = {}, 0
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(t[3] for t in tensors)


def png_chunk(kind, data):
    """A PNG chunk: length, type, data and the CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# JPEG, written here without an imaging library: pictures of solid 8x8 blocks,
# whose DCT is the DC term alone, so each block is one DC difference and an
# end-of-block code. The Huffman tables are the example tables of the JPEG
# standard (ITU T.81 Annex K.3), the quantisation table all ones.
JPEG_DC_BITS = [(0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0), (0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0)]
JPEG_DC_VALUES = list(range(12))
JPEG_AC_BITS = [(0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D), (0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77)]
JPEG_AC_VALUES = [bytes.fromhex(
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a"
    "434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9"
    "aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa"), bytes.fromhex(
    "000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738"
    "393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5"
    "a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa")]


def huffman_codes(bits, values):
    """Symbol -> (code, length) for a JPEG Huffman table (T.81 Annex C)."""
    codes, code, k = {}, 0, 0
    for length, count in enumerate(bits, start=1):
        for _ in range(count):
            codes[values[k]] = (code, length)
            code, k = code + 1, k + 1
        code <<= 1
    return codes


def jpeg_segment(marker, data):
    return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data


def jpeg(blocks, components=1, progressive=False, adobe=False, exif=None):
    """A JPEG of solid 8x8 blocks: blocks[row][column] is a level, or a tuple of
    one level per component, 0...255."""
    rows, columns = len(blocks), len(blocks[0])
    level = (lambda b, c: b) if components == 1 else (lambda b, c: b[c])
    tables = [0] + [1] * (components - 1)
    dc = [huffman_codes(JPEG_DC_BITS[t], JPEG_DC_VALUES) for t in (0, 1)]
    ac = [huffman_codes(JPEG_AC_BITS[t], JPEG_AC_VALUES[t]) for t in (0, 1)]
    out = bytearray(b"\xff\xd8")
    if exif is not None:
        out += jpeg_segment(0xE1, b"Exif\0\0" + exif)
    else:
        out += jpeg_segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
    if adobe:
        out += jpeg_segment(0xEE, b"Adobe\0\x64\0\0\0\0\0")  # transform 0: stored as is
    out += jpeg_segment(0xDB, b"\0" + bytes([1] * 64))
    out += jpeg_segment(0xC2 if progressive else 0xC0, struct.pack(">BHHB", 8, rows * 8, columns * 8, components)
                        + b"".join(bytes([c + 1, 0x11, 0]) for c in range(components)))
    for t in (0, 1)[:1 if components == 1 else 2]:
        out += jpeg_segment(0xC4, bytes([t]) + bytes(JPEG_DC_BITS[t]) + bytes(JPEG_DC_VALUES))
        out += jpeg_segment(0xC4, bytes([0x10 | t]) + bytes(JPEG_AC_BITS[t]) + JPEG_AC_VALUES[t])

    def scan(members, ss, se, emit):
        header = bytes([len(members)]) + b"".join(bytes([c + 1, tables[c] << 4 | tables[c]]) for c in members)
        bits = []
        predictions = [0] * components
        for r in range(rows):
            for col in range(columns):
                for c in members:
                    emit(bits, c, blocks[r][col], predictions)
        bits += [1] * (-len(bits) % 8)
        data = bytearray()
        for i in range(0, len(bits), 8):
            byte = int("".join(map(str, bits[i:i + 8])), 2)
            data += b"\xff\0" if byte == 0xFF else bytes([byte])
        return jpeg_segment(0xDA, header + bytes([ss, se, 0])) + bytes(data)

    def put(bits, code_length):
        code, length = code_length
        bits += [(code >> (length - 1 - i)) & 1 for i in range(length)]

    def dc_term(bits, c, block, predictions):
        value = 8 * (level(block, c) - 128)
        diff, predictions[c] = value - predictions[c], value
        size = abs(diff).bit_length()
        put(bits, dc[tables[c]][size])
        if size:
            put(bits, (diff if diff > 0 else diff + (1 << size) - 1, size))

    def end_of_block(bits, c, block, predictions):
        put(bits, ac[tables[c]][0x00])

    if progressive:
        out += scan(range(components), 0, 0, dc_term)
        for c in range(components):
            out += scan([c], 1, 63, end_of_block)
    else:
        out += scan(range(components), 0, 63, lambda b, c, k, p: (dc_term(b, c, k, p), end_of_block(b, c, k, p)))
    return bytes(out) + b"\xff\xd9"


def exif_orientation(value, big_endian):
    """A TIFF header and IFD0 holding only the orientation tag."""
    e = ">" if big_endian else "<"
    return (b"MM" if big_endian else b"II") + struct.pack(e + "HIH", 42, 8, 1) + struct.pack(e + "HHIHH", 0x0112, 3, 1, value, 0) \
        + struct.pack(e + "I", 0)


def floats(fmt, values):
    return b"".join(struct.pack("<" + fmt, v) for v in values)


def write(outdir, target, name, data):
    directory = os.path.join(outdir, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    images2, labels2 = t10k(2)
    images3, labels10 = t10k(3)[0], t10k(10)[1]
    images_file = idx(8, [2, 28, 28], images2)
    labels_file = idx(8, [10], labels10)

    # gzip layer: real slices, every header flag, several members, empty data.
    with open(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz"), "rb") as f:
        write(out, "fuzz-gzip", "t10k-labels-prefix", f.read(512))  # truncated inside the deflate data
    gz_seeds = {
        "labels10": gzip_member(labels_file),
        "images2": gzip_member(images_file, level=9),
        "stored": gzip_member(labels_file, level=0),
        "flags-all": gzip_member(labels_file, flags=0x1E, extra=b"ab\x02\x00xy", name=b"n", comment=b"c"),
        "two-members": gzip_member(labels_file[:5]) + gzip_member(labels_file[5:]),
        "empty-member": gzip_member(b""),
        "raw-idx": labels_file,
    }
    for name, data in gz_seeds.items():
        write(out, "fuzz-gzip", name, data)

    # IDX readers: choice byte = gzip bit | reader << 1 | (images per call - 1) << 3.
    arrays = {
        "int8": idx(9, [3], b"\x01\xff\x02"),
        "int16": idx(0x0B, [2, 2], struct.pack(">4h", 1, -2, 3, -4)),
        "int32": idx(0x0C, [2], struct.pack(">2i", 7, -7)),
        "float32": idx(0x0D, [2], struct.pack(">2f", 1.5, -0.25)),
        "float64": idx(0x0E, [1, 1, 1], struct.pack(">d", 3.25)),
        "zero-dim": idx(8, [0, 5], b""),
    }
    for name, data in arrays.items():
        for gz in (0, 1):
            write(out, "fuzz-idx", f"array-{name}-{gz}", bytes([gz]) + data)
    for gz in (0, 1):
        write(out, "fuzz-idx", f"labels10-{gz}", bytes([gz | 1 << 1]) + labels_file)
        write(out, "fuzz-idx", f"images2-{gz}", bytes([gz | 2 << 1 | 1 << 3]) + images_file)
        write(out, "fuzz-idx", f"images0-{gz}", bytes([gz | 3 << 1]) + idx(8, [0, 28, 28], b""))

    # Weights: the CLI's 784-...-10 shape, and 3-...-2 for the small load.
    def project(widths, dtype="F32", fmt="f", metadata=None):
        tensors = []
        for i, (a, b) in enumerate(zip(widths, widths[1:]), start=1):
            tensors.append((f"W{i}", dtype, [a, b], floats(fmt, [((j * 7) % 11 - 5) / 10 for j in range(a * b)])))
            tensors.append((f"b{i}", dtype, [b], floats(fmt, [0.5] * b)))
        return safetensors(tensors, metadata)

    def torch(widths, dtype="F32", fmt="f"):
        tensors = []
        for i, (a, b) in enumerate(zip(widths, widths[1:])):
            tensors.append((f"l{i}.weight", dtype, [b, a], floats(fmt, [0.25] * (a * b))))
            tensors.append((f"l{i}.bias", dtype, [b], floats(fmt, [0.0] * b)))
        return safetensors(tensors)

    weights = {
        "mnist-784-1-10": project([784, 1, 10]),
        "small-3-4-2": project([3, 4, 2], metadata={"activation": "tanh", "input_mean": "0.1", "input_std": "0.3"}),
        "small-3-2-f64": project([3, 2], dtype="F64", fmt="d"),
        "small-3-2-f16": project([3, 2], dtype="F16", fmt="e"),
        "torch-3-4-2": torch([3, 4, 2]),
        "torch-3-2-bf16": safetensors([("a.weight", "BF16", [2, 3], b"\x80\x3f" * 6), ("a.bias", "BF16", [2], b"\0\0" * 2)]),
        "empty-header": safetensors([]),
    }
    for name, data in weights.items():
        write(out, "fuzz-weights", name, data)

    # Pairing: flags (bit 0 gzip labels, bit 1 gzip images), labels length, labels, images.
    def pairing(flags, labels, images):
        return bytes([flags]) + struct.pack("<H", len(labels)) + labels + images

    for flags in range(4):
        write(out, "fuzz-pairing", f"pair2-{flags}", pairing(flags, idx(8, [2], labels2), images_file))
    write(out, "fuzz-pairing", "pair3", pairing(0, idx(8, [3], labels10[:3]), idx(8, [3, 28, 28], images3)))
    write(out, "fuzz-pairing", "pair0", pairing(0, idx(8, [0], b""), idx(8, [0, 28, 28], b"")))
    write(out, "fuzz-pairing", "mismatch", pairing(0, idx(8, [3], labels10[:3]), images_file))

    # Pictures for mnist-predict's reader: PNG of each colour type and depth
    # (libpng), interlaced, with a palette and transparency; PGM/PPM in ASCII
    # and binary, 8 and 16 bits.
    digit = images2[:784]

    def png(width, height, colour, depth, rows, extra=b"", interlace=0):
        ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)
        if interlace:  # Adam7 passes of an 8-bit grey image, each row with filter 0
            passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            rows = [bytes(rows[y][x] for x in range(x0, width, dx))
                    for x0, y0, dx, dy in passes if x0 < width for y in range(y0, height, dy)]
        raw = b"".join(b"\0" + row for row in rows)
        return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra + png_chunk(b"IDAT", zlib.compress(raw))
                + png_chunk(b"IEND", b""))

    grey_rows = [digit[r * 28:(r + 1) * 28] for r in range(28)]
    small = [bytes([0, 255, 128, 7]), bytes([9, 0, 200, 0]), bytes([0, 0, 0, 255])]
    pictures = {
        "grey8-28.png": png(28, 28, 0, 8, grey_rows),
        "grey8-4x3.png": png(4, 3, 0, 8, small),
        "grey16-4x3.png": png(4, 3, 0, 16, [b"".join(bytes([v, v]) for v in row) for row in small]),
        "grey1-8x2.png": png(8, 2, 0, 1, [b"\xa5", b"\x3c"]),
        "rgb8-4x3.png": png(4, 3, 2, 8, [b"".join(bytes([v, 255 - v, v // 2]) for v in row) for row in small]),
        "rgba8-4x3.png": png(4, 3, 6, 8, [b"".join(bytes([v, v, v, 128]) for v in row) for row in small]),
        "greyalpha8-4x3.png": png(4, 3, 4, 8, [b"".join(bytes([v, 200]) for v in row) for row in small]),
        "palette-4x3.png": png(4, 3, 3, 8, [bytes([v % 3 for v in row]) for row in small],
                               extra=png_chunk(b"PLTE", bytes([0, 0, 0, 255, 255, 255, 128, 0, 64]))
                               + png_chunk(b"tRNS", bytes([255, 0]))),
        "interlaced-28.png": png(28, 28, 0, 8, grey_rows, interlace=1),
        "p5-28.pgm": b"P5\n28 28\n255\n" + digit,
        "p2-4x3.pgm": b"P2\n# a comment\n4 3\n255\n" + b"\n".join(b" ".join(str(v).encode() for v in row) for row in small) + b"\n",
        "p5-16bit.pgm": b"P5 4 3 65535\n" + b"".join(bytes([v, v]) for row in small for v in row),
        "p6-4x3.ppm": b"P6\n4 3\n255\n" + b"".join(bytes([v, v // 2, 255 - v]) for row in small for v in row),
        "p3-2x1.ppm": b"P3 2 1 15 0 15 7 15 0 3\n",
    }
    # JPEG: the digit as 4x4 solid blocks on paper, grey, colour and CMYK,
    # baseline and progressive, EXIF orientations, and one cut short.
    cells = [[255 - sum(digit[(7 * r + y) * 28 + 7 * c + x] for y in range(7) for x in range(7)) // 49
              for c in range(4)] for r in range(4)]
    colour = [[(v, v, v) for v in row] for row in cells]
    pictures.update({
        "grey-32.jpg": jpeg(cells),
        "grey-progressive-32.jpg": jpeg(cells, progressive=True),
        "ycbcr-32.jpg": jpeg([[(v, 128, 128) for v in row] for row in cells], components=3),
        "ycbcr-progressive-32.jpg": jpeg([[(v, 90, 200) for v in row] for row in cells], components=3, progressive=True),
        "cmyk-32.jpg": jpeg([[(255, 255, 255, v) for v in row] for row in cells], components=4, adobe=True),
        "exif-6-mm.jpg": jpeg(cells, exif=exif_orientation(6, True)),
        "exif-8-ii.jpg": jpeg(cells, exif=exif_orientation(8, False)),
        "exif-5-colour.jpg": jpeg(colour, components=3, exif=exif_orientation(5, True)),
        "cut.jpg": jpeg(cells)[:-20],
    })
    for name, data in pictures.items():
        write(out, "fuzz-image", name, data)


if __name__ == "__main__":
    main()
