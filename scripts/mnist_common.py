"""Shared helpers for the reference scripts (numpy, onnxruntime, sklearn).

Pure numpy: safetensors weights (the project's W1/b1/... layout or a PyTorch
nn.Linear state dict, with the __metadata__ keys activation, input_mean and
input_std that mnist-eval honours), IDX files (gzip or raw), medians, and the
one-class-per-line predictions file that bench.sh compares between tools.
"""

import gzip
import json
import os
import statistics
import struct
import time

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_WEIGHTS = os.path.join(REPO, "Data", "mnist-784-100-10.safetensors")
DEFAULT_IMAGES = os.path.join(REPO, "Data", "t10k-images-idx3-ubyte.gz")

_DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16}


def _tensor(blob, entry):
    start, end = entry["data_offsets"]
    raw = blob[start:end]
    if entry["dtype"] == "BF16":
        wide = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        values = wide.view(np.float32)
    else:
        values = np.frombuffer(raw, dtype=np.dtype(_DTYPES[entry["dtype"]]).newbyteorder("<"))
    return values.astype(np.float32).reshape(entry["shape"])


def load_weights(path):
    """Returns (layers, metadata): layers is [(W [in, out], b [out]), ...] in float32."""
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
        blob = f.read()
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {name: _tensor(blob, entry) for name, entry in header.items()}
    if "W1" in tensors:
        layers, i = [], 1
        while f"W{i}" in tensors:
            layers.append((tensors[f"W{i}"], tensors[f"b{i}"]))
            i += 1
    else:  # PyTorch nn.Linear: weight [out, in]; chain by shape from 784 inputs.
        pending = {n[: -len(".weight")]: tensors[n] for n in tensors if n.endswith(".weight")}
        layers, width = [], 784
        while pending:
            name = next(n for n, w in pending.items() if w.shape[1] == width)
            w = pending.pop(name)
            layers.append((np.ascontiguousarray(w.T), tensors[name + ".bias"]))
            width = w.shape[0]
    return layers, metadata


def activation(metadata):
    name = metadata.get("activation", "relu").lower()
    if name == "relu":
        return lambda x: np.maximum(x, 0, out=x)
    if name in ("sigmoid", "logistic"):
        return lambda x: 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh
    if name in ("step", "heaviside"):
        return lambda x: (x > 0).astype(np.float32)
    if name in ("identity", "linear", "none"):
        return lambda x: x
    raise SystemExit(f"unknown activation {name!r} in the weights' metadata")


def input_transform(metadata):
    """(mean, std) of x = (pixel/255 - mean)/std."""
    return float(metadata.get("input_mean", 0)), float(metadata.get("input_std", 1))


def read_idx(path):
    """An IDX file (gzip or raw) as a numpy uint8 array of its declared shape."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def write_idx3(path, images):
    """A gzip IDX3 file of uint8 images [N, 28, 28] that is the same bytes every time
    (mtime 0, no file name), written whole or not at all; returns the raw IDX bytes."""
    raw = struct.pack(">IIII", 0x0803, *images.shape) + images.tobytes()
    tmp = path + ".tmp"
    with open(tmp, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0,
                                             compresslevel=9) as out:
        out.write(raw)
    os.replace(tmp, path)
    return raw


def labels_path_for(images_path):
    """The labels file next to an images file, named as mnist-eval's LabelsLocator does."""
    return images_path.replace("images", "labels").replace("idx3", "idx1")


def read_images(path):
    """[N, 784] uint8 images and their labels (None if no labels file is found)."""
    images = read_idx(path)
    labels_path = labels_path_for(path)
    labels = read_idx(labels_path) if os.path.exists(labels_path) and labels_path != path else None
    return images.reshape(images.shape[0], -1), labels


def timed_runs(runs, body):
    """Milliseconds of `runs` calls after one untimed warm-up; returns (samples, last result)."""
    result = body()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = body()
        samples.append((time.perf_counter() - start) * 1e3)
    return samples, result


def timing_line(key, samples, extra=""):
    return (f"{key}{extra} median={statistics.median(samples):.3f} min={min(samples):.3f} "
            f"max={max(samples):.3f} runs={len(samples)}")


def report_predictions(predictions, labels, path=None):
    """Prints the accuracy line bench.sh compares; writes one class per line if asked."""
    predictions = np.asarray(predictions, dtype=np.int64)
    if labels is not None:
        correct = int((predictions == labels).sum())
        print(f"accuracy correct={correct} total={len(predictions)} fraction={correct / max(1, len(predictions)):.4f}")
    if path:
        with open(path, "w") as f:
            f.write("".join(f"{p}\n" for p in predictions))


def blas_info():
    """Which BLAS library and kernel numpy runs (needs threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "blas unknown (pip install threadpoolctl)"
    parts = [f"{i.get('internal_api')} {i.get('version')} arch={i.get('architecture')} threads={i.get('num_threads')}"
             for i in threadpool_info() if i.get("user_api") == "blas"]
    env = " ".join(f"{k}={os.environ[k]}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ)
    return "blas " + ("; ".join(parts) or "none found") + (f" env: {env}" if env else " env: (OPENBLAS_* unset)")
