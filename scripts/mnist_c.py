#!/usr/bin/env python3
"""MNIST-C: the t10k test set under 15 corruptions, and the network's accuracy on each.

Built the way MNIST-C is (N. Mu and J. Gilmer, "MNIST-C: A Robustness Benchmark
for Computer Vision", arXiv 1906.02337): the paper's 15 corruptions, each at the
severity the authors' code (google-research/mnist-c, corruptions.py) uses by
default, applied to the 10,000 t10k images. Written here from those definitions
in numpy and scipy only (no scikit-image, ImageMagick, OpenCV or PIL): where the
original calls one of those, the function below does what that call does.
Checked against scikit-image 0.26.0 on 3,000 images: canny_edges, the affine
warps, the Gaussians and brightness agree with its functions pixel for pixel.

  generate --out DIR   writes DIR/<name>-images-idx3-ubyte.gz for the 15
                       corruptions and 'identity' (the clean images), and
                       DIR/t10k-labels-idx1-ubyte.gz (the labels, copied)
  evaluate --data DIR  runs mnist-eval --format json on each set, once per
                       --weights file (default: the built-in weights), and
                       prints a Markdown table of accuracies with the mean over
                       the 15 corruptions (identity is not in the mean)

  scripts/mnist_c.py generate --out /tmp/mnist-c
  scripts/mnist_c.py evaluate --data /tmp/mnist-c --mnist-eval .build/release/mnist-eval

The corruptions, with the authors' default severity (x is a pixel in 0...1;
"random" is drawn per image):

  shot_noise     5  Poisson: x' = Poisson(3x)/3
  impulse_noise  4  salt and pepper: each pixel with probability 0.17 set to 1
                    or 0, half and half (skimage random_noise 's&p')
  glass_blur     1  Gaussian sigma 0.7, truncated to uint8; 2 passes of local
                    swaps (rows 27..2, columns 27..2 in turn, each pixel with
                    probability 1/2 swapped with its neighbour at (dy, dx) in
                    {-1, 0}^2); Gaussian sigma 0.7 again
  motion_blur    1  ImageMagick MotionBlurImage, radius 10, sigma 3, angle
                    uniform in [-45, 45] degrees
  shear          2  affine shear by 0.4 rad, sign random, about the centre
                    (13.5, 13.5), bilinear, zero outside
  scale          3  shrunk to 0.7 of its size about the centre
  rotate         2  rotated by 0.4 rad (23 degrees), sign random
  brightness     5  HSV value + 0.5, clipped (for grey: min(x + 0.5, 1))
  translate      3  shifted 3 pixels in x and 3 in y, signs random
  stripe         -  columns 0-6 and 21-27 inverted (255 - p)
  fog            5  plus 3 x a diamond-square plasma fractal (256 x 256, wibble
                    decay 1.4, its top-left 28 x 28), then scaled by
                    max/(max + 3), max the image's brightest pixel
  spatter        4  mud: N(0.65, 0.3) noise, Gaussian sigma 1, kept above 0.65;
                    that mask blurred (sigma 1.5) and kept from 0.8 up is m;
                    x' = x (1 - m) + (63/255) m
  dotted_line    -  a line from (row r0, column 0) to (r1, 27), r0 and r1
                    random in 0..26, intensity log(1 - d/2.3) + 1 at vertical
                    distance d, columns 0-1, 4-5, ... 24-25 and 27 left out;
                    added to the image, clipped
  zigzag         -  a zigzag (arms 2 px long, 2 px high) from column 2 to 25
                    about the line from row r0 (random, 0..26) to r0 + (-5..4),
                    drawn with the same lines; added, clipped
  canny_edges    -  skimage.feature.canny with its defaults (Gaussian sigma 1,
                    Sobel, non-maximum suppression, hysteresis at 0.1 and 0.2
                    of the gradient): edge pixels 255, others 0

Each corruption returns floats in 0...255, which are rounded to float32 (the
authors' functions return float32) and then to the nearest integer as the
authors' notebook does (np.round(x).astype(np.uint8)): that is the stored byte.

Where the original's behaviour is not what one might assume, this follows the
original (see the functions' comments):
  * glass_blur: skimage's gaussian(..., multichannel=True) on a 2-D image takes
    the last axis as colour, so both blurs are vertical only (along axis 0).
  * dotted_line and zigzag measure a pixel's distance to a line vertically,
    and zigzag's last point is the original's (d, r / (2 (d - max_c))).
  * shear is the 2019 scikit-image AffineTransform(shear=s) (recent versions
    define shear otherwise): inverse map [[1, -sin s], [0, cos s]], a
    horizontal shear that also stretches the digit vertically by 1/cos s.
  * motion_blur: ImageMagick's kernel is one-sided: weights exp(-i^2 / 2 sigma^2)
    for i = 0..2*radius, normalised, at offsets (ceil(i cos a - 0.5),
    ceil(i sin a - 0.5)), edge pixels repeated beyond the image; the result is
    rounded once (ImageMagick's 16-bit quantum is not modelled).

Randomness: numpy's legacy RandomState (its streams are frozen across numpy
versions), one per corruption, seeded with [--seed, crc32(name)], so each
corruption comes out the same whether generated alone (--only) or with the
others. Draws are made for all images at once, so the images are not those of
the published MNIST-C files (whose seed is not known), only drawn the same way.
The same machine and library versions give byte-identical files (gzip with
mtime 0 and no file name); on another machine the floating-point details
(libm, scipy) could in principle move a pixel by one.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import time
import zlib

import numpy as np
from scipy import ndimage

import mnist_common as common

CORRUPTIONS = [
    "shot_noise", "impulse_noise", "glass_blur", "motion_blur", "shear", "scale", "rotate",
    "brightness", "translate", "stripe", "fog", "spatter", "dotted_line", "zigzag", "canny_edges",
]
ALL_SETS = ["identity"] + CORRUPTIONS
LABELS_NAME = "t10k-labels-idx1-ubyte.gz"
SIZE = 28
CENTRE = 13.5  # the image centre the affine corruptions keep fixed


def images_name(name):
    return f"{name}-images-idx3-ubyte.gz"


# ---------------------------------------------------------------- helpers
# Every function takes images as float64 [N, 28, 28] in 0...1 and works on the
# whole batch at once; filters never reach across axis 0 (the image index).

def gaussian(x, sigma, mode, axes=(1, 2)):
    """skimage.filters.gaussian: scipy's gaussian_filter, truncated at 4 sigma."""
    sigmas = [0.0, 0.0, 0.0]
    for axis in axes:
        sigmas[axis] = sigma
    return ndimage.gaussian_filter(x, sigmas, mode=mode, truncate=4.0)


