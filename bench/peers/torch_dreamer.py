#!/usr/bin/python3
"""PyTorch peer of latte.bench.DreamerBench: one Dreamer behaviour update at paper() sizes in PyTorch 1.13 CPU.

The same networks as latte.models.dreamer.DreamerLearner with DreamerConfig.paper() and action
size 6, timed on the same operation; writes a JSON list of {"workload", "threads", "seconds_per_op"}
rows that `./latte bench dreamer` joins as the "PyTorch" columns (BenchMain runs this script
itself; to run it alone:
    /usr/bin/python3 bench/peers/torch_dreamer.py dreamer --threads 1,2 --out peer.json ).

Model (Hafner et al. 2020; latte's layer for layer, ELU everywhere):
  RSSM    h' = GRUCell(200)(ELU(Linear(30 + 6 -> 200)([s, a])), h)
          prior Linear(200 -> 200), ELU, Linear(200 -> 60) -> mean, softplus(.) + 0.1; s' = mean + std * eps
  actor   Linear(230 -> 400), ELU, 3 x (Linear(400 -> 400), ELU), Linear(400 -> 12)
          mean = 5 tanh(mu / 5), std = softplus(x + softplus^-1(5)) + 1e-4, a = tanh(mean + std * eps),
          log p(a) by the change of variables (the entropy estimate latte computes with the sample)
  reward  Linear(230 -> 400), ELU, Linear(400 -> 400), ELU, Linear(400 -> 1)
  value   Linear(230 -> 400), ELU, 2 x (Linear(400 -> 400), ELU), Linear(400 -> 1)

Workload "behaviour": from N = 50 x 50 = 2500 start states (h uniform in (-1, 1), s standard normal):
  imagine H = 15 steps (the actor sees detached features; actions enter the dynamics with gradient),
  reward on s_0..s_{H-2}, value on s_1..s_{H-1} ((H-1) x N each), lambda-returns (gamma 0.99, lambda 0.95, bootstrap v_{H-1}),
  actor loss = -sum_{t < H-1} w_t R_t / ((H-1) N), backward, clip_grad_norm_(100), Adam(8e-5, eps 1e-4);
  value loss = sum w_t (v(sg f_t) - sg R_t)^2 * 0.5 / ((H-1) N), backward, clip 100, Adam(8e-5).
The world model and value parameters are frozen (requires_grad False) during the actor's backward,
as PyTorch Dreamer ports do; latte freezes them the same way (ParamStore.trainable(false)).
Like latte, the heads run only where the returns read them: rewards r_0..r_{H-2}, values v_1..v_{H-1}.
Each row is the median of single-op samples after warmup ops (quick: 1 warmup + 3 samples, else 2 + 5).
"""

import peerlib
import torch
import torch.nn as nn
import torch.nn.functional as F

DETER, STOCH, HIDDEN, MIN_STD = 200, 30, 200, 0.1
ACTIONS = 6
ACTOR_HIDDEN, ACTOR_LAYERS, INIT_STD, MEAN_SCALE, ACTOR_MIN_STD = 400, 4, 5.0, 5.0, 1e-4
VALUE_HIDDEN, VALUE_LAYERS, REWARD_HIDDEN, REWARD_LAYERS = 400, 3, 400, 2
HORIZON, GAMMA, LAMBDA = 15, 0.99, 0.95
N = 50 * 50
LR, ADAM_EPS, CLIP = 8e-5, 1e-4, 100.0
FEATURES = DETER + STOCH


def mlp(inp, hidden, layers, out):
    mods, d = [], inp
    for _ in range(layers):
        mods += [nn.Linear(d, hidden), nn.ELU()]
        d = hidden
    return nn.Sequential(*mods, nn.Linear(d, out))


class Rssm(nn.Module):
    def __init__(self):
        super().__init__()
        self.state_action = nn.Linear(STOCH + ACTIONS, HIDDEN)
        self.gru = nn.GRUCell(HIDDEN, DETER)
        self.prior_hidden = nn.Linear(DETER, HIDDEN)
        self.prior_out = nn.Linear(HIDDEN, 2 * STOCH)

    def step(self, h, s, a):
        h = self.gru(F.elu(self.state_action(torch.cat([s, a], 1))), h)
        mean, x = self.prior_out(F.elu(self.prior_hidden(h))).chunk(2, 1)
        std = F.softplus(x) + MIN_STD
        return h, mean + std * torch.randn_like(mean)


