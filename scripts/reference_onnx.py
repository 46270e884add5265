#!/usr/bin/env python3
"""onnxruntime reference for scripts/bench.sh: the same network as an ONNX graph
from uint8 pixels to predicted classes (Cast, Div 255, [Sub mean, Div std],
MatMul/Add/activation per layer, ArgMax), whole batch, all threads, medians.

Needs `pip install onnx onnxruntime`; exits 3 with a message if they are missing.
"""

import argparse
import os
import sys

import numpy as np

import mnist_common as common

ACTIVATIONS = {"relu": "Relu", "sigmoid": "Sigmoid", "logistic": "Sigmoid", "tanh": "Tanh",
               "identity": "Identity", "linear": "Identity", "none": "Identity"}


def build_model(layers, metadata):
    from onnx import TensorProto, helper, numpy_helper

    name = metadata.get("activation", "relu").lower()
    if name not in ACTIVATIONS:
        raise SystemExit(f"reference_onnx: activation {name!r} has no ONNX operator here")
    mean, std = common.input_transform(metadata)
    nodes = [helper.make_node("Cast", ["pixels"], ["x0"], to=TensorProto.FLOAT),
             helper.make_node("Div", ["x0", "c255"], ["x"])]
    inits = [numpy_helper.from_array(np.array(255, np.float32), "c255")]
    if mean != 0 or std != 1:
        inits += [numpy_helper.from_array(np.array(mean, np.float32), "mean"),
                  numpy_helper.from_array(np.array(std, np.float32), "std")]
        nodes += [helper.make_node("Sub", ["x", "mean"], ["xc"]), helper.make_node("Div", ["xc", "std"], ["xn"])]
    current = nodes[-1].output[0]
    for i, (w, b) in enumerate(layers, start=1):
        inits += [numpy_helper.from_array(w, f"W{i}"), numpy_helper.from_array(b, f"b{i}")]
        nodes += [helper.make_node("MatMul", [current, f"W{i}"], [f"m{i}"]),
                  helper.make_node("Add", [f"m{i}", f"b{i}"], [f"z{i}"])]
        current = f"z{i}"
        if i < len(layers):
            nodes.append(helper.make_node(ACTIVATIONS[name], [current], [f"h{i}"]))
            current = f"h{i}"
    nodes.append(helper.make_node("ArgMax", [current], ["classes"], axis=1, keepdims=0))
    graph = helper.make_graph(
        nodes, "mnist", [helper.make_tensor_value_info("pixels", TensorProto.UINT8, ["N", 784])],
        [helper.make_tensor_value_info("classes", TensorProto.INT64, ["N"])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("images", nargs="?", default=common.DEFAULT_IMAGES)
    parser.add_argument("--weights", default=common.DEFAULT_WEIGHTS)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0: all cores)")
    parser.add_argument("--predictions", help="write one predicted class per line")
    args = parser.parse_args()
    try:
        import onnxruntime as ort
    except ImportError:
        print("reference_onnx: onnxruntime/onnx not installed (pip install onnx onnxruntime)", file=sys.stderr)
        sys.exit(3)

    layers, metadata = common.load_weights(args.weights)
    pixels, labels = common.read_images(args.images)
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(build_model(layers, metadata).SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    print(f"onnxruntime {ort.__version__} threads={args.threads or os.cpu_count()}")
    pixels = np.ascontiguousarray(pixels)
    samples, outputs = common.timed_runs(args.runs, lambda: session.run(["classes"], {"pixels": pixels}))
    print(common.timing_line("onnx_forward_ms", samples, f" images={len(pixels)}"))
    common.report_predictions(outputs[0], labels, args.predictions)


if __name__ == "__main__":
    main()