def affine_warp(x, matrix):
    """skimage.transform.warp(x, inverse_map=AffineTransform(matrix)): output pixel
    (row r, column c) is the input at column m00 c + m01 r + m02, row m10 c + m11 r
    + m12, bilinear, with 0 for every neighbour outside the image."""
    rows, cols = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    src_c = matrix[0][0] * cols + matrix[0][1] * rows + matrix[0][2]
    src_r = matrix[1][0] * cols + matrix[1][1] * rows + matrix[1][2]
    r0, c0 = np.floor(src_r), np.floor(src_c)
    dr, dc = src_r - r0, src_c - c0
    r0, c0 = r0.astype(int), c0.astype(int)

    def at(r, c):
        inside = (r >= 0) & (r < SIZE) & (c >= 0) & (c < SIZE)
        return x[:, np.clip(r, 0, SIZE - 1), np.clip(c, 0, SIZE - 1)] * inside

    top = (1 - dc) * at(r0, c0) + dc * at(r0, c0 + 1)
    bottom = (1 - dc) * at(r0 + 1, c0) + dc * at(r0 + 1, c0 + 1)
    return (1 - dr) * top + dr * bottom


def about_centre(a, b):
    """The affine matrix [[a], [b]] (2 x 2) with the translation that keeps the centre fixed."""
    return [[a[0], a[1], CENTRE * (1 - a[0] - a[1])], [b[0], b[1], CENTRE * (1 - b[0] - b[1])]]


