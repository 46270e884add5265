#!/usr/bin/env python3
"""mnist-predict's accuracy on digits photographed under uneven lighting.

Renders MNIST digits as a phone would see them: dark ink on light paper,
4 to 6 times larger, somewhere on a 240x260 page, with a little sensor noise,
under one lighting condition each:

  plain        even light
  linear-S     light falls off linearly across the page, in a random
               direction, to (1 - S) of its brightest
  radial-S     light falls off linearly with the distance from a random spot
               on the page, to (1 - S) in the farthest corner
  dark-*       light ink on a dark page (a blackboard: board 0.1, chalk up to
               0.8), plain and under radial-0.5 light
  blank-*      the same pages with no digit on them: mnist-predict should say
               there is no digit (reported as the share it refused)

Light multiplies what the paper reflects (paper 0.92, ink 0.92 * (1 - 0.9 * i)
for MNIST ink level i), as on a real page. The same digits are drawn in every
condition, so conditions compare pair by pair. Prints a Markdown table.

usage: scripts/lighting_accuracy.py MNIST_PREDICT [--set train|t10k] [--count N] [--seed S]

Tune on --set train (the default); report t10k only once the choices are made.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE_W, PAGE_H = 240, 260
STRENGTHS = (0.3, 0.5, 0.7)


def read_idx(path, header):
    with gzip.open(path) as f:
        return np.frombuffer(f.read()[header:], np.uint8)


def load(name):
    images = read_idx(os.path.join(ROOT, "Data", f"{name}-images-idx3-ubyte.gz"), 16).reshape(-1, 28, 28)
    labels = read_idx(os.path.join(ROOT, "Data", f"{name}-labels-idx1-ubyte.gz"), 8)
    return images, labels


def upscale(digit, scale):
    """Bilinear upscaling of a 28x28 digit to 28*scale pixels a side (ink 0...1)."""
    size = int(round(28 * scale))
    coords = (np.arange(size) + 0.5) / scale - 0.5
    c0 = np.clip(np.floor(coords).astype(int), 0, 27)
    c1 = np.clip(c0 + 1, 0, 27)
    t = np.clip(coords - c0, 0, 1)
    d = digit.astype(np.float64) / 255
    rows = d[c0] * (1 - t)[:, None] + d[c1] * t[:, None]
    return rows[:, c0] * (1 - t)[None, :] + rows[:, c1] * t[None, :]


def lighting(kind, strength, rng):
    """Illumination over the page, 1 at its brightest."""
    y, x = np.mgrid[0:PAGE_H, 0:PAGE_W].astype(np.float64)
    if kind == "plain":
        return np.ones((PAGE_H, PAGE_W))
    if kind == "linear":
        angle = rng.uniform(0, 2 * np.pi)
        t = x * np.cos(angle) + y * np.sin(angle)
        t = (t - t.min()) / (t.max() - t.min())
        return 1 - strength * t
    cx, cy = rng.uniform(0, PAGE_W), rng.uniform(0, PAGE_H)
    distance = np.hypot(x - cx, y - cy)
    return 1 - strength * distance / distance.max()


def page(digit, kind, strength, rng, dark=False):
    ink = np.zeros((PAGE_H, PAGE_W))
    if digit is not None:
        big = upscale(digit, rng.uniform(4, 6))
        top = rng.integers(10, PAGE_H - big.shape[0] - 10)
        left = rng.integers(10, PAGE_W - big.shape[1] - 10)
        ink[top:top + big.shape[0], left:left + big.shape[1]] = big
    reflectance = 0.1 + 0.7 * ink if dark else 0.92 * (1 - 0.9 * ink)
    light = lighting(kind, strength, rng)
    values = 255 * light * reflectance + rng.normal(0, 2, (PAGE_H, PAGE_W))
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def write_pgm(path, pixels):
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (pixels.shape[1], pixels.shape[0]))
        f.write(pixels.tobytes())


def predict(binary, paths, extra=()):
    """mnist-predict's answers by file: a digit, or None when it gave none."""
    run = subprocess.run([binary, "--format", "json", *extra, *paths], capture_output=True, text=True)
    answers = {path: None for path in paths}
    for item in json.loads(run.stdout):
        answers[item["file"]] = item.get("predicted")
    return answers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--set", choices=["train", "t10k"], default="train")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--weights", help="weights for mnist-predict (default: its built-in ones)")
    args = parser.parse_args()
    extra = ["--weights", args.weights] if args.weights else []
    images, labels = load(args.set)
    rng = np.random.default_rng(args.seed)
    chosen = rng.choice(len(images), args.count, replace=False)
    conditions = [("plain", 0.0)] + [(k, s) for k in ("linear", "radial") for s in STRENGTHS]
    conditions += [("dark-plain", 0.0), ("dark-radial", 0.5)]
    blanks = [("plain", 0.0), ("linear", 0.5), ("radial", 0.5)]
    with tempfile.TemporaryDirectory(prefix="mnist-lighting-") as folder:
        rows = []
        for kind, strength in conditions:
            name = kind if strength == 0 else f"{kind}-{strength}"
            draw = np.random.default_rng([args.seed, len(rows)])
            paths = []
            for n, index in enumerate(chosen):
                path = os.path.join(folder, f"{name}-{n}.pgm")
                dark = kind.startswith("dark-")
                write_pgm(path, page(images[index], kind.removeprefix("dark-"), strength, draw, dark=dark))
                paths.append(path)
            answers = predict(args.binary, paths, extra)
            correct = sum(answers[p] == labels[i] for p, i in zip(paths, chosen))
            refused = sum(answers[p] is None for p in paths)
            rows.append((name, correct, refused))
        blank_rows = []
        for kind, strength in blanks:
            name = "blank-" + (kind if kind == "plain" else f"{kind}-{strength}")
            draw = np.random.default_rng([args.seed, 100 + len(blank_rows)])
            paths = []
            for n in range(args.count):
                path = os.path.join(folder, f"{name}-{n}.pgm")
                write_pgm(path, page(None, kind, strength, draw))
                paths.append(path)
            answers = predict(args.binary, paths, extra)
            blank_rows.append((name, sum(a is None for a in answers.values())))
    print(f"{os.path.basename(args.binary)}{' --weights ' + args.weights if args.weights else ''}: "
          f"{args.count} {args.set} digits per condition (seed {args.seed})")
    print("| condition | correct | accuracy | no digit found |")
    print("|---|---|---|---|")
    for name, correct, refused in rows:
        print(f"| {name} | {correct}/{args.count} | {100 * correct / args.count:.1f}% | {refused} |")
    for name, refused in blank_rows:
        print(f"| {name} | - | - | {refused}/{args.count} |")


if __name__ == "__main__":
    sys.exit(main())
