"""PyTorch replica of the ST-NAS warmup at the demo's sizes, the anchor for stnas's warmup curve.

The reference's modules (thu-spmi/ST-NAS modules/Edge.py `TDNN`: Conv1d with padding C*D -> ReLU
-> LayerNorm -> Dropout) in the demo's MFRNet: 4 blocks of 128 units, candidates C1D1 C1D2 C2D1
C2D2 in every node, the fixed stride-3 TDNN (C1S3D1) after block 2, a linear output. Warmup as
NASTop.py: every step each node picks a candidate uniformly and only that path trains (Adam); CTC
summed per utterance and averaged over the batch. Batches are stnas's (makeBatches: sorted by
length, then key, in groups of BATCH; the order is shuffled every epoch); padded frames are zeroed
after every op as stnas does. Dev loss: the same quantity, dropout off, over paths sampled
uniformly per batch, averaged over the utterances.

Input: the dumps of export-features.mjs (features exactly as the trainer feeds them).
  node packages/trainer/bench/export-features.mjs packages/corpus/data/train packages/corpus/data/lang /tmp/f/train
  (same for dev), then
  python3 packages/trainer/bench/warmup_replica.py /tmp/f --sharing independent --epochs 10

--sharing independent: every candidate has its own weights (the paper's supernet).
--sharing entangled: one 5-tap kernel, bias and LayerNorm per node; C1 candidates use its centre 3
  taps, D2 candidates dilate the taps they use (Single-Path NAS superkernels, Once-for-All elastic
  kernels); this is stnas's `weight_sharing: "entangled"`.
--candidates C1D1 (or any comma list) restricts the node, e.g. to one candidate.
With --search-epochs N, an ST search follows (thu-spmi/ST-NAS NASTop.py archsearch, as stnas's
search stage): every step an architecture step on a held-out batch (all candidates forward, the
sampled one's output, straight-through gradient to the logits; Adam at --arch-lr) and a weight step
on a training batch through a path sampled from p.
Prints one JSON line per epoch: {"stage", "epoch", "dev_loss", "train_loss", "seconds"} and, in the
search, p of every node and the dev loss of the argmax architecture.

--grad-check N (0 = off): right after the warmup (p uniform) and after the last search epoch, checks
the ST arch gradient against the exact gradient of the expected held-out loss
E(a) = sum_paths prod_n p_n(c_n) L(path), L = the dev-loss quantity (CTC per utterance, dropout
off) over the whole held-out split, every path evaluated with fixed choices. Prints `gradcheck`
lines: the held-out loss of every path (sorted) and the argmax's rank; per node and logit a_{n,j}
the closed form dE/da_{n,j} = p_n(j) (Lbar_n(j) - sum_c p_n(c) Lbar_n(c)), its central finite
difference, the exact expectation of the ST estimator (its gradient averaged over every path,
weighted by the path's probability), and the ST gradient of the search's own code path (autograd on
the logits, dropout off) sampled N times per held-out batch: mean, sd, se = sd/sqrt(n), the pooled
within-batch sd, the sd of the batch means (it includes within_sd/sqrt(N)), z = (mean - exact)/se
and z_expect = (mean - ST expectation)/se. The RNG states are restored
afterwards, so the run's trajectory is the one without --grad-check.
"""
import argparse
import itertools
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument('features', help='directory holding train.{f32,json} and dev.{f32,json}')
ap.add_argument('--sharing', choices=['independent', 'entangled'], default='independent')
ap.add_argument('--candidates', default='C1D1,C1D2,C2D1,C2D2')
ap.add_argument('--epochs', type=int, default=10)
ap.add_argument('--lr', type=float, default=2e-3)
ap.add_argument('--batch', type=int, default=16)
ap.add_argument('--units', type=int, default=128)
ap.add_argument('--blocks', type=int, default=4)
ap.add_argument('--dropout', type=float, default=0.1)
ap.add_argument('--seed', type=int, default=0)
ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--search-epochs', type=int, default=0, help='ST search epochs after the warmup')
ap.add_argument('--arch-lr', type=float, default=5e-3)
ap.add_argument('--held-out', type=float, default=0.1, help='share of train held out for the arch step')
ap.add_argument('--grad-check', type=int, default=0,
                help='ST samples per held-out batch for the arch-gradient check (0 = off)')
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)
random.seed(args.seed)
CANDS = [(int(c[1]), int(c[3])) for c in args.candidates.split(',')]  # (C, D)


def load(name):
    meta = json.load(open(os.path.join(args.features, f'{name}.json')))
    data = np.fromfile(os.path.join(args.features, f'{name}.f32'), dtype=np.float32)
    dim = meta['dim']
    utts = []
    for u in meta['utts']:
        x = data[u['offset']:u['offset'] + u['frames'] * dim].reshape(u['frames'], dim)
        utts.append((u['key'], torch.from_numpy(x.copy()), u['labels']))
    return meta, utts


