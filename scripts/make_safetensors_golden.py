#!/usr/bin/python3
"""Writes autodiff/src/test/resources/golden.safetensors, the file SafetensorsTest reads.

The format is written by hand (struct + json + NumPy), independently of the Java writer:
8-byte little-endian header length, JSON header padded with spaces to 8 bytes, raw
little-endian float32 data. The data block deliberately stores the tensors in a different
order than the header lists them, so the reader must honour data_offsets.

Run from the repository root:  /usr/bin/python3 scripts/make_safetensors_golden.py
"""
import json
import struct
from pathlib import Path

import numpy as np

# Values the Java test recomputes from the same formulas.
weight = (np.arange(12, dtype=np.float32) * 0.25 - 1.0).reshape(2, 2, 1, 3)   # [KH, KW, Cin, Cout]
bias = np.array([1.5, -2.0, 3.25], dtype=np.float32)                          # [3]
head = np.array([[1e-30, -0.0]], dtype=np.float32)                           # [1, 2]: tiny and negative zero

# Data block order: bias, head, weight.
blobs = [("encoder.conv1.bias", bias), ("head.w", head), ("encoder.conv1.weight", weight)]
entries, data, pos = {}, b"", 0
for name, arr in blobs:
    raw = arr.astype("<f4").tobytes()
    entries[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [pos, pos + len(raw)]}
    data += raw
    pos += len(raw)

header = {"__metadata__": {"config": json.dumps({"hidden": 4, "act": "elu"}), "seed": "7", "version": "0.1.0"}}
for name in ["encoder.conv1.weight", "encoder.conv1.bias", "head.w"]:   # header order != data order
    header[name] = entries[name]
text = json.dumps(header, separators=(",", ":")).encode("utf-8")
text += b" " * (-len(text) % 8)

out = Path(__file__).resolve().parent.parent / "autodiff/src/test/resources/golden.safetensors"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_bytes(struct.pack("<Q", len(text)) + text + data)
print(f"wrote {out} ({out.stat().st_size} bytes)")
