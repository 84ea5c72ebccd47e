"""MRLF in PyTorch (CPU), the same architecture as lib/models/mrlf.ts, for the
training-speed comparison in bench/train-peer.ts, padding masks included
(cfg["paddingMask"], as the default MRLF: attention gives pad keys no weight,
every max over positions skips pads). Prints one JSON line:
{"samples_per_s", "threads", "step_ms", "cpu_ms", "torch"}.
Usage: python3 bench/mrlf_torch.py THREADS STEPS  (config on stdin as JSON)."""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import torch
import torch.nn as nn
import torch.nn.functional as F

cfg = json.load(sys.stdin)
threads, steps = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(1)


class MHA(nn.Module):
    def __init__(self, dq, dkv, heads, head_dim):
        super().__init__()
        self.h, self.dh = heads, head_dim
        self.q, self.k, self.v = nn.Linear(dq, heads * head_dim), nn.Linear(dkv, heads * head_dim), nn.Linear(dkv, heads * head_dim)

    def forward(self, xq, xkv, key_mask=None):
        B, Tq, _ = xq.shape
        Tk = xkv.shape[1]
        q = self.q(xq).view(B, Tq, self.h, self.dh).transpose(1, 2)
        k = self.k(xkv).view(B, Tk, self.h, self.dh).transpose(1, 2)
        v = self.v(xkv).view(B, Tk, self.h, self.dh).transpose(1, 2)
        s = q @ k.transpose(-1, -2) / self.dh ** 0.5
        if key_mask is None:
            p = torch.softmax(s, -1)
        else:
            m = key_mask[:, None, None, :]
            p = torch.softmax(s.masked_fill(~m, -1e9), -1) * m
        return (p @ v).transpose(1, 2).reshape(B, Tq, self.h * self.dh)


def masked_max(x, mask):
    """max over positions (dim 1) of the real positions; 0 where a row has none."""
    if mask is None:
        return x.max(1).values
    y = x.masked_fill(~mask[..., None], float("-inf")).max(1).values
    return torch.where(mask.any(1, keepdim=True), y, torch.zeros_like(y))


MASK = cfg.get("paddingMask", True)
pad_mask = lambda ids: (ids != 0) if MASK else None


class FFN(nn.Module):
    def __init__(self, d, hidden, out, p):
        super().__init__()
        self.drop, self.l1, self.l2 = nn.Dropout(p), nn.Linear(d, hidden), nn.Linear(hidden, out)

    def forward(self, x):
        return self.l2(F.relu(self.l1(self.drop(x))))


class CharBranch(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.emb = nn.Embedding(c["charVocab"], c["embedDim"])
        self.convs = nn.ModuleList([nn.Conv1d(c["embedDim"], c["filters"], k, padding="same") for k in c["charKernels"]])
        self.kernels = c["charKernels"]
        self.mha = MHA(c["filters"], c["filters"], c["heads"], c["headDim"])
        self.ffn = FFN(c["heads"] * c["headDim"], c["ffnDim"], c["filters"], c["dropout"])

    def hmax(self, ids):
        e = self.emb(ids).transpose(1, 2)
        h = torch.cat([F.max_pool1d(conv(e), k - 1, k - 1) for conv, k in zip(self.convs, self.kernels)], 2).transpose(1, 2)
        m = pad_mask(ids)
        if m is not None:
            mf = m.float()[:, None, :]
            m = torch.cat([F.max_pool1d(mf, k - 1, k - 1) for k in self.kernels], 2)[:, 0, :] > 0
        return h, m

    def forward(self, ids):
        h, m = self.hmax(ids)
        return h, m, masked_max(self.ffn(self.mha(h, h, m)), m)


class WordBranch(nn.Module):
    def __init__(self, c, vocab):
        super().__init__()
        self.emb = nn.Embedding(vocab, c["embedDim"])
        self.convs = nn.ModuleList([nn.Conv1d(c["embedDim"], c["filters"], k, padding="same") for k in c["wordKernels"]])

    def forward(self, ids):
        e = self.emb(ids).transpose(1, 2)
        m = pad_mask(ids)
        return torch.cat([masked_max(F.relu(conv(e)).transpose(1, 2), m) for conv in self.convs], 1)


class MRLF(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.tc, self.gc = CharBranch(c), CharBranch(c)
        self.tw, self.gw = WordBranch(c, c["wordVocab"]), WordBranch(c, c["tagVocab"])
        self.img = nn.Linear(c["imageDim"], c["imageOut"])
        self.xatt = MHA(c["filters"], c["filters"], 1, c["filters"])
        self.xffn = FFN(c["filters"], c["ffnDim"], c["filters"], c["dropout"])
        self.ln = nn.LayerNorm(c["filters"])
        d = 3 * c["filters"] + 2 * len(c["wordKernels"]) * c["filters"] + c["imageOut"]
        self.drop, self.out = nn.Dropout(c["dropout"]), nn.Linear(d, c["numClasses"])

    def forward(self, tc, tw, gc, gw, im):
        th, tm, tf_ = self.tc(tc)
        gh, gm, gf = self.gc(gc)
        cro = masked_max(self.ln(self.xffn(self.xatt(gh, th, tm))), gm)
        fp = torch.cat([tf_, self.tw(tw), gf, self.gw(gw), F.relu(self.img(im)), cro], 1)
        return self.out(self.drop(fp))


B = 64
m = MRLF(cfg)
opt = torch.optim.RMSprop(m.parameters(), lr=0.001)
g = torch.Generator().manual_seed(0)
batch = (
    torch.randint(2, cfg["charVocab"], (B, cfg["maxTextChars"]), generator=g),
    torch.randint(2, cfg["wordVocab"], (B, cfg["maxTextWords"]), generator=g),
    torch.randint(2, cfg["charVocab"], (B, cfg["maxTagChars"]), generator=g),
    torch.randint(2, cfg["tagVocab"], (B, cfg["maxTags"]), generator=g),
    torch.randn(B, cfg["imageDim"], generator=g),
)
y = torch.randint(0, cfg["numClasses"], (B,), generator=g)


def step():
    opt.zero_grad()
    loss = F.cross_entropy(m(*batch), y)
    loss.backward()
    opt.step()


step()
step()
t, c = time.perf_counter(), time.process_time()
for _ in range(steps):
    step()
dt, dc = (time.perf_counter() - t) / steps, (time.process_time() - c) / steps
print(json.dumps({"samples_per_s": B / dt, "threads": threads, "step_ms": dt * 1000, "cpu_ms": dc * 1000, "torch": torch.__version__}))
