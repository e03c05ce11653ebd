"""The ST-NAS search step in PyTorch, for the same network as bench/search-step.bench.ts.

MFRNet of TDNN candidates (Conv1d with padding C*D -> ReLU -> LayerNorm -> Dropout; thu-spmi/ST-NAS
modules/Edge.py), the fixed stride-3 TDNN after block `pos`, a linear output and CTC (sum / B).
One search step = an ST architecture step on a batch (all K candidates forward, K-1 of them
detached, out = sum_i (1[i=k] + p_i - sg(p_i)) o_i; Adam on the logits) + a weight step on another
batch (one sampled path; Adam on the weights). Prints one JSON line of timings.
Usage: python3 torch_search_step.py UNITS BLOCKS BATCH FRAMES REPS THREADS
"""
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

units, blocks, batch, frames, reps, threads = (int(a) for a in sys.argv[1:7])
torch.set_num_threads(threads)
torch.manual_seed(0)
CANDS = [(1, 1), (1, 2), (2, 1), (2, 2)]  # (C, D): tdnn-C1D1Nln, C1D2, C2D1, C2D2


class Tdnn(nn.Module):
    def __init__(self, i, o, c, d, s=1, p=0.1):
        super().__init__()
        self.conv = nn.Conv1d(i, o, 2 * c + 1, stride=s, dilation=d, padding=c * d)
        self.ln = nn.LayerNorm(o)
        self.drop = nn.Dropout(p)

    def forward(self, x):  # x [B, T, D]
        y = F.relu(self.conv(x.transpose(1, 2))).transpose(1, 2)
        return self.drop(self.ln(y))


class Node(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.ops = nn.ModuleList(Tdnn(i, o, c, d) for c, d in CANDS)
        self.alpha = nn.Parameter(torch.zeros(len(CANDS)))

    def forward(self, x, mode):
        p = F.softmax(self.alpha, 0)
        k = int(torch.multinomial(p.detach(), 1))
        if mode == 'weight':
            return self.ops[k](x)
        outs = [self.ops[i](x) if i == k else self.ops[i](x).detach() for i in range(len(CANDS))]
        hard = torch.zeros_like(p)
        hard[k] = 1.0
        w = hard + p - p.detach()
        return sum(w[i] * outs[i] for i in range(len(CANDS)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.nodes = nn.ModuleList(Node(120 if b == 0 else units, units) for b in range(blocks))
        self.sub = Tdnn(units, units, 1, 1, s=3)
        self.pos = blocks // 2
        self.out = nn.Linear(units, 41)

    def forward(self, x, mode):
        for b, n in enumerate(self.nodes):
            if b == self.pos:
                x = self.sub(x)
            x = n(x, mode)
        return self.out(x)


net = Net()
arch = [n.alpha for n in net.nodes]
weights = [p for name, p in net.named_parameters() if not name.endswith('alpha')]
opt_w = torch.optim.Adam(weights, lr=1e-3)
opt_a = torch.optim.Adam(arch, lr=5e-3)
x1 = torch.randn(batch, frames, 120)
x2 = torch.randn(batch, frames, 120)
t_out = (frames - 1) // 3 + 1
targets = torch.randint(1, 41, (batch, 20))
in_lens = torch.full((batch,), t_out, dtype=torch.long)
tgt_lens = torch.full((batch,), 20, dtype=torch.long)


def loss_of(x, mode):
    lp = F.log_softmax(net(x, mode), -1).transpose(0, 1)
    return F.ctc_loss(lp, targets, in_lens, tgt_lens, reduction='sum', zero_infinity=True) / batch


def arch_step():
    opt_a.zero_grad(set_to_none=True)
    for p in weights:
        p.requires_grad_(False)
    loss_of(x1, 'arch').backward()
    for p in weights:
        p.requires_grad_(True)
    opt_a.step()


def weight_step():
    opt_w.zero_grad(set_to_none=True)
    loss_of(x2, 'weight').backward()
    opt_w.step()


net.train()
out = {}
for name, fn in (('arch', arch_step), ('weight', weight_step), ('search', lambda: (arch_step(), weight_step()))):
    fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    out[name] = times[len(times) // 2]
out['peakRssMB'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out['torch'] = torch.__version__
out['threads'] = threads
print(json.dumps(out))
