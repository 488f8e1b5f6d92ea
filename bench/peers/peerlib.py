"""What every PyTorch peer script shares: timing one op and the command line that writes the
JSON rows ({"workload", "threads", "seconds_per_op"}) BenchMain joins as the PyTorch columns."""
import argparse
import ctypes
import json
import statistics
import sys
import time

import torch


def set_threads(n):
    """torch.set_num_threads(n), and the same for the BLAS behind it: Debian's PyTorch calls the
    pthreads build of OpenBLAS for matmul / linear, which otherwise runs one thread per core
    whatever torch.set_num_threads says (a "one thread" PyTorch figure would use every core)."""
    torch.set_num_threads(n)
    for name in ("libopenblas.so.0", "libopenblas.so"):
        try:
            ctypes.CDLL(name).openblas_set_num_threads(n)
            return
        except (OSError, AttributeError):
            continue


def measure(op, warmup, samples):
    """Median wall time of `samples` calls of op() after `warmup` untimed ones."""
    for _ in range(warmup):
        op()
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        op()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(suite, makers, doc):
    """Parses `SUITE --threads 1,2 [--quick] [--workloads a,b] --out FILE` and times each workload
    (makers: name -> function returning the op) at each thread count."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("suite", choices=[suite])
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (torch.set_num_threads)")
    ap.add_argument("--quick", action="store_true", help="1 warmup op + 3 samples (else 2 + 5)")
    ap.add_argument("--workloads", default=",".join(makers), help="comma-separated: " + ", ".join(makers))
    ap.add_argument("--out", required=True, help="JSON file to write")
    a = ap.parse_args()
    warmup, samples = (1, 3) if a.quick else (2, 5)
    rows = []
    torch.set_num_interop_threads(1)
    for threads in [int(t) for t in a.threads.split(",")]:
        set_threads(threads)
        for name in a.workloads.split(","):
            if name not in makers:
                sys.exit(f"unknown workload '{name}'; valid: {', '.join(makers)}")
            s = measure(makers[name](), warmup, samples)
            rows.append({"workload": name, "threads": threads, "seconds_per_op": s})
            print(f"torch {torch.__version__} threads={threads} {name}: {s * 1e3:.1f} ms", file=sys.stderr)
    with open(a.out, "w") as f:
        json.dump(rows, f, indent=1)