def warp_per_sign(x, signs, matrix_for):
    """Warps each image with matrix_for(its sign)."""
    out = np.empty_like(x)
    for sign in np.unique(signs):
        chosen = signs == sign
        out[chosen] = affine_warp(x[chosen], matrix_for(sign))
    return out


def line_from_points(c0, r0, c1, r1):
    """The authors' line (28 x 28, 0...1) from (column c0, row r0) to (c1, r1):
    log(1 - d/2.3) + 1 at vertical distance d from the line, 0 from 2.3 on, and
    0 left of column floor(c0) and from column ceil(c1) on."""
    if c1 == c0:
        return np.zeros((SIZE, SIZE))
    cols = np.arange(SIZE, dtype=np.float64)[None, :]
    rows = np.arange(SIZE, dtype=np.float64)[:, None]
    slope = (r1 - r0) / (c1 - c0)
    dist = np.clip(np.abs(rows - (slope * (cols - c0) + r0)), 0, 2.3 - 1e-10)
    line = np.clip(np.log(1 - dist / 2.3) + 1, 0, 1)
    line[:, : int(np.floor(c0))] = 0
    line[:, int(np.ceil(c1)):] = 0
    return line


def plasma_fractals(rs, count, decay, mapsize=256):
    """count diamond-square height maps in 0...1, as the authors' plasma_fractal
    (their wibble: mean/4 + w * U(-w, w), w from 100 divided by decay per level)."""
    maps = np.zeros((count, mapsize, mapsize))
    step, wibble = mapsize, 100.0

    def wibbled_mean(total):
        return total / 4 + wibble * rs.uniform(-wibble, wibble, total.shape)

    while step >= 2:
        half = step // 2
        corners = maps[:, 0::step, 0::step]
        squares = corners + np.roll(corners, -1, axis=1)
        squares = squares + np.roll(squares, -1, axis=2)
        maps[:, half::step, half::step] = wibbled_mean(squares)
        centres = maps[:, half::step, half::step]
        corners = maps[:, 0::step, 0::step]
        left = centres + np.roll(centres, 1, axis=1) + corners + np.roll(corners, -1, axis=2)
        maps[:, 0::step, half::step] = wibbled_mean(left)
        top = centres + np.roll(centres, 1, axis=2) + corners + np.roll(corners, -1, axis=1)
        maps[:, half::step, 0::step] = wibbled_mean(top)
        step //= 2
        wibble /= decay
    maps -= maps.min(axis=(1, 2), keepdims=True)
    return maps / maps.max(axis=(1, 2), keepdims=True)


# ---------------------------------------------------------------- corruptions
# Each: (x [N, 28, 28] in 0...1, RandomState) -> [N, 28, 28] in 0...255.

def shot_noise(x, rs):
    c = 3
    return np.clip(rs.poisson(x * c) / c, 0, 1) * 255


def impulse_noise(x, rs):
    amount = 0.17
    flipped = rs.random_sample(x.shape) < amount
    salted = rs.random_sample(x.shape) < 0.5
    out = x.copy()
    out[flipped & salted] = 1
    out[flipped & ~salted] = 0
    return out * 255