class Actor(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = mlp(FEATURES, ACTOR_HIDDEN, ACTOR_LAYERS, 2 * ACTIONS)
        self.raw_init_std = float(torch.log(torch.expm1(torch.tensor(INIT_STD))))

    def sample(self, f):
        mu, x = self.net(f).chunk(2, 1)
        mean = MEAN_SCALE * torch.tanh(mu / MEAN_SCALE)
        std = F.softplus(x + self.raw_init_std) + ACTOR_MIN_STD
        u = mean + std * torch.randn_like(mean)
        base = (-0.5 * ((u - mean) / std) ** 2 - torch.log(std) - 0.5 * torch.log(torch.tensor(2 * torch.pi))).sum(1)
        log_det = (2 * (torch.log(torch.tensor(2.0)) - u - F.softplus(-2 * u))).sum(1)
        return torch.tanh(u), base - log_det


def lambda_returns(r, v, lam):  # lists of [N]; returns R_0..R_{H-2}
    out, nxt = [None] * (len(r) - 1), v[-1]
    for t in range(len(r) - 2, -1, -1):
        nxt = r[t] + GAMMA * ((1 - lam) * v[t + 1] + lam * nxt)
        out[t] = nxt
    return out


def behaviour_workload():
    torch.manual_seed(1)
    rssm, reward = Rssm(), mlp(FEATURES, REWARD_HIDDEN, REWARD_LAYERS, 1)
    actor, value = Actor(), mlp(FEATURES, VALUE_HIDDEN, VALUE_LAYERS, 1)
    for p in list(rssm.parameters()) + list(reward.parameters()):
        p.requires_grad_(False)  # the world model is not trained here
    actor_opt = torch.optim.Adam(actor.parameters(), lr=LR, eps=ADAM_EPS)
    value_opt = torch.optim.Adam(value.parameters(), lr=LR, eps=ADAM_EPS)
    g = torch.Generator().manual_seed(3)
    h0 = torch.rand(N, DETER, generator=g) * 2 - 1
    s0 = torch.randn(N, STOCH, generator=g)

    def op():
        h, s, feats, ents = h0, s0, [], []
        for _ in range(HORIZON):
            a, logp = actor.sample(torch.cat([h, s], 1).detach())
            h, s = rssm.step(h, s, a)
            feats.append(torch.cat([h, s], 1))
            ents.append(-logp)
        head, tail = torch.cat(feats[:-1], 0), torch.cat(feats[1:], 0)  # [(H-1)*N, F]
        for p in value.parameters():
            p.requires_grad_(False)
        r = reward(head).reshape(HORIZON - 1, N)  # r_0 .. r_{H-2}
        v = value(tail).reshape(HORIZON - 1, N)  # v_1 .. v_{H-1}
        ret = lambda_returns(list(r) + [None], [None] + list(v), LAMBDA)
        w = [GAMMA ** t for t in range(HORIZON - 1)]
        actor_loss = -sum(w[t] * ret[t] for t in range(HORIZON - 1)).sum() / ((HORIZON - 1) * N)
        actor_loss.item()  # latte checks the loss for NaN before the backward pass
        actor_opt.zero_grad(set_to_none=False)
        actor_loss.backward()
        nn.utils.clip_grad_norm_(actor.parameters(), CLIP)
        actor_opt.step()
        for p in value.parameters():
            p.requires_grad_(True)

        fd = torch.cat(feats[:HORIZON - 1], 0).detach()
        target = torch.cat(ret, 0).detach()
        wd = torch.tensor(w).repeat_interleave(N)
        value_loss = (wd * (value(fd).reshape(-1) - target) ** 2).sum() * 0.5 / ((HORIZON - 1) * N)
        value_loss.item()
        value_opt.zero_grad(set_to_none=False)
        value_loss.backward()
        nn.utils.clip_grad_norm_(value.parameters(), CLIP)
        value_opt.step()
        return ret[0].mean().item()
    return op


if __name__ == "__main__":
    peerlib.main("dreamer", {"behaviour": behaviour_workload}, __doc__)
