#!/usr/bin/env python3
"""Write a deskewed copy of an IDX images file, to try deskewing as preprocessing.

A prototype for issue 16, measured without building the preprocessing into the
tools: each image is sheared so that its ink's principal slant is vertical and
shifted so that its centre of mass is at the centre (the moments method of
LeCun et al.'s "deskewing"), resampled bilinearly and rounded to bytes. The
order of the images is kept, so mnist-train's held-out images (the last 5,000)
are deskewed too:

  scripts/deskew_idx.py Data/train-images-idx3-ubyte.gz /tmp/train-deskewed.gz
  mnist-train --images /tmp/train-deskewed.gz --labels Data/train-labels-idx1-ubyte.gz

Only the clean validation figure of such a run compares with the shipped
recipe's: the trainer corrupts the deskewed images, where the tools would
deskew corrupted ones. Never run it on t10k to choose anything.
"""

import sys

import numpy as np
from scipy import ndimage

from mnist_common import read_idx, write_idx3


def deskew(image):
    """One 28x28 image (float), sheared upright about its centre of mass and centred."""
    total = image.sum()
    if total == 0:
        return image
    rows, columns = np.mgrid[: image.shape[0], : image.shape[1]]
    mean_row = (rows * image).sum() / total
    mean_column = (columns * image).sum() / total
    var_row = ((rows - mean_row) ** 2 * image).sum() / total
    cov = ((rows - mean_row) * (columns - mean_column) * image).sum() / total
    shear = np.array([[1.0, 0.0], [cov / var_row, 1.0]])
    centre = (np.array(image.shape) - 1) / 2
    offset = np.array([mean_row, mean_column]) - shear @ centre
    return ndimage.affine_transform(image, shear, offset=offset, order=1)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: deskew_idx.py IMAGES.gz OUTPUT.gz")
    images = read_idx(sys.argv[1]).astype(np.float64)
    out = np.stack([np.clip(np.rint(deskew(im)), 0, 255) for im in images]).astype(np.uint8)
    write_idx3(sys.argv[2], out)
    print(f"{sys.argv[2]}: {len(out)} images, {(out > 0).sum(axis=(1, 2)).mean():.1f} non-zero pixels each "
          f"(before: {(images > 0).sum(axis=(1, 2)).mean():.1f})")


if __name__ == "__main__":
    main()