def glass_blur(x, rs):
    sigma, delta, passes = 0.7, 1, 2
    n = len(x)
    # The original's gaussian(..., multichannel=True) on a 28 x 28 image smooths axis 0 only.
    pixels = (gaussian(x, sigma, "nearest", axes=(1,)) * 255).astype(np.uint8).reshape(n, -1)
    positions = range(SIZE - delta, delta, -1)  # 27 down to 2, as the original's loops
    steps = passes * len(positions) ** 2
    swap = rs.randint(0, 2, size=(steps, n)).astype(bool)
    offsets = rs.randint(-delta, delta, size=(steps, 2, n))  # dx, dy in {-1, 0}
    everyone = np.arange(n)
    step = 0
    for _ in range(passes):
        for h in positions:
            for w in positions:
                here = h * SIZE + w
                there = np.where(swap[step], (h + offsets[step, 1]) * SIZE + w + offsets[step, 0], here)
                mine, theirs = pixels[:, here].copy(), pixels[everyone, there]
                pixels[:, here] = theirs
                pixels[everyone, there] = mine
                step += 1
    x = pixels.reshape(n, SIZE, SIZE) / 255.0
    return np.clip(gaussian(x, sigma, "nearest", axes=(1,)), 0, 1) * 255


def motion_blur(x, rs):
    radius, sigma = 10, 3
    n = len(x)
    angles = np.deg2rad(rs.uniform(-45, 45, size=n))
    width = int(2 * np.ceil(radius) + 1)  # ImageMagick's GetOptimalKernelWidth1D
    i = np.arange(width, dtype=np.float64)
    kernel = np.exp(-(i * i) / (2 * sigma * sigma)) / (np.sqrt(2 * np.pi) * sigma)
    kernel /= kernel.sum()
    px, py = width * np.sin(angles), width * np.cos(angles)
    length = np.hypot(px, py)
    dx = np.ceil(i[None, :] * py[:, None] / length[:, None] - 0.5).astype(int)  # [n, width]
    dy = np.ceil(i[None, :] * px[:, None] / length[:, None] - 0.5).astype(int)
    rows = np.arange(SIZE)[None, :, None]
    cols = np.arange(SIZE)[None, None, :]
    which = np.arange(n)[:, None, None]
    out = np.zeros_like(x)
    for k in range(width):  # ImageMagick's default virtual pixels: the edge, repeated
        r = np.clip(rows + dy[:, k, None, None], 0, SIZE - 1)
        c = np.clip(cols + dx[:, k, None, None], 0, SIZE - 1)
        out += kernel[k] * x[which, r, c]
    return np.clip(out * 255, 0, 255)


def shear(x, rs):
    c = 0.4
    signs = rs.choice([-1, 1], size=len(x))
    # skimage's AffineTransform(shear=s) of the authors' time: [[1, -sin s], [0, cos s]].
    return np.clip(warp_per_sign(x, signs, lambda s: about_centre(
        (1, -np.sin(s * c)), (0, np.cos(s * c)))), 0, 1) * 255


def scale(x, rs):
    s = 1 / 0.7
    return np.clip(affine_warp(x, about_centre((s, 0), (0, s))), 0, 1) * 255


def rotate(x, rs):
    c = 0.4
    signs = rs.choice([-1, 1], size=len(x))
    return np.clip(warp_per_sign(x, signs, lambda s: about_centre(
        (np.cos(s * c), -np.sin(s * c)), (np.sin(s * c), np.cos(s * c)))), 0, 1) * 255


def brightness(x, rs):
    # gray -> RGB -> HSV: hue 0, saturation 0, value x; value + 0.5, clipped; back to grey.
    return np.clip(x + 0.5, 0, 1) * 255


def translate(x, rs):
    c = 3
    bits = rs.choice([-1, 1], size=(len(x), 2))
    out = np.empty_like(x)
    for bx in (-1, 1):
        for by in (-1, 1):
            chosen = (bits[:, 0] == bx) & (bits[:, 1] == by)
            out[chosen] = affine_warp(x[chosen], [[1, 0, c * bx], [0, 1, c * by]])
    return np.clip(out, 0, 1) * 255


