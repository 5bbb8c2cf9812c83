"""Lists the cases of ONNX's own per-op test data (Debian: libonnx-testdata)
whose graphs use only the given op types, with their inputs and expected
outputs as JSON, for the import test. Usage:
    dump_testdata.py DATA_DIR OUT_JSON OP [OP ...]"""
import glob
import json
import math
import os
import sys

import onnx
from onnx import numpy_helper


def tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    a = numpy_helper.to_array(t)
    # JSON has no NaN or infinities: those travel as the strings JavaScript's Number() reads.
    values = [v if math.isfinite(v) else str(v).replace("inf", "Infinity").replace("nan", "NaN")
              for v in a.astype("float64").ravel().tolist()]
    return {"dims": list(a.shape), "dtype": str(a.dtype), "values": values}


def main(data_dir, out_path, ops):
    cases = []
    for model_path in sorted(glob.glob(os.path.join(data_dir, "*", "test_*", "model.onnx"))):
        case_dir = os.path.dirname(model_path)
        model = onnx.load(model_path)
        types = {n.op_type for n in model.graph.node}
        if not types or not types <= set(ops):
            continue
        for data in sorted(glob.glob(os.path.join(case_dir, "test_data_set_*"))):
            try:
                inputs = [tensor(p) for p in sorted(glob.glob(os.path.join(data, "input_*.pb")))]
                outputs = [tensor(p) for p in sorted(glob.glob(os.path.join(data, "output_*.pb")))]
            except ValueError:
                continue  # a sequence or optional value, not a tensor: no supported op takes one
            cases.append({"name": os.path.relpath(case_dir, data_dir), "model": model_path, "ops": sorted(types),
                          "opset": next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 1),
                          "inputs": inputs, "outputs": outputs})
    with open(out_path, "w") as f:
        json.dump(cases, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