def batches(utts, size):
    """stnas makeBatches: sorted by frames then key, groups of `size`, zero-padded."""
    s = sorted(utts, key=lambda u: (u[1].shape[0], u[0]))
    out = []
    for i in range(0, len(s), size):
        g = s[i:i + size]
        t = max(u[1].shape[0] for u in g)
        x = torch.zeros(len(g), t, g[0][1].shape[1])
        for b, u in enumerate(g):
            x[b, :u[1].shape[0]] = u[1]
        lens = torch.tensor([u[1].shape[0] for u in g])
        labels = torch.tensor([l for u in g for l in u[2]], dtype=torch.long)
        label_lens = torch.tensor([len(u[2]) for u in g])
        out.append((x, lens, labels, label_lens))
    return out


def mask(y, lens):
    t = torch.arange(y.shape[1])[None, :, None]
    return y * (t < lens[:, None, None]).float()


class Tdnn(nn.Module):
    """conv -> ReLU -> LayerNorm -> dropout with its own weights (Edge.py TDNN)."""

    def __init__(self, i, o, c, d, s=1):
        super().__init__()
        self.c, self.d, self.s = c, d, s
        self.conv = nn.Conv1d(i, o, 2 * c + 1, stride=s, dilation=d, padding=c * d)
        self.ln = nn.LayerNorm(o)

    def forward(self, x, lens):
        y = F.relu(self.conv(x.transpose(1, 2))).transpose(1, 2)
        lens = (lens - 1) // self.s + 1
        return mask(F.dropout(self.ln(y), args.dropout, self.training), lens), lens


class SharedNode(nn.Module):
    """All candidates of a node read one (2*Cmax+1)-tap kernel, bias and LayerNorm."""

    def __init__(self, i, o):
        super().__init__()
        self.cmax = max(c for c, _ in CANDS)
        full = nn.Conv1d(i, o, 2 * self.cmax + 1)  # PyTorch's default init of the largest kernel
        self.weight, self.bias = full.weight, full.bias
        self.ln = nn.LayerNorm(o)

    def forward(self, x, lens, k):
        c, d = CANDS[k]
        w = self.weight[:, :, self.cmax - c:self.cmax + c + 1]
        y = F.relu(F.conv1d(x.transpose(1, 2), w, self.bias, dilation=d, padding=c * d)).transpose(1, 2)
        return mask(F.dropout(self.ln(y), args.dropout, self.training), lens), lens


class Choice:
    """How nodes pick candidates: 'warmup' (uniform), 'train' (sample from p), 'argmax', or 'search'
    (sample k from p; out = sum_i (1[i=k] + p_i - sg(p_i)) o_i with o_i detached for i != k), or
    'fixed' (node n runs candidate fixed[n]). In 'search', a non-None `fixed` replaces the sample."""
    mode = 'warmup'
    fixed = None


def run_node(node, x, lens):
    k_all = len(CANDS)
    if Choice.mode == 'warmup':
        return node(x, lens, random.randrange(k_all))
    if Choice.mode == 'fixed':
        return node(x, lens, Choice.fixed[node.idx])
    p = F.softmax(node.alpha, 0)
    if Choice.mode == 'argmax':
        return node(x, lens, int(p.argmax()))
    k = int(torch.multinomial(p.detach(), 1)) if Choice.fixed is None else Choice.fixed[node.idx]
    if Choice.mode == 'train':
        return node(x, lens, k)
    outs = []
    for i in range(k_all):
        if i == k:
            y, out_lens = node(x, lens, i)
        else:
            with torch.no_grad():
                y, _ = node(x, lens, i)
        outs.append(y)
    hard = torch.zeros_like(p)
    hard[k] = 1.0
    w = hard + p - p.detach()
    return sum(w[i] * outs[i] for i in range(k_all)), out_lens


