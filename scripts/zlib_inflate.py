#!/usr/bin/env python3
"""zlib's own inflate of a gzip file held in memory: the reference for mnist-eval's
streaming figure (scripts/bench.sh, goal 3).

The file is read into memory first and not timed. Each timed run inflates it
with zlib's gzip wrapper (wbits 31), which also checks the trailer's CRC-32
with zlib's own crc32, into 1 MiB pieces that are dropped at once, so the
output costs no memory. Prints `zlib_inflate_ms median=... min=... runs=N
bytes=...` for scripts to parse.

    python3 scripts/zlib_inflate.py FILE [--runs N]
"""
import argparse
import statistics
import time
import zlib


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with open(args.file, "rb") as f:
        data = f.read()
    samples = []
    total = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        inflater = zlib.decompressobj(wbits=31)
        total = 0
        piece = inflater.decompress(data, 1 << 20)
        while piece:
            total += len(piece)
            piece = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
        total += len(inflater.flush())
        if not inflater.eof:
            raise SystemExit(f"zlib_inflate.py: {args.file}: the gzip stream did not end")
        samples.append((time.perf_counter() - start) * 1000)
    print(f"zlib_inflate_ms median={statistics.median(samples):.1f} min={min(samples):.1f} "
          f"runs={args.runs} bytes={total} zlib={zlib.ZLIB_RUNTIME_VERSION}")


if __name__ == "__main__":
    main()
