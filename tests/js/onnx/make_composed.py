"""Writes an ONNX model by a second path of the ONNX project's Python API:
a MobileNet-style backbone and a classifier head written as two models, joined
by onnx.compose.merge_models, and saved by onnx.save_model with every
initializer in one external file. Usage:
    make_composed.py OUT_DIR
writes OUT_DIR/composed.onnx and OUT_DIR/composed.bin (input [N, 3, 32, 32])."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, compose, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import Graph, rng  # noqa: E402

OPSET = 13


def model(g, inputs, outputs):
    graph = helper.make_graph(g.nodes, "g", inputs, outputs, g.inits)
    m = helper.make_model(graph, producer_name="onnx-compose", opset_imports=[helper.make_opsetid("", OPSET)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def backbone():
    """Conv-BN-ReLU6, a depthwise-separable block with a residual, and no Dropout."""
    g = Graph(OPSET)
    x = g.clip(g.bn(g.conv("image", 3, 8, stride=2, bias=False), 8), 0.0, 6.0)
    y = g.clip(g.bn(g.conv(x, 8, 8, group=8, bias=False), 8), 0.0, 6.0)
    y = g.bn(g.conv(y, 8, 8, k=1, pads=[0, 0, 0, 0], bias=False), 8)
    x = g.op("Add", [x, y])
    x = g.op("Relu", [g.bn(g.conv(x, 8, 16, stride=2, bias=False), 16)])
    out = g.op("Identity", [x])
    return model(g, [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 32, 32])],
                 [helper.make_tensor_value_info(out, TensorProto.FLOAT, ["N", 16, 8, 8])]), out


def head():
    g = Graph(OPSET)
    x = g.op("Flatten", [g.op("GlobalAveragePool", ["features"])], axis=1)
    out = g.op("Softmax", [g.gemm(x, 16, 4)], axis=1)
    return model(g, [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 16, 8, 8])],
                 [helper.make_tensor_value_info(out, TensorProto.FLOAT, ["N", 4])])


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    body, features = backbone()
    merged = compose.merge_models(body, head(), io_map=[(features, "features")], prefix1="body/", prefix2="head/")
    onnx.checker.check_model(merged)
    onnx.save_model(merged, os.path.join(out_dir, "composed.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="composed.bin", size_threshold=0)


if __name__ == "__main__":
    rng.bit_generator.state = np.random.default_rng(17).bit_generator.state
    main(sys.argv[1])
