#!/usr/bin/env python3
"""Join networks of one shape into a single network that outputs their mean logits.

For trying an ensemble as mnist-train's --teacher without a multi-teacher
trainer (issue 16): k networks 784-h-h-10 become one 784-kh-kh-10
network whose first layer is the k first layers side by side, whose middle
layer is block-diagonal (each block sees only its own network's units), and
whose output layer is the k output layers stacked and divided by k. Its logits
are the mean of the k networks' logits, exactly; the teacher's softened
probabilities are then those of the averaged logits. The zero blocks give its
middle layer k times the work of the k networks run apart.

  scripts/ensemble_teacher.py OUT.safetensors A.safetensors B.safetensors ...
  mnist-train --teacher OUT.safetensors ...

It prints each network's accuracy and the ensemble's on mnist-train's held-out
images (the last 5,000 of Data/train-images-idx3-ubyte.gz).
The metadata (recipe, activation, input transform, preprocessing) is the first
network's, without its seed and validation scores; the others must match its
shape and input handling.
"""

import json
import struct
import sys

import numpy as np

from mnist_common import REPO, activation, input_transform, load_weights, read_idx

TRAIN_IMAGES = f"{REPO}/Data/train-images-idx3-ubyte.gz"
TRAIN_LABELS = f"{REPO}/Data/train-labels-idx1-ubyte.gz"
HELD_OUT = 5000  # mnist-train's default --validation-size: the last images of the file


def held_out_accuracy(layers, hidden, images, labels):
    """Accuracy of a network on the held-out images, already input-transformed."""
    activations = images
    for index, (weights, bias) in enumerate(layers):
        activations = activations @ weights + bias
        if index < len(layers) - 1:
            activations = hidden(activations)
    return (activations.argmax(axis=1) == labels).mean()


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: ensemble_teacher.py OUT.safetensors NET.safetensors NET.safetensors [...]")
    out, paths = sys.argv[1], sys.argv[2:]
    nets = [load_weights(path) for path in paths]
    first_layers, metadata = nets[0]
    if len(first_layers) != 3:
        sys.exit(f"{paths[0]}: expected two hidden layers, found {len(first_layers) - 1}")
    keys = ("activation", "input_mean", "input_std", "preprocess")
    for path, (layers, meta) in zip(paths, nets):
        if [w.shape for w, _ in layers] != [w.shape for w, _ in first_layers]:
            sys.exit(f"{path}: shape differs from {paths[0]}")
        if any(meta.get(key) != metadata.get(key) for key in keys):
            sys.exit(f"{path}: {', '.join(keys)} differ from {paths[0]}")
    k, width = len(nets), first_layers[0][0].shape[1]
    middle = np.zeros((k * width, k * width), np.float32)
    for i, (layers, _) in enumerate(nets):
        middle[i * width : (i + 1) * width, i * width : (i + 1) * width] = layers[1][0]
    tensors = {
        "W1": np.hstack([layers[0][0] for layers, _ in nets]),
        "b1": np.concatenate([layers[0][1] for layers, _ in nets]),
        "W2": middle,
        "b2": np.concatenate([layers[1][1] for layers, _ in nets]),
        "W3": np.vstack([layers[2][0] for layers, _ in nets]) / k,
        "b3": np.mean([layers[2][1] for layers, _ in nets], axis=0),
    }
    # The first network's recipe stays; its own seed and scores do not describe the ensemble.
    metadata = {key: value for key, value in metadata.items() if key != "seed" and not key.startswith("validation_")}
    metadata.update(hidden=f"{k * width},{k * width}", ensemble_of=" ".join(paths))
    metadata["architecture"] = "-".join(str(n) for n in [first_layers[0][0].shape[0], k * width, k * width, 10])
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, tensor in tensors.items():
        blob = np.ascontiguousarray(tensor, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(out, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))
    print(f"{out}: mean logits of {k} networks, as {metadata['architecture']}")

    if metadata.get("preprocess", "none") != "none":
        print(f"  (no held-out check: this script does not apply preprocess={metadata['preprocess']})")
        return
    mean, std = input_transform(metadata)
    images = (read_idx(TRAIN_IMAGES)[-HELD_OUT:].reshape(HELD_OUT, -1).astype(np.float32) / 255 - mean) / std
    labels = read_idx(TRAIN_LABELS)[-HELD_OUT:]
    hidden = activation(metadata)
    joined = [(tensors[f"W{i}"], tensors[f"b{i}"]) for i in (1, 2, 3)]
    for path, (layers, _) in zip(paths, nets):
        print(f"  {path}: {100 * held_out_accuracy(layers, hidden, images, labels):.2f}% on the last {HELD_OUT} training images")
    print(f"  the ensemble: {100 * held_out_accuracy(joined, hidden, images, labels):.2f}%")


if __name__ == "__main__":
    main()