class IndependentNode(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.ops = nn.ModuleList(Tdnn(i, o, c, d) for c, d in CANDS)

    def forward(self, x, lens, k):
        return self.ops[k](x, lens)


class Net(nn.Module):
    def __init__(self, idim, classes):
        super().__init__()
        node = SharedNode if args.sharing == 'entangled' else IndependentNode
        u = args.units
        self.nodes = nn.ModuleList(node(idim if b == 0 else u, u) for b in range(args.blocks))
        self.sub = Tdnn(u, u, 1, 1, s=3)
        self.pos = args.blocks // 2
        self.out = nn.Linear(u, classes)
        for b, n in enumerate(self.nodes):
            n.alpha = nn.Parameter(torch.zeros(len(CANDS)))
            n.idx = b

    def forward(self, x, lens):
        for b, n in enumerate(self.nodes):
            if b == self.pos:
                x, lens = self.sub(x, lens)
            x, lens = run_node(n, x, lens)
        return mask(self.out(x), lens), lens


def loss_of(net, batch):
    x, lens, labels, label_lens = batch
    logits, out_lens = net(x, lens)
    lp = F.log_softmax(logits, -1).transpose(0, 1)
    # CTC summed per utterance, averaged over the batch (CAT's size_average: sum / B).
    return F.ctc_loss(lp, labels, out_lens, label_lens, blank=0, reduction='sum', zero_infinity=True) / x.shape[0]


meta, train = load('train')
_, dev = load('dev')
net = Net(meta['dim'], meta['numClasses'])
alphas = [n.alpha for n in net.nodes]
weights = [p for name, p in net.named_parameters() if not name.endswith('alpha')]
opt = torch.optim.Adam(weights, lr=args.lr)
arch_opt = torch.optim.Adam(alphas, lr=args.arch_lr)
dev_b = batches(dev, args.batch)


def dev_loss(mode):
    Choice.mode = mode
    net.eval()
    with torch.no_grad():
        total = sum(float(loss_of(net, b)) * b[0].shape[0] for b in dev_b)
    net.train()
    return total / sum(b[0].shape[0] for b in dev_b)


def probs():
    return [[round(float(v), 3) for v in F.softmax(a.detach(), 0)] for a in alphas]


def weight_step(batch, mode):
    Choice.mode = mode
    opt.zero_grad()
    loss = loss_of(net, batch)
    loss.backward()
    opt.step()
    return float(loss)


def grad_check(tag, held, n_samples):
    """Exact dE/da vs the ST estimator on the held-out batches (see the module docstring)."""
    t0 = time.time()
    rng = (torch.get_rng_state(), random.getstate())
    K, nodes = len(CANDS), len(net.nodes)
    paths = list(itertools.product(range(K), repeat=nodes))
    sizes = np.array([b[0].shape[0] for b in held], dtype=np.float64)
    net.eval()
    # Held-out loss of every path, per batch (dev-loss quantity: batch-mean CTC per utterance).
    Choice.mode = 'fixed'
    lb = np.zeros((len(paths), len(held)))
    with torch.no_grad():
        for pi, path in enumerate(paths):
            Choice.fixed = path
            for bi, b in enumerate(held):
                lb[pi, bi] = float(loss_of(net, b))
    lu = lb @ sizes / sizes.sum()  # averaged per utterance over the split
    lm = lb.mean(1)  # mean over batches: the target of the search's uniformly drawn held-out batch
    a0 = np.array([a.detach().double().numpy() for a in alphas])  # [nodes, K]
    pidx = np.array(paths)  # [paths, nodes]

    def softmax(a):
        e = np.exp(a - a.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    def path_w(a):
        p = softmax(a)
        return np.prod(p[np.arange(nodes)[None, :], pidx], 1)

    def exact_grad(a, lvec):
        p = softmax(a)
        g = np.zeros((nodes, K))
        for n in range(nodes):
            others = np.prod(np.where(np.arange(nodes)[None, :] == n, 1.0,
                                      p[np.arange(nodes)[None, :], pidx]), 1)
            lbar = np.array([(others * lvec)[pidx[:, n] == c].sum() for c in range(K)])
            g[n] = p[n] * (lbar - p[n] @ lbar)
        return g

    ex, ex_m = exact_grad(a0, lu), exact_grad(a0, lm)
    h, fd = 1e-5, np.zeros((nodes, K))
    for n in range(nodes):
        for j in range(K):
            ap_, am_ = a0.copy(), a0.copy()
            ap_[n, j] += h
            am_[n, j] -= h
            fd[n, j] = (path_w(ap_) @ lu - path_w(am_) @ lu) / (2 * h)
    w0 = path_w(a0)
    p0 = softmax(a0)

    def name(path):
        return ''.join(str(c) for c in path)

    print(f'gradcheck {tag} legend ' + ' '.join(f'{i}=C{c}D{d}' for i, (c, d) in enumerate(CANDS))
          + f' held_batches={len(held)} sizes={sizes.astype(int).tolist()} samples={n_samples}'
          + ' p=' + json.dumps([[round(float(v), 3) for v in q] for q in p0]), flush=True)
    order = np.argsort(lu)
    am = tuple(int(q.argmax()) for q in p0)
    for r, pi in enumerate(order, 1):
        print(f'gradcheck {tag} path {r:2d} {name(paths[pi])} loss={lu[pi]:.4f} prob={w0[pi]:.4f}'
              + (' argmax' if paths[pi] == am else ''))
    am_rank = int(np.where(order == paths.index(am))[0][0]) + 1
    print(f'gradcheck {tag} argmax {name(am)} rank={am_rank}/{len(paths)} loss={lu[paths.index(am)]:.4f} '
          f'best={name(paths[order[0]])} {lu[order[0]]:.4f} E={w0 @ lu:.4f} '
          f'spread={lu.max() - lu.min():.4f}')
    print(f'gradcheck {tag} fd max|closed-fd|={np.abs(ex - fd).max():.2e} h={h}')

    def arch_grads(b):
        # The search's arch step, dropout off: autograd of the held-out loss on the logits.
        loss = loss_of(net, b)
        return np.array([g.double().numpy() for g in torch.autograd.grad(loss, alphas)])

    # Exact expectation of the ST estimator: its gradient for every path, weighted by prod p.
    Choice.mode = 'search'
    st_exp = np.zeros((nodes, K))
    for pi, path in enumerate(paths):
        Choice.fixed = path
        for bi, b in enumerate(held):
            st_exp += w0[pi] * arch_grads(b) / len(held)
    # The ST estimator as the search draws it: k ~ p at every node.
    Choice.fixed = None
    g = np.zeros((len(held), n_samples, nodes, K))
    for bi, b in enumerate(held):
        for s in range(n_samples):
            g[bi, s] = arch_grads(b)
    net.train()
    Choice.mode = 'warmup'
    n_tot = len(held) * n_samples
    for n in range(nodes):
        for j in (range(K) if K > 2 else [1]):
            x = g[:, :, n, j]
            sd = x.std(ddof=1)
            se = sd / math.sqrt(n_tot)
            within = math.sqrt(x.var(1, ddof=1).mean()) if n_samples > 1 else float('nan')
            between = x.mean(1).std(ddof=1) if len(held) > 1 else float('nan')
            print(f'gradcheck {tag} node {n} a{j} p={p0[n, j]:.3f} exact={ex[n, j]:+.5f} fd={fd[n, j]:+.5f} '
                  + (f'exact_batchmean={ex_m[n, j]:+.5f} ' if np.ptp(sizes) else '')
                  + f'st_expect={st_exp[n, j]:+.5f} st_mean={x.mean():+.5f} st_sd={sd:.5f} st_se={se:.5f} '
                  f'within_sd={within:.5f} between_sd={between:.5f} z={(x.mean() - ex[n, j]) / se:+.2f} '
                  f'z_expect={(x.mean() - st_exp[n, j]) / se:+.2f}')
    print(f'gradcheck {tag} seconds={time.time() - t0:.1f}', flush=True)
    torch.set_rng_state(rng[0])
    random.setstate(rng[1])


train_b = batches(train, args.batch)
for epoch in range(1, args.epochs + 1):
    t0 = time.time()
    order = list(range(len(train_b)))
    random.shuffle(order)
    tot = sum(weight_step(train_b[i], 'warmup') for i in order)
    print(json.dumps({'stage': 'warmup', 'epoch': epoch, 'dev_loss': round(dev_loss('warmup'), 2),
                      'train_loss': round(tot / len(order), 2), 'seconds': round(time.time() - t0, 1)}), flush=True)

if args.search_epochs or args.grad_check:
    # stnas heldOutSplit: a seeded share of the utterances, sorted by key, for the arch step.
    keys = sorted(train, key=lambda u: u[0])
    rs = random.Random(0)
    held_idx = set(rs.sample(range(len(keys)), round(len(keys) * args.held_out)))
    search_b = batches([u for i, u in enumerate(keys) if i not in held_idx], args.batch)
    held_b = batches([u for i, u in enumerate(keys) if i in held_idx], args.batch)
    if args.grad_check:
        grad_check('post-warmup', held_b, args.grad_check)
    for epoch in range(1, args.search_epochs + 1):
        t0 = time.time()
        order = list(range(len(search_b)))
        random.shuffle(order)
        tot = 0.0
        for i in order:
            Choice.mode = 'search'
            arch_opt.zero_grad()
            opt.zero_grad()
            loss_of(net, random.choice(held_b)).backward()
            arch_opt.step()
            tot += weight_step(search_b[i], 'train')
        p = probs()
        print(json.dumps({'stage': 'search', 'epoch': epoch, 'dev_loss_argmax': round(dev_loss('argmax'), 2),
                          'train_loss': round(tot / len(order), 2), 'max_p': [max(q) for q in p],
                          'argmax': [q.index(max(q)) for q in p], 'p': p,
                          'seconds': round(time.time() - t0, 1)}), flush=True)
    if args.grad_check and args.search_epochs:
        grad_check('end-search', held_b, args.grad_check)
