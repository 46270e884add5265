#!/usr/bin/env python3
"""numpy references for scripts/bench.sh.

Default (textbook end to end, timed as a whole process by bench.sh): read the
gzip IDX images and labels with gzip + numpy, forward 100 images at a time in
float32, print the accuracy.

--forward-only: time numpy's whole-batch float32 forward in process, from the
uint8 pixels already in memory to predicted classes
(X = (p/255 - mean)/std; act(X@W1 + b1) @ W2 + b2 ...; argmax), medians.

Benchmark numpy with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for that
command only (bench.sh does): `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`.
"""

import argparse

import numpy as np

import mnist_common as common


def forward(layers, act, mean, std, pixels):
    """Logits for uint8 pixels [N, 784], float32 throughout."""
    x = pixels.astype(np.float32) / np.float32(255)
    if mean != 0 or std != 1:
        x = (x - np.float32(mean)) / np.float32(std)
    for i, (w, b) in enumerate(layers):
        x = x @ w + b
        if i < len(layers) - 1:
            x = act(x)
    return x


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("images", nargs="?", default=common.DEFAULT_IMAGES)
    parser.add_argument("--weights", default=common.DEFAULT_WEIGHTS)
    parser.add_argument("--forward-only", action="store_true", help="time the whole-batch forward in process")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=100, help="textbook mode's batch (default 100)")
    parser.add_argument("--predictions", help="write one predicted class per line")
    args = parser.parse_args()

    layers, metadata = common.load_weights(args.weights)
    act = common.activation(metadata)
    mean, std = common.input_transform(metadata)
    pixels, labels = common.read_images(args.images)

    if args.forward_only:
        print(common.blas_info())
        samples, predictions = common.timed_runs(
            args.runs, lambda: forward(layers, act, mean, std, pixels).argmax(axis=1))
        print(common.timing_line("numpy_forward_ms", samples, f" images={len(pixels)}"))
    else:
        predictions = np.concatenate([
            forward(layers, act, mean, std, pixels[i : i + args.batch_size]).argmax(axis=1)
            for i in range(0, len(pixels), args.batch_size)])
    common.report_predictions(predictions, labels, args.predictions)


if __name__ == "__main__":
    main()
