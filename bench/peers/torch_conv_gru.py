#!/usr/bin/python3
"""PyTorch peer of latte.bench.ConvBench and latte.bench.GruBench (PyTorch 1.13 CPU, NCHW).

Times exactly the workloads of the JMH suites and writes a JSON list of
{"workload", "threads", "seconds_per_op"} rows that `./latte bench conv|gru` joins as the
"PyTorch" columns (BenchMain runs this script itself; to run it alone:
    /usr/bin/python3 bench/peers/torch_conv_gru.py conv --threads 1,2 --out peer.json ).

Workloads (batch 50 unless said):
  conv: enc1..enc4 (Conv2d k4 s2 valid, 64->31->14->6->2, channels 3,32,64,128,256),
        dec1..dec4 (ConvTranspose2d s2, 1->5->13->30->64, kernels 5,5,6,6, channels 1024,128,64,32,3),
        encoder / decoder stacks (ReLU between layers; the encoder does not need the image gradient);
        pass "fwd" (under no_grad) or "fwdbwd" (forward + backward to the input, weights and biases).
  gru:  GRUCell(230, 200) at batch 1000 ("b1000") and 50 ("b50"), fwd / fwdbwd (grads to x, h, weights).
Each row is the median of the measured samples; every sample runs the op repeatedly for `--sample` seconds.
"""
import argparse
import json
import statistics
import sys
import time

import peerlib
import torch
import torch.nn.functional as F

BATCH = 50


def encoder_layers():
    size, ch = [64, 31, 14, 6], [3, 32, 64, 128, 256]
    return [(torch.nn.Conv2d(ch[i], ch[i + 1], 4, stride=2), (BATCH, ch[i], size[i], size[i])) for i in range(4)]


def decoder_layers():
    size, k, ch = [1, 5, 13, 30], [5, 5, 6, 6], [1024, 128, 64, 32, 3]
    return [(torch.nn.ConvTranspose2d(ch[i], ch[i + 1], k[i], stride=2), (BATCH, ch[i], size[i], size[i]))
            for i in range(4)]


def clear(params):
    for p in params:
        p.grad = None


def conv_workload(layer, pas):
    """Returns a zero-argument callable doing one op of the workload."""
    torch.manual_seed(42)
    if layer in ("encoder", "decoder"):
        layers = encoder_layers() if layer == "encoder" else decoder_layers()
        mods = [m for m, _ in layers]
        x = torch.rand(layers[0][1]) * 2 - 1
        relu_after = [True] * 4 if layer == "encoder" else [True, True, True, False]
        params = [p for m in mods for p in m.parameters()]
        if layer == "decoder":
            x.requires_grad_(pas == "fwdbwd")  # the dense layer before the decoder needs this gradient
            params.append(x)

        def forward():
            y = x
            for m, r in zip(mods, relu_after):
                y = m(y)
                if r:
                    y = F.relu(y, inplace=True)
            return y
    else:
        i = int(layer[3]) - 1
        m, shape = (encoder_layers() if layer.startswith("enc") else decoder_layers())[i]
        x = (torch.rand(shape) * 2 - 1).requires_grad_(pas == "fwdbwd")
        params = list(m.parameters()) + [x]

        def forward():
            return m(x)

    with torch.no_grad():
        dy = torch.rand(forward().shape) * 2 - 1
    if pas == "fwd":
        def op():
            with torch.no_grad():
                forward()
    else:
        def op():
            clear(params)
            forward().backward(dy)
    return op


def gru_workload(batch, pas):
    torch.manual_seed(42)
    cell = torch.nn.GRUCell(230, 200)
    x = torch.rand(batch, 230) * 2 - 1
    h = torch.rand(batch, 200) * 2 - 1
    dho = torch.rand(batch, 200) * 2 - 1
    if pas == "fwd":
        def op():
            with torch.no_grad():
                cell(x, h)
    else:
        x.requires_grad_(True)
        h.requires_grad_(True)
        params = list(cell.parameters()) + [x, h]

        def op():
            clear(params)
            cell(x, h).backward(dho)
    return op


def measure(op, warmup, samples, sample_seconds):
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        op()
    # calibrate the repetitions per sample
    t0 = time.perf_counter()
    op()
    once = max(time.perf_counter() - t0, 1e-6)
    reps = max(1, int(sample_seconds / once))
    results = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(reps):
            op()
        results.append((time.perf_counter() - t0) / reps)
    return statistics.median(results)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("suite", choices=["conv", "gru"])
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (torch.set_num_threads)")
    ap.add_argument("--quick", action="store_true", help="the stacks / batch 1000 only, shorter sampling")
    ap.add_argument("--workloads", default=None, help="comma-separated workload names to run (default: all)")
    ap.add_argument("--out", required=True, help="JSON file to write")
    a = ap.parse_args()
    if a.suite == "conv":
        layers = ["encoder", "decoder"] if a.quick else \
            ["enc1", "enc2", "enc3", "enc4", "encoder", "dec1", "dec2", "dec3", "dec4", "decoder"]
        work = [(f"{l} {p}", (lambda l=l, p=p: conv_workload(l, p))) for l in layers for p in ("fwd", "fwdbwd")]
    else:
        batches = [1000] if a.quick else [1000, 50]
        work = [(f"b{b} {p}", (lambda b=b, p=p: gru_workload(b, p))) for b in batches for p in ("fwd", "fwdbwd")]
    if a.workloads:
        keep = set(a.workloads.split(","))
        work = [w for w in work if w[0] in keep]
    warmup, samples, sample_s = (1.0, 5, 0.5) if a.quick else (2.0, 7, 1.0)
    rows = []
    for threads in [int(t) for t in a.threads.split(",")]:
        peerlib.set_threads(threads)
        for name, make in work:
            s = measure(make(), warmup, samples, sample_s)
            rows.append({"workload": name, "threads": threads, "seconds_per_op": s})
            print(f"torch {torch.__version__} threads={threads} {name}: {s * 1e3:.3f} ms", file=sys.stderr)
    with open(a.out, "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
