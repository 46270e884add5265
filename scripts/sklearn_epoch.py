#!/usr/bin/env python3
"""sklearn reference for the training-throughput goal: one epoch of
MLPClassifier((100,), relu, SGD with Nesterov momentum) over the first 55,000
training images (mnist-train holds the last 5,000 out for validation), with
the trainer's batch size, timed in process (fit only, data already in memory),
median of --runs.

Benchmark with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for that command
only (bench.sh does).
"""

import argparse
import os
import time
import warnings

import numpy as np

import mnist_common as common


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch-size", type=int, required=True, help="mnist-train's default --batch-size")
    parser.add_argument("--images", default=os.path.join(common.REPO, "Data", "train-images-idx3-ubyte.gz"))
    parser.add_argument("--count", type=int, default=55_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        raise SystemExit("sklearn_epoch: scikit-learn not installed (pip install scikit-learn)")
    import sklearn

    images, labels = common.read_images(args.images)
    x = images[: args.count].astype(np.float32) / np.float32(255)
    y = labels[: args.count]
    print(f"sklearn {sklearn.__version__} images={len(x)} batch_size={args.batch_size}")
    print(common.blas_info())
    samples = []
    for run in range(args.runs):
        model = MLPClassifier(hidden_layer_sizes=(100,), activation="relu", solver="sgd",
                              batch_size=args.batch_size, learning_rate_init=0.1, momentum=0.9,
                              nesterovs_momentum=True, max_iter=1, shuffle=True, random_state=run,
                              early_stopping=False, tol=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # one epoch is the point
            start = time.perf_counter()
            model.fit(x, y)
            samples.append((time.perf_counter() - start) * 1e3)
    print(common.timing_line("sklearn_epoch_ms", samples, f" images={len(x)}")
          + f" train_accuracy={model.score(x, y):.4f}")


if __name__ == "__main__":
    main()
