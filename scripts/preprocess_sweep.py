#!/usr/bin/env python3
"""Which preprocessing helps a 784-100-10 network under generic corruptions?

A quick prototype sweep (issue 16), run before the Swift trainer had its
families: scikit-learn's MLPClassifier (100 hidden, SGD with Nesterov momentum,
cosine learning rate, 10 epochs) on the first 55,000 training images, shifted
by up to 2 pixels and each corrupted (or not, 40%) by one generic family, then
measured on the 5,000 held-out training images: clean, and under each family
(fixed seed). Never t10k, never MNIST-C.

  scripts/preprocess_sweep.py [--epochs 10] [VARIANT ...]

The families here are the prototypes of mnist-train's --corrupt families
(Sources/MNISTTraining/Corruption.swift), not the same code: this script is
what the choice between the preprocessing variants below was made on.
Variants: none, global_median, block_median, block_bilinear, coons (|x - frame
background|, stretched), coons_pos (max(x - background, 0), stretched: the
prototype of mnist-train's `frame-background`, which puts each edge on the
middle of its three rows), coons_pos_nostretch.
Caches the corrupted images in /tmp/preprocess_sweep-<epochs>.npz.
"""

import argparse
import os
import sys
import time
import warnings

import numpy as np
from scipy import ndimage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_common as common  # noqa: E402

# ---- generic corruption families: float32 (N, 28, 28) in [0, 1], white ink on black

FAMILIES = ["shading", "inverted_region", "noise", "blur", "strokes", "thickness"]

def _bilinear_matrix(n_in, n_out=28):
    pos = np.linspace(0, n_in - 1, n_out)
    m = np.zeros((n_out, n_in), np.float32)
    lo = np.floor(pos).astype(int); hi = np.minimum(lo + 1, n_in - 1); f = pos - lo
    m[np.arange(n_out), lo] += 1 - f; m[np.arange(n_out), hi] += f
    return m

def shading(x, rng):
    n = len(x)
    grid = rng.integers(2, 6)
    m = _bilinear_matrix(grid)
    g = rng.random((n, grid, grid), dtype=np.float32)
    field = np.einsum("ij,njk,lk->nil", m, g, m)
    field -= field.min(axis=(1, 2), keepdims=True)
    field /= np.maximum(field.max(axis=(1, 2), keepdims=True), 1e-6)
    offset = rng.uniform(0, 0.6, (n, 1, 1)).astype(np.float32)
    amp = rng.uniform(0, 1.0, (n, 1, 1)).astype(np.float32)
    contrast = rng.uniform(0.25, 1, (n, 1, 1)).astype(np.float32)
    y = contrast * x + offset + amp * field
    # half of them scaled back into range (a camera's exposure), half clipped
    scale = np.where(rng.random((n, 1, 1)) < 0.5, 1 / np.maximum(y.max(axis=(1, 2), keepdims=True), 1), 1)
    return np.clip(y * scale, 0, 1)

def inverted_region(x, rng):
    n = len(x); y = x.copy()
    for i in range(n):
        if rng.random() < 0.5:   # a vertical band, full height
            w = rng.integers(3, 15); c0 = rng.integers(-w + 1, 28)
            y[i, :, max(c0, 0):c0 + w] = 1 - y[i, :, max(c0, 0):c0 + w]
        else:                    # a rectangle
            h, w = rng.integers(5, 20, 2); r0, c0 = rng.integers(-5, 28, 2)
            sl = (i, slice(max(r0, 0), r0 + h), slice(max(c0, 0), c0 + w))
            y[sl] = 1 - y[sl]
    return y

def noise(x, rng):
    n = len(x); y = x.copy(); kind = rng.integers(0, 3, n)
    g = kind == 0
    y[g] = x[g] + rng.normal(0, 1, x[g].shape).astype(np.float32) * rng.uniform(0.05, 0.4, (g.sum(), 1, 1)).astype(np.float32)
    s = kind == 1
    amount = rng.uniform(0.02, 0.3, (s.sum(), 1, 1))
    u = rng.random(x[s].shape)
    ys = x[s].copy(); ys[u < amount / 2] = 0; ys[(u >= amount / 2) & (u < amount)] = 1; y[s] = ys
    p = kind == 2
    c = rng.uniform(2, 60, (p.sum(), 1, 1))
    y[p] = rng.poisson(x[p] * c) / c
    return np.clip(y, 0, 1).astype(np.float32)

def _line_kernel(length, angle):
    k = np.zeros((length * 2 + 1, length * 2 + 1), np.float32)
    for t in np.linspace(0, length, length * 4 + 1):   # one-sided, like a motion
        r = int(round(length + t * np.sin(angle))); c = int(round(length + t * np.cos(angle)))
        k[r, c] += 1
    return k / k.sum()