def stripe(x, rs):
    out = x * 255
    out[:, :, :7] = 255 - out[:, :, :7]
    out[:, :, 21:] = 255 - out[:, :, 21:]
    return out


def fog(x, rs, batch=50):
    # The batch size sets the order of the draws: changing it changes the images.
    strength, decay = 3.0, 1.4
    fractal = np.concatenate([  # copies: a view would keep every 256 x 256 map alive
        plasma_fractals(rs, min(batch, len(x) - start), decay)[:, :SIZE, :SIZE].copy()
        for start in range(0, len(x), batch)])
    peak = x.max(axis=(1, 2), keepdims=True)
    x = x + strength * fractal
    return np.clip(x * peak / (peak + strength), 0, 1) * 255


def spatter(x, rs):
    loc, spread, sigma, threshold, mask_sigma = 0.65, 0.3, 1, 0.65, 1.5
    liquid = gaussian(rs.normal(loc, spread, size=x.shape), sigma, "nearest")
    liquid[liquid < threshold] = 0
    mud = gaussian((liquid > threshold).astype(np.float32), mask_sigma, "nearest")
    mud[mud < 0.8] = 0
    x = x.astype(np.float32) * (1 - mud)  # the original works in float32 here
    return np.clip(x + np.float32(63 / 255.0) * mud, 0, 1) * 255


def add_lines(x, keys, lines_for):
    """x plus lines_for(key) for each image's key (rows of `keys`), clipped to 1 after each
    line as the original does; the lines are drawn once per distinct key."""
    out = x.copy()
    distinct, which = np.unique(keys, axis=0, return_inverse=True)
    which = which.reshape(-1)
    for index, key in enumerate(distinct.tolist()):
        chosen = which == index
        group = out[chosen]
        for line in lines_for(key):
            group = np.clip(group + line, 0, 1)
        out[chosen] = group
    return out * 255


def dotted_line(x, rs):
    ends = rs.randint(0, 27, size=(len(x), 2))  # r0, r1 in 0..26

    def lines(key):
        line = line_from_points(0, key[0], 27, key[1])
        for start in range(0, 26, 4):  # column pairs 0-1, 4-5, ..., 24-25 are gaps
            line[:, start : start + 2] = 0
        return [line]

    return add_lines(x, ends, lines)


