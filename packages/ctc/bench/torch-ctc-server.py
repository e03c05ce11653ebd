# Times PyTorch's CPU ctc_loss (log_softmax + loss + backward) on the batch written by
# ctc.bench.ts, one run per "run" line on stdin, so the benchmark can alternate with TF.js.
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
path, B, T, C, U = sys.argv[1], *map(int, sys.argv[2:6])
raw = np.fromfile(path, dtype=np.float32)
logits = torch.from_numpy(raw[: B * T * C].reshape(B, T, C).copy()).transpose(0, 1).contiguous()
targets = torch.from_numpy(np.fromfile(path + ".targets", dtype=np.int32).reshape(B, U).astype(np.int64))
input_lengths = torch.full((B,), T, dtype=torch.long)
target_lengths = torch.full((B,), U, dtype=torch.long)
print(f"ready torch {torch.__version__} threads {torch.get_num_threads()}", flush=True)
for line in sys.stdin:
    if line.strip() != "run":
        break
    x = logits.clone().requires_grad_(True)
    t0 = time.perf_counter()
    loss = F.ctc_loss(x.log_softmax(2), targets, input_lengths, target_lengths, reduction="mean")
    loss.backward()
    ms = (time.perf_counter() - t0) * 1000
    print(f"{ms} {loss.item()}", flush=True)