def blur(x, rng):
    n = len(x); y = np.empty_like(x)
    for i in range(n):
        if rng.random() < 0.5:
            y[i] = ndimage.gaussian_filter(x[i], rng.uniform(0.5, 1.6))
        else:
            y[i] = ndimage.convolve(x[i], _line_kernel(int(rng.integers(2, 8)), rng.uniform(0, np.pi)), mode="constant")
    # a blurred stroke is fainter: some pictures get their contrast back
    boost = np.where(rng.random((n, 1, 1)) < 0.5, 1 / np.maximum(y.max(axis=(1, 2), keepdims=True), 0.2), 1)
    return np.clip(y * boost, 0, 1)

_rr, _cc = np.mgrid[0:28, 0:28].astype(np.float32)

def _segment(r0, c0, r1, c1, width):
    dr, dc = r1 - r0, c1 - c0
    t = np.clip(((_rr - r0) * dr + (_cc - c0) * dc) / max(dr * dr + dc * dc, 1e-6), 0, 1)
    d = np.hypot(_rr - (r0 + t * dr), _cc - (c0 + t * dc))
    return np.clip(1 - (d - width / 2) , 0, 1), t

def strokes(x, rng):
    n = len(x); y = x.copy()
    for i in range(n):
        layer = np.zeros((28, 28), np.float32)
        kind = rng.integers(0, 3)
        pts = [rng.uniform(-2, 29, 2)]
        for _ in range(int(rng.integers(1, 4)) if kind != 1 else int(rng.integers(4, 10))):
            step = rng.uniform(3, 28) if kind != 1 else rng.uniform(2, 5)
            a = rng.uniform(0, 2 * np.pi)
            pts.append(pts[-1] + step * np.array([np.sin(a), np.cos(a)]))
        for p, q in zip(pts, pts[1:]):
            seg, t = _segment(p[0], p[1], q[0], q[1], rng.uniform(0.8, 2.5))
            if kind == 2:   # dashed
                period = rng.uniform(2, 5); seg = seg * (np.floor(t * np.hypot(*(q - p)) / period) % 2 == 0)
            layer = np.maximum(layer, seg)
        y[i] = np.clip(x[i] + layer * rng.uniform(0.5, 1), 0, 1)
    return y

def thickness(x, rng):
    n = len(x); y = np.empty_like(x); kind = rng.integers(0, 3, n)
    for i in range(n):
        if kind[i] == 0:
            y[i] = ndimage.grey_dilation(x[i], size=(2, 2) if rng.random() < 0.5 else (3, 3))
        elif kind[i] == 1:
            y[i] = ndimage.grey_erosion(x[i], size=(2, 2))
        else:   # an outline: the ink's edge only
            e = ndimage.grey_erosion(x[i], size=(3, 3))
            y[i] = np.clip((x[i] - e) * 1.5, 0, 1)
    return y

FUNCTIONS = dict(shading=shading, inverted_region=inverted_region, noise=noise, blur=blur, strokes=strokes, thickness=thickness)

def corrupt_mixture(x, rng, clean_fraction=0.4):
    """Each image: unchanged with clean_fraction, else one family at random."""
    y = x.copy()
    choice = rng.integers(-1, len(FAMILIES), len(x))
    choice[rng.random(len(x)) < clean_fraction] = -1
    for k, name in enumerate(FAMILIES):
        idx = np.nonzero(choice == k)[0]
        if len(idx):
            y[idx] = FUNCTIONS[name](x[idx], rng)
    return y


# ---- preprocessing candidates: uint8 (N, 28, 28) -> uint8 (N, 28, 28)

def none(x):
    return x