def zigzag_points(r0, r1, arm=2.0, height=2.0, c0=2, c1=25):
    """The authors' zigzag vertices (columns, rows) about the line (c0, r0)-(c1, r1)."""
    theta = np.arctan((r1 - r0) / (c1 - c0))
    length = (c1 - c0) / np.cos(theta)
    points = [(0.0, 0.0)]
    for i in range(int((length - arm) // (2 * arm)) + 1):
        r_i = (-1) ** i * height
        points.append(((2 * i + 1) * arm, r_i))
    last_full = (2 * arm) * (length // (2 * arm))
    if length != last_full:
        points.append((length, r_i / (2 * (length - last_full))))
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    cols, rows = rotation.dot(np.array(points).T)
    return cols + c0, rows + r0


def zigzag(x, rs):
    starts = rs.randint(0, 27, size=len(x))
    turns = rs.randint(-5, 5, size=len(x))

    def lines(key):
        cs, rows = zigzag_points(key[0], key[0] + key[1])
        return [line_from_points(cs[i - 1], rows[i - 1], cs[i], rows[i]) for i in range(1, len(cs))]

    return add_lines(x, np.stack([starts, turns], axis=1), lines)


def sobel(x, axis):
    """scipy.ndimage.sobel along axis (1 or 2), smoothing along the other image axis only."""
    out = ndimage.correlate1d(x, [-1, 0, 1], axis, mode="reflect")
    return ndimage.correlate1d(out, [1, 2, 1], 3 - axis, mode="reflect")


def canny_edges(x, rs, sigma=1.0, low=0.1, high=0.2):
    """skimage.feature.canny(x) with its defaults (float image: thresholds 0.1, 0.2)."""
    # Smoothing normalised by the smoothed mask of ones (skimage: smooth_with_function_and_mask).
    bleed = ndimage.gaussian_filter(np.ones((SIZE, SIZE)), sigma, mode="constant", truncate=4.0)
    smoothed = gaussian(x, sigma, "constant") / (bleed + np.finfo(float).eps)
    di, dj = sobel(smoothed, 1), sobel(smoothed, 2)  # along rows (i) and columns (j)
    ai, aj = np.abs(di), np.abs(dj)
    magnitude = np.hypot(di, dj)
    candidates = magnitude > 0
    candidates[:, [0, -1], :] = False  # the mask eroded with border 0: no border pixels
    candidates[:, :, [0, -1]] = False

    def near(d_row, d_col):  # magnitude at (row + d_row, col + d_col); border pixels never ask
        return np.roll(magnitude, (-d_row, -d_col), axis=(1, 2))

    same_sign = ((di >= 0) & (dj >= 0)) | ((di <= 0) & (dj <= 0))
    opposite = ((di <= 0) & (dj >= 0)) | ((di >= 0) & (dj <= 0))
    steep, flat = ai >= aj, ai <= aj
    # Non-maximum suppression, one direction sector at a time, in skimage's order (a pixel in two
    # sectors gets the later one's answer): the magnitude interpolated between the two pixels on
    # each side along the gradient must not exceed the pixel's own.
    sectors = [  # (pixels, weight numerator, denominator, +side (c1, c2), -side (c1, c2))
        (same_sign & steep, aj, ai, ((1, 0), (1, 1)), ((-1, 0), (-1, -1))),
        (same_sign & flat, ai, aj, ((0, 1), (1, 1)), ((0, -1), (-1, -1))),
        (opposite & flat, ai, aj, ((0, 1), (-1, 1)), ((0, -1), (1, -1))),
        (opposite & steep, aj, ai, ((-1, 0), (-1, 1)), ((1, 0), (1, -1))),
    ]
    maxima = np.zeros(x.shape, dtype=bool)
    for pixels, num, den, plus, minus in sectors:
        pts = candidates & pixels
        w = np.divide(num, den, out=np.zeros_like(num), where=pts)
        c_plus = near(*plus[1]) * w + near(*plus[0]) * (1 - w) <= magnitude
        c_minus = near(*minus[1]) * w + near(*minus[0]) * (1 - w) <= magnitude
        maxima[pts] = (c_plus & c_minus)[pts]
    # Hysteresis: keep the 8-connected groups of low-threshold maxima that hold a high one.
    strong = maxima & (magnitude >= high)
    weak = maxima & (magnitude >= low)
    structure = np.zeros((3, 3, 3), dtype=bool)
    structure[1] = True  # connect within an image only
    labels, count = ndimage.label(weak, structure)
    keep = np.bincount(labels[strong], minlength=count + 1) > 0
    keep[0] = False
    return keep[labels] * 255.0


FUNCTIONS = {f.__name__: f for f in (
    shot_noise, impulse_noise, glass_blur, motion_blur, shear, scale, rotate, brightness, translate,
    stripe, fog, spatter, dotted_line, zigzag, canny_edges)}
assert list(FUNCTIONS) == CORRUPTIONS


# ---------------------------------------------------------------- files

def to_bytes(values):
    """float 0...255 -> uint8 as MNIST-C: float32 (the functions' result), rounded, clipped."""
    return np.clip(np.round(values.astype(np.float32)), 0, 255).astype(np.uint8)


def generator(seed, name):
    return np.random.RandomState([seed, zlib.crc32(name.encode())])


def generate(args):
    images, labels = common.read_images(args.images)
    if labels is None:
        raise SystemExit(f"mnist_c: no labels next to {args.images}")
    x = images.reshape(-1, SIZE, SIZE).astype(np.float64) / 255.0
    os.makedirs(args.out, exist_ok=True)
    shutil.copyfile(common.labels_path_for(args.images), os.path.join(args.out, LABELS_NAME))
    names = args.only or ALL_SETS
    total = time.perf_counter()
    for name in names:
        start = time.perf_counter()
        if name == "identity":
            out = images.reshape(-1, SIZE, SIZE)
        else:
            out = to_bytes(FUNCTIONS[name](x, generator(args.seed, name)))
        raw = common.write_idx3(os.path.join(args.out, images_name(name)), out)
        print(f"{name:14s} {time.perf_counter() - start:6.1f} s  "
              f"sha256 of the IDX {hashlib.sha256(raw).hexdigest()}", flush=True)
    print(f"wrote {len(names)} image sets and {LABELS_NAME} to {args.out} "
          f"in {time.perf_counter() - total:.1f} s (seed {args.seed})")


# ---------------------------------------------------------------- evaluation

def find_mnist_eval(given):
    if given:
        return given
    built = os.path.join(common.REPO, ".build", "release", "mnist-eval")
    if os.access(built, os.X_OK):
        return built
    found = shutil.which("mnist-eval")
    if found:
        return found
    raise SystemExit("mnist_c: no mnist-eval found; build it (swift build -c release) or pass --mnist-eval")


def accuracy(binary, images, labels, weights):
    command = [binary, images, "--labels", labels, "--format", "json", "--quiet"]
    if weights:
        command += ["--weights", weights]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"mnist_c: {' '.join(command)} exited {run.returncode}:\n{run.stderr}")
    return json.loads(run.stdout)["accuracy"]


def evaluate(args):
    binary = find_mnist_eval(args.mnist_eval)
    labels = os.path.join(args.data, LABELS_NAME)
    names = [n for n in ALL_SETS if os.path.exists(os.path.join(args.data, images_name(n)))]
    if not names:
        raise SystemExit(f"mnist_c: no <corruption>-images-idx3-ubyte.gz in {args.data}; run generate first")
    columns = args.weights or [None]
    table = {name: [100 * accuracy(binary, os.path.join(args.data, images_name(name)), labels, w)
                    for w in columns] for name in names}
    heads = [os.path.basename(w) if w else "built-in" for w in columns]
    print("| corruption | " + " | ".join(heads) + " |")
    print("|---|" + "---:|" * len(heads))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{a:.2f}" for a in table[name]) + " |")
    present = [n for n in CORRUPTIONS if n in table]
    if present:
        label = "mean (15 corruptions)" if len(present) == len(CORRUPTIONS) else f"mean ({len(present)} of 15)"
        means = [sum(table[n][i] for n in present) / len(present) for i in range(len(columns))]
        print(f"| **{label}** | " + " | ".join(f"**{m:.2f}**" for m in means) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write the corrupted test sets")
    gen.add_argument("--out", required=True, help="directory for the IDX files")
    gen.add_argument("--images", default=common.DEFAULT_IMAGES,
                     help="clean images, labels next to them (default: Data/t10k-images-idx3-ubyte.gz)")
    gen.add_argument("--seed", type=int, default=0, help="base seed (default 0)")
    gen.add_argument("--only", action="append", choices=ALL_SETS, metavar="NAME",
                     help="write only this set (repeatable): " + ", ".join(ALL_SETS))
    ev = commands.add_parser("evaluate", help="print mnist-eval's accuracy on each set as a Markdown table")
    ev.add_argument("--data", required=True, help="the directory generate wrote")
    ev.add_argument("--weights", action="append", metavar="FILE",
                    help="safetensors weights, one column each (repeatable; default: the built-in weights)")
    ev.add_argument("--mnist-eval", metavar="PATH",
                    help="the mnist-eval binary (default: .build/release/mnist-eval, else PATH)")
    args = parser.parse_args()
    if args.command == "generate":
        generate(args)
    else:
        evaluate(args)


if __name__ == "__main__":
    main()
