#!/usr/bin/python3
"""PyTorch peer of latte.bench.WorldModelsBench: one World Models V step and one M step at the paper's
CarRacing sizes in PyTorch 1.13 CPU.

The same networks as latte.models.worldmodels.Vae / MdnRnn with their paper() sizes, timed on the same
operations; writes a JSON list of {"workload", "threads", "seconds_per_op"} rows that
`./latte bench worldmodels` joins as the "PyTorch" columns (BenchMain runs this script itself; alone:
    /usr/bin/python3 bench/peers/torch_worldmodels.py worldmodels --threads 1,2 --out peer.json ).

Workload "vae" (Ha and Schmidhuber 2018, appendix A.1), batch 100 of 64x64x3 frames in [0, 1] (NCHW here):
  encoder Conv2d(3, 32, 4, 2), ReLU, Conv2d(32, 64, 4, 2), ReLU, Conv2d(64, 128, 4, 2), ReLU, Conv2d(128, 256, 4, 2), ReLU
          -> flatten 1024 -> Linear(1024, 32) mu, Linear(1024, 32) log sigma^2; z = mu + sigma * eps
  decoder Linear(32, 1024) -> [1024, 1, 1] -> ConvTranspose2d(1024, 128, 5, 2), ReLU, (128, 64, 5, 2), ReLU,
          (64, 32, 6, 2), ReLU, (32, 3, 6, 2), sigmoid
  loss    mean_n sum_pixels (x - x^)^2 + mean_n max(KL_n, 0.5 * 32); backward; Adam(1e-4)
Workload "mdnrnn" (appendix A.2), B 100 x T 100, z 32, 3 actions:
  z = mu + sigma * eps for T + 1 frames; inputs z[:-1] with actions, targets z[1:]
  nn.LSTM(35, 256) over the sequence; Linear(256, 32 * 15) -> [T, B, 32, 15] = (logits, mu, log sigma) x 5
  nll = -mean logsumexp(log_softmax(logits) - (z' - mu)^2 / (2 sigma^2) - log sigma - log(2 pi) / 2)
  + mean (Linear(256, 1)(h) - r)^2 + BCE-with-logits(Linear(256, 1)(h), done); backward;
  clip_grad_value_(1.0); Adam(1e-3)
Each row is the median of single-op samples after warmup ops (quick: 1 warmup + 3 samples, else 2 + 5).
"""

import math

import peerlib
import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH, STEPS, Z, ACTIONS, HIDDEN, K = 100, 100, 32, 3, 256, 5
KL_TOLERANCE = 0.5
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 4, 2), nn.ReLU(), nn.Conv2d(32, 64, 4, 2), nn.ReLU(),
                                 nn.Conv2d(64, 128, 4, 2), nn.ReLU(), nn.Conv2d(128, 256, 4, 2), nn.ReLU(), nn.Flatten())
        self.mu, self.logvar = nn.Linear(1024, Z), nn.Linear(1024, Z)
        self.dense = nn.Linear(Z, 1024)
        self.dec = nn.Sequential(nn.ConvTranspose2d(1024, 128, 5, 2), nn.ReLU(), nn.ConvTranspose2d(128, 64, 5, 2), nn.ReLU(),
                                 nn.ConvTranspose2d(64, 32, 6, 2), nn.ReLU(), nn.ConvTranspose2d(32, 3, 6, 2), nn.Sigmoid())

    def loss(self, x):
        e = self.enc(x)
        mu, lv = self.mu(e), self.logvar(e)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        y = self.dec(self.dense(z).view(-1, 1024, 1, 1))
        r = ((x - y) ** 2).sum((1, 2, 3)).mean()
        kl = (-0.5 * (1 + lv - mu ** 2 - torch.exp(lv)).sum(1)).clamp(min=KL_TOLERANCE * Z).mean()
        return r + kl


def vae_workload():
    torch.manual_seed(1)
    model = Vae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    x = torch.randint(0, 256, (BATCH, 3, 64, 64), generator=torch.Generator().manual_seed(3)).float() / 255

    def op():
        loss = model.loss(x)
        opt.zero_grad(set_to_none=False)
        loss.backward()
        opt.step()
        return loss.item()
    return op


class MdnRnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(Z + ACTIONS, HIDDEN)
        self.mdn, self.reward, self.done = nn.Linear(HIDDEN, Z * 3 * K), nn.Linear(HIDDEN, 1), nn.Linear(HIDDEN, 1)

    def loss(self, z, a, r, d):
        hs, _ = self.lstm(torch.cat([z[:-1], a], -1))                       # [T, B, H]
        logits, mu, ls = self.mdn(hs).view(STEPS, BATCH, Z, 3 * K).split(K, -1)
        t = z[1:].unsqueeze(-1)
        lp = torch.logsumexp(F.log_softmax(logits, -1) - 0.5 * ((t - mu) * torch.exp(-ls)) ** 2 - ls - HALF_LOG_2PI, -1)
        nll = -lp.mean()
        mse = ((self.reward(hs).squeeze(-1) - r) ** 2).mean()
        bce = F.binary_cross_entropy_with_logits(self.done(hs).squeeze(-1), d)
        return nll + mse + bce


def mdnrnn_workload():
    torch.manual_seed(1)
    model = MdnRnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(3)
    mu = torch.randn(STEPS + 1, BATCH, Z, generator=g)
    sigma = 0.05 + 0.45 * torch.rand(STEPS + 1, BATCH, Z, generator=g)
    a = torch.rand(STEPS, BATCH, ACTIONS, generator=g) * 2 - 1
    r = torch.rand(STEPS, BATCH, generator=g)
    d = (torch.rand(STEPS, BATCH, generator=g) < 0.05).float()

    def op():
        z = mu + sigma * torch.randn_like(mu)
        loss = model.loss(z, a, r, d)
        opt.zero_grad(set_to_none=False)
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), 1.0)
        opt.step()
        return loss.item()
    return op


if __name__ == "__main__":
    peerlib.main("worldmodels", {"vae": vae_workload, "mdnrnn": mdnrnn_workload}, __doc__)
