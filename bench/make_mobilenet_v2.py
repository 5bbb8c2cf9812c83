"""Writes MobileNetV2 (224x224, width 1.0, 1000 classes, random weights) with
onnx.helper, as PyTorch exports it for inference with BatchNormalization kept
as nodes: Conv, BatchNormalization, Clip (ReLU6), Add for the residuals,
GlobalAveragePool, Flatten, Gemm. For bench/onnx.mjs. Usage:
    make_mobilenet_v2.py OUT_FILE"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "js", "onnx"))
from make_models import Graph  # noqa: E402

# (expansion, output channels, repeats, first stride), as in the paper.
BLOCKS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def conv_bn(g, x, cin, cout, k=1, stride=1, group=1, relu6=True):
    pads = [k // 2] * 4
    y = g.bn(g.conv(x, cin, cout, k=k, stride=stride, pads=pads, group=group, bias=False), cout)
    return g.clip(y, 0.0, 6.0) if relu6 else y


def mobilenet_v2():
    g = Graph(13)
    x, cin = conv_bn(g, "image", 3, 32, k=3, stride=2), 32
    for t, c, n, s in BLOCKS:
        for i in range(n):
            stride = s if i == 0 else 1
            y = conv_bn(g, x, cin, cin * t) if t != 1 else x
            y = conv_bn(g, y, cin * t, cin * t, k=3, stride=stride, group=cin * t)
            y = conv_bn(g, y, cin * t, c, relu6=False)
            x = g.op("Add", [x, y]) if stride == 1 and cin == c else y
            cin = c
    x = conv_bn(g, x, cin, 1280)
    x = g.op("Flatten", [g.op("GlobalAveragePool", [x])], axis=1)
    return g, g.op("Softmax", [g.gemm(x, 1280, 1000)], axis=1)


if __name__ == "__main__":
    graph, out = mobilenet_v2()
    graph.save(sys.argv[1], ["N", 3, 224, 224], out)
