#!/usr/bin/env python3
"""make_million.py OUTDIR [N]: a large MNIST test set for the streaming benchmark.

Writes OUTDIR/million-images-idx3-ubyte.gz and OUTDIR/million-labels-idx1-ubyte.gz
(N images, default 1,000,000, repeating the t10k set in order). Compressed at gzip
level 9 by default, as the MNIST files themselves are (their gzip header's XFL byte
is 2, "maximum compression"); --level 6 gives gzip's default. A level-9 stream
inflates faster, so the level changes the streaming figure: say which one you used.
Level 9 takes about 4 minutes for 1,000,000 images on one core, level 6 about 40 s.
Streamed: one copy of t10k (7.8 MB) in memory, whatever N is.
"""

import argparse
import gzip
import os
import struct

import mnist_common as common


def write(path, magic_dims, shape, chunk, count, per_item, level):
    """An IDX file of `count` items, `chunk` (bytes of whole items) repeated and cut."""
    tmp = path + ".tmp"
    with gzip.open(tmp, "wb", compresslevel=level) as out:
        out.write(struct.pack(">I", magic_dims) + b"".join(struct.pack(">I", d) for d in shape))
        items_per_chunk = len(chunk) // per_item
        left = count
        while left > 0:
            take = min(left, items_per_chunk)
            out.write(chunk[: take * per_item])
            left -= take
    os.replace(tmp, path)  # never leave a half-written file under the final name


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir")
    parser.add_argument("count", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--source", default=common.DEFAULT_IMAGES, help="images to repeat (labels found next to them)")
    parser.add_argument("--level", type=int, default=9, choices=range(1, 10), metavar="1-9",
                        help="gzip compression level (default 9, as the MNIST files)")
    args = parser.parse_args()
    images, labels = common.read_images(args.source)
    if labels is None:
        raise SystemExit(f"make_million: no labels next to {args.source}")
    os.makedirs(args.outdir, exist_ok=True)
    pixels = images.shape[1]
    write(os.path.join(args.outdir, "million-images-idx3-ubyte.gz"), 0x0803, (args.count, 28, 28),
          images.tobytes(), args.count, pixels, args.level)
    write(os.path.join(args.outdir, "million-labels-idx1-ubyte.gz"), 0x0801, (args.count,),
          labels.tobytes(), args.count, 1, args.level)
    print(f"wrote {args.count} images and labels to {args.outdir} (gzip level {args.level})")


if __name__ == "__main__":
    main()
