#!/usr/bin/python3
"""PyTorch peer of latte.bench.PlanetBench: PlaNet at paper() sizes in PyTorch 1.13 CPU (NCHW).

The same model as latte.models.planet.WorldModel with PlanetConfig.paper() and action size 6,
timed on the same two operations; writes a JSON list of {"workload", "threads", "seconds_per_op"}
rows that `./latte bench planet` joins as the "PyTorch" columns (BenchMain runs this script
itself; to run it alone:
    /usr/bin/python3 bench/peers/torch_planet.py planet --threads 1,2 --out peer.json ).

Model (Hafner et al. 2019, appendix A; latte's layer for layer):
  encoder   4 x Conv2d k4 s2 valid, channels 3 -> 32 -> 64 -> 128 -> 256, ReLU, flatten -> 1024
  RSSM      h_t = GRUCell(200)(ReLU(Linear(30 + 6 -> 200)([s_{t-1}, a_t])), h_{t-1})
            prior     Linear(200 -> 200), ReLU, Linear(200 -> 60) -> mean, softplus(.) + 0.1
            posterior Linear(200 + 1024 -> 200), ReLU, Linear(200 -> 60) -> mean, softplus(.) + 0.1
            s_t = posterior mean + std * eps (reparameterised sample)
  decoder   Linear(230 -> 1024) -> [1024, 1, 1] -> ConvT 128 k5 s2, ReLU, 64 k5 s2, ReLU,
            32 k6 s2, ReLU, 3 k6 s2 -> [3, 64, 64]
  reward    Linear(230 -> 300), ReLU, 2 x (Linear(300 -> 300), ReLU), Linear(300 -> 1)
  loss      0.5 * sum sq pixel error / (T B) + 10 * 0.5 * mean sq reward error
            + mean over (t, b) of max(KL(q || p), 3)
  update    backward, clip_grad_norm_(1000), Adam(lr 1e-3, eps 1e-4)

Workloads:
  train  one training step on a fixed synthetic batch: B = 50 chunks of T = 50 steps of uint8
         64x64x3 frames, preprocessed to 5 bits with uniform dequantisation noise (once, as latte
         does: the same tensor is the encoder input and the reconstruction target).
  plan   one act(frame): belief update (encoder on one frame, GRU, posterior sample), then CEM over
         action sequences: 10 iterations of 1000 candidates x horizon 12 (clipped to [-1, 1]),
         scored by the sum of predicted reward means under the prior, refit to the top 100,
         first action returned. Under no_grad.
Each row is the median of single-op samples after warmup ops (quick: 1 warmup + 3 samples, as
the JMH side's --quick; else 2 + 5).
"""

import peerlib
import torch
import torch.nn as nn
import torch.nn.functional as F

DEPTH, DETER, STOCH, HIDDEN, MIN_STD = 32, 200, 30, 200, 0.1
REWARD_HIDDEN, REWARD_LAYERS = 300, 3
ACTIONS = 6
BATCH, CHUNK = 50, 50
BITS = 5
FREE_NATS, KL_SCALE, REWARD_SCALE = 3.0, 1.0, 10.0
LR, ADAM_EPS, GRAD_CLIP = 1e-3, 1e-4, 1000.0
HORIZON, CANDIDATES, TOP_K, ITERATIONS = 12, 1000, 100, 10


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        d = DEPTH
        self.convs = nn.ModuleList([nn.Conv2d(3, d, 4, 2), nn.Conv2d(d, 2 * d, 4, 2),
                                    nn.Conv2d(2 * d, 4 * d, 4, 2), nn.Conv2d(4 * d, 8 * d, 4, 2)])

    def forward(self, o):  # [N, 3, 64, 64] -> [N, 32d]
        for c in self.convs:
            o = F.relu(c(o))
        return o.reshape(o.shape[0], -1)


class Decoder(nn.Module):
    def __init__(self, features):
        super().__init__()
        d = DEPTH
        self.dense = nn.Linear(features, 32 * d)
        self.deconvs = nn.ModuleList([nn.ConvTranspose2d(32 * d, 4 * d, 5, 2), nn.ConvTranspose2d(4 * d, 2 * d, 5, 2),
                                      nn.ConvTranspose2d(2 * d, d, 6, 2), nn.ConvTranspose2d(d, 3, 6, 2)])

    def forward(self, f):  # [N, F] -> [N, 3, 64, 64]
        x = self.dense(f).reshape(f.shape[0], 32 * DEPTH, 1, 1)
        for i, c in enumerate(self.deconvs):
            x = c(x)
            if i < 3:
                x = F.relu(x)
        return x


class Rssm(nn.Module):
    def __init__(self, embed):
        super().__init__()
        self.state_action = nn.Linear(STOCH + ACTIONS, HIDDEN)
        self.gru = nn.GRUCell(HIDDEN, DETER)
        self.prior_hidden = nn.Linear(DETER, HIDDEN)
        self.prior_out = nn.Linear(HIDDEN, 2 * STOCH)
        self.post_hidden = nn.Linear(DETER + embed, HIDDEN)
        self.post_out = nn.Linear(HIDDEN, 2 * STOCH)

    def deterministic(self, h, s, a):
        return self.gru(F.relu(self.state_action(torch.cat([s, a], 1))), h)

    @staticmethod
    def gaussian(out):
        mean, x = out[:, :STOCH], out[:, STOCH:]
        return mean, F.softplus(x) + MIN_STD

    def prior(self, h):
        return self.gaussian(self.prior_out(F.relu(self.prior_hidden(h))))

    def posterior(self, h, e):
        return self.gaussian(self.post_out(F.relu(self.post_hidden(torch.cat([h, e], 1)))))


