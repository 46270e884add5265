#!/usr/bin/env python3
"""Render one t10k digit as a user's picture would look: dark ink on light grey
paper, 6x larger, off-centre with margins. Writes a binary PGM (P5).

usage: scripts/render_digit.py INDEX OUTPUT.pgm   (run from the repository root)
"""
import gzip
import sys

import numpy as np

index, output = int(sys.argv[1]), sys.argv[2]
images = np.frombuffer(gzip.open("Data/t10k-images-idx3-ubyte.gz").read()[16:], np.uint8).reshape(-1, 28, 28)
big = np.kron(images[index], np.ones((6, 6), np.uint8))
page = np.full((260, 220), 235, np.uint8)
page[40:208, 20:188] = np.minimum(page[40:208, 20:188], 255 - big)
with open(output, "wb") as f:
    f.write(b"P5\n220 260\n255\n")
    f.write(page.tobytes())
