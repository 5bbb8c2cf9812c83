"""Writes ONNX models with onnx.helper (the ONNX project's own writer), for
the import tests to compare Tanuki against ONNX Runtime. Usage:
    make_models.py OUT_DIR
writes OUT_DIR/<name>.onnx and OUT_DIR/models.json ({name: {inputShape, ...}}).
Weights are random with a fixed seed; the graphs are the shapes exporters
(PyTorch, tf2onnx) emit for MobileNet-style networks."""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)


class Graph:
    def __init__(self, opset):
        self.opset = opset
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, base):
        self.count += 1
        return f"{base}_{self.count}"

    def const(self, array, base="w"):
        name = self.name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, op_type, inputs, outputs=1, **attrs):
        node_name = self.name(op_type.lower())
        outs = [f"{node_name}_out{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op_type, inputs, outs, name=node_name, **attrs))
        return outs[0] if outputs == 1 else outs

    # --- layers -------------------------------------------------------------
    def conv(self, x, cin, cout, k=3, stride=1, pads=None, group=1, bias=True, **attrs):
        w = rng.normal(0, (2.0 / (k * k * cin / group)) ** 0.5, (cout, cin // group, k, k)).astype(np.float32)
        inputs = [x, self.const(w)]
        if bias:
            inputs.append(self.const(rng.normal(0, 0.1, cout).astype(np.float32), "b"))
        if pads is None and "auto_pad" not in attrs:
            pads = [k // 2] * 4
        if pads is not None:
            attrs["pads"] = pads
        return self.op("Conv", inputs, kernel_shape=[k, k], strides=[stride, stride], group=group, **attrs)

    def bn(self, x, c):
        scale = rng.uniform(0.5, 1.5, c).astype(np.float32)
        shift = rng.normal(0, 0.1, c).astype(np.float32)
        mean = rng.normal(0, 0.1, c).astype(np.float32)
        var = rng.uniform(0.5, 1.5, c).astype(np.float32)
        return self.op("BatchNormalization", [x] + [self.const(v, "bn") for v in (scale, shift, mean, var)], epsilon=1e-3)

    def clip(self, x, lo, hi):
        if self.opset < 11:
            return self.op("Clip", [x], min=lo, max=hi)
        return self.op("Clip", [x, self.const(np.float32(lo), "min"), self.const(np.float32(hi), "max")])

    def unsqueeze(self, x, axes):
        if self.opset < 13:
            return self.op("Unsqueeze", [x], axes=axes)
        return self.op("Unsqueeze", [x, self.const(np.array(axes, np.int64), "axes")])

    def hard_swish_decomposed(self, x):
        # x * relu6(x + 3) / 6, as PyTorch exports nn.Hardswish before opset 14
        plus3 = self.op("Add", [x, self.const(np.float32(3.0), "three")])
        return self.op("Div", [self.op("Mul", [x, self.clip(plus3, 0.0, 6.0)]), self.const(np.float32(6.0), "six")])

    def flatten_by_shape(self, x):
        # x.view(x.size(0), -1): Shape -> Gather -> Unsqueeze -> Concat -> Reshape
        batch = self.op("Gather", [self.op("Shape", [x]), self.const(np.array(0, np.int64), "zero")], axis=0)
        shape = self.op("Concat", [self.unsqueeze(batch, [0]), self.const(np.array([-1], np.int64), "minus1")], axis=0)
        return self.op("Reshape", [x, shape])

    def gemm(self, x, cin, cout):
        w = rng.normal(0, (1.0 / cin) ** 0.5, (cout, cin)).astype(np.float32)
        return self.op("Gemm", [x, self.const(w), self.const(rng.normal(0, 0.1, cout).astype(np.float32), "b")], transB=1)

    def save(self, path, x_shape, out):
        graph = helper.make_graph(
            self.nodes, "g", [helper.make_tensor_value_info("image", TensorProto.FLOAT, x_shape)],
            [helper.make_tensor_value_info(out, TensorProto.FLOAT, ["N", "classes"])], self.inits)
        model = helper.make_model(graph, producer_name="onnx-helper", opset_imports=[helper.make_opsetid("", self.opset)])
        model.ir_version = min(model.ir_version, 7 if self.opset <= 12 else 8)
        onnx.checker.check_model(model)
        onnx.save(model, path)


def mobilenet_v1(opset):
    g = Graph(opset)
    x = g.clip(g.bn(g.conv("image", 3, 8, stride=2, bias=False), 8), 0.0, 6.0)
    x = g.op("Relu", [g.bn(g.conv(x, 8, 8, group=8, bias=False), 8)])            # depthwise
    x = g.clip(g.bn(g.conv(x, 8, 16, k=1, pads=[0, 0, 0, 0], bias=False), 16), 0.0, 6.0)  # pointwise
    x = g.op("Relu", [g.bn(g.conv(x, 16, 16, stride=2, group=16), 16)])
    x = g.conv(x, 16, 24, k=1, pads=[0, 0, 0, 0])
    x = g.flatten_by_shape(g.op("GlobalAveragePool", [x]))
    x = g.op("Dropout", [x], ratio=0.2) if opset < 12 else g.op("Dropout", [x])
    return g, g.op("Softmax", [g.gemm(x, 24, 5)], axis=1)


def mobilenet_v3(opset):
    g = Graph(opset)
    x = g.hard_swish_decomposed(g.bn(g.conv("image", 3, 8, stride=2), 8))
    y = g.op("Relu", [g.bn(g.conv(x, 8, 8, group=8), 8)])
    y = g.bn(g.conv(y, 8, 8, k=1, pads=[0, 0, 0, 0]), 8)
    x = g.op("Add", [x, y])                                                    # residual
    x = g.op("HardSwish", [x]) if opset >= 14 else g.hard_swish_decomposed(x)
    x = g.conv(x, 8, 16, k=3, stride=2, auto_pad="SAME_UPPER")
    x = g.op("HardSigmoid", [x], alpha=1 / 6, beta=0.5)
    x = g.op("Flatten", [g.op("GlobalAveragePool", [x])], axis=1)
    w = rng.normal(0, 0.25, (16, 10)).astype(np.float32)
    x = g.op("Add", [g.op("MatMul", [x, g.const(w)]), g.const(rng.normal(0, 0.1, 10).astype(np.float32), "b")])
    return g, g.op("Softmax", [x], axis=-1 if opset >= 13 else 1)


def assorted(opset):
    """Per-channel normalization, asymmetric pads, pools, Pad, Concat, flatten of a feature map."""
    g = Graph(opset)
    mean = np.array([0.485, 0.456, 0.406], np.float32).reshape(1, 3, 1, 1)
    std = np.array([0.229, 0.224, 0.225], np.float32).reshape(3, 1, 1)
    x = g.op("Div", [g.op("Sub", ["image", g.const(mean, "mean")]), g.const(std, "std")])
    x = g.op("LeakyRelu", [g.conv(x, 3, 8, stride=2, pads=[0, 0, 1, 1])], alpha=0.1)
    a = g.op("MaxPool", [x], kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1])
    b = g.op("AveragePool", [x], kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1], count_include_pad=1)
    x = g.op("Concat", [a, g.op("Sigmoid", [b])], axis=1)
    x = g.op("Mul", [x, g.const(np.float32(0.5), "half")])
    if opset < 11:
        x = g.op("Pad", [x], pads=[0, 0, 1, 0, 0, 0, 0, 1])
    else:
        x = g.op("Pad", [x, g.const(np.array([0, 0, 1, 0, 0, 0, 0, 1], np.int64), "pads")])
    x = g.op("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    x = g.op("Relu", [g.conv(x, 16, 4, k=1, pads=[0, 0, 0, 0])])
    x = g.op("Flatten", [g.op("Identity", [x])])                               # a 4-channel 8 x 8 feature map
    return g, g.op("Tanh", [g.gemm(x, 256, 6)])


def reduce_mean_head(opset):
    g = Graph(opset)
    x = g.op("Relu", [g.conv("image", 3, 6, stride=2)])
    if opset < 18:
        x = g.op("ReduceMean", [x], axes=[2, 3], keepdims=0)
    else:
        x = g.op("ReduceMean", [x, g.const(np.array([2, 3], np.int64), "axes")], keepdims=0)
    return g, g.gemm(x, 6, 3)


def squeeze_excite(opset, reduce_mean=False):
    """MobileNetV3's squeeze-excite: a gate [N, C, 1, 1] from the pooled feature map multiplies it."""
    g = Graph(opset)
    x = g.op("Relu", [g.conv("image", 3, 8, stride=2)])

    def pooled(y):
        if not reduce_mean:
            return g.op("GlobalAveragePool", [y])
        if opset < 18:
            return g.op("ReduceMean", [y], axes=[2, 3], keepdims=1)
        return g.op("ReduceMean", [y, g.const(np.array([2, 3], np.int64), "axes")], keepdims=1)

    gate = g.op("Relu", [g.conv(pooled(x), 8, 4, k=1)])
    gate = g.op("HardSigmoid", [g.conv(gate, 4, 8, k=1)], alpha=1 / 6, beta=0.5)
    x = g.op("Mul", [x, gate])
    gate = g.op("Sigmoid", [g.conv(pooled(x), 8, 8, k=1)])                    # the gate first, and a Sigmoid
    x = g.op("Sub", [g.op("Mul", [gate, x]), g.op("Add", [x, gate])])
    x = g.op("Flatten", [g.op("GlobalAveragePool", [x])], axis=1)
    return g, g.gemm(x, 8, 3)


def unsupported(opset):
    g = Graph(opset)
    return g, g.op("LRN", [g.conv("image", 3, 4)], size=3)


def unsupported_broadcast(opset):
    """A gate of another rank than the feature map: [N, C] against [N, C, H, W]."""
    g = Graph(opset)
    x = g.op("Relu", [g.conv("image", 3, 4)])
    gate = g.op("Flatten", [g.op("GlobalAveragePool", [x])], axis=1)
    return g, g.op("Flatten", [g.op("GlobalAveragePool", [g.op("Mul", [x, gate])])], axis=1)


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    manifest = {}
    cases = [("mobilenet_v1", mobilenet_v1, [9, 11, 13, 17]), ("mobilenet_v3", mobilenet_v3, [11, 13, 14, 17]),
             ("assorted", assorted, [9, 11, 13, 17]), ("reduce_mean", reduce_mean_head, [11, 13, 17]),
             ("squeeze_excite", squeeze_excite, [11, 13, 17]),
             ("squeeze_excite_reduce_mean", lambda opset: squeeze_excite(opset, reduce_mean=True), [11, 13, 17])]
    for base, build, opsets in cases:
        for opset in opsets:
            name = f"{base}_opset{opset}"
            g, out = build(opset)
            g.save(os.path.join(out_dir, name + ".onnx"), ["N", 3, 32, 32], out)
            manifest[name] = {"inputShape": [32, 32, 3], "opset": opset}
    # Dynamic spatial dimensions: the caller fixes them with inputShape.
    g, out = mobilenet_v1(13)
    g.save(os.path.join(out_dir, "dynamic_hw.onnx"), ["N", 3, "H", "W"], out)
    manifest["dynamic_hw"] = {"inputShape": [40, 24, 3], "opset": 13, "dynamic": True}
    g, out = unsupported(13)
    g.save(os.path.join(out_dir, "unsupported_lrn.onnx"), ["N", 3, 16, 16], out)
    manifest["unsupported_lrn"] = {"unsupported": "LRN", "opset": 13}
    g, out = unsupported_broadcast(13)
    g.save(os.path.join(out_dir, "unsupported_broadcast.onnx"), ["N", 3, 16, 16], out)
    manifest["unsupported_broadcast"] = {"unsupported": "Mul of [N, C, H, W] and [N, C]", "opset": 13}
    # Initializers in an external file.
    g, out = reduce_mean_head(13)
    path = os.path.join(out_dir, "external.onnx")
    g.save(path, ["N", 3, 32, 32], out)
    model = onnx.load(path)
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="external.bin", size_threshold=0)
    manifest["external"] = {"inputShape": [32, 32, 3], "opset": 13, "externalData": "external.bin"}
    with open(os.path.join(out_dir, "models.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