def rsample(mean, std):
    return mean + std * torch.randn_like(mean)


def kl(pm, ps, qm, qs):
    """KL(N(pm, ps) || N(qm, qs)) summed over the last axis."""
    var_ratio = (ps / qs) ** 2
    t = ((pm - qm) / qs) ** 2
    return (0.5 * (var_ratio + t - torch.log(var_ratio) - 1)).sum(-1)


class WorldModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.rssm = Rssm(32 * DEPTH)
        feat = DETER + STOCH
        self.decoder = Decoder(feat)
        layers, prev = [], feat
        for _ in range(REWARD_LAYERS):
            layers += [nn.Linear(prev, REWARD_HIDDEN), nn.ReLU()]
            prev = REWARD_HIDDEN
        layers.append(nn.Linear(prev, 1))
        self.reward = nn.Sequential(*layers)

    def loss(self, obs, action, reward):
        """obs uint8 [T, B, 3, 64, 64], action [T, B, A], reward [T, B]."""
        t, b = obs.shape[0], obs.shape[1]
        target = preprocess(obs.reshape(t * b, 3, 64, 64))  # encoder input and reconstruction target
        embed = self.encoder(target).reshape(t, b, -1)
        h, s = torch.zeros(b, DETER), torch.zeros(b, STOCH)
        hs, ss, kls = [], [], []
        for i in range(t):
            h = self.rssm.deterministic(h, s, action[i])
            pm, ps = self.rssm.prior(h)
            qm, qs = self.rssm.posterior(h, embed[i])
            s = rsample(qm, qs)
            hs.append(h)
            ss.append(s)
            kls.append(kl(qm, qs, pm, ps))
        f = torch.cat([torch.cat(hs, 0), torch.cat(ss, 0)], 1)  # [T*B, F]
        recon = 0.5 * ((self.decoder(f) - target) ** 2).sum() / (t * b)
        reward_loss = 0.5 * ((self.reward(f).reshape(-1) - reward.reshape(-1)) ** 2).mean()
        latent = torch.clamp(torch.cat(kls, 0), min=FREE_NATS).mean()
        return recon + REWARD_SCALE * reward_loss + KL_SCALE * latent


def preprocess(x):
    """uint8 -> floor(x / 2^(8 - bits)) / 2^bits + U(0, 2^-bits) - 0.5."""
    bins = 2 ** BITS
    q = torch.div(x, 2 ** (8 - BITS), rounding_mode="floor").float() / bins
    return q + torch.rand(q.shape) / bins - 0.5


def preprocess_centre(x):
    bins = 2 ** BITS
    return torch.div(x, 2 ** (8 - BITS), rounding_mode="floor").float() / bins + 0.5 / bins - 0.5


class Agent:
    """PlanetAgent.act: belief update, then CEM in latent space."""

    def __init__(self, model):
        self.m = model
        self.h, self.s = torch.zeros(1, DETER), torch.zeros(1, STOCH)
        self.prev = torch.zeros(1, ACTIONS)

    @torch.no_grad()
    def act(self, frame):  # uint8 [1, 3, 64, 64]
        m = self.m
        e = m.encoder(preprocess_centre(frame))
        h = m.rssm.deterministic(self.h, self.s, self.prev)
        self.h, self.s = h, rsample(*m.rssm.posterior(h, e))
        mean, std = torch.zeros(HORIZON, 1, ACTIONS), torch.ones(HORIZON, 1, ACTIONS)
        for _ in range(ITERATIONS):
            cand = (mean + std * torch.randn(HORIZON, CANDIDATES, ACTIONS)).clamp_(-1, 1)  # [H, J, A]
            returns = self.score(cand)
            top = cand[:, torch.topk(returns, TOP_K).indices]  # [H, K, A]
            mean = top.mean(1, keepdim=True)
            std = top.std(1, unbiased=False, keepdim=True)
        a = mean[0, 0].clone()
        self.prev = a.reshape(1, ACTIONS)
        return a

    def score(self, cand):
        m = self.m
        h, s = self.h.expand(CANDIDATES, DETER), self.s.expand(CANDIDATES, STOCH)
        returns = torch.zeros(CANDIDATES)
        for t in range(HORIZON):
            h = m.rssm.deterministic(h, s, cand[t])
            s = rsample(*m.rssm.prior(h))
            returns += m.reward(torch.cat([h, s], 1)).reshape(-1)
        return returns


def train_workload():
    torch.manual_seed(1)
    model = WorldModel()
    opt = torch.optim.Adam(model.parameters(), lr=LR, eps=ADAM_EPS)
    g = torch.Generator().manual_seed(3)
    obs = torch.randint(0, 256, (CHUNK, BATCH, 3, 64, 64), dtype=torch.uint8, generator=g)
    action = torch.rand(CHUNK, BATCH, ACTIONS, generator=g) * 2 - 1
    reward = torch.rand(CHUNK, BATCH, generator=g)

    def op():
        loss = model.loss(obs, action, reward)
        loss.item()  # latte checks every loss term for NaN before the backward pass
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
        opt.step()
        opt.zero_grad(set_to_none=False)  # latte zeroes its gradient buffer in place
    return op


def plan_workload():
    torch.manual_seed(1)
    agent = Agent(WorldModel())
    frame = torch.randint(0, 256, (1, 3, 64, 64), dtype=torch.uint8, generator=torch.Generator().manual_seed(3))
    return lambda: agent.act(frame)


if __name__ == "__main__":
    peerlib.main("planet", {"train": train_workload, "plan": plan_workload}, __doc__)