def _stretch(d, floor=0):
    m = d.max(axis=(1, 2), keepdims=True).astype(np.int32)
    d = np.maximum(d.astype(np.int32) - floor * m // 256, 0)
    m = np.maximum(m - floor * m // 256, 1)
    return np.minimum(d * 255 // m, 255).astype(np.uint8)

def global_median(x):
    bg = np.median(x.reshape(len(x), -1), axis=1).astype(np.int32)[:, None, None]
    return _stretch(np.abs(x.astype(np.int32) - bg))

def _block_medians(x, block=7):
    n = len(x); g = 28 // block
    b = x.reshape(n, g, block, g, block).transpose(0, 1, 3, 2, 4).reshape(n, g, g, block * block)
    return np.sort(b, axis=3)[..., (block * block) // 2].astype(np.int32)   # the middle of 49

def block_median(x, floor=0):
    med = _block_medians(x)
    bg = np.repeat(np.repeat(med, 7, axis=1), 7, axis=2)
    return _stretch(np.abs(x.astype(np.int32) - bg), floor)

def block_median_bilinear(x, floor=0):
    med = _block_medians(x).astype(np.float32)
    pos = (np.arange(28) - 3) / 7.0          # block centres at 3, 10, 17, 24
    lo = np.clip(np.floor(pos).astype(int), 0, 3); hi = np.clip(lo + 1, 0, 3)
    f = np.clip(pos - lo, 0, 1).astype(np.float32)
    m = np.zeros((28, 4), np.float32); m[np.arange(28), lo] += 1 - f; m[np.arange(28), hi] += f
    bg = np.rint(np.einsum("ij,njk,lk->nil", m, med, m)).astype(np.int32)
    return _stretch(np.abs(x.astype(np.int32) - bg), floor)

def coons_bg(x, depth=3):
    xi = x.astype(np.int32)
    top = np.median(xi[:, :depth, :], axis=1); bottom = np.median(xi[:, -depth:, :], axis=1)
    left = np.median(xi[:, :, :depth], axis=2); right = np.median(xi[:, :, -depth:], axis=2)
    t = (np.arange(28) / 27.0)[None, :, None]; s = (np.arange(28) / 27.0)[None, None, :]
    vertical = (1 - t) * top[:, None, :] + t * bottom[:, None, :]
    horizontal = (1 - s) * left[:, :, None] + s * right[:, :, None]
    c00 = (top[:, 0] + left[:, 0]) / 2; c01 = (top[:, -1] + right[:, 0]) / 2
    c10 = (bottom[:, 0] + left[:, -1]) / 2; c11 = (bottom[:, -1] + right[:, -1]) / 2
    bil = ((1 - t) * (1 - s) * c00[:, None, None] + (1 - t) * s * c01[:, None, None]
           + t * (1 - s) * c10[:, None, None] + t * s * c11[:, None, None])
    return np.rint(vertical + horizontal - bil).astype(np.int32)

def coons(x, floor=0, depth=3):
    """|x - background| from the frame (Coons patch of the edge medians), stretched."""
    return _stretch(np.abs(x.astype(np.int32) - coons_bg(x, depth)), floor)


def coons_pos(x, stretch=True):
    d = np.maximum(x.astype(np.int32) - coons_bg(x), 0)
    return _stretch(d) if stretch else d.astype(np.uint8)


VARIANTS = {
    "none": none,
    "global_median": global_median,
    "block_median": block_median,
    "block_bilinear": block_median_bilinear,
    "coons": coons,
    "coons_pos": coons_pos,
    "coons_pos_nostretch": lambda x: coons_pos(x, False),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("variants", nargs="*", default=list(VARIANTS))
    args = parser.parse_args()
    from sklearn.neural_network import MLPClassifier

    images, labels = common.read_images(os.path.join(common.REPO, "Data", "train-images-idx3-ubyte.gz"))
    x = images.reshape(-1, 28, 28).astype(np.float32) / 255
    xt, yt, xv, yv = x[:55000], labels[:55000], x[55000:], labels[55000:]
    to8 = lambda f: np.rint(np.clip(f, 0, 1) * 255).astype(np.uint8)
    cache = f"/tmp/preprocess_sweep-{args.epochs}.npz"
    if os.path.exists(cache):
        z = np.load(cache)
        val8 = {k[4:]: z[k] for k in z.files if k.startswith("val_")}
        train8 = [z[f"train{e}"] for e in range(args.epochs)]
    else:
        vrng = np.random.default_rng(12345)
        val8 = {"clean": to8(xv)}
        for name in FAMILIES:
            val8[name] = to8(FUNCTIONS[name](xv.copy(), vrng))
        rng = np.random.default_rng(7)

        def shift(images, m=2):
            d = rng.integers(-m, m + 1, (len(images), 2))
            return np.stack([np.roll(np.roll(im, d[i, 0], 0), d[i, 1], 1) for i, im in enumerate(images)])

        train8 = [to8(corrupt_mixture(shift(xt), rng)) for _ in range(args.epochs)]
        np.savez(cache, **{f"val_{k}": v for k, v in val8.items()}, **{f"train{e}": t for e, t in enumerate(train8)})
    for variant in args.variants:
        prep = VARIANTS[variant]
        feed = lambda u8: prep(u8).reshape(len(u8), -1).astype(np.float32) / 255
        clf = MLPClassifier((100,), solver="sgd", momentum=0.9, nesterovs_momentum=True, learning_rate_init=0.05,
                            batch_size=128, alpha=5e-5, random_state=1)
        start = time.time()
        for e in range(args.epochs):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                clf.partial_fit(feed(train8[e]), yt, classes=np.arange(10))
            clf.learning_rate_init = 0.05 * 0.5 * (1 + np.cos(np.pi * (e + 1) / args.epochs))
        acc = {k: (clf.predict(feed(v)) == yv).mean() * 100 for k, v in val8.items()}
        fam = np.mean([acc[k] for k in FAMILIES])
        print(f"{variant:20s} clean {acc['clean']:.2f} families {fam:.2f} | "
              + " ".join(f"{k} {acc[k]:.1f}" for k in FAMILIES) + f" | {time.time() - start:.0f}s", flush=True)


if __name__ == "__main__":
    main()
