"""The image CNN baselines in PyTorch (CPU), the same networks as
lib/models/baselines/{resnet,densenet}.ts (Keras layout: ResNet v1 bottlenecks
with the stride on the first 1x1 conv and biased convs; DenseNet121 BN-ReLU-conv
composite layers), for the training-speed comparison in bench/cnn-train.ts.
Prints one JSON line: {"samples_per_s", "step_ms", "cpu_ms", "threads", "torch"}.
Usage: python3 bench/cnn_torch.py THREADS STEPS  (config on stdin as JSON:
model, inputSize, width, growth, bnMomentum, numClasses, batch)."""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import torch
import torch.nn as nn
import torch.nn.functional as F

cfg = json.load(sys.stdin)
threads, steps = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(1)
EPS = 1.001e-5
MOM = 1 - cfg["bnMomentum"]  # PyTorch's momentum is Keras' 1 - momentum


def bn(c):
    return nn.BatchNorm2d(c, eps=EPS, momentum=MOM)


class Bottleneck(nn.Module):
    def __init__(self, cin, f, stride, conv_shortcut):
        super().__init__()
        self.short = nn.Sequential(nn.Conv2d(cin, 4 * f, 1, stride), bn(4 * f)) if conv_shortcut else None
        self.c1, self.b1 = nn.Conv2d(cin, f, 1, stride), bn(f)
        self.c2, self.b2 = nn.Conv2d(f, f, 3, 1, padding=1), bn(f)
        self.c3, self.b3 = nn.Conv2d(f, 4 * f, 1), bn(4 * f)

    def forward(self, x):
        s = self.short(x) if self.short is not None else x
        y = F.relu(self.b1(self.c1(x)))
        y = F.relu(self.b2(self.c2(y)))
        return F.relu(s + self.b3(self.c3(y)))


class ResNet(nn.Module):
    def __init__(self, blocks, w, k):
        super().__init__()
        self.stem, self.bn1 = nn.Conv2d(3, w, 7, 2), bn(w)
        layers, cin = [], w
        for s, n in enumerate(blocks):
            f = w * 2 ** s
            for b in range(n):
                layers.append(Bottleneck(cin, f, (1 if s == 0 else 2) if b == 0 else 1, b == 0))
                cin = 4 * f
        self.body = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, k)

    def forward(self, x):
        x = F.relu(self.bn1(self.stem(F.pad(x, (3, 3, 3, 3)))))
        x = F.max_pool2d(F.pad(x, (1, 1, 1, 1)), 3, 2)
        return self.fc(self.body(x).mean((2, 3)))


class DenseLayer(nn.Module):
    def __init__(self, cin, g):
        super().__init__()
        self.b0, self.c1 = bn(cin), nn.Conv2d(cin, 4 * g, 1, bias=False)
        self.b1, self.c2 = bn(4 * g), nn.Conv2d(4 * g, g, 3, padding=1, bias=False)

    def forward(self, x):
        y = self.c1(F.relu(self.b0(x)))
        return torch.cat([x, self.c2(F.relu(self.b1(y)))], 1)


class DenseNet121(nn.Module):
    def __init__(self, g, k):
        super().__init__()
        self.stem, self.bn1 = nn.Conv2d(3, 2 * g, 7, 2, bias=False), bn(2 * g)
        layers, c = [], 2 * g
        for s, n in enumerate([6, 12, 24, 16]):
            for _ in range(n):
                layers.append(DenseLayer(c, g))
                c += g
            if s < 3:
                layers += [bn(c), nn.ReLU(), nn.Conv2d(c, c // 2, 1, bias=False), nn.AvgPool2d(2, 2)]
                c //= 2
        self.body = nn.Sequential(*layers)
        self.bn, self.fc = bn(c), nn.Linear(c, k)

    def forward(self, x):
        x = F.relu(self.bn1(self.stem(F.pad(x, (3, 3, 3, 3)))))
        x = F.max_pool2d(F.pad(x, (1, 1, 1, 1)), 3, 2)
        return self.fc(F.relu(self.bn(self.body(x))).mean((2, 3)))


name, k, B, S = cfg["model"], cfg["numClasses"], cfg["batch"], cfg["inputSize"]
m = DenseNet121(cfg["growth"], k) if name == "densenet121" else ResNet({"resnet50": [3, 4, 6, 3], "resnet101": [3, 4, 23, 3]}[name], cfg["width"], k)
m.train()
opt = torch.optim.RMSprop(m.parameters(), lr=0.001)
g = torch.Generator().manual_seed(0)
x = torch.randn(B, 3, S, S, generator=g)
y = torch.randint(0, k, (B,), generator=g)


def step():
    opt.zero_grad()
    loss = F.cross_entropy(m(x), y)
    loss.backward()
    opt.step()


step()
step()
t, c = time.perf_counter(), time.process_time()
for _ in range(steps):
    step()
dt, dc = (time.perf_counter() - t) / steps, (time.process_time() - c) / steps
print(json.dumps({"samples_per_s": B / dt, "threads": threads, "step_ms": dt * 1000, "cpu_ms": dc * 1000, "torch": torch.__version__}))
