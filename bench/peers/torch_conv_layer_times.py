#!/usr/bin/python3
"""PyTorch counterpart of latte.bench.ConvLayerTimes for PlaNet's encoder layers (PyTorch 1.13 CPU).

Prints, per encoder layer (Conv2d k4 s2 valid, 64->31->14->6->2, channels 3, d, 2d, 4d, 8d) at
the given batch and depth, on one thread: the forward (no_grad) and the forward + backward
(gradients to the weight, the bias and, from the second layer on, the input, as in a training
step), each the least thread CPU time over --reps calls, which stays usable on a busy machine.

    /usr/bin/python3 bench/peers/torch_conv_layer_times.py 50 32
"""
import argparse
import time

import peerlib
import torch


def least(op, reps):
    best = float("inf")
    for _ in range(reps):
        t0 = time.thread_time()
        op()
        best = min(best, time.thread_time() - t0)
    return best * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("batch", type=int)
    ap.add_argument("depth", type=int)
    ap.add_argument("--reps", type=int, default=15)
    a = ap.parse_args()
    peerlib.set_threads(1)
    torch.manual_seed(0)
    d = a.depth
    ch, size = [3, d, 2 * d, 4 * d, 8 * d], [64, 31, 14, 6]
    total = 0.0
    for i in range(4):
        conv = torch.nn.Conv2d(ch[i], ch[i + 1], 4, 2)
        x = torch.randn(a.batch, ch[i], size[i], size[i], requires_grad=i > 0)
        with torch.no_grad():
            fwd = least(lambda: conv(x), a.reps)
        dy = torch.randn_like(conv(x))

        def step():
            conv.zero_grad(set_to_none=True)
            x.grad = None
            conv(x).backward(dy)

        both = least(step, a.reps)
        total += both
        print(f"enc{i + 1} [{a.batch},{ch[i]},{size[i]},{size[i]}] fwd {fwd:6.2f}  fwd+bwd {both:6.2f} ms")
    print(f"total fwd+bwd {total:.2f} ms")


if __name__ == "__main__":
    main()
